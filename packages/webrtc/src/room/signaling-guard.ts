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
  /** This peer's signalling id in the room (undefined until y-webrtc opened it). */
  peerId(): string | undefined;
  /** Whether y-webrtc has a connection object for this signalling peer id. */
  hasConnection(peerId: string): boolean;
  /**
   * Whether y-webrtc may act on an announce from `from` (addressed to `to`, or to everyone), which came
   * on signalling connection `conn` (rules of the connection watchdog).
   */
  admitAnnounce(from: string, to: string | undefined, conn: unknown): boolean;
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
  const problem = checkSignal(data, room, conn);
  if (problem === STALE || problem === DECIDED) return false;
  if (problem !== null) {
    room.onMalformed(problem);
    return false;
  }
  return true;
}

/**
 * G-STALE: a signal other than an offer, addressed to this peer, from a peer y-webrtc has no connection
 * object for: what is left of a connection already gone (a glare loser, a timed-out attempt). y-webrtc
 * would throw on an answer, and for ICE candidates it would create an answering connection that waits
 * forever for an offer that went to the old one, and ignore that peer's announces meanwhile. Dropped
 * silently.
 */
const STALE = 'stale signal';

/** Offers admitted per room and sender: y-webrtc may still be creating their connection. */
const recentOffers = new WeakMap<GuardedRoom, Map<string, number>>();
/** How long after an offer its connection may still be missing, ms. */
const OFFER_IN_FLIGHT_MS = 2000;

/** An announce the connection watchdog dealt with itself. Dropped silently. */
const DECIDED = 'announce decided';

/** G-SHAPE: the shapes y-webrtc dereferences without checking; then G-STALE, A-4 and A-5. */
function checkSignal(data: unknown, room: GuardedRoom, conn: unknown): string | null {
  if (data === null || typeof data !== 'object') return 'signalling data is not an object';
  const d = data as { from?: unknown; to?: unknown; type?: unknown; signal?: unknown };
  if (typeof d.from !== 'string') return 'signalling data has no string "from"';
  if (d.to !== undefined && typeof d.to !== 'string') return '"to" is not a string';
  if (d.type === 'announce') return room.admitAnnounce(d.from, d.to, conn) ? null : DECIDED;
  if (d.type !== 'signal') return `unknown signalling type ${String(d.type)}`;
  if (d.signal === null || typeof d.signal !== 'object') return '"signal" is not an object';
  const s = d.signal as { type?: unknown };
  if (s.type === 'answer' && !room.hasConnection(d.from)) return STALE;
  if (d.to === undefined || d.to !== room.peerId()) return null; // y-webrtc ignores it
  let offers = recentOffers.get(room);
  if (offers === undefined) { offers = new Map(); recentOffers.set(room, offers); }
  const now = Date.now();
  if (s.type === 'offer') {
    offers.set(d.from, now);
    for (const [from, at] of offers) if (now - at > OFFER_IN_FLIGHT_MS) offers.delete(from);
    return null;
  }
  // In a password room y-webrtc creates the connection for an offer only after decrypting it again
  // itself, so a candidate right behind an admitted offer may find no connection yet: not stale.
  if (!room.hasConnection(d.from) && now - (offers.get(d.from) ?? -Infinity) > OFFER_IN_FLIGHT_MS) return STALE;
  return null;
}

/**
 * Publish `{ type: 'announce', from, to? }` for a room, encrypted as y-webrtc does when there is a key.
 * G-PASS-3: a peer that just joined with another password hears nothing from the room otherwise
 * (y-webrtc only announces on connect), so it could never learn that its password is wrong.
 * with `to`, only that peer acts on it (y-webrtc ignores announces addressed to others): it opens
 * a connection to `from`.
 */
export async function publishAnnounce(conn: any, topic: string, from: string, key: CryptoKey | null, to?: string): Promise<void> {
  const data = to === undefined ? { type: 'announce', from } : { type: 'announce', from, to };
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
