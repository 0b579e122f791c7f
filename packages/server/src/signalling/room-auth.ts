import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Room-join tokens: `base64url(JSON {"r": room, "e": expiry-unix-seconds}) + "." + base64url(HMAC-SHA256)`.
 *
 * The server only holds the secret; whoever issues invitations (an app backend, or the CLI's
 * `room-token` command) signs a token per room. Clients put it in the signalling URL
 * (`ws://host:4444/?room-token=<token>`, repeatable for several rooms), which unmodified y-webrtc
 * clients pass along as is; the server checks it at the WebSocket upgrade.
 */
export interface RoomTokenClaims {
  /** The room (y-webrtc topic) the token admits to. */
  room: string;
  /** Expiry as Unix seconds. */
  expires: number;
}

/** Default lifetime of a room token: one day. */
export const ROOM_TOKEN_DEFAULT_TTL_SECONDS = 24 * 60 * 60;

function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

/**
 * Signs a token admitting its holder to `room` until `ttlSeconds` from now.
 * @example createRoomToken(process.env.SCENESYNC_ROOM_SECRET!, 'demo', 3600)
 */
export function createRoomToken(secret: string, room: string, ttlSeconds = ROOM_TOKEN_DEFAULT_TTL_SECONDS, now = Date.now()): string {
  const payload = Buffer.from(JSON.stringify({ r: room, e: Math.floor(now / 1000) + ttlSeconds })).toString('base64url');
  return `${payload}.${sign(secret, payload)}`;
}

/**
 * Checks a token's signature and expiry.
 * @returns the claims, or `null` for anything forged, expired or malformed (never throws).
 */
export function verifyRoomToken(secret: string, token: string, now = Date.now()): RoomTokenClaims | null {
  if (typeof token !== 'string' || token.length > 4096) return null;
  const dot = token.indexOf('.');
  if (dot <= 0) return null;
  const payload = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  const expected = Buffer.from(sign(secret, payload), 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { r?: unknown; e?: unknown };
    if (typeof claims.r !== 'string' || typeof claims.e !== 'number') return null;
    if (claims.e * 1000 < now) return null;
    return { room: claims.r, expires: claims.e };
  } catch {
    return null;
  }
}
