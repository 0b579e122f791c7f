import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { ResolvedOptions } from '../options.js';
import type { DropReason, ServerMetrics } from '../metrics/metrics.js';
import type { SignallingBus } from './bus.js';

const OPEN = 1;
const PONG_FRAME = Buffer.from('{"type":"pong"}');

/** One signalling connection and what the hub tracks about it. */
class SignallingPeer {
  readonly topics = new Set<string>();
  /** Token bucket for the message rate limit. */
  tokens: number;
  refilledAt = Date.now();
  /** Messages dropped for rate since `floodWindowAt`; too many closes the connection. */
  floodDrops = 0;
  floodWindowAt = 0;
  /** Cleared before each ping, set by the pong (or any frame); still clear at the next sweep = dead. */
  alive = true;
  closed = false;
  constructor(
    readonly ws: WebSocket,
    /** The upgraded TCP socket under `ws`, corked while a batch of sends is written. */
    readonly socket: Duplex,
    /** Rooms this connection may join; `null` when room auth is off. */
    readonly grants: ReadonlySet<string> | null,
    burst: number,
  ) {
    this.tokens = burst;
  }
}

/** Limits the hub enforces; a subset of the server options. */
export type HubLimits = Pick<
  ResolvedOptions,
  | 'maxTopicsPerConnection'
  | 'maxTopicLength'
  | 'maxMessagesPerSecond'
  | 'messageBurst'
  | 'floodCloseAfter'
  | 'maxBufferedBytes'
  | 'pingInterval'
>;

/**
 * The y-webrtc signalling protocol (docs/self-hosting.md, "Signalling protocol"): JSON text frames
 * `subscribe {topics}`, `unsubscribe {topics}`, `publish {topic, data}` (fanned out to every
 * subscriber of the topic, sender included, with `clients` = number of receivers on this
 * instance) and `ping` → `pong`.
 *
 * Unlike y-webrtc's reference server it never trusts a frame: anything malformed, unknown,
 * over a limit or unauthorised is ignored (or, for floods, the connection is closed) and counted
 * in {@link ServerMetrics} by reason. Nothing a client sends can throw out of a handler.
 */
export class SignallingHub {
  private readonly topics = new Map<string, Set<SignallingPeer>>();
  private readonly peers = new Set<SignallingPeer>();
  private readonly pingTimer: NodeJS.Timeout;
  /** Sockets corked during the current tick; uncorked together right after it. */
  private readonly corked: Duplex[] = [];
  private readonly uncorkAll = () => {
    for (const socket of this.corked) socket.uncork();
    this.corked.length = 0;
  };

  constructor(
    private readonly limits: HubLimits,
    private readonly metrics: ServerMetrics,
    private readonly bus: SignallingBus,
  ) {
    bus.onPublish((topic, dataJson) => this.fromBus(topic, dataJson));
    this.pingTimer = setInterval(() => this.sweep(), limits.pingInterval);
    this.pingTimer.unref();
  }

  /** Open connections. */
  get connectionCount(): number {
    return this.peers.size;
  }

  /** Topics with at least one local subscriber. */
  get roomCount(): number {
    return this.topics.size;
  }

  /**
   * Takes over an upgraded WebSocket.
   * @param socket the upgraded socket under `ws` (from the HTTP `upgrade` event)
   * @param grants rooms the connection may join (from verified room tokens), or `null` for any.
   */
  attach(ws: WebSocket, socket: Duplex, grants: ReadonlySet<string> | null): void {
    const peer = new SignallingPeer(ws, socket, grants, this.limits.messageBurst);
    this.peers.add(peer);
    this.metrics.connectionsTotal++;
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      try {
        this.onFrame(peer, data, isBinary);
      } catch {
        // Last line of defence: a frame we failed to foresee must cost that frame, not the process.
        this.drop('internal-error');
      }
    });
    ws.on('pong', () => {
      peer.alive = true;
    });
    ws.on('error', (err: Error & { code?: string }) => {
      const code = err.code ?? '';
      this.metrics.drop(code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' ? 'frame-too-large' : code.startsWith('WS_ERR_') ? 'protocol-error' : 'socket-error');
    });
    ws.on('close', () => this.detach(peer));
  }

  /** Closes every connection (1001 "going away") and stops the ping sweep. */
  closeAll(): void {
    clearInterval(this.pingTimer);
    for (const peer of this.peers) peer.ws.close(1001, 'server shutting down');
  }

  /** Cuts connections that did not close after {@link closeAll}. */
  terminateAll(): void {
    for (const peer of this.peers) peer.ws.terminate();
  }

  private detach(peer: SignallingPeer): void {
    if (peer.closed) return;
    peer.closed = true;
    this.peers.delete(peer);
    for (const topic of peer.topics) this.removeFromTopic(peer, topic);
    peer.topics.clear();
  }

  private drop(reason: DropReason): void {
    this.metrics.drop(reason);
  }

  private onFrame(peer: SignallingPeer, data: Buffer, isBinary: boolean): void {
    this.metrics.messagesIn++;
    this.metrics.bytesIn += data.length;
    peer.alive = true;
    if (peer.closed) return;
    if (!this.takeToken(peer)) return;
    if (isBinary) return this.drop('binary-frame');
    let msg: unknown;
    try {
      msg = JSON.parse(data.toString('utf8'));
    } catch {
      return this.drop('malformed-json');
    }
    if (msg === null || typeof msg !== 'object' || Array.isArray(msg)) return this.drop('not-an-object');
    const m = msg as Record<string, unknown>;
    switch (m.type) {
      case 'subscribe':
        return this.subscribe(peer, m.topics);
      case 'unsubscribe':
        return this.unsubscribe(peer, m.topics);
      case 'publish':
        return this.publish(peer, m.topic, m.data);
      case 'ping':
        if (peer.ws.readyState === OPEN) this.send(peer, PONG_FRAME);
        return;
      default:
        return this.drop('unknown-type');
    }
  }

  /** Token bucket; drops the frame when empty and closes connections that keep flooding. */
  private takeToken(peer: SignallingPeer): boolean {
    const now = Date.now();
    const { maxMessagesPerSecond: rate, messageBurst: burst } = this.limits;
    peer.tokens = Math.min(burst, peer.tokens + ((now - peer.refilledAt) * rate) / 1000);
    peer.refilledAt = now;
    if (peer.tokens >= 1) {
      peer.tokens -= 1;
      return true;
    }
    this.drop('rate-limit');
    if (now - peer.floodWindowAt > 1000) {
      peer.floodWindowAt = now;
      peer.floodDrops = 0;
    }
    if (++peer.floodDrops >= this.limits.floodCloseAfter) {
      this.drop('flood');
      peer.ws.close(1008, 'message rate limit exceeded');
      this.detach(peer);
    }
    return false;
  }

  /** y-webrtc sends `topics` as an array of strings; a missing one means none (as the reference does). */
  private topicList(topics: unknown): unknown[] | null {
    if (topics === undefined) return [];
    if (!Array.isArray(topics)) {
      this.drop('bad-field');
      return null;
    }
    return topics;
  }

  private validTopic(topic: unknown): topic is string {
    if (typeof topic !== 'string' || topic.length === 0) {
      this.drop('bad-field');
      return false;
    }
    if (topic.length > this.limits.maxTopicLength) {
      this.drop('topic-too-long');
      return false;
    }
    return true;
  }

  private subscribe(peer: SignallingPeer, topics: unknown): void {
    const list = this.topicList(topics);
    if (!list) return;
    for (const topic of list) {
      if (!this.validTopic(topic) || peer.topics.has(topic)) continue;
      if (peer.grants && !peer.grants.has(topic)) {
        this.drop('unauthorized-topic');
        continue;
      }
      if (peer.topics.size >= this.limits.maxTopicsPerConnection) {
        this.drop('too-many-topics');
        continue;
      }
      peer.topics.add(topic);
      let subs = this.topics.get(topic);
      if (!subs) {
        subs = new Set();
        this.topics.set(topic, subs);
        this.bus.join(topic);
      }
      subs.add(peer);
    }
  }

  private unsubscribe(peer: SignallingPeer, topics: unknown): void {
    const list = this.topicList(topics);
    if (!list) return;
    for (const topic of list) {
      if (typeof topic === 'string' && peer.topics.delete(topic)) this.removeFromTopic(peer, topic);
    }
  }

  private removeFromTopic(peer: SignallingPeer, topic: string): void {
    const subs = this.topics.get(topic);
    if (!subs) return;
    subs.delete(peer);
    if (subs.size === 0) {
      this.topics.delete(topic);
      this.bus.leave(topic);
    }
  }

  private publish(peer: SignallingPeer, topic: unknown, data: unknown): void {
    if (!this.validTopic(topic)) return;
    // Only members of a room may speak in it: stops strangers from spamming rooms they never joined.
    if (!peer.topics.has(topic)) return this.drop('not-subscribed');
    let dataJson: string;
    try {
      dataJson = data === undefined ? 'null' : JSON.stringify(data);
    } catch {
      // JSON.parse accepts nesting deeper than JSON.stringify can recurse (RangeError).
      return this.drop('too-deep');
    }
    this.deliver(topic, dataJson);
    this.bus.publish(topic, dataJson);
  }

  private fromBus(topic: string, dataJson: string): void {
    this.metrics.busMessagesIn++;
    if (!this.topics.has(topic)) return;
    try {
      JSON.parse(dataJson);
    } catch {
      return this.drop('redis-malformed');
    }
    this.deliver(topic, dataJson);
  }

  /** Fans a publish out to the topic's local subscribers, encoding the frame once for all of them. */
  private deliver(topic: string, dataJson: string): void {
    const subs = this.topics.get(topic);
    if (!subs) return;
    const frame = Buffer.from(`{"type":"publish","topic":${JSON.stringify(topic)},"data":${dataJson},"clients":${subs.size}}`);
    for (const receiver of subs) {
      if (receiver.ws.readyState !== OPEN) continue;
      if (receiver.ws.bufferedAmount > this.limits.maxBufferedBytes) {
        this.drop('backpressure');
        continue;
      }
      this.send(receiver, frame);
    }
  }

  private send(peer: SignallingPeer, frame: Buffer): void {
    this.metrics.messagesOut++;
    this.metrics.bytesOut += frame.length;
    // A receiver often gets several messages in one tick (many peers of a room signalling at
    // once): corking until the tick ends turns them into one write instead of one syscall each.
    if (!peer.socket.writableCorked) {
      peer.socket.cork();
      if (this.corked.push(peer.socket) === 1) process.nextTick(this.uncorkAll);
    }
    peer.ws.send(frame, { binary: false });
  }

  /** Pings every connection; closes those that did not answer the previous ping (half-open sockets). */
  private sweep(): void {
    for (const peer of this.peers) {
      if (!peer.alive) {
        this.drop('ping-timeout');
        peer.ws.terminate();
        this.detach(peer);
        continue;
      }
      peer.alive = false;
      try {
        peer.ws.ping();
      } catch {
        this.drop('socket-error');
      }
    }
  }
}
