/**
 * Every knob of `createServer` with its default, in one place (docs/self-hosting.md quotes this).
 */
export const DEFAULTS = {
  /** TCP port to listen on (0 picks a free one). */
  port: 4444,
  /** Interface to bind. Loopback by default: put a TLS reverse proxy in front for the internet. */
  host: '127.0.0.1',
  /** Directory of the GLB store (created when missing). May be shared by several instances. */
  dataDir: './data',
  /** Upload secret for PUT/DELETE (`Authorization: Bearer <token>`). Undefined: uploads refused. */
  token: undefined as string | undefined,
  /** Redis URL for scale-out (`redis://host:port`). Undefined: this instance signals alone. */
  redis: undefined as string | undefined,
  /** Prefix of the Redis pub/sub channels, so several deployments can share one Redis. */
  redisPrefix: 'scenesync:signal:',
  /** Largest accepted GLB upload in bytes (64 MiB). */
  maxUpload: 64 * 1024 * 1024,
  /** CORS: `undefined` sends no CORS headers, `'*'` or an origin allows browser pages elsewhere. */
  cors: undefined as string | undefined,
  /** Directory of the built web viewer served at `/`. Undefined: no viewer. */
  viewerDir: undefined as string | undefined,
  /**
   * HMAC-SHA256 secret for room-join tokens. When set, every WebSocket upgrade must carry at least
   * one valid `?room-token=` and a connection may only join the rooms its tokens name.
   */
  roomSecret: undefined as string | undefined,
  /** Largest accepted WebSocket frame in bytes; bigger frames close the connection (1009). */
  maxFrameBytes: 256 * 1024,
  /** Topics (rooms) one connection may be subscribed to at once. */
  maxTopicsPerConnection: 128,
  /** Longest accepted topic (room) name in characters. */
  maxTopicLength: 512,
  /** Sustained signalling messages per second per connection (token bucket refill rate). */
  maxMessagesPerSecond: 200,
  /** Burst size of the per-connection token bucket. */
  messageBurst: 1000,
  /** A connection that gets this many messages dropped for rate within one second is closed. */
  floodCloseAfter: 2000,
  /** Bytes queued towards one receiver beyond which messages to it are dropped (slow consumer). */
  maxBufferedBytes: 4 * 1024 * 1024,
  /** Milliseconds between WebSocket pings; a connection that missed the previous pong is closed. */
  pingInterval: 30_000,
  /** Milliseconds a client has to send complete request headers (slowloris guard). */
  headersTimeout: 10_000,
  /** Milliseconds a whole HTTP request (including an upload body) may take. */
  requestTimeout: 300_000,
  /** Milliseconds `close()` waits for running uploads before cutting connections. */
  shutdownTimeout: 30_000,
};

/** Options of {@link createServer}; every field is optional and falls back to {@link DEFAULTS}. */
export type ServerOptions = Partial<typeof DEFAULTS> & {
  /** Called with one line for operators (start banner, warnings). Default: console.log. */
  log?: (line: string) => void;
};

/** Options after defaults were applied. */
export type ResolvedOptions = typeof DEFAULTS & { log: (line: string) => void };
