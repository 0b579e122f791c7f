/**
 * Presence over y-protocols awareness (docs/stream-protocol.md §Presence, rules P-*): each peer's name,
 * colour, kind and selection. Awareness re-sends the whole state on change and drops a peer after
 * 30 s without one (`outdatedTimeout`), so presence stays small and low-rate; transforms never go here.
 */
import { ObservableV2 } from 'lib0/observable';
import type { Awareness } from 'y-protocols/awareness';

/** What kind of program a peer is. */
export type PeerKind = 'godot' | 'web' | 'tool';

/** One peer's presence state (the awareness field `scenesync`). */
export interface PeerPresence {
  /** Y.Doc clientID of the peer. */
  readonly clientId: number;
  readonly name: string;
  /** CSS colour, e.g. `#e0a030`. */
  readonly color: string;
  readonly kind: PeerKind;
  /** Selected node ids. */
  readonly selection: readonly string[];
}

/** Events of {@link Presence}. */
export interface PresenceEvents {
  /** A peer appeared (or this peer's first state). */
  join: (peer: PeerPresence) => void;
  /** A peer left or expired. */
  leave: (clientId: number) => void;
  /** A peer's state changed (name, colour, selection...). */
  change: (peer: PeerPresence) => void;
}

const FIELD = 'scenesync';

/**
 * Presence of every peer in a room.
 *
 * @example
 * room.presence.on('join', p => console.log(`${p.name} (${p.kind}) joined`));
 * room.presence.setSelection([nodeId]);
 */
export class Presence extends ObservableV2<PresenceEvents> {
  private readonly onChange: (ch: { added: number[]; updated: number[]; removed: number[] }) => void;

  constructor(
    /** The y-protocols awareness instance underneath (y-webrtc's). */
    readonly awareness: Awareness,
    local: Omit<PeerPresence, 'clientId' | 'selection'> & { selection?: readonly string[] },
  ) {
    super();
    awareness.setLocalStateField(FIELD, {
      name: local.name, color: local.color, kind: local.kind, selection: [...(local.selection ?? [])],
    });
    this.onChange = ({ added, updated, removed }) => {
      for (const id of added) { const p = this.get(id); if (p) this.emit('join', [p]); }
      for (const id of updated) { const p = this.get(id); if (p) this.emit('change', [p]); }
      for (const id of removed) this.emit('leave', [id]);
    };
    awareness.on('change', this.onChange);
  }

  /** This peer's state. */
  get local(): PeerPresence {
    return this.get(this.awareness.clientID)!;
  }

  /** Every peer's presence (this peer included), keyed by clientID; malformed states are skipped. */
  all(): Map<number, PeerPresence> {
    const out = new Map<number, PeerPresence>();
    for (const id of this.awareness.getStates().keys()) {
      const p = this.get(id);
      if (p) out.set(id, p);
    }
    return out;
  }

  /** Every other peer's presence (this peer excluded). */
  peers(): PeerPresence[] {
    const me = this.awareness.clientID;
    return [...this.all().values()].filter((p) => p.clientId !== me);
  }

  /** One peer's presence, or undefined (unknown, or a state without a well-formed `scenesync` field). */
  get(clientId: number): PeerPresence | undefined {
    const s = this.awareness.getStates().get(clientId)?.[FIELD];
    if (!s || typeof s !== 'object') return undefined;
    const kind: PeerKind = s.kind === 'godot' || s.kind === 'web' || s.kind === 'tool' ? s.kind : 'tool';
    return {
      clientId,
      name: typeof s.name === 'string' ? s.name : `peer ${clientId}`,
      color: typeof s.color === 'string' ? s.color : '#888888',
      kind,
      selection: Array.isArray(s.selection) ? s.selection.filter((x: unknown): x is string => typeof x === 'string') : [],
    };
  }

  /** Set this peer's selection (node ids). */
  setSelection(selection: readonly string[]): void {
    this.update({ selection: [...selection] });
  }

  /** Change this peer's name, colour or kind. */
  update(patch: Partial<Omit<PeerPresence, 'clientId'>>): void {
    const cur = this.awareness.getLocalState()?.[FIELD] ?? {};
    this.awareness.setLocalStateField(FIELD, { ...cur, ...patch });
  }

  override destroy(): void {
    this.awareness.off('change', this.onChange);
    super.destroy();
  }
}

/** A stable colour for a name, so a peer keeps its colour across sessions. */
export function colorForName(name: string): string {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) >>> 0;
  return `hsl(${h % 360}, 70%, 50%)`;
}
