/**
 * The ephemeral transform stream (docs/stream-protocol.md): the owner of a node sends its transform in
 * quantised binary frames at up to `sendRateHz`, never through the Y.Doc; receivers interpolate; the
 * owner commits the exact value to the document when the node rests or every `commitIntervalMs`.
 *
 * The transport is injected (a `send` function, and `receive` called with what arrives), so the same
 * class runs over the room's WebRTC data channels, in tests and in other hosts.
 */
import { ObservableV2 } from 'lib0/observable';
import type * as Y from 'yjs';
import { RoomError } from '../errors.js';
import {
  decodeStreamFrame,
  encodeStreamFrame,
  headerSize,
  positionExponentFor,
  recordSize,
  type HandleDefinition,
  type TransformRecord,
} from './frame.js';
import { InterpolationBuffer } from './interpolation.js';
import { composeTransform, decomposeTransform, type TransformParts } from './transform-math.js';

/** The part of `@scenesync/core`'s `SceneDoc` the stream needs (structural, so any SceneDoc fits). */
export interface StreamScene {
  readonly doc: Y.Doc;
  ownerOf(id: any): number | null;
  getProperty(id: any, key: string): unknown;
  setProperty(id: any, key: string, value: any): void;
  transact(fn: () => void, origin?: unknown): void;
}

/** Options of the transform stream; every default lives in {@link STREAM_DEFAULTS}. */
export interface StreamOptions {
  /** Frames per second the owner sends at most (S-RATE). */
  sendRateHz: number;
  /** A node that has not moved for this long is at rest: its owner commits it (S-SETTLE-1). */
  restMs: number;
  /** A node moving continuously is committed at least this often (S-SETTLE-2). */
  commitIntervalMs: number;
  /** Interpolation delay at receivers (S-INTERP-1); about three send intervals. */
  interpolationDelayMs: number;
  /** A receiver falls back to the document value when no frame arrived for this long (S-INTERP-4). */
  liveTimeoutMs: number;
  /** Largest frame payload in bytes: one frame fits one UDP packet (S-SIZE). */
  maxFrameBytes: number;
  /** Finest position step, as a power of two in metres (-10 ≈ 1 mm) (S-POS-2). */
  minPositionExponent: number;
  /** After a node stops, its last value is sent this many more ticks for lossy links (S-REST-REPEAT). */
  restRepeatTicks: number;
  /** A new handle is defined in this many consecutive frames (S-DEF-2). */
  definitionRepeatTicks: number;
  /** Every handle is re-defined once per this many ticks, round robin (S-DEF-3). */
  definitionCycleTicks: number;
  /** The Y.Doc property the stream carries (only `transform`, a Transform3D, in frame version 1). */
  property: 'transform';
}

/** Defaults of {@link StreamOptions}. */
export const STREAM_DEFAULTS: Readonly<StreamOptions> = {
  sendRateHz: 60,
  restMs: 200,
  commitIntervalMs: 1000,
  interpolationDelayMs: 50,
  liveTimeoutMs: 1000,
  maxFrameBytes: 1150,
  minPositionExponent: -10,
  restRepeatTicks: 3,
  definitionRepeatTicks: 5,
  definitionCycleTicks: 64,
  property: 'transform',
};

/**
 * Merge `options` over {@link STREAM_DEFAULTS} and check them.
 *
 * @throws RoomError `INVALID_OPTIONS` naming the option and its allowed range
 */
export function checkStreamOptions(options: Partial<StreamOptions>): StreamOptions {
  const o = { ...STREAM_DEFAULTS, ...options };
  if (o.property !== 'transform') {
    throw new RoomError('INVALID_OPTIONS', `The stream carries only 'transform' in frame version 1, not '${String(o.property)}'.`);
  }
  if (!(o.sendRateHz > 0 && o.sendRateHz <= 240)) {
    throw new RoomError('INVALID_OPTIONS', `stream.sendRateHz must be in (0, 240], got ${o.sendRateHz}.`);
  }
  for (const k of ['restMs', 'commitIntervalMs', 'interpolationDelayMs', 'liveTimeoutMs', 'restRepeatTicks', 'definitionRepeatTicks'] as const) {
    if (!(typeof o[k] === 'number' && o[k] >= 0 && Number.isFinite(o[k]))) {
      throw new RoomError('INVALID_OPTIONS', `stream.${k} must be a finite number ≥ 0, got ${String(o[k])}.`);
    }
  }
  if (!(Number.isInteger(o.definitionCycleTicks) && o.definitionCycleTicks >= 1)) {
    throw new RoomError('INVALID_OPTIONS', 'stream.definitionCycleTicks must be an integer ≥ 1.');
  }
  if (!(o.maxFrameBytes >= 200 && o.maxFrameBytes <= 65536)) {
    throw new RoomError('INVALID_OPTIONS', 'stream.maxFrameBytes must be in 200..65536 (keep it under the path MTU, ~1200).');
  }
  if (!(Number.isInteger(o.minPositionExponent) && o.minPositionExponent >= -24 && o.minPositionExponent <= 24)) {
    throw new RoomError('INVALID_OPTIONS', 'stream.minPositionExponent must be an integer in -24..24.');
  }
  return o;
}

/** Counters of a stream, for tests, benchmarks and diagnostics. */
export interface StreamStats {
  framesSent: number;
  bytesSent: number;
  recordsSent: number;
  framesReceived: number;
  bytesReceived: number;
  recordsAccepted: number;
  /** Frames that failed to decode (S-HOSTILE). */
  badFrames: number;
  /** Records from a sender that does not own the node (S-OWN-1). */
  notOwner: number;
  /** Records whose handle had no definition yet (S-DEF-1). */
  unknownHandle: number;
  /** Node transforms written to the document by this peer's settle commits. */
  commits: number;
  /** Settle-commit transactions (each one document update at most). */
  commitTransactions: number;
}

/** Events of {@link TransformStream}. */
export interface TransformStreamEvents {
  /** A frame was rejected; the stream carries on. */
  badFrame: (error: RoomError) => void;
  /** Smoothed values changed for these nodes (fires once per received frame). */
  received: (nodes: string[]) => void;
  /** This peer committed these nodes to the document. */
  committed: (nodes: string[]) => void;
}

interface OutgoingNode {
  handle: number;
  /** Exact latest transform (12 numbers) as the owner set it. */
  transform: number[];
  parts: TransformParts;
  movedAt: number;
  committedAt: number;
  /** True while the latest value is not in the document yet. */
  dirtyForDoc: boolean;
  /** Ticks left to (re)send the latest value. */
  sendTicks: number;
  defineTicks: number;
}

/** Origin of settle-commit transactions, so observers can tell them apart. */
export const STREAM_COMMIT_ORIGIN = Symbol.for('scenesync.stream.commit');

/**
 * One peer's view of the transform stream: the sending side for nodes it owns, the receiving side for
 * the rest.
 *
 * @example
 * scene.claimOwnership(id);
 * room.stream.move(id, [1,0,0, 0,1,0, 0,0,1, x,y,z]);   // owner, at any rate
 * room.stream.transformOf(id);                          // elsewhere: smoothed 12 numbers
 */
export class TransformStream extends ObservableV2<TransformStreamEvents> {
  /** The options in force. */
  readonly options: StreamOptions;
  /** Counters (see {@link StreamStats}). */
  readonly stats: StreamStats = {
    framesSent: 0, bytesSent: 0, recordsSent: 0, framesReceived: 0, bytesReceived: 0,
    recordsAccepted: 0, badFrames: 0, notOwner: 0, unknownHandle: 0, commits: 0, commitTransactions: 0,
  };
  private readonly outgoing = new Map<string, OutgoingNode>();
  private readonly handlesBySender = new Map<number, Map<number, string>>();
  private readonly buffer: InterpolationBuffer;
  private readonly lastReceivedAt = new Map<string, number>();
  private nextHandle = 0;
  private tickCount = 0;
  private timer: ReturnType<typeof setInterval> | null = null;

  /**
   * @param scene the SceneDoc (ownership and settle commits go through it)
   * @param send broadcasts one encoded frame to every stream-capable peer
   */
  constructor(
    private readonly scene: StreamScene,
    private readonly send: (frame: Uint8Array) => void,
    options: Partial<StreamOptions> = {},
    private readonly now: () => number = () => performance.now(),
  ) {
    super();
    this.options = checkStreamOptions(options);
    this.buffer = new InterpolationBuffer({ delayMs: this.options.interpolationDelayMs });
  }

  /** Start the send timer (the room does this on join). */
  start(): void {
    if (this.timer !== null) return;
    this.timer = setInterval(() => this.tick(), 1000 / this.options.sendRateHz);
    (this.timer as any).unref?.();
  }

  /** Stop sending; commits what is not in the document yet so nothing the owner did is lost. */
  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.commit([...this.outgoing.entries()].filter(([, n]) => n.dirtyForDoc).map(([id]) => id));
  }

  /**
   * Publish a new transform for a node this peer owns (S-OWN-2). Sent with the next tick; committed to
   * the document when the node rests or every `commitIntervalMs`.
   *
   * @param node node id
   * @param transform the Transform3D's 12 numbers (basis rows, then origin) or a `{ type: 'Transform3D', value }`
   * @throws RoomError `NOT_STREAMABLE` when this peer does not own the node or the value is not a finite Transform3D
   */
  move(node: string, transform: readonly number[] | { type: string; value: readonly number[] }): void {
    const value = Array.isArray(transform) ? transform : (transform as { type: string; value: readonly number[] }).value;
    if (!Array.isArray(value) || value.length !== 12 || !value.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      throw new RoomError('NOT_STREAMABLE', 'A streamed transform is 12 finite numbers (Transform3D: basis rows, then origin).');
    }
    const me = this.scene.doc.clientID;
    if (this.scene.ownerOf(node) !== me) {
      throw new RoomError('NOT_STREAMABLE', `This peer does not own node ${node}; call scene.claimOwnership(id) first (and check scene.ownerOf(id) after concurrent claims).`);
    }
    const t = this.now();
    let out = this.outgoing.get(node);
    if (out === undefined) {
      out = {
        handle: this.nextHandle++, transform: [], parts: decomposeTransform(value), movedAt: t, committedAt: t,
        dirtyForDoc: true, sendTicks: 0, defineTicks: this.options.definitionRepeatTicks,
      };
      this.outgoing.set(node, out);
    }
    out.transform = value.slice();
    out.parts = decomposeTransform(value);
    out.movedAt = t;
    out.dirtyForDoc = true;
    out.sendTicks = 1 + this.options.restRepeatTicks;
  }

  /**
   * The smoothed transform of a node as 12 numbers: interpolated stream samples while the node is
   * streamed, otherwise the document's value (or undefined when it has none).
   */
  transformOf(node: string): number[] | undefined {
    const t = this.now();
    const out = this.outgoing.get(node);
    if (out !== undefined && t - out.movedAt < this.options.liveTimeoutMs) return out.transform.slice();
    const last = this.lastReceivedAt.get(node);
    if (last !== undefined && t - last < this.options.liveTimeoutMs) {
      const parts = this.buffer.sample(node, t);
      if (parts !== undefined) return composeTransform(parts);
    }
    const v = this.scene.getProperty(node as any, this.options.property) as { type?: string; value?: number[] } | undefined;
    return v && v.type === 'Transform3D' && Array.isArray(v.value) ? v.value.slice() : undefined;
  }

  /** Smoothed position, rotation and scale of a streamed node, or undefined when none is live. */
  partsOf(node: string): TransformParts | undefined {
    const last = this.lastReceivedAt.get(node);
    if (last === undefined || this.now() - last >= this.options.liveTimeoutMs) return undefined;
    return this.buffer.sample(node, this.now());
  }

  /** Nodes this peer is streaming (has moved and owns). */
  streamingNodes(): string[] {
    return [...this.outgoing.keys()];
  }

  /**
   * Feed one frame received from a peer. Malformed frames are counted and reported through `badFrame`,
   * never thrown (S-HOSTILE).
   */
  receive(bytes: Uint8Array): void {
    this.stats.framesReceived++;
    this.stats.bytesReceived += bytes.length;
    let frame;
    try {
      frame = decodeStreamFrame(bytes);
    } catch (e) {
      this.stats.badFrames++;
      this.emit('badFrame', [e instanceof RoomError ? e : new RoomError('BAD_FRAME', String(e))]);
      return;
    }
    if (frame.sender === this.scene.doc.clientID) return;
    let handles = this.handlesBySender.get(frame.sender);
    if (handles === undefined) {
      handles = new Map();
      this.handlesBySender.set(frame.sender, handles);
    }
    for (const d of frame.definitions) handles.set(d.handle, d.node);
    const t = this.now();
    const touched: string[] = [];
    for (const r of frame.records) {
      const node = handles.get(r.handle);
      if (node === undefined) { this.stats.unknownHandle++; continue; }
      if (this.scene.ownerOf(node) !== frame.sender) { this.stats.notOwner++; continue; }
      this.buffer.push(node, frame.sender, frame.time, { position: r.position, rotation: r.rotation, scale: r.scale }, t);
      this.lastReceivedAt.set(node, t);
      this.stats.recordsAccepted++;
      touched.push(node);
    }
    if (touched.length > 0) this.emit('received', [touched]);
  }

  /** A new stream-capable peer connected: define every handle again soon (S-DEF-2). */
  peerJoined(): void {
    for (const out of this.outgoing.values()) {
      out.defineTicks = this.options.definitionRepeatTicks;
      out.sendTicks = Math.max(out.sendTicks, this.options.definitionRepeatTicks);
    }
  }

  /** A peer left: drop its samples. */
  senderLeft(sender: number): void {
    this.buffer.forgetSender(sender);
    this.handlesBySender.delete(sender);
  }

  /** One send interval: encode and send what moved, then commit what rests or is due (S-SETTLE). */
  tick(): void {
    const t = this.now();
    this.tickCount++;
    const me = this.scene.doc.clientID;
    const due: Array<[string, OutgoingNode]> = [];
    const toCommit: string[] = [];
    for (const [id, out] of this.outgoing) {
      if (this.scene.ownerOf(id) !== me) {
        // Lost the node (released, or a concurrent claim resolved against us): stop streaming it.
        this.outgoing.delete(id);
        continue;
      }
      if (out.sendTicks > 0) { due.push([id, out]); out.sendTicks--; }
      if (out.dirtyForDoc && (t - out.movedAt >= this.options.restMs || t - out.committedAt >= this.options.commitIntervalMs)) {
        toCommit.push(id);
      }
      if (!out.dirtyForDoc && out.sendTicks === 0 && t - out.movedAt > this.options.liveTimeoutMs) {
        this.outgoing.delete(id);
      }
    }
    if (due.length > 0) this.sendRecords(due, t);
    if (toCommit.length > 0) this.commit(toCommit);
  }

  private sendRecords(due: Array<[string, OutgoingNode]>, t: number): void {
    // S-POS-2: group by the exponent each record needs, so near nodes keep millimetre precision.
    const groups = new Map<number, Array<[string, OutgoingNode]>>();
    for (const entry of due) {
      const p = entry[1].parts.position;
      const e = positionExponentFor(Math.max(Math.abs(p[0]), Math.abs(p[1]), Math.abs(p[2])), this.options.minPositionExponent);
      let g = groups.get(e);
      if (g === undefined) groups.set(e, (g = []));
      g.push(entry);
    }
    const sender = this.scene.doc.clientID;
    const time = Math.floor(t) >>> 0;
    for (const [exponent, entries] of groups) {
      entries.sort((a, b) => a[1].handle - b[1].handle);
      let records: TransformRecord[] = [];
      let definitions: HandleDefinition[] = [];
      let size = headerSize(sender, time, [], 0) + 4;
      let prevHandle = -1;
      const flush = () => {
        if (records.length === 0) return;
        const bytes = encodeStreamFrame({ sender, time, definitions, positionExponent: exponent, records });
        this.stats.framesSent++;
        this.stats.bytesSent += bytes.length;
        this.stats.recordsSent += records.length;
        this.send(bytes);
        records = [];
        definitions = [];
        size = headerSize(sender, time, [], 0) + 4;
        prevHandle = -1;
      };
      for (const [id, out] of entries) {
        const define = out.defineTicks > 0 || (out.handle + this.tickCount) % this.options.definitionCycleTicks === 0;
        const defBytes = define ? 6 + id.length : 0;
        if (size + defBytes + recordSize(out.handle - prevHandle - 1, out.parts.scale) > this.options.maxFrameBytes) flush();
        const recBytes = recordSize(out.handle - prevHandle - 1, out.parts.scale);
        prevHandle = out.handle;
        if (define) {
          definitions.push({ handle: out.handle, node: id });
          if (out.defineTicks > 0) out.defineTicks--;
        }
        records.push({ handle: out.handle, position: out.parts.position, rotation: out.parts.rotation, scale: out.parts.scale });
        size += defBytes + recBytes;
      }
      flush();
    }
  }

  private commit(ids: string[]): void {
    const t = this.now();
    const written: string[] = [];
    this.scene.transact(() => {
      for (const id of ids) {
        const out = this.outgoing.get(id);
        if (out === undefined || !out.dirtyForDoc) continue;
        out.dirtyForDoc = false;
        out.committedAt = t;
        const current = this.scene.getProperty(id as any, this.options.property) as { type?: string; value?: number[] } | undefined;
        // S-SETTLE-3: the exact value the owner set, and only when it differs from the document.
        if (current && current.type === 'Transform3D' && sameNumbers(current.value, out.transform)) continue;
        this.scene.setProperty(id as any, this.options.property, { type: 'Transform3D', value: out.transform.slice() });
        written.push(id);
      }
    }, STREAM_COMMIT_ORIGIN);
    if (written.length > 0) {
      this.stats.commits += written.length;
      this.stats.commitTransactions++;
      this.emit('committed', [written]);
    }
  }

  override destroy(): void {
    this.stop();
    super.destroy();
  }
}

function sameNumbers(a: readonly number[] | undefined, b: readonly number[]): boolean {
  if (!a || a.length !== b.length) return false;
  for (let i = 0; i < b.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}
