/**
 * A filter in front of y-webrtc's signalling message handler (docs/stream-protocol.md §Signalling
 * guard, rules G-*).
 *
 * y-webrtc decrypts password-room signalling in a promise chain without a `catch`: one message from a
 * peer with another password rejects with `OperationError`, which crashes a Node process. It also trusts
 * message shapes (`data.signal.type`, an `answer` for an unknown peer). The guard checks every
 * `publish` for one of our rooms first — decrypting it with the room key when there is one — and
 * passes on only what y-webrtc can handle; the rest is dropped and reported. Messages keep their order.
 */
import * as buffer from 'lib0/buffer';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/** What the guard needs to know about one room. */
export interface GuardedRoom {
  /** The room key (resolved `provider.key`), null without a password. */
  readonly key: Promise<CryptoKey | null>;
  /** Whether y-webrtc has a connection object for this signalling peer id. */
  hasConnection(peerId: string): boolean;
  /**
   * A message was dropped because it was encrypted with another key, or not encrypted as expected.
   * `conn` is the signalling connection it came on (to answer on).
   */
  onPasswordMismatch(conn: any): void;
  /** A message was dropped because it was malformed. */
  onMalformed(reason: string): void;
}

interface ConnGuard {
  chain: Promise<void>;
  rooms: Map<string, GuardedRoom>;
}

const GUARDED = Symbol('scenesync.signalingGuard');
const guards = new WeakMap<object, ConnGuard>();

/**
 * Put the guard in front of a y-webrtc `SignalingConn` (idempotent) and register `room` under its topic.
 * Returns a function that unregisters the room.
 */
export function guardSignalingConn(conn: any, topic: string, room: GuardedRoom): () => void {
  let guard = guards.get(conn);
  if (guard === undefined) {
    guard = { chain: Promise.resolve(), rooms: new Map() };
    guards.set(conn, guard);
  }
  guard.rooms.set(topic, room);
  const observers: Map<string, Set<(...args: unknown[]) => void>> | undefined = conn._observers;
  const handlers = observers?.get('message');
  if (handlers !== undefined) {
    for (const handler of [...handlers]) {
      if ((handler as any)[GUARDED]) continue;
      const g = guard;
      const wrapped = (...args: unknown[]) => {
        // G-ORDER: one chain per connection, so offers and candidates reach y-webrtc in order.
        g.chain = g.chain.then(async () => {
          if (await admit(g, args[0], conn)) handler(...args);
        }).catch(() => {});
      };
      (wrapped as any)[GUARDED] = true;
      handlers.delete(handler);
      handlers.add(wrapped);
    }
  }
  return () => {
    if (guard!.rooms.get(topic) === room) guard!.rooms.delete(topic);
  };
}

async function admit(guard: ConnGuard, m: unknown, conn: any): Promise<boolean> {
  if (m === null || typeof m !== 'object') return false;
  const msg = m as { type?: unknown; topic?: unknown; data?: unknown };
  if (msg.type !== 'publish') return true; // y-webrtc ignores everything else
  if (typeof msg.topic !== 'string') return false;
  const room = guard.rooms.get(msg.topic);
  if (room === undefined) return true; // a room we did not open on this connection: y-webrtc drops it
  const key = await room.key;
  let data: unknown = msg.data;
  if (key !== null) {
    if (typeof data !== 'string') {
      // G-PASS-2: a peer without the password (plain JSON) in a password room.
      room.onPasswordMismatch(conn);
      return false;
    }
    try {
      data = await decryptJson(buffer.fromBase64(data), key);
    } catch {
      // G-PASS-1: encrypted with another password (OperationError) or garbage.
      room.onPasswordMismatch(conn);
      return false;
    }
  } else if (typeof data === 'string') {
    // G-PASS-2: a peer with a password in a room we joined without one.
    room.onPasswordMismatch(conn);
    return false;
  }
  const problem = checkSignal(data, room);
  if (problem === STALE_ANSWER) return false;
  if (problem !== null) {
    room.onMalformed(problem);
    return false;
  }
  return true;
}

/**
 * An answer for a connection y-webrtc no longer (or never) had: a normal outcome of its offer glare
 * race, on which y-webrtc would throw. Dropped silently.
 */
const STALE_ANSWER = 'stale answer';

/** G-SHAPE: the shapes y-webrtc dereferences without checking. */
function checkSignal(data: unknown, room: GuardedRoom): string | null {
  if (data === null || typeof data !== 'object') return 'signalling data is not an object';
  const d = data as { from?: unknown; to?: unknown; type?: unknown; signal?: unknown };
  if (typeof d.from !== 'string') return 'signalling data has no string "from"';
  if (d.to !== undefined && typeof d.to !== 'string') return '"to" is not a string';
  if (d.type === 'announce') return null;
  if (d.type !== 'signal') return `unknown signalling type ${String(d.type)}`;
  if (d.signal === null || typeof d.signal !== 'object') return '"signal" is not an object';
  const s = d.signal as { type?: unknown };
  if (s.type === 'answer' && !room.hasConnection(d.from)) return STALE_ANSWER;
  return null;
}

/**
 * G-PASS-3: publish `{ type: 'announce', from }` for a room, encrypted as y-webrtc does when there is a key.
 * A peer that just joined with another password hears nothing from the room otherwise (y-webrtc only
 * announces on connect), so it could never learn that its password is wrong.
 */
export async function publishAnnounce(conn: any, topic: string, from: string, key: CryptoKey | null): Promise<void> {
  const data = { type: 'announce', from };
  if (key === null) {
    conn.send({ type: 'publish', topic, data });
    return;
  }
  const plain = encoding.createEncoder();
  encoding.writeAny(plain, data);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const cipher = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, encoding.toUint8Array(plain) as Uint8Array<ArrayBuffer>);
  const envelope = encoding.createEncoder();
  encoding.writeVarString(envelope, 'AES-GCM');
  encoding.writeVarUint8Array(envelope, iv);
  encoding.writeVarUint8Array(envelope, new Uint8Array(cipher));
  conn.send({ type: 'publish', topic, data: buffer.toBase64(encoding.toUint8Array(envelope)) });
}

/** y-webrtc's encryption envelope: varString 'AES-GCM', varUint8Array iv, varUint8Array cipher; lib0 `any` inside. */
async function decryptJson(bytes: Uint8Array, key: CryptoKey): Promise<unknown> {
  const decoder = decoding.createDecoder(bytes);
  if (decoding.readVarString(decoder) !== 'AES-GCM') throw new Error('unknown algorithm');
  const iv = decoding.readVarUint8Array(decoder);
  const cipher = decoding.readVarUint8Array(decoder);
  const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: iv as Uint8Array<ArrayBuffer> }, key, cipher as Uint8Array<ArrayBuffer>);
  return decoding.readAny(decoding.createDecoder(new Uint8Array(plain)));
}
