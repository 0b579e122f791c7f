/**
 * scenesync's own data channels on each y-webrtc peer connection (docs/stream-protocol.md §Channels,
 * rules C-*): the unreliable stream channel, and a reliable "bulk" channel that carries y-webrtc
 * messages too large for one data-channel message (C-BULK). y-webrtc exposes its simple-peer instances (`provider.room.webrtcConns`, each `peer._pc`
 * the RTCPeerConnection); once a connection is up we add a pre-negotiated, unordered, unreliable
 * channel with the same id on both sides, so no renegotiation happens and plain y-webrtc peers are
 * unaffected. A channel carries frames only after the other side said hello on it: a plain y-webrtc
 * client never does, so it is never sent frames.
 */
import { STREAM_FRAME_VERSION } from '../stream/frame.js';

/** C-HELLO: frame kind 0, two bytes `[version, 0]`, sent every `helloIntervalMs` on an open channel. */
export const FRAME_KIND_HELLO = 0;
const HELLO = new Uint8Array([STREAM_FRAME_VERSION, FRAME_KIND_HELLO]);
/** C-BACKPRESSURE: frames are dropped for a channel with more than this many bytes queued. */
const MAX_BUFFERED_BYTES = 256 * 1024;

interface ChannelState {
  channel: any;
  bulk: any;
  live: boolean;
  lastHelloSent: number;
  /** When anything last arrived on the channels (Date.now()). */
  lastReceived: number;
  /** Bulk messages being reassembled, by message id. */
  incoming: Map<number, { data: Uint8Array; received: number }>;
  nextMessageId: number;
}

/** C-BULK: y-webrtc messages above this size go over the bulk channel in chunks (peers that said hello). */
export const BULK_THRESHOLD_BYTES = 64 * 1024;
/** C-BULK: chunk payload size. */
const BULK_CHUNK_BYTES = 16 * 1024;
/** C-BULK: largest message a peer may announce; bigger ones are dropped as hostile. */
const BULK_MAX_MESSAGE_BYTES = 256 * 1024 * 1024;
/** Frame kind of a bulk chunk: `[version, 2, u32 id, u32 total, u32 offset, bytes…]`, little endian. */
export const FRAME_KIND_BULK_CHUNK = 2;

/** Options of {@link StreamChannels}. */
export interface StreamChannelOptions {
  /** SCTP stream id of the negotiated channel (C-ID), the same on every peer. */
  channelId: number;
  helloIntervalMs: number;
  /** A frame arrived from a peer. */
  onFrame: (bytes: Uint8Array) => void;
  /** A peer's channel became live (first hello or frame). `peer` is its simple-peer instance. */
  onPeerLive: (peer: any) => void;
  /**
   * C-SILENT: a live peer sent nothing (not even its hello) for this long, ms: its connection is dead
   * even if ICE has not noticed yet.
   */
  silentAfterMs: number;
  /** A live peer went silent (C-SILENT); `peer` is its simple-peer instance. */
  onPeerSilent: (peer: any) => void;
  /** A malformed bulk chunk arrived (dropped). */
  onBadChunk?: (reason: string) => void;
  /** An oversized y-webrtc message was dropped for a peer without a bulk channel (yet). */
  onOversized?: (peer: any, bytes: number) => void;
}

function toBytes(data: unknown): Uint8Array | null {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return null;
}

/** Negotiated stream and bulk channels over every connection of one y-webrtc provider. */
export class StreamChannels {
  private readonly states = new Map<object, ChannelState>();
  private readonly wrapped = new WeakSet<object>();

  constructor(
    private readonly provider: any,
    private readonly options: StreamChannelOptions,
  ) {}

  /** Attach channels to connections that came up, drop closed ones, send due hellos. */
  scan(now = Date.now()): void {
    const conns: Map<string, any> | undefined = this.provider.room?.webrtcConns;
    const seen = new Set<object>();
    if (conns !== undefined) {
      for (const conn of conns.values()) {
        const peer = conn.peer;
        if (peer && !this.wrapped.has(peer)) this.wrapSend(peer);
        if (!peer || !conn.connected || conn.closed) continue;
        seen.add(peer);
        let state = this.states.get(peer);
        if (state === undefined) {
          const created = this.attach(peer);
          if (created === undefined) continue;
          state = created;
        }
        if (state.live && now - state.lastReceived > this.options.silentAfterMs) {
          state.live = false;
          this.options.onPeerSilent(peer);
          continue;
        }
        if (state.channel.readyState === 'open' && now - state.lastHelloSent >= this.options.helloIntervalMs) {
          state.lastHelloSent = now;
          try { state.channel.send(HELLO); } catch { /* closing; next scan drops it */ }
        }
      }
    }
    for (const [peer, state] of this.states) {
      if (!seen.has(peer) || state.channel.readyState === 'closed') {
        try { state.channel.close(); state.bulk.close(); } catch { /* already closed */ }
        this.states.delete(peer);
      }
    }
  }

  /** Send one frame to every live channel (C-LIVE), skipping congested ones (C-BACKPRESSURE). */
  broadcast(bytes: Uint8Array): number {
    let sent = 0;
    for (const state of this.states.values()) {
      if (!state.live || state.channel.readyState !== 'open') continue;
      if (state.channel.bufferedAmount > MAX_BUFFERED_BYTES) continue;
      try {
        state.channel.send(bytes);
        sent++;
      } catch { /* the connection is going away */ }
    }
    return sent;
  }

  /** Whether a simple-peer instance's channels are live (it said hello). */
  isLive(peer: object): boolean {
    return this.states.get(peer)?.live ?? false;
  }

  /** Number of peers whose stream channel is live. */
  get liveCount(): number {
    let n = 0;
    for (const s of this.states.values()) if (s.live && s.channel.readyState === 'open') n++;
    return n;
  }

  /** Close every channel. */
  destroy(): void {
    for (const s of this.states.values()) {
      try { s.channel.close(); s.bulk.close(); } catch { /* already closed */ }
    }
    this.states.clear();
  }

  private attach(peer: any): ChannelState | undefined {
    const pc = peer._pc;
    if (!pc || pc.connectionState === 'closed' || pc.signalingState === 'closed') return undefined;
    let channel: any, bulk: any;
    try {
      channel = pc.createDataChannel('scenesync-stream', {
        negotiated: true, id: this.options.channelId, ordered: false, maxRetransmits: 0,
      });
      bulk = pc.createDataChannel('scenesync-bulk', { negotiated: true, id: this.options.channelId + 1, ordered: true });
    } catch {
      return undefined;
    }
    channel.binaryType = 'arraybuffer';
    bulk.binaryType = 'arraybuffer';
    const state: ChannelState = { channel, bulk, live: false, lastHelloSent: 0, lastReceived: Date.now(), incoming: new Map(), nextMessageId: 0 };
    const markLive = () => {
      state.lastReceived = Date.now();
      if (state.live) return;
      state.live = true;
      this.options.onPeerLive(peer);
    };
    channel.onopen = () => {
      // C-HELLO: say hello as soon as the channel opens, not at the next scan.
      state.lastHelloSent = Date.now();
      try { channel.send(HELLO); } catch { /* closing */ }
    };
    channel.onmessage = (event: { data: unknown }) => {
      const bytes = toBytes(event.data);
      if (bytes === null) return; // C-TEXT: text messages are not part of the protocol
      markLive();
      if (bytes.length === 2 && bytes[1] === FRAME_KIND_HELLO) return;
      this.options.onFrame(bytes);
    };
    bulk.onmessage = (event: { data: unknown }) => {
      const bytes = toBytes(event.data);
      if (bytes === null) return;
      markLive();
      const whole = this.reassemble(state, bytes);
      // Hand the whole message to y-webrtc as if it had arrived on its own channel.
      if (whole !== null) peer.emit('data', whole);
    };
    this.states.set(peer, state);
    return state;
  }

  /**
   * C-BULK: route y-webrtc's oversized messages (a large sync step 2, a big import) over the bulk
   * channel in chunks to peers that said hello. A data channel refuses single messages above ~256 KiB
   * and the connection dies, so an oversized message for a peer that has not said hello (yet) is
   * dropped instead: when the hello comes, both sides re-run sync and it travels chunked; a plain
   * y-webrtc peer never gets it (reported through `onOversized`).
   */
  private wrapSend(peer: any): void {
    this.wrapped.add(peer);
    const original = peer.send.bind(peer);
    peer.send = (data: Uint8Array) => {
      if (data.byteLength <= BULK_THRESHOLD_BYTES) {
        original(data);
        return;
      }
      const state = this.states.get(peer);
      if (state === undefined || !state.live || state.bulk.readyState !== 'open') {
        this.options.onOversized?.(peer, data.byteLength);
        return;
      }
      const id = state.nextMessageId++ >>> 0;
      for (let offset = 0; offset < data.byteLength; offset += BULK_CHUNK_BYTES) {
        const part = data.subarray(offset, Math.min(data.byteLength, offset + BULK_CHUNK_BYTES));
        const chunk = new Uint8Array(14 + part.length);
        const view = new DataView(chunk.buffer);
        chunk[0] = STREAM_FRAME_VERSION;
        chunk[1] = FRAME_KIND_BULK_CHUNK;
        view.setUint32(2, id, true);
        view.setUint32(6, data.byteLength, true);
        view.setUint32(10, offset, true);
        chunk.set(part, 14);
        state.bulk.send(chunk);
      }
    };
  }

  private reassemble(state: ChannelState, bytes: Uint8Array): Uint8Array | null {
    const bad = (reason: string) => { this.options.onBadChunk?.(reason); return null; };
    if (bytes.length < 14 || bytes[0] !== STREAM_FRAME_VERSION || bytes[1] !== FRAME_KIND_BULK_CHUNK) return bad('not a bulk chunk');
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const id = view.getUint32(2, true), total = view.getUint32(6, true), offset = view.getUint32(10, true);
    const part = bytes.subarray(14);
    if (total === 0 || total > BULK_MAX_MESSAGE_BYTES || offset + part.length > total) return bad('chunk out of range');
    let msg = state.incoming.get(id);
    if (msg === undefined) {
      if (state.incoming.size >= 4) return bad('too many bulk messages in flight');
      msg = { data: new Uint8Array(total), received: 0 };
      state.incoming.set(id, msg);
    }
    if (msg.data.length !== total) { state.incoming.delete(id); return bad('chunk total changed'); }
    msg.data.set(part, offset);
    msg.received += part.length;
    if (msg.received < total) return null;
    state.incoming.delete(id);
    return msg.data;
  }
}
