/**
 * Transform3D ⇄ translation, rotation (unit quaternion) and scale.
 *
 * A Godot Transform3D is held as scenesync stores it (docs/scene-model.md §Values): the nine basis
 * numbers in the order Godot's text format writes them — the basis *rows* — then the origin. The
 * stream carries TRS (docs/stream-protocol.md §Transforms); a basis with shear cannot be expressed and
 * comes out as its nearest rotation times the column lengths. The owner's settle commit writes the
 * exact transform, so shear is never lost from the document.
 */

/** Position, rotation and scale of a transform. Quaternion order is x, y, z, w. */
export interface TransformParts {
  position: [number, number, number];
  rotation: [number, number, number, number];
  scale: [number, number, number];
}

/**
 * Split a Transform3D (12 numbers, basis rows then origin) into position, rotation and scale.
 * A mirrored basis (negative determinant) is expressed with a negative X scale.
 */
export function decomposeTransform(t: ArrayLike<number>): TransformParts {
  // Columns of the basis are the node's local axes: column j = (row0[j], row1[j], row2[j]).
  const m00 = t[0]!, m01 = t[1]!, m02 = t[2]!;
  const m10 = t[3]!, m11 = t[4]!, m12 = t[5]!;
  const m20 = t[6]!, m21 = t[7]!, m22 = t[8]!;
  let sx = Math.hypot(m00, m10, m20);
  const sy = Math.hypot(m01, m11, m21);
  const sz = Math.hypot(m02, m12, m22);
  const det = m00 * (m11 * m22 - m12 * m21) - m01 * (m10 * m22 - m12 * m20) + m02 * (m10 * m21 - m11 * m20);
  if (det < 0) sx = -sx;
  const ix = sx === 0 ? 0 : 1 / sx, iy = sy === 0 ? 0 : 1 / sy, iz = sz === 0 ? 0 : 1 / sz;
  const r00 = m00 * ix, r01 = m01 * iy, r02 = m02 * iz;
  const r10 = m10 * ix, r11 = m11 * iy, r12 = m12 * iz;
  const r20 = m20 * ix, r21 = m21 * iy, r22 = m22 * iz;
  return {
    position: [t[9]!, t[10]!, t[11]!],
    rotation: quaternionFromRotationMatrix(r00, r01, r02, r10, r11, r12, r20, r21, r22),
    scale: [sx, sy, sz],
  };
}

/** Build a Transform3D (12 numbers, basis rows then origin) from position, rotation and scale. */
export function composeTransform(parts: TransformParts): number[] {
  const [x, y, z, w] = parts.rotation;
  const [sx, sy, sz] = parts.scale;
  const xx = x * x, yy = y * y, zz = z * z, xy = x * y, xz = x * z, yz = y * z, wx = w * x, wy = w * y, wz = w * z;
  return [
    (1 - 2 * (yy + zz)) * sx, 2 * (xy - wz) * sy, 2 * (xz + wy) * sz,
    2 * (xy + wz) * sx, (1 - 2 * (xx + zz)) * sy, 2 * (yz - wx) * sz,
    2 * (xz - wy) * sx, 2 * (yz + wx) * sy, (1 - 2 * (xx + yy)) * sz,
    parts.position[0], parts.position[1], parts.position[2],
  ];
}

/** Unit quaternion (x, y, z, w) of a pure rotation matrix given by rows. */
export function quaternionFromRotationMatrix(
  m00: number, m01: number, m02: number,
  m10: number, m11: number, m12: number,
  m20: number, m21: number, m22: number,
): [number, number, number, number] {
  // Shepperd's method: pick the largest diagonal term to stay numerically stable.
  const trace = m00 + m11 + m22;
  let x: number, y: number, z: number, w: number;
  if (trace > 0) {
    const s = 0.5 / Math.sqrt(trace + 1);
    w = 0.25 / s; x = (m21 - m12) * s; y = (m02 - m20) * s; z = (m10 - m01) * s;
  } else if (m00 > m11 && m00 > m22) {
    const s = 2 * Math.sqrt(1 + m00 - m11 - m22);
    w = (m21 - m12) / s; x = 0.25 * s; y = (m01 + m10) / s; z = (m02 + m20) / s;
  } else if (m11 > m22) {
    const s = 2 * Math.sqrt(1 + m11 - m00 - m22);
    w = (m02 - m20) / s; x = (m01 + m10) / s; y = 0.25 * s; z = (m12 + m21) / s;
  } else {
    const s = 2 * Math.sqrt(1 + m22 - m00 - m11);
    w = (m10 - m01) / s; x = (m02 + m20) / s; y = (m12 + m21) / s; z = 0.25 * s;
  }
  const n = Math.hypot(x, y, z, w) || 1;
  return [x / n, y / n, z / n, w / n];
}

/** Spherical interpolation between unit quaternions a and b at t ∈ [0, 1] (shortest arc). */
export function slerp(
  a: readonly number[],
  b: readonly number[],
  t: number,
): [number, number, number, number] {
  let bx = b[0]!, by = b[1]!, bz = b[2]!, bw = b[3]!;
  let cos = a[0]! * bx + a[1]! * by + a[2]! * bz + a[3]! * bw;
  if (cos < 0) { cos = -cos; bx = -bx; by = -by; bz = -bz; bw = -bw; }
  let ka: number, kb: number;
  if (cos > 0.9995) {
    // Nearly parallel: linear interpolation is exact enough and avoids dividing by sin ≈ 0.
    ka = 1 - t; kb = t;
  } else {
    const theta = Math.acos(cos);
    const sin = Math.sin(theta);
    ka = Math.sin((1 - t) * theta) / sin; kb = Math.sin(t * theta) / sin;
  }
  const x = ka * a[0]! + kb * bx, y = ka * a[1]! + kb * by, z = ka * a[2]! + kb * bz, w = ka * a[3]! + kb * bw;
  const n = Math.hypot(x, y, z, w) || 1;
  return [x / n, y / n, z / n, w / n];
}
