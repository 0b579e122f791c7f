import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { WebSocketServer } from 'ws';
import { DEFAULTS, type ResolvedOptions, type ServerOptions } from './options.js';
import { ServerError } from './errors.js';
import { ServerMetrics } from './metrics/metrics.js';
import { LocalBus, type SignallingBus } from './signalling/bus.js';
import { RedisBus } from './signalling/redis-bus.js';
import { SignallingHub } from './signalling/hub.js';
import { verifyRoomToken } from './signalling/room-auth.js';
import { SnapshotStore } from './store/snapshot-store.js';
import { createRequestHandler } from './http/request-handler.js';

/** A running (or ready to run) scenesync server. */
export interface ScenesyncServer {
  /** Starts listening; resolves with the bound address (useful with `port: 0`). */
  listen(): Promise<AddressInfo>;
  /**
   * Graceful shutdown: stops accepting, lets running uploads finish (up to `shutdownTimeout`),
   * closes WebSockets with 1001, disconnects Redis. Safe to call twice.
   */
  close(): Promise<void>;
  /** The bound address once listening, else `null`. */
  readonly address: AddressInfo | null;
  /** Counters behind `/metrics`. */
  readonly metrics: ServerMetrics;
  /** The options in force after defaults. */
  readonly options: Readonly<ResolvedOptions>;
}

/** Temporary upload files older than this are left-overs of a crash (see SnapshotStore). */
const STALE_TEMP_AGE_MS = 60 * 60 * 1000;

function checkOptions(o: ResolvedOptions): void {
  const positive: (keyof ResolvedOptions)[] = [
    'maxUpload', 'maxFrameBytes', 'maxTopicsPerConnection', 'maxTopicLength', 'maxMessagesPerSecond',
    'messageBurst', 'floodCloseAfter', 'maxBufferedBytes', 'pingInterval', 'headersTimeout', 'requestTimeout',
  ];
  for (const key of positive) {
    const v = o[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
      throw new ServerError('bad_option', 0, `option ${key} must be a positive number, got ${String(v)}`);
    }
  }
  if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535) {
    throw new ServerError('bad_option', 0, `option port must be an integer 0..65535, got ${String(o.port)}`);
  }
  if (o.token !== undefined && o.token.length < 8) {
    throw new ServerError('bad_option', 0, 'upload token must have at least 8 characters; pick a long random secret');
  }
}

/**
 * Creates the signalling + GLB server. Nothing listens until {@link ScenesyncServer.listen}.
 *
 * @example
 * const server = createServer({ port: 0, dataDir: '/var/lib/scenesync', token: process.env.SCENESYNC_TOKEN });
 * const { port } = await server.listen();
 * // y-webrtc: new WebrtcProvider(room, doc, { signaling: [`ws://127.0.0.1:${port}`] })
 * @throws ServerError `bad_option` for an option out of range.
 */
export function createServer(options: ServerOptions = {}): ScenesyncServer {
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  const opts: ResolvedOptions = { ...DEFAULTS, log: (line: string) => console.log(line), ...defined };
  checkOptions(opts);
  const metrics = new ServerMetrics();
  const store = new SnapshotStore(resolve(opts.dataDir));
  const bus: SignallingBus = opts.redis
    ? new RedisBus(opts.redis, opts.redisPrefix, (err) => {
        metrics.redisErrors++;
        opts.log(`scenesync-server: redis: ${err.message}`);
      })
    : new LocalBus();
  const hub = new SignallingHub(opts, metrics, bus);
  const uploads = new Set<Promise<unknown>>();
  const track = <T>(work: Promise<T>): Promise<T> => {
    uploads.add(work);
    const done = () => uploads.delete(work);
    work.then(done, done);
    return work;
  };

  const http = createHttpServer(
    {
      headersTimeout: opts.headersTimeout,
      requestTimeout: opts.requestTimeout,
      // Node checks both timeouts only this often (30 s by default): slow senders would linger.
      connectionsCheckingInterval: Math.max(100, Math.min(5000, opts.headersTimeout / 2)),
    },
    createRequestHandler({
      store,
      metrics,
      token: opts.token,
      maxUpload: opts.maxUpload,
      track,
      cors: opts.cors,
      viewerDir: opts.viewerDir ? resolve(opts.viewerDir) : undefined,
      renderMetrics: () => metrics.render({ connections: hub.connectionCount, rooms: hub.roomCount }),
    }),
  );
  http.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    // Garbage instead of HTTP, or a request too slow: answer if we still can, then close both
    // directions (a half-close would let a slow sender keep the socket), never throw.
    const status = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
    if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`, () => socket.destroy());
    else socket.destroy();
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxFrameBytes, perMessageDeflate: false, clientTracking: false });
  let closing = false;
  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => metrics.drop('socket-error'));
    if (closing) return void socket.destroy();
    let grants: Set<string> | null = null;
    if (opts.roomSecret) {
      grants = new Set();
      let tokens: string[] = [];
      try {
        tokens = new URL(req.url ?? '/', 'http://x').searchParams.getAll('room-token');
      } catch {
        // An unparsable URL carries no token.
      }
      for (const token of tokens) {
        const claims = verifyRoomToken(opts.roomSecret, token);
        if (claims) grants.add(claims.room);
      }
      if (grants.size === 0) {
        metrics.drop('auth-rejected');
        const body = JSON.stringify({ error: 'unauthorized', message: 'this server requires a valid ?room-token=<token> to join rooms; ask the room owner for one' });
        socket.end(`HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
        return;
      }
    }
    wss.handleUpgrade(req, socket, head, (ws) => hub.attach(ws, socket, grants));
  });

  let closed: Promise<void> | null = null;
  const server: ScenesyncServer = {
    get address() {
      const a = http.address();
      return a && typeof a === 'object' ? a : null;
    },
    metrics,
    options: opts,
    async listen() {
      await mkdir(store.dataDir, { recursive: true });
      await store.removeStaleTemps(STALE_TEMP_AGE_MS);
      await new Promise<void>((ok, fail) => {
        http.once('error', fail);
        http.listen(opts.port, opts.host, () => {
          http.off('error', fail);
          ok();
        });
      });
      const busReady = await Promise.race([bus.ready().then(() => true), new Promise<boolean>((ok) => setTimeout(ok, 5000, false).unref())]);
      if (!busReady) opts.log(`scenesync-server: WARNING: Redis at ${opts.redis} not reachable yet; signalling stays local until it is`);
      const a = server.address!;
      opts.log(`scenesync-server: listening on http://${a.address}:${a.port} (signalling ws://${a.address}:${a.port}), data in ${store.dataDir}`);
      if (opts.token === undefined) opts.log('scenesync-server: uploads are DISABLED (no --token or SCENESYNC_TOKEN); downloads and signalling work');
      if (opts.roomSecret) opts.log('scenesync-server: room auth ON: WebSocket clients need ?room-token=<HMAC token>');
      if (opts.redis) opts.log(`scenesync-server: sharing signalling through Redis at ${opts.redis}`);
      return a;
    },
    close() {
      closed ??= (async () => {
        closing = true;
        const stopped = new Promise<void>((ok) => http.close(() => ok()));
        http.closeIdleConnections();
        hub.closeAll();
        const deadline = new Promise<void>((ok) => setTimeout(ok, opts.shutdownTimeout).unref());
        await Promise.race([Promise.allSettled([...uploads]), deadline]);
        http.closeIdleConnections();
        // Give close frames a moment to flush, then cut whatever is left (half-open sockets, slow readers).
        await new Promise((ok) => setTimeout(ok, 100));
        hub.terminateAll();
        http.closeAllConnections();
        await Promise.race([stopped, deadline]);
        wss.close();
        await bus.close();
      })();
      return closed;
    },
  };
  return server;
}
