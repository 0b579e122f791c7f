/**
 * The stream frame codec against docs/stream-protocol.md: seeded random round trips and hostile input.
 */
import { describe, expect, it } from 'vitest';
import {
  decodeStreamFrame,
  encodeStreamFrame,
  packRotation,
  positionExponentFor,
  RoomError,
  unpackRotation,
  type TransformRecord,
} from '../../src/index.js';
import { rng } from '../seeded.js';

const SEED = Number(process.env.SCENESYNC_SEED ?? 20261125);

function randomQuaternion(r: () => number): [number, number, number, number] {
  const q: [number, number, number, number] = [r() * 2 - 1, r() * 2 - 1, r() * 2 - 1, r() * 2 - 1];
  const n = Math.hypot(...q);
  return [q[0] / n, q[1] / n, q[2] / n, q[3] / n];
}

function randomRecords(r: () => number, count: number, range: number): TransformRecord[] {
  const out: TransformRecord[] = [];
  let handle = Math.floor(r() * 10);
  for (let i = 0; i < count; i++) {
    handle += 1 + Math.floor(r() * (r() < 0.9 ? 1 : 300));
    const kind = r();
    const s = 0.1 + r() * 5;
    out.push({
      handle,
      position: [(r() * 2 - 1) * range, (r() * 2 - 1) * range, (r() * 2 - 1) * range],
      rotation: randomQuaternion(r),
      scale: kind < 0.4 ? [1, 1, 1] : kind < 0.7 ? [s, s, s] : [s, 0.1 + r() * 5, -(0.1 + r() * 5)],
    });
  }
  return out;
}

/** Angle between two unit quaternions, in radians. */
function angle(a: readonly number[], b: readonly number[]): number {
  const d = Math.abs(a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]! + a[3]! * b[3]!);
  return 2 * Math.acos(Math.min(1, d));
}

describe('stream frame (docs/stream-protocol.md)', () => {
  it('S-ROT-1: smallest-three rotation round-trips within 0.5° for random quaternions', () => {
    const r = rng(SEED);
    let worst = 0;
    for (let i = 0; i < 20000; i++) {
      const q = randomQuaternion(r);
      worst = Math.max(worst, angle(q, unpackRotation(packRotation(q))));
    }
    expect(worst, `seed ${SEED}`).toBeLessThan((0.5 * Math.PI) / 180);
  });

  it('round-trips random frames: handles, definitions, positions within half a step, scale within 1/2048', () => {
    const r = rng(SEED + 1);
    for (let round = 0; round < 300; round++) {
      const range = 10 ** Math.floor(r() * 5 - 1);
      const records = randomRecords(r, 1 + Math.floor(r() * 120), range);
      const maxAbs = Math.max(...records.flatMap((x) => x.position.map(Math.abs)));
      const e = positionExponentFor(maxAbs, -10);
      const definitions = records.filter(() => r() < 0.2).map((x) => ({ handle: x.handle, node: `n${x.handle}-ÿ` }));
      const frame = { sender: Math.floor(r() * 2 ** 32), time: Math.floor(r() * 2 ** 32), definitions, positionExponent: e, records };
      const decoded = decodeStreamFrame(encodeStreamFrame(frame));
      expect(decoded.sender).toBe(frame.sender);
      expect(decoded.time).toBe(frame.time);
      expect(decoded.definitions).toEqual(definitions);
      expect(decoded.records.map((x) => x.handle)).toEqual(records.map((x) => x.handle));
      const step = 2 ** e;
      for (const [i, rec] of decoded.records.entries()) {
        const src = records[i]!;
        for (let k = 0; k < 3; k++) {
          expect(Math.abs(rec.position[k]! - src.position[k]!), `seed ${SEED + 1} round ${round}`).toBeLessThanOrEqual(step / 2 + 1e-12);
          expect(Math.abs(rec.scale[k]! - src.scale[k]!)).toBeLessThanOrEqual(1 / 2048 + 1e-12);
        }
        expect(angle(rec.rotation, src.rotation)).toBeLessThan(0.01);
      }
    }
  });

  it('S-REC: a record costs at most 12 bytes (no scale, handles below 2^14 or consecutive)', () => {
    const records: TransformRecord[] = Array.from({ length: 100 }, (_, i) => ({
      handle: 900 + i, position: [i * 0.01, 1, -3], rotation: [0, 0, 0, 1], scale: [1, 1, 1],
    }));
    const bytes = encodeStreamFrame({ sender: 123456789, time: 1000, definitions: [], positionExponent: -10, records });
    // 100 records: the first with a 2-byte handle gap, the rest 1 byte; 10 bytes of pose each.
    expect(bytes.length).toBeLessThanOrEqual(12 + 100 * 11);
  });

  it('S-VERSION and S-HOSTILE: any malformed frame throws RoomError BAD_FRAME, never anything else', () => {
    const good = encodeStreamFrame({
      sender: 7, time: 9, definitions: [{ handle: 0, node: 'abc' }], positionExponent: -8,
      records: [{ handle: 0, position: [1, 2, 3], rotation: [0, 0, 0, 1], scale: [2, 2, 2] }],
    });
    const badVersion = good.slice(); badVersion[0] = 2;
    expect(() => decodeStreamFrame(badVersion)).toThrow(/version 2 is not supported/);
    const r = rng(SEED + 2);
    let rejected = 0;
    for (let i = 0; i < 5000; i++) {
      const mutated = good.slice(0, Math.floor(r() * (good.length + 4)));
      for (let k = 0; k < 3; k++) if (mutated.length) mutated[Math.floor(r() * mutated.length)] = Math.floor(r() * 256);
      try {
        const f = decodeStreamFrame(mutated);
        // Decoding may succeed on a mutation that stays well-formed; it must then be a sane frame.
        expect(f.records.every((x) => x.rotation.every(Number.isFinite) && x.position.every(Number.isFinite))).toBe(true);
      } catch (e) {
        expect(e, `seed ${SEED + 2} iteration ${i}`).toBeInstanceOf(RoomError);
        expect((e as RoomError).code).toBe('BAD_FRAME');
        rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(1000);
    expect(() => decodeStreamFrame(new Uint8Array([1, 1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80]))).toThrow(RoomError);
    expect(() => decodeStreamFrame(new Uint8Array([1, 1, 1, 1, 0, 0, 200]))).toThrow(RoomError);
  });

  it('refuses to encode what it cannot represent (typed error, nothing sent)', () => {
    const base = { sender: 1, time: 1, definitions: [], positionExponent: -10 };
    expect(() => encodeStreamFrame({ ...base, records: [{ handle: 0, position: [40, 0, 0], rotation: [0, 0, 0, 1], scale: [1, 1, 1] }] }))
      .toThrow(/choose a larger exponent/);
    expect(() => encodeStreamFrame({ ...base, records: [{ handle: 0, position: [0, 0, 0], rotation: [0, 0, 0, 0], scale: [1, 1, 1] }] }))
      .toThrow(RoomError);
    expect(() => encodeStreamFrame({ ...base, records: [
      { handle: 3, position: [0, 0, 0], rotation: [0, 0, 0, 1], scale: [1, 1, 1] },
      { handle: 3, position: [0, 0, 0], rotation: [0, 0, 0, 1], scale: [1, 1, 1] },
    ] })).toThrow(/strictly increasing/);
    expect(() => encodeStreamFrame({ ...base, definitions: [{ handle: 0, node: 'x'.repeat(65) }], records: [] })).toThrow(RoomError);
  });

  it('S-POS-2: positionExponentFor picks the finest step that fits', () => {
    expect(positionExponentFor(0, -10)).toBe(-10);
    expect(positionExponentFor(31.9, -10)).toBe(-10);
    expect(positionExponentFor(32.1, -10)).toBe(-9);
    expect(positionExponentFor(5000, -10)).toBe(-2);
  });
});
