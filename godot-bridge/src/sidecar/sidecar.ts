import * as Y from 'yjs';
import { SceneDoc } from '@scenesync/core';
import type { RoomConnection, RoomTransport } from '../room/room-transport.js';
import { startBridgeServer, type BridgeServer, type BridgeServerOptions } from './bridge-server.js';

/** Options of {@link startSidecar}; defaults in {@link SIDECAR_DEFAULTS}. */
export interface SidecarOptions extends BridgeServerOptions {
  /** How to join the room; null: stay alone (the document still serves the addon). */
  transport: RoomTransport | null;
  /** The document to serve; a fresh SceneDoc when null. */
  scene: SceneDoc | null;
  /** Longest wait for the room's first sync before answering the addon anyway, ms. */
  roomSyncTimeoutMs: number;
}

/** Defaults of {@link SidecarOptions}. */
export const SIDECAR_DEFAULTS: SidecarOptions = { port: 0, token: null, maxPayload: 16 * 1024 * 1024, transport: null, scene: null, ready: null, stream: null, onSelect: null, roomSyncTimeoutMs: 5000 };

/** A running sidecar: the document, the addon endpoint and the room membership. */
export interface Sidecar {
  readonly scene: SceneDoc;
  readonly server: BridgeServer;
  readonly room: RoomConnection | null;
  close(): Promise<void>;
}

/**
 * Starts the sidecar: a SceneDoc served to the addon on 127.0.0.1 (docs/bridge-protocol.md) and,
 * when a transport is given, joined to the room. Presence changes are forwarded as `peers` messages,
 * and the addon's selection goes to the room's presence.
 */
export async function startSidecar(options: Partial<SidecarOptions> = {}): Promise<Sidecar> {
  const opts = { ...SIDECAR_DEFAULTS, ...options };
  const scene = opts.scene ?? new SceneDoc(new Y.Doc());
  const room = opts.transport ? await opts.transport.join(scene) : null;
  // A restarted sidecar answers its addon once it caught up with the room, or after the timeout
  // when it is alone (B-RESYNC).
  const ready = room
    ? Promise.race([room.synced, new Promise<void>((r) => setTimeout(r, opts.roomSyncTimeoutMs).unref())])
    : null;
  const server = await startBridgeServer(scene, { ...opts, ready, stream: room?.stream ?? null, onSelect: room ? (ids) => room.setSelection(ids) : null });
  room?.onPeers((peers) => server.broadcast({ t: 'peers', peers }));
  return {
    scene,
    server,
    room,
    async close() {
      await room?.leave();
      await server.close();
    },
  };
}
