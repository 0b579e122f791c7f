import { describe, expect, it } from 'vitest';
import type { Geometry } from '../../../src/mapping/geometry.js';
import { generatedGeometry, keptGeneratedGeometry } from '../../../src/mapping/generated-geometry.js';

/** A geometry whose one surface holds `bytes` bytes of positions. */
function geometryOf(bytes: number): Geometry {
  const positions = new Float32Array(bytes / 4);
  return { surfaces: [{ mode: 4, attributes: [['POSITION', 'VEC3', positions]], indices: undefined, material: undefined }], notes: [] };
}

describe('generated geometry kept per thread (G-MESH-10)', () => {
  it('makes a shape once and returns the kept one after', () => {
    let made = 0;
    const make = () => (made++, geometryOf(1200));
    const first = generatedGeometry('test|once', make);
    expect(generatedGeometry('test|once', make)).toBe(first);
    expect(made).toBe(1);
  });

  it('keeps at most 128 shapes, dropping the least recently used first', () => {
    const favourite = generatedGeometry('test|favourite', () => geometryOf(120));
    for (let i = 0; i < 300; i++) {
      generatedGeometry(`test|shape ${i}`, () => geometryOf(120));
      generatedGeometry('test|favourite', () => geometryOf(120)); // used all along: stays
    }
    expect(keptGeneratedGeometry().entries).toBeLessThanOrEqual(128);
    expect(generatedGeometry('test|favourite', () => geometryOf(120))).toBe(favourite);
    let remade = false;
    generatedGeometry('test|shape 0', () => ((remade = true), geometryOf(120)));
    expect(remade).toBe(true);
  });

  it('keeps at most 64 MiB, and never a shape over a quarter of that', () => {
    for (let i = 0; i < 12; i++) generatedGeometry(`test|big ${i}`, () => geometryOf(8 * 1024 * 1024));
    expect(keptGeneratedGeometry().bytes).toBeLessThanOrEqual(64 * 1024 * 1024);
    let made = 0;
    const huge = () => (made++, geometryOf(20 * 1024 * 1024));
    generatedGeometry('test|huge', huge);
    generatedGeometry('test|huge', huge);
    expect(made).toBe(2);
  });

  it('does not keep shapes whose key is too long to be worth it', () => {
    let made = 0;
    const key = `test|${'x'.repeat(5000)}`;
    generatedGeometry(key, () => (made++, geometryOf(12)));
    generatedGeometry(key, () => (made++, geometryOf(12)));
    expect(made).toBe(2);
  });
});
