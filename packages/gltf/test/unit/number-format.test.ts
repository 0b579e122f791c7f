import { describe, expect, it } from 'vitest';
import { ByteWriter } from '../../src/write/byte-writer.js';

/** G-WRITE-4: numbers are written with 9 significant digits, exact for float32. */
function written(x: number): string {
  const w = new ByteWriter(8);
  w.number(x);
  return new TextDecoder().decode(w.finish());
}

/** mulberry32, so a failure replays. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('G-WRITE-4 number formatting', () => {
  it('writes short numbers exactly as JavaScript does', () => {
    for (const x of [0, -0, 1, -1, 3, 12, 12.5, 0.5, 0.1, 0.2, 0.3, -0.25, 1e7, 1e-5, 0.00123, 99999999, 12345678.5, 2.5e-5, 100, 1000, 0.001, 7.25, -1234.5678]) {
      expect(written(x)).toBe(String(x === 0 ? 0 : x));
    }
  });

  it('is valid JSON that reads back within 5e-9 relative, and exactly as float32, for any finite double', () => {
    const next = rng(42);
    const f32 = new Float32Array(1);
    for (let i = 0; i < 50_000; i++) {
      const magnitude = 10 ** (next() * 40 - 20);
      const x = (next() < 0.5 ? -1 : 1) * magnitude * next();
      const text = written(x);
      const back = JSON.parse(text) as number;
      if (x === 0) expect(back).toBe(0);
      else expect(Math.abs(back - x) / Math.abs(x), `${x} → ${text}`).toBeLessThanOrEqual(5e-9);
      f32[0] = x;
      const single = f32[0]!;
      expect(Math.fround(JSON.parse(written(single)) as number), `float32 ${single}`).toBe(single);
      // Never longer than JavaScript's own shortest form.
      expect(text.length, `${x}`).toBeLessThanOrEqual(String(x).length);
    }
  });

  it('keeps a double that has at most 9 significant digits exactly', () => {
    const next = rng(7);
    for (let i = 0; i < 50_000; i++) {
      const x = Number((next() * 10 ** Math.floor(next() * 12 - 4)).toPrecision(1 + Math.floor(next() * 9)));
      expect(JSON.parse(written(x))).toBe(x);
    }
  });
});
