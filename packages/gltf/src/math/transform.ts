/**
 * Godot `Transform3D` → glTF TRS.
 *
 * scenesync stores a Transform3D as the twelve numbers Godot's text format writes: the nine basis
 * numbers row by row (`xx, xy, xz, yx, yy, yz, zx, zy, zz`, so the node's local X axis is
 * `(v[0], v[3], v[6])`), then the origin. glTF wants translation, a unit quaternion and a scale, and has
 * no way to carry shear.
 */

/** x, y, z. */
export type Vec3 = [number, number, number];
/** Quaternion x, y, z, w (glTF order). */
export type Quat = [number, number, number, number];

/** The result of {@link transformToTrs}. */
export interface Trs {
  translation: Vec3;
  /** Unit quaternion `[x, y, z, w]`. */
  rotation: Quat;
  scale: Vec3;
  /**
   * How far the basis is from rotation × scale: the largest |cos| of the angle between two of its
   * axes (0 for a clean basis). Compare with `shearTolerance`.
   */
  shear: number;
  /** True when an axis had zero length or a component was not finite (written as scale 0 / identity). */
  degenerate: boolean;
}

const IDENTITY_TRS = (): Trs => ({
  translation: [0, 0, 0],
  rotation: [0, 0, 0, 1],
  scale: [1, 1, 1],
  shear: 0,
  degenerate: false,
});

const EPS = 1e-12;

function len(x: number, y: number, z: number): number {
  return Math.sqrt(x * x + y * y + z * z);
}

/**
 * Decomposes a Godot Transform3D (twelve numbers, basis rows then origin) into TRS the way Godot's
 * `Basis.get_scale()` / `get_rotation_quaternion()` do: scale = the axis lengths, all negated when the
 * basis mirrors (negative determinant); rotation = the orthonormalised axes. Shear is measured, not
 * kept (G-XFORM-2).
 */
export function transformToTrs(v: readonly number[]): Trs {
  if (v.length !== 12) return { ...IDENTITY_TRS(), degenerate: true };
  for (let i = 0; i < 12; i++) if (!Number.isFinite(v[i]!)) return { ...IDENTITY_TRS(), degenerate: true };
  // Columns of the basis = the node's local axes.
  let ax = v[0]!, ay = v[3]!, az = v[6]!;
  let bx = v[1]!, by = v[4]!, bz = v[7]!;
  let cx = v[2]!, cy = v[5]!, cz = v[8]!;
  const det = ax * (by * cz - bz * cy) - ay * (bx * cz - bz * cx) + az * (bx * cy - by * cx);
  const sign = det < 0 ? -1 : 1;
  let sa = len(ax, ay, az), sb = len(bx, by, bz), sc = len(cx, cy, cz);
  const degenerate = sa < EPS || sb < EPS || sc < EPS;
  const scale: Vec3 = [sign * sa, sign * sb, sign * sc];
  if (sa < EPS) sa = 0;
  if (sb < EPS) sb = 0;
  if (sc < EPS) sc = 0;
  // Unit axes of the rotation part (mirroring folded into the scale's sign).
  if (sa) { ax = (sign * ax) / sa; ay = (sign * ay) / sa; az = (sign * az) / sa; }
  if (sb) { bx = (sign * bx) / sb; by = (sign * by) / sb; bz = (sign * bz) / sb; }
  if (sc) { cx = (sign * cx) / sc; cy = (sign * cy) / sc; cz = (sign * cz) / sc; }
  let shear = 0;
  if (sa && sb) shear = Math.max(shear, Math.abs(ax * bx + ay * by + az * bz));
  if (sa && sc) shear = Math.max(shear, Math.abs(ax * cx + ay * cy + az * cz));
  if (sb && sc) shear = Math.max(shear, Math.abs(bx * cx + by * cy + bz * cz));
  if (!degenerate) {
    // The common case, in scalars (this runs once per node of large scenes): Gram-Schmidt from X.
    const d = bx * ax + by * ay + bz * az;
    let ux = bx - d * ax, uy = by - d * ay, uz = bz - d * az;
    const ul = Math.sqrt(ux * ux + uy * uy + uz * uz);
    if (ul > 1e-9) {
      ux /= ul; uy /= ul; uz /= ul;
      const wx = ay * uz - az * uy, wy = az * ux - ax * uz, wz = ax * uy - ay * ux;
      return { translation: [v[9]!, v[10]!, v[11]!], rotation: quatFromMatrix(ax, ay, az, ux, uy, uz, wx, wy, wz), scale, shear, degenerate };
    }
  }
  // Rebuild an orthonormal frame from what is there (Gram-Schmidt, X first, as Godot's orthonormalize).
  let r0: Vec3, r1: Vec3, r2: Vec3;
  if (sa) r0 = [ax, ay, az];
  else if (sb && sc) r0 = normalize(cross([bx, by, bz], [cx, cy, cz]));
  else r0 = [1, 0, 0];
  let t: Vec3 = sb ? [bx, by, bz] : sc ? cross([cx, cy, cz], r0) : anyPerpendicular(r0);
  const d = dot(t, r0);
  t = [t[0] - d * r0[0], t[1] - d * r0[1], t[2] - d * r0[2]];
  if (len(t[0], t[1], t[2]) < 1e-9) t = anyPerpendicular(r0);
  r1 = normalize(t);
  r2 = cross(r0, r1);
  return {
    translation: [v[9]!, v[10]!, v[11]!],
    rotation: quatFromAxes(r0, r1, r2),
    scale,
    shear,
    degenerate,
  };
}

function dot(a: Vec3, b: Vec3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}
function cross(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}
function normalize(a: Vec3): Vec3 {
  const l = len(a[0], a[1], a[2]);
  return l < EPS ? [1, 0, 0] : [a[0] / l, a[1] / l, a[2] / l];
}
function anyPerpendicular(a: Vec3): Vec3 {
  const helper: Vec3 = Math.abs(a[0]) < 0.9 ? [1, 0, 0] : [0, 1, 0];
  return normalize(cross(a, helper));
}

/** Unit quaternion `[x, y, z, w]` of the rotation whose columns are the unit axes x, y, z. */
export function quatFromAxes(x: Vec3, y: Vec3, z: Vec3): Quat {
  return quatFromMatrix(x[0], x[1], x[2], y[0], y[1], y[2], z[0], z[1], z[2]);
}

/** {@link quatFromAxes} on the nine numbers of the three columns (no arrays on the hot path). */
function quatFromMatrix(m00: number, m10: number, m20: number, m01: number, m11: number, m21: number, m02: number, m12: number, m22: number): Quat {
  const trace = m00 + m11 + m22;
  let qx: number, qy: number, qz: number, qw: number;
  if (trace > 0) {
    const s = 0.5 / Math.sqrt(trace + 1);
    qw = 0.25 / s;
    qx = (m21 - m12) * s;
    qy = (m02 - m20) * s;
    qz = (m10 - m01) * s;
  } else if (m00 > m11 && m00 > m22) {
    const s = 2 * Math.sqrt(1 + m00 - m11 - m22);
    qw = (m21 - m12) / s;
    qx = 0.25 * s;
    qy = (m01 + m10) / s;
    qz = (m02 + m20) / s;
  } else if (m11 > m22) {
    const s = 2 * Math.sqrt(1 + m11 - m00 - m22);
    qw = (m02 - m20) / s;
    qx = (m01 + m10) / s;
    qy = 0.25 * s;
    qz = (m12 + m21) / s;
  } else {
    const s = 2 * Math.sqrt(1 + m22 - m00 - m11);
    qw = (m10 - m01) / s;
    qx = (m02 + m20) / s;
    qy = (m12 + m21) / s;
    qz = 0.25 * s;
  }
  const l = Math.sqrt(qx * qx + qy * qy + qz * qz + qw * qw);
  return [qx / l, qy / l, qz / l, qw / l];
}

/** True for the identity Transform3D (the default of every Node3D). */
export function isIdentityTransform(v: readonly number[]): boolean {
  return (
    v[0] === 1 && v[1] === 0 && v[2] === 0 &&
    v[3] === 0 && v[4] === 1 && v[5] === 0 &&
    v[6] === 0 && v[7] === 0 && v[8] === 1 &&
    v[9] === 0 && v[10] === 0 && v[11] === 0
  );
}

/**
 * Column-major 4×4 matrix (glTF / gl-matrix layout) of a Godot Transform3D, shear included. Used to
 * compare world transforms.
 */
export function transformToMatrix(v: readonly number[]): number[] {
  return [v[0]!, v[3]!, v[6]!, 0, v[1]!, v[4]!, v[7]!, 0, v[2]!, v[5]!, v[8]!, 0, v[9]!, v[10]!, v[11]!, 1];
}

/** Column-major 4×4 matrix of a TRS. */
export function trsToMatrix(t: readonly number[], r: readonly number[], s: readonly number[]): number[] {
  const [x, y, z, w] = r as [number, number, number, number];
  const x2 = x + x, y2 = y + y, z2 = z + z;
  const xx = x * x2, xy = x * y2, xz = x * z2, yy = y * y2, yz = y * z2, zz = z * z2;
  const wx = w * x2, wy = w * y2, wz = w * z2;
  const [sx, sy, sz] = s as [number, number, number];
  return [
    (1 - (yy + zz)) * sx, (xy + wz) * sx, (xz - wy) * sx, 0,
    (xy - wz) * sy, (1 - (xx + zz)) * sy, (yz + wx) * sy, 0,
    (xz + wy) * sz, (yz - wx) * sz, (1 - (xx + yy)) * sz, 0,
    t[0]!, t[1]!, t[2]!, 1,
  ];
}

/** Product of two column-major 4×4 matrices (a × b). */
export function multiplyMatrices(a: readonly number[], b: readonly number[]): number[] {
  const out = new Array<number>(16);
  for (let c = 0; c < 4; c++) {
    for (let r = 0; r < 4; r++) {
      let s = 0;
      for (let k = 0; k < 4; k++) s += a[k * 4 + r]! * b[c * 4 + k]!;
      out[c * 4 + r] = s;
    }
  }
  return out;
}
