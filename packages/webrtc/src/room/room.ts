/**
 * `joinRoom` and the `Room` it returns: a SceneDoc's document shared over y-webrtc, with presence, the
 * transform stream, anti-entropy and the signalling guard wired in.
 */
import { ObservableV2 } from 'lib0/observable';
import type { Awareness } from 'y-protocols/awareness';
import { RoomError } from '../errors.js';
import { Presence, colorForName } from '../presence/presence.js';
import { ensureWebSocket, loadYWebrtc, resolveWrtc } from '../runtime/node-runtime.js';
import { TransformStream, checkStreamOptions, type StreamScene } from '../stream/transform-stream.js';
import { exchangeStateVectors, sendSyncStep1 } from './anti-entropy.js';
import { ConnectionWatchdog } from './connection-watchdog.js';
import { DEFAULTS, type JoinRoomOptions, type RoomOptions } from './options.js';
import { releaseRoomName, reserveRoomName } from './registry.js';
import { guardSignalingConn, publishAnnounce, type GuardedRoom } from './signaling-guard.js';
import { StreamChannels } from './stream-channels.js';

/** What `joinRoom` needs of a scene: `@scenesync/core`'s `SceneDoc` fits. */
export type RoomScene = StreamScene;

/** Events of {@link Room}. */
export interface RoomEvents {
  /** Synced with every connected peer (`true`), or a new peer is not synced yet (`false`). */
  synced: (synced: boolean) => void;
  /** WebRTC peers came or went (signalling peer ids). */
  peers: (change: { added: string[]; removed: string[]; peers: string[] }) => void;
  /** Something went wrong that the room survived: a wrong password, malformed signalling. */
  error: (error: RoomError) => void;
}

/** How long a peer has to say hello before a held-back oversized message is reported, ms. */
const OVERSIZED_GRACE_MS = 5000;

/** How often one kind of error is reported at most, ms. */
const ERROR_REPORT_INTERVAL_MS = 5000;

/**
 * A joined room. Create with {@link joinRoom}; `leave()` when done.
 *
 * @example
 * const room = await joinRoom(scene, { room: 'demo', signaling: ['ws://localhost:4444'] });
 * await room.synced;
 * room.presence.on('join', p => console.log(p.name));
 */
export class Room extends ObservableV2<RoomEvents> {
  /** Resolves when this peer first synced with all connected peers. */
  readonly synced: Promise<void>;
  /** Presence of every peer (name, colour, kind, selection; join and leave events). */
  readonly presence: Presence;
  /** The ephemeral transform stream. */
  readonly stream: TransformStream;
  /** Errors the room survived, newest last (also emitted as `error`). */
  readonly errors: RoomError[] = [];
  private readonly channels: StreamChannels;
  private readonly timers: Array<ReturnType<typeof setInterval>> = [];
  private readonly unguards: Array<() => void> = [];
  private readonly lastReported = new Map<string, number>();
  private left = false;
  private isSyncedNow = false;
  private lastMismatchAnswer = -Infinity;
  /** Who opens connections, and what happens to ones that hang. */
  private readonly watchdog: ConnectionWatchdog;
  private readonly guardedConns = new WeakSet<object>();
  /** What the signalling guard knows of this room. */
  private readonly guarded: GuardedRoom;

  /** @internal use {@link joinRoom} */
  constructor(
    /** The scene whose document is shared. */
    readonly scene: RoomScene,
    /** The y-webrtc `WebrtcProvider` underneath (escape hatch; its API is y-webrtc's). */
    readonly provider: any,
    /** The options in force. */
    readonly options: RoomOptions,
  ) {
    super();
    let resolveSynced!: () => void;
    this.synced = new Promise((resolve) => { resolveSynced = resolve; });
    provider.on('synced', ({ synced }: { synced: boolean }) => {
      this.isSyncedNow = synced;
      if (synced) resolveSynced();
      this.emit('synced', [synced]);
    });
    provider.on('peers', ({ added, removed, webrtcPeers }: { added: string[]; removed: string[]; webrtcPeers: string[] }) => {
      this.channels.scan();
      this.emit('peers', [{ added, removed, peers: webrtcPeers }]);
    });
    this.presence = new Presence(provider.awareness, {
      name: options.name, kind: options.kind, color: options.color ?? colorForName(options.name),
    });
    this.stream = new TransformStream(scene, (bytes) => { this.channels.broadcast(bytes); }, options.stream);
    this.channels = new StreamChannels(provider, {
      channelId: options.streamChannelId,
      helloIntervalMs: 1000,
      silentAfterMs: options.silentPeerTimeoutMs,
      // C-SILENT: y-webrtc keeps a dead connection until ICE gives up (~30 s) and ignores the peer's
      // announces meanwhile, so one side may wait for the other forever; drop it and let y-webrtc
      // announce again.
      onPeerSilent: (peer) => {
        try { peer.destroy(); } catch { /* already gone */ }
      },
      onFrame: (bytes) => this.stream.receive(bytes),
      onPeerLive: (peer) => {
        this.stream.peerJoined();
        // now that large messages can travel (C-BULK), re-run sync with this peer at once: a
        // sync step 2 too large for y-webrtc's own channel may have been dropped before the hello.
        sendSyncStep1(peer, scene.doc);
      },
      onBadChunk: (reason) => this.report(new RoomError('BAD_FRAME', `Ignored a malformed bulk chunk: ${reason}.`)),
      onOversized: (peer, bytes) => {
        // A scenesync peer says hello within moments and gets the message chunked; only a peer
        // that stays silent (a plain y-webrtc client) is worth telling the user about.
        const timer = setTimeout(() => {
          if (this.left || this.channels.isLive(peer) || peer.destroyed) return;
          this.report(new RoomError('MESSAGE_TOO_LARGE',
            `A ${bytes}-byte sync message could not go to a peer without scenesync's bulk channel: data channels drop messages over ~256 KiB. ` +
            'A plain y-webrtc client cannot receive a document this large in one piece; join with @scenesync/webrtc instead.'));
        }, OVERSIZED_GRACE_MS);
        (timer as any).unref?.();
      },
    });
    this.presence.on('leave', (clientId) => this.stream.senderLeft(clientId));
    this.watchdog = new ConnectionWatchdog(provider, { room: options.room, connectTimeoutMs: options.connectTimeoutMs });
    this.guarded = {
      key: provider.key,
      peerId: () => this.watchdog.peerId,
      hasConnection: (id) => provider.room?.webrtcConns.has(id) ?? false,
      admitAnnounce: (from, to, conn) => !this.left && this.watchdog.admitAnnounce(from, to, conn),
      onPasswordMismatch: (conn) => {
        this.report(new RoomError('WRONG_PASSWORD',
          `A peer in room "${options.room}" uses a different password (or none); its messages are ignored. Check that every peer uses the same password.`));
        this.answerMismatch(conn);
      },
      onMalformed: (reason) => this.report(new RoomError('BAD_SIGNAL',
        `Ignored a malformed signalling message in room "${options.room}": ${reason}.`)),
    };
    this.guardSignaling();
    this.timers.push(setInterval(() => {
      this.guardSignaling();
      exchangeStateVectors(provider, scene.doc);
    }, options.antiEntropyIntervalMs));
    this.timers.push(setInterval(() => {
      this.channels.scan();
      this.watchdog.check();
    }, options.channelScanIntervalMs));
    for (const t of this.timers) (t as any).unref?.();
    this.stream.start();
  }

  /** The room name. */
  get name(): string {
    return this.options.room;
  }

  /** Signalling ids of the peers this one has a WebRTC connection to (connected ones). */
  get peers(): string[] {
    const conns: Map<string, any> | undefined = this.provider.room?.webrtcConns;
    if (!conns) return [];
    return [...conns.entries()].filter(([, c]) => c.connected).map(([id]) => id);
  }

  /** Whether this peer is synced with every connected peer right now. */
  get isSynced(): boolean {
    return this.isSyncedNow;
  }

  /** The y-protocols awareness of this room (presence lives in its `scenesync` field). */
  get awareness(): Awareness {
    return this.provider.awareness;
  }

  /**
   * How many WebRTC connection attempts this room tore down because they hung; each is
   * retried. Diagnostics: a steadily growing number means peers cannot reach each other.
   */
  get connectionRestarts(): number {
    return this.watchdog.restarts;
  }

  /** Number of peers whose stream channel is live. */
  get streamPeerCount(): number {
    return this.channels.liveCount;
  }

  /**
   * Run anti-entropy now: send this peer's state vector to every connected peer. Returns how many
   * peers it went to.
   */
  exchangeStateVectors(): number {
    return exchangeStateVectors(this.provider, this.scene.doc);
  }

  /**
   * Leave the room: commit streamed values not yet in the document, tell peers (presence leave),
   * close connections. The SceneDoc stays usable; join again any time.
   */
  async leave(): Promise<void> {
    if (this.left) return;
    this.left = true;
    for (const t of this.timers) clearInterval(t);
    for (const u of this.unguards) u();
    this.stream.destroy();
    this.channels.destroy();
    this.presence.destroy();
    this.provider.destroy();
    // y-webrtc frees the room name only after its key promise settles.
    await this.provider.key;
    await Promise.resolve();
    if (!this.options.isolated) releaseRoomName(this.options.room);
    super.destroy();
  }

  /** @internal report an error at most once per interval per code. */
  report(error: RoomError): void {
    const now = Date.now();
    if (now - (this.lastReported.get(error.code) ?? -Infinity) < ERROR_REPORT_INTERVAL_MS) return;
    this.lastReported.set(error.code, now);
    this.errors.push(error);
    if (this.errors.length > 50) this.errors.shift();
    this.emit('error', [error]);
  }

  /** G-PASS-3: announce ourselves so the other side's guard notices the mismatch too (rate-limited). */
  private answerMismatch(conn: any): void {
    const now = Date.now();
    if (now - this.lastMismatchAnswer < ERROR_REPORT_INTERVAL_MS || this.left) return;
    this.lastMismatchAnswer = now;
    const peerId = this.provider.room?.peerId;
    if (typeof peerId !== 'string') return;
    void Promise.resolve(this.provider.key)
      .then((key: CryptoKey | null) => publishAnnounce(conn, this.options.room, peerId, key))
      .catch(() => { /* connection gone; the next mismatch tries again */ });
  }

  /** Install the signalling guard on connections y-webrtc may have (re)created (idempotent). */
  private guardSignaling(): void {
    for (const conn of this.provider.signalingConns as object[]) {
      if (this.guardedConns.has(conn)) continue;
      this.guardedConns.add(conn);
      this.unguards.push(guardSignalingConn(conn, this.options.room, this.guarded));
    }
  }

}

/**
 * Join a room: share `scene`'s document with every peer in the room over WebRTC (y-webrtc), with
 * presence, the transform stream and anti-entropy. A plain y-webrtc client in the same room (same
 * password) sees and edits the same document.
 *
 * @returns the joined {@link Room} (already looking for peers; await `room.synced` to wait for one)
 * @throws RoomError `INVALID_OPTIONS` for a missing room name or signalling URL list,
 *   `ROOM_IN_USE` when this process already joined that room name (see `isolated`),
 *   `NO_WEBRTC` / `NO_WEBSOCKET` in Node without `@roamhq/wrtc` / `ws`
 *
 * @example
 * const room = await joinRoom(new SceneDoc(), { room: 'level-1', signaling: ['ws://127.0.0.1:4444'], name: 'Ada', kind: 'web' });
 */
export async function joinRoom(scene: RoomScene, options: JoinRoomOptions): Promise<Room> {
  const opts = checkOptions(scene, options);
  if (!opts.isolated) reserveRoomName(opts.room);
  try {
    await ensureWebSocket(opts.WebSocket);
    const wrtc = await resolveWrtc(opts.wrtc);
    const { WebrtcProvider } = await loadYWebrtc(opts.isolated);
    const peerOpts: Record<string, unknown> = {};
    if (wrtc !== undefined) peerOpts.wrtc = wrtc;
    if (opts.iceServers !== undefined) peerOpts.config = { iceServers: opts.iceServers };
    const provider = new WebrtcProvider(opts.room, scene.doc, {
      signaling: opts.signaling,
      password: opts.password ?? null,
      peerOpts,
      ...(opts.maxConns !== undefined ? { maxConns: opts.maxConns } : {}),
    } as any);
    try {
      return new Room(scene, provider, opts);
    } catch (e) {
      provider.destroy();
      throw e;
    }
  } catch (e) {
    if (!opts.isolated) releaseRoomName(opts.room);
    throw e;
  }
}

function checkOptions(scene: RoomScene, options: JoinRoomOptions): RoomOptions {
  if (!scene || typeof scene !== 'object' || !scene.doc || typeof (scene.doc as any).clientID !== 'number') {
    throw new RoomError('INVALID_OPTIONS', 'joinRoom needs a SceneDoc (an object with a Y.Doc in `doc`) as its first argument.');
  }
  if (!options || typeof options.room !== 'string' || options.room.length === 0) {
    throw new RoomError('INVALID_OPTIONS', 'joinRoom needs { room: "<name>" }: a non-empty room name.');
  }
  if (!Array.isArray(options.signaling) || options.signaling.length === 0 ||
      !options.signaling.every((u) => typeof u === 'string' && /^wss?:\/\/./.test(u))) {
    throw new RoomError('INVALID_OPTIONS', 'joinRoom needs { signaling: ["ws://host:port"] }: at least one ws:// or wss:// signalling URL (e.g. `scenesync serve`).');
  }
  if (options.password !== undefined && (typeof options.password !== 'string' || options.password.length === 0)) {
    throw new RoomError('INVALID_OPTIONS', 'password must be a non-empty string (omit it for an open room).');
  }
  if (options.kind !== undefined && !['godot', 'web', 'tool'].includes(options.kind)) {
    throw new RoomError('INVALID_OPTIONS', `kind must be 'godot', 'web' or 'tool', got ${String(options.kind)}.`);
  }
  const opts = { ...DEFAULTS, ...options, stream: checkStreamOptions({ ...DEFAULTS.stream, ...(options.stream ?? {}) }) } as RoomOptions;
  for (const k of ['antiEntropyIntervalMs', 'channelScanIntervalMs', 'connectTimeoutMs', 'silentPeerTimeoutMs'] as const) {
    if (!(typeof opts[k] === 'number' && opts[k] > 0)) throw new RoomError('INVALID_OPTIONS', `${k} must be a positive number of milliseconds.`);
  }
  if (!Number.isInteger(opts.streamChannelId) || opts.streamChannelId < 0 || opts.streamChannelId > 65534) {
    throw new RoomError('INVALID_OPTIONS', 'streamChannelId must be an integer SCTP stream id in 0..65534.');
  }
  return opts;
}
