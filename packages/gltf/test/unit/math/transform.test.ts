import { describe, expect, it } from 'vitest';
import { transformToMatrix, transformToTrs, trsToMatrix } from '../../../src/math/transform.js';
import { randomTransform, rng, seeds } from '../../helpers/random.js';

const close = (a: number[], b: number[], eps: number) => a.every((x, i) => Math.abs(x - b[i]!) <= eps);

describe('Transform3D → TRS (G-XFORM-1)', () => {
  for (const seed of seeds(4)) {
    it(`rebuilds rotation × scale + translation exactly, mirrored bases included (seed ${seed})`, () => {
      const r = rng(seed);
      for (let i = 0; i < 500; i++) {
        const v = randomTransform(r, i % 3 === 0);
        const trs = transformToTrs(v);
        expect(trs.shear, `seed ${seed} #${i}`).toBeLessThan(1e-9);
        expect(Math.hypot(...trs.rotation), `seed ${seed}`).toBeCloseTo(1, 12);
        expect(close(trsToMatrix(trs.translation, trs.rotation, trs.scale), transformToMatrix(v), 1e-9), `seed ${seed} #${i}`).toBe(true);
      }
    });
  }

  it('reads the nine basis numbers as rows: the node X axis is (v0, v3, v6)', () => {
    // 90° about Z: X axis → +Y. Rows: [0 -1 0; 1 0 0; 0 0 1].
    const trs = transformToTrs([0, -1, 0, 1, 0, 0, 0, 0, 1, 1, 2, 3]);
    const m = trsToMatrix(trs.translation, trs.rotation, trs.scale);
    expect(close(m.slice(0, 3), [0, 1, 0], 1e-12)).toBe(true);
    expect(trs.translation).toEqual([1, 2, 3]);
    expect(trs.rotation[2]).toBeCloseTo(Math.SQRT1_2, 12);
  });

  it('folds a negative determinant into an all-negative scale, as Basis.get_scale() does', () => {
    const trs = transformToTrs([-2, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0]);
    expect(trs.scale).toEqual([-2, -1, -1]);
    expect(close(trsToMatrix(trs.translation, trs.rotation, trs.scale), transformToMatrix([-2, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0]), 1e-12)).toBe(true);
  });

  it('measures shear (G-XFORM-2) and keeps the X axis direction', () => {
    // Y axis leans towards X: columns X=(1,0,0), Y=(0.5,1,0), Z=(0,0,1).
    const trs = transformToTrs([1, 0.5, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0]);
    expect(trs.shear).toBeGreaterThan(0.4);
    expect(trs.rotation).toEqual([0, 0, 0, 1]);
  });

  it('survives zero-length axes and non-finite numbers (G-XFORM-3)', () => {
    const flat = transformToTrs([1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0]);
    expect(flat.degenerate).toBe(true);
    expect(flat.scale[1]).toBe(0);
    expect(Math.hypot(...flat.rotation)).toBeCloseTo(1, 12);
    const nan = transformToTrs([NaN, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0]);
    expect(nan.degenerate).toBe(true);
    expect(nan.rotation).toEqual([0, 0, 0, 1]);
  });
});
