/**
 * Presence: who is in the room (name, colour, kind) and what each has selected, read from the
 * room's `Presence` (`@scenesync/webrtc`, awareness underneath). The marks computed here feed the
 * outliner's dots and the 3D selection boxes.
 */
import type { PresenceMark } from './outliner.js';

/** One person or program in the room. */
export interface Peer {
  clientId: number;
  name: string;
  color: string;
  kind: string;
  selection: readonly string[];
  self: boolean;
}

/** The part of `@scenesync/webrtc`'s `Presence` the panel uses. */
export interface PresenceLike {
  readonly local: { clientId: number } | undefined;
  all(): Map<number, { clientId: number; name: string; color: string; kind: string; selection: readonly string[] }>;
  setSelection(selection: readonly string[]): void;
  on(event: 'join' | 'leave' | 'change', listener: (...args: never[]) => void): void;
}

/** The list of peers, this page first, then by client id. */
export function readPeers(presence: PresenceLike): Peer[] {
  const self = presence.local?.clientId;
  return [...presence.all().values()]
    .map((p) => ({ ...p, self: p.clientId === self }))
    .sort((a, b) => Number(b.self) - Number(a.self) || a.clientId - b.clientId);
}

/** Node id → the other peers who have it selected. */
export function selectionMarks(peers: readonly Peer[]): Map<string, PresenceMark[]> {
  const marks = new Map<string, PresenceMark[]>();
  for (const peer of peers) {
    if (peer.self) continue;
    for (const id of peer.selection) {
      const list = marks.get(id) ?? [];
      list.push({ name: peer.name, color: peer.color });
      marks.set(id, list);
    }
  }
  return marks;
}

/** The list of people in the room; calls `onPeers` whenever anyone joins, leaves or changes. */
export class PresencePanel {
  constructor(
    private readonly container: HTMLElement,
    presence: PresenceLike,
    private readonly nameOf: (id: string) => string | undefined,
    onPeers: (peers: Peer[]) => void,
  ) {
    const update = (): void => {
      const peers = readPeers(presence);
      this.render(peers);
      onPeers(peers);
    };
    presence.on('join', update);
    presence.on('leave', update);
    presence.on('change', update);
    update();
  }

  private render(peers: readonly Peer[]): void {
    const list = document.createElement('ul');
    for (const peer of peers) {
      const item = document.createElement('li');
      item.dataset.testid = 'presence-peer';
      const dot = document.createElement('span');
      dot.className = 'presence-dot';
      dot.style.background = peer.color;
      const label = document.createElement('span');
      const selected = peer.selection.map((id) => this.nameOf(id)).filter(Boolean);
      label.textContent = `${peer.name}${peer.self ? ' (you)' : ''}${peer.kind !== 'web' ? ` [${peer.kind}]` : ''}`;
      item.append(dot, label);
      if (selected.length > 0) {
        const what = document.createElement('span');
        what.className = 'type';
        what.textContent = ` — ${selected.join(', ')}`;
        item.appendChild(what);
      }
      list.appendChild(item);
    }
    this.container.replaceChildren(list);
  }
}
