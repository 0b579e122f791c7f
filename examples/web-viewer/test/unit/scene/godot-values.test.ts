import { describe, expect, it } from 'vitest';
import { Matrix4, Quaternion, Vector3 } from 'three';
import { colorProp, composeTransform3d, matrix4ToTransform3d, transform3dToMatrix4 } from '../../../src/scene/godot-values.js';

describe('Transform3D ⇄ Matrix4', () => {
  it('reads the twelve numbers as basis rows then origin: the node X axis is (v[0], v[3], v[6])', () => {
    // A node turned 90° about Y: its local X axis points to world -Z, its Z axis to world +X.
    const v = [0, 0, 1, 0, 1, 0, -1, 0, 0, 5, 6, 7];
    const m = transform3dToMatrix4(v);
    const xAxis = new Vector3();
    const yAxis = new Vector3();
    const zAxis = new Vector3();
    m.extractBasis(xAxis, yAxis, zAxis);
    expect(xAxis.toArray()).toEqual([0, 0, -1]);
    expect(zAxis.toArray()).toEqual([1, 0, 0]);
    expect(new Vector3().setFromMatrixPosition(m).toArray()).toEqual([5, 6, 7]);
    // A point on the local X axis lands on world -Z (plus origin).
    expect(new Vector3(1, 0, 0).applyMatrix4(m).toArray()).toEqual([5, 6, 6]);
  });

  it('round-trips through Matrix4 and through position/rotation/scale', () => {
    const q = new Quaternion().setFromAxisAngle(new Vector3(1, 2, 3).normalize(), 0.7);
    const twelve = composeTransform3d(new Vector3(1, -2, 3), q, new Vector3(2, 0.5, 1.5));
    const back = matrix4ToTransform3d(transform3dToMatrix4(twelve));
    back.forEach((n, i) => expect(n).toBeCloseTo(twelve[i]!, 12));
    const m = new Matrix4().compose(new Vector3(1, -2, 3), q, new Vector3(2, 0.5, 1.5));
    matrix4ToTransform3d(m).forEach((n, i) => expect(n).toBeCloseTo(twelve[i]!, 12));
  });
});

describe('colours', () => {
  it('converts Godot sRGB colours to three.js linear colours', () => {
    const { color, alpha } = colorProp({ type: 'Color', value: [0.5, 0, 1, 0.25] }, [1, 1, 1, 1]);
    expect(color.r).toBeCloseTo(0.214, 3); // sRGB 0.5 ≈ linear 0.214
    expect(color.g).toBe(0);
    expect(color.b).toBeCloseTo(1, 6);
    expect(alpha).toBe(0.25);
  });

  it('falls back to the default for a missing or malformed value', () => {
    expect(colorProp(undefined, [1, 1, 1, 1]).color.r).toBeCloseTo(1, 6);
    expect(colorProp({ type: 'Vector3', value: [0, 0, 0] }, [1, 1, 1, 1]).color.g).toBeCloseTo(1, 6);
  });
});
