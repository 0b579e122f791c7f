import { randomBytes } from 'node:crypto';
import { WebSocketServer } from 'ws';
import type { SceneDoc } from '@scenesync/core';
import type { RoomStream } from '../room/room-transport.js';
import { BridgeSession } from './bridge-session.js';
import { StreamBridge } from './stream-bridge.js';

/** Options of {@link startBridgeServer}; defaults in {@link BRIDGE_SERVER_DEFAULTS}. */
export interface BridgeServerOptions {
  /** TCP port on 127.0.0.1; 0 picks a free one. */
  port: number;
  /** The per-session token the addon must present; generated (24 random bytes, hex) when null. */
  token: string | null;
  /** Largest accepted frame (B-NET-2). */
  maxPayload: number;
  /** `hello` is answered only once this resolves (the room caught up); null: at once. */
  ready: Promise<void> | null;
  /** The room's transform stream (B-STREAM); null: streamed transforms go to the document. */
  stream: RoomStream | null;
  /** Receives the addon's selection (B-PRESENCE-1); null: selections are accepted and dropped. */
  onSelect: ((ids: readonly string[]) => void) | null;
}

/** Defaults of {@link BridgeServerOptions}. */
export const BRIDGE_SERVER_DEFAULTS: BridgeServerOptions = { port: 0, token: null, maxPayload: 16 * 1024 * 1024, ready: null, stream: null, onSelect: null };

/** A running sidecar endpoint. */
export interface BridgeServer {
  readonly port: number;
  readonly token: string;
  /** Open sessions (handshaken or not). */
  readonly sessions: ReadonlySet<BridgeSession>;
  /** Sends a message to every session (presence). */
  broadcast(message: object): void;
  close(): Promise<void>;
}

/**
 * Serves the bridge protocol for `scene` on 127.0.0.1 only (B-NET-1). Resolves once listening.
 */
export async function startBridgeServer(scene: SceneDoc, options: Partial<BridgeServerOptions> = {}): Promise<BridgeServer> {
  const opts = { ...BRIDGE_SERVER_DEFAULTS, ...options };
  const token = opts.token ?? randomBytes(24).toString('hex');
  const wss = new WebSocketServer({ host: '127.0.0.1', port: opts.port, maxPayload: opts.maxPayload });
  await new Promise<void>((resolve, reject) => {
    wss.once('listening', resolve);
    wss.once('error', reject);
  });
  wss.on('error', () => {
    // Listening errors after start (none expected on loopback) must not take the sidecar down.
  });
  const sessions = new Set<BridgeSession>();
  // The latest presence list, for sessions that arrive after it was sent (B-CHANGES-2).
  let lastPeers: object | null = null;
  const streamBridge = new StreamBridge(scene, opts.stream, (message) => {
    for (const s of sessions) s.send(message);
  });
  wss.on('connection', (ws) => {
    const session = new BridgeSession(scene, { send: (t) => ws.send(t), close: (c, r) => ws.close(c, r) }, token, opts.ready, streamBridge, () => {
      if (lastPeers) session.send(lastPeers);
    }, (ids) => opts.onSelect?.(ids));
    sessions.add(session);
    ws.on('message', (data, isBinary) => {
      session.receive(isBinary ? '\u0000binary' : data.toString());
    });
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      sessions.delete(session);
      session.dispose();
    });
  });
  const address = wss.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  return {
    port,
    token,
    sessions,
    broadcast(message) {
      if ((message as { t?: string }).t === 'peers') lastPeers = message;
      for (const s of sessions) s.send(message);
    },
    close: () =>
      new Promise<void>((resolve) => {
        streamBridge.close();
        for (const c of wss.clients) c.terminate();
        wss.close(() => resolve());
      }),
  };
}
