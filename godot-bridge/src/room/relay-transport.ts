import WebSocket, { WebSocketServer } from 'ws';
import * as Y from 'yjs';
import type { SceneDoc } from '@scenesync/core';
import type { RoomConnection, RoomPeer, RoomTransport } from './room-transport.js';

/** Transaction origin of updates that arrived through the relay. */
export const RELAY_ORIGIN = Symbol('scenesync-relay');

/**
 * Joins a room through an {@link startUpdateRelay} hub at `url` (ws://127.0.0.1:P/<room>): every
 * local Yjs update is sent as one binary frame, every frame received is applied. On (re)connect the
 * whole local state is sent, and the hub answers with its whole state, so both sides converge.
 */
export function relayRoomTransport(url: string): RoomTransport {
  return {
    async join(scene: SceneDoc): Promise<RoomConnection> {
      const doc = scene.doc;
      let ws: WebSocket | null = null;
      let closed = false;
      let markSynced: () => void = () => undefined;
      const synced = new Promise<void>((r) => (markSynced = r));
      const onUpdate = (update: Uint8Array, origin: unknown): void => {
        if (origin !== RELAY_ORIGIN && ws?.readyState === WebSocket.OPEN) ws.send(update);
      };
      doc.on('update', onUpdate);
      const connect = (): void => {
        if (closed) return;
        const sock = new WebSocket(url);
        ws = sock;
        sock.binaryType = 'nodebuffer';
        sock.on('open', () => sock.send(Y.encodeStateAsUpdate(doc)));
        sock.on('message', (data: Buffer) => {
          try {
            Y.applyUpdate(doc, new Uint8Array(data), RELAY_ORIGIN);
            // The hub's first frame is its whole state.
            markSynced();
          } catch {
            // A malformed frame from the hub is dropped; the next full-state exchange repairs gaps.
          }
        });
        sock.on('error', () => undefined);
        sock.on('close', () => {
          if (!closed) setTimeout(connect, 300);
        });
      };
      connect();
      return {
        synced,
        stream: null,
        async leave() {
          closed = true;
          doc.off('update', onUpdate);
          ws?.close();
        },
        onPeers(_listener: (peers: readonly RoomPeer[]) => void) {
          // The relay has no presence.
        },
        setSelection(_ids: readonly string[]) {
          // Nor anyone to show a selection to.
        },
      };
    },
  };
}

/** A running update relay (see {@link startUpdateRelay}). */
export interface UpdateRelay {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * A minimal hub that merges the Yjs updates of every client of a path (the room) into its own Y.Doc
 * and forwards each update to the room's other clients. Loopback only. A stand-in for the WebRTC mesh
 * in tests and on machines without WebRTC; it is not the production transport.
 */
export async function startUpdateRelay(port = 0): Promise<UpdateRelay> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port, maxPayload: 64 * 1024 * 1024 });
  await new Promise<void>((resolve, reject) => {
    wss.once('listening', resolve);
    wss.once('error', reject);
  });
  const rooms = new Map<string, { doc: Y.Doc; clients: Set<WebSocket> }>();
  wss.on('connection', (ws, req) => {
    const name = req.url ?? '/';
    let room = rooms.get(name);
    if (!room) {
      room = { doc: new Y.Doc(), clients: new Set() };
      rooms.set(name, room);
    }
    const r = room;
    r.clients.add(ws);
    ws.send(Y.encodeStateAsUpdate(r.doc));
    ws.on('message', (data: Buffer, isBinary) => {
      if (!isBinary) return;
      const update = new Uint8Array(data);
      try {
        Y.applyUpdate(r.doc, update);
      } catch {
        return; // never forward what does not decode
      }
      for (const c of r.clients) if (c !== ws && c.readyState === WebSocket.OPEN) c.send(update);
    });
    ws.on('error', () => ws.terminate());
    ws.on('close', () => r.clients.delete(ws));
  });
  const address = wss.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => resolve());
      }),
  };
}
