/**
 * Anti-entropy (docs/stream-protocol.md §Anti-entropy, rule A-1): every `intervalMs` each peer sends
 * y-protocols sync step 1 (its state vector) to every connected peer over y-webrtc's own channel; the
 * peer answers with step 2 holding exactly what is missing. This is the message y-webrtc itself sends
 * on connect, so plain y-webrtc peers answer it too, and an update lost at connection start (or during a
 * partition) cannot keep two peers apart for longer than one interval after they can talk again.
 */
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import type * as Y from 'yjs';

/** y-webrtc's message type for sync messages. */
const MESSAGE_SYNC = 0;

function syncStep1Message(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  syncProtocol.writeSyncStep1(encoder, doc);
  return encoding.toUint8Array(encoder);
}

/** Send sync step 1 to one simple-peer instance of y-webrtc; false when it could not be sent. */
export function sendSyncStep1(peer: any, doc: Y.Doc): boolean {
  try {
    peer.send(syncStep1Message(doc));
    return true;
  } catch {
    return false;
  }
}

/** Send sync step 1 to every connected peer of a y-webrtc provider. Returns how many were sent. */
export function exchangeStateVectors(provider: any, doc: Y.Doc): number {
  const conns: Map<string, any> | undefined = provider.room?.webrtcConns;
  if (conns === undefined || conns.size === 0) return 0;
  const message = syncStep1Message(doc);
  let sent = 0;
  for (const conn of conns.values()) {
    if (!conn.connected || conn.closed) continue;
    try {
      conn.peer.send(message);
      sent++;
    } catch { /* channel closing; the next round or reconnect covers it */ }
  }
  return sent;
}
