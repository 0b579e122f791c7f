import { describe, expect, it } from 'vitest';
import { createRoomToken, verifyRoomToken } from '../../src/index.js';

describe('room tokens (HMAC-SHA256)', () => {
  const secret = 'a-long-room-secret';

  it('round-trips the room and the expiry', () => {
    const now = Date.UTC(2026, 0, 1);
    const token = createRoomToken(secret, 'my room/ü', 60, now);
    expect(verifyRoomToken(secret, token, now)).toEqual({ room: 'my room/ü', expires: now / 1000 + 60 });
  });

  it('refuses expired, forged, re-signed and malformed tokens', () => {
    const now = Date.UTC(2026, 0, 1);
    const token = createRoomToken(secret, 'r', 60, now);
    expect(verifyRoomToken(secret, token, now + 61_000)).toBeNull();
    expect(verifyRoomToken('another-secret', token, now)).toBeNull();
    const [, sig] = token.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ r: 'other', e: now / 1000 + 60 })).toString('base64url');
    expect(verifyRoomToken(secret, `${forgedPayload}.${sig}`, now)).toBeNull();
    for (const junk of ['', '.', 'abc', 'abc.', '.abc', 'x'.repeat(5000), `${token}x`]) {
      expect(verifyRoomToken(secret, junk, now)).toBeNull();
    }
    // A correctly signed payload that is not the expected shape.
    const odd = createRoomToken(secret, 'r', 60, now).replace(/^[^.]+/, Buffer.from('[1,2]').toString('base64url'));
    expect(verifyRoomToken(secret, odd, now)).toBeNull();
  });
});
