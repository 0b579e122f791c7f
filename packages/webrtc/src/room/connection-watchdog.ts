/**
 * How a room's WebRTC connections get made and remade (docs/stream-protocol.md §Anti-entropy and
 * reconnection, rules ). y-webrtc opens a connection to every peer whose announce it hears
 * and never retries one that fails to come up; this module decides who opens, and tears down what hangs.
 *
 * Why: when two peers join at once each hears the other's announce and both open (offer glare).
 * y-webrtc's glare check compares tokens that exist only once a peer has sent its own offer, so an
 * offer that arrives before then is fed into the peer's own offering connection, which then fails
 * (`setLocalDescription` in `have-remote-offer`) and is destroyed. The other side's trailing ICE
 * candidates make y-webrtc create an answering connection with no offer, which waits forever, while
 * the first side waits forever for its answer; y-webrtc ignores announces from a peer it has any
 * connection object for, so nothing moves until a timeout (measured: 1 room in ~15 under CPU load,
 * 10–31 s to recover with A-2 alone).
 */
import { publishAnnounce } from './signaling-guard.js';

/** What the watchdog needs of a y-webrtc `WebrtcProvider` (its `room` appears once the key is known). */
export interface WatchedProvider {
  readonly room: {
    readonly peerId: string;
    readonly webrtcConns: Map<string, WatchedConn>;
    readonly bcConns: Set<string>;
  } | null;
  readonly maxConns: number;
  readonly key: PromiseLike<CryptoKey | null>;
}

/** What the watchdog needs of a y-webrtc `WebrtcConn`. */
export interface WatchedConn {
  readonly connected: boolean;
  readonly closed: boolean;
  readonly peer: { destroy(): void };
}

/** Options of {@link ConnectionWatchdog}. */
export interface ConnectionWatchdogOptions {
  /** Room name (the signalling topic). */
  readonly room: string;
  /** First deadline for a connection to come up, ms; doubled per failed attempt to the same peer. */
  readonly connectTimeoutMs: number;
}

/** Doublings of `connectTimeoutMs` at most: 10 s grows to 20, 40, 80 s and stays there. */
const MAX_BACKOFF_STEPS = 3;

/**
 * Watches one room's y-webrtc connections. `admitAnnounce` is called by the signalling guard for every
 * announce; `check` periodically.
 */
export class ConnectionWatchdog {
  /** When each connection object was first seen not connected. */
  private readonly connectingSince = new WeakMap<WatchedConn, number>();
  /** Failed attempts per remote peer id since its last successful connection, and when the last failed (A-2 backoff). */
  private readonly failures = new Map<string, { count: number; at: number }>();
  /** Connections this watchdog destroyed (and their failures already counted). */
  private readonly destroyed = new WeakSet<WatchedConn>();
  /** Connections torn down because they hung, in total (diagnostics). */
  restarts = 0;

  constructor(private readonly provider: WatchedProvider, private readonly options: ConnectionWatchdogOptions) {}

  /** This peer's signalling id, once y-webrtc opened the room. */
  get peerId(): string | undefined {
    return this.provider.room?.peerId;
  }

  /**
   * Decide on an announce from `from` that came on `signalingConn` (after the guard checked its shape).
   * Returns whether y-webrtc may see it; y-webrtc opens a connection to an announcing peer it has none to.
   *
   * - between two peers only the one with the greater signalling id opens. An announce from a
   *   greater id we have no connection to is not passed on; instead this peer announces back to that
   *   peer alone (`to`), which makes it open — also a plain y-webrtc client, whose own code opens on
   *   any announce addressed to it.
   * - an announce from a peer whose connection here has been trying for more than half its
   *   deadline means that peer gave up its end (y-webrtc announces after every close): ours is
   *   destroyed now instead of at the deadline, and y-webrtc's close handler announces us again.
   */
  admitAnnounce(from: string, to: string | undefined, signalingConn: unknown): boolean {
    const room = this.provider.room;
    if (room === null || from === room.peerId || (to !== undefined && to !== room.peerId) || room.bcConns.has(from)) {
      return true; // y-webrtc ignores it anyway
    }
    const conn = room.webrtcConns.get(from);
    if (conn !== undefined && !conn.closed) {
      if (!conn.connected) {
        const since = this.connectingSince.get(conn);
        if (since !== undefined && Date.now() - since > this.deadlineFor(from) / 2) this.tearDown(from, conn);
      }
      return false; // y-webrtc would ignore it: it has a connection object
    }
    if (from > room.peerId) {
      if (room.webrtcConns.size < this.provider.maxConns) {
        void Promise.resolve(this.provider.key)
          .then((key) => publishAnnounce(signalingConn, this.options.room, room.peerId, key, from))
          .catch(() => { /* signalling gone; the next announce (reconnect) tries again */ });
      }
      return false;
    }
    return true;
  }

  /**
   * destroy connections that are not up by their deadline: `connectTimeoutMs`, doubled for each
   * attempt to the same peer that already failed (at most {@link MAX_BACKOFF_STEPS} times), so a slow
   * link is not cut off forever. y-webrtc's close handler then announces this peer again and A-4
   * decides who opens the next attempt.
   */
  check(now = Date.now()): void {
    const conns = this.provider.room?.webrtcConns;
    if (conns === undefined) return;
    // Forget the backoff of peers not tried for a long while (peers that left get new ids when they return).
    for (const [id, f] of this.failures) {
      if (!conns.has(id) && now - f.at > this.options.connectTimeoutMs * 2 ** (MAX_BACKOFF_STEPS + 1)) this.failures.delete(id);
    }
    for (const [id, conn] of conns) {
      if (conn.closed) continue;
      if (conn.connected) {
        this.connectingSince.delete(conn);
        this.failures.delete(id);
        continue;
      }
      const since = this.connectingSince.get(conn);
      if (since === undefined) { this.connectingSince.set(conn, now); continue; }
      if (now - since > this.deadlineFor(id)) this.tearDown(id, conn);
    }
  }

  /** The current deadline for a connection to `peerId` to come up, ms. */
  deadlineFor(peerId: string): number {
    return this.options.connectTimeoutMs * 2 ** Math.min(this.failures.get(peerId)?.count ?? 0, MAX_BACKOFF_STEPS);
  }

  private tearDown(peerId: string, conn: WatchedConn): void {
    if (this.destroyed.has(conn)) return;
    this.destroyed.add(conn);
    this.connectingSince.delete(conn);
    this.failures.set(peerId, { count: (this.failures.get(peerId)?.count ?? 0) + 1, at: Date.now() });
    this.restarts++;
    try { conn.peer.destroy(); } catch { /* already gone */ }
  }
}
