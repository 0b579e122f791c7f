/**
 * Godot animation curves → glTF sampler keys (docs/gltf-mapping.md G-ANIM-3).
 *
 * A {@link Curve} is one Godot track's keys in one value space (a vector, a quaternion, or Euler
 * angles). {@link sampleCurve} evaluates it at a time the way Godot's `Animation::_interpolate` does
 * (key lookup, loop wrap, per-key transition easing, nearest/linear/cubic, spherical cubic); {@link curveToSampler}
 * turns it into glTF keys: the Godot keys themselves where glTF's STEP or LINEAR reproduces Godot
 * exactly, plus samples at 1/{@link BAKE_FPS} s inside the segments where it does not (easing,
 * cubic, multi-axis Euler rotation), and keys at 0 and at `length` for a wrapping loop.
 */

/** Godot `Animation.InterpolationType`. */
export const enum Interp {
  Nearest = 0,
  Linear = 1,
  Cubic = 2,
  LinearAngle = 3,
  CubicAngle = 4,
}

/** What a curve's values are: 3 numbers lerped, a quaternion (x, y, z, w) slerped, or Euler angles (radians). */
export type CurveSpace = 'vector' | 'quaternion' | 'euler';

/** One Godot track's keys, in one value space. */
export interface Curve {
  readonly space: CurveSpace;
  /** Key times in seconds, strictly increasing. */
  readonly times: readonly number[];
  /** Godot per-key transition (1 linear, 0 hold, other: `Math::ease` exponent). */
  readonly transitions: readonly number[];
  /** `times.length × size` numbers (3, or 4 for quaternions). */
  readonly values: readonly number[];
  readonly interp: Interp;
  /** The animation's `length`. */
  readonly length: number;
  /** The animation loops linearly and the track wraps (`loop_wrap`): Godot interpolates from the last key to the first. */
  readonly wrap: boolean;
  /** Godot `EulerOrder` of the target node (`rotation_order`, default YXZ = 2) for Euler curves. */
  readonly eulerOrder: number;
}

/** Godot's default `bake_fps` of GLTFState, the rate at which its own exporter bakes cubic tracks. */
export const BAKE_FPS = 30;

/**
 * Most samples one track may get from resampling (about 55 minutes at 30 fps): a hostile `length` or
 * key time must not make the exporter allocate without bound. Above it, {@link curveToSampler} throws
 * {@link TooManySamples}, which the caller reports as invalid data (G-ANIM-6).
 */
export const MAX_SAMPLES_PER_TRACK = 100_000;

/** Thrown by {@link curveToSampler} when a track would need more than {@link MAX_SAMPLES_PER_TRACK} samples. */
export class TooManySamples extends Error {
  readonly code = 'TOO_MANY_SAMPLES';
}

/** glTF sampler data for one channel. */
export interface SamplerKeys {
  readonly interpolation: 'STEP' | 'LINEAR';
  readonly times: Float32Array;
  /** VEC3 (translation, scale) or VEC4 (rotation, unit quaternions). */
  readonly values: Float32Array;
  /** Segments that were sampled instead of keyed (0 when glTF reproduces the curve exactly at every time). */
  readonly bakedSegments: number;
}

const CMP_EPSILON = 1e-5;

/** Godot's `Math::ease(x, c)`. */
export function ease(x: number, c: number): number {
  if (x < 0) x = 0;
  else if (x > 1) x = 1;
  if (c > 0) return c < 1 ? 1 - Math.pow(1 - x, 1 / c) : Math.pow(x, c);
  if (c < 0) return x < 0.5 ? Math.pow(x * 2, -c) * 0.5 : (1 - Math.pow(1 - (x - 0.5) * 2, -c)) * 0.5 + 0.5;
  return 0;
}

/** Godot's `Math::cubic_interpolate_in_time` (Barry–Goldman). */
function cubicInTime(from: number, to: number, pre: number, post: number, w: number, toT: number, preT: number, postT: number): number {
  const lerp = (a: number, b: number, t: number): number => a + (b - a) * t;
  const t = lerp(0, toT, w);
  const a1 = lerp(pre, from, preT === 0 ? 0 : (t - preT) / -preT);
  const a2 = lerp(from, to, toT === 0 ? 0.5 : t / toT);
  const a3 = lerp(to, post, postT - toT === 0 ? 1 : (t - toT) / (postT - toT));
  const b1 = lerp(a1, a2, toT - preT === 0 ? 0 : (t - preT) / (toT - preT));
  const b2 = lerp(a2, a3, postT === 0 ? 1 : t / postT);
  return lerp(b1, b2, toT === 0 ? 0.5 : t / toT);
}

function slerp(a: readonly number[], b: readonly number[], t: number): number[] {
  let [bx, by, bz, bw] = b as [number, number, number, number];
  let cos = a[0]! * bx + a[1]! * by + a[2]! * bz + a[3]! * bw;
  if (cos < 0) {
    cos = -cos;
    bx = -bx; by = -by; bz = -bz; bw = -bw;
  }
  let s0: number, s1: number;
  if (1 - cos > CMP_EPSILON) {
    const omega = Math.acos(Math.min(1, cos));
    const sin = Math.sin(omega);
    s0 = Math.sin((1 - t) * omega) / sin;
    s1 = Math.sin(t * omega) / sin;
  } else {
    s0 = 1 - t;
    s1 = t;
  }
  return [s0 * a[0]! + s1 * bx, s0 * a[1]! + s1 * by, s0 * a[2]! + s1 * bz, s0 * a[3]! + s1 * bw];
}

type Q = [number, number, number, number];

const qmul = (a: readonly number[], b: readonly number[]): Q => [
  a[3]! * b[0]! + a[0]! * b[3]! + a[1]! * b[2]! - a[2]! * b[1]!,
  a[3]! * b[1]! - a[0]! * b[2]! + a[1]! * b[3]! + a[2]! * b[0]!,
  a[3]! * b[2]! + a[0]! * b[1]! - a[1]! * b[0]! + a[2]! * b[3]!,
  a[3]! * b[3]! - a[0]! * b[0]! - a[1]! * b[1]! - a[2]! * b[2]!,
];
const qinv = (q: readonly number[]): Q => [-q[0]!, -q[1]!, -q[2]!, q[3]!];
const qneg = (q: readonly number[]): Q => [-q[0]!, -q[1]!, -q[2]!, -q[3]!];
const qdot = (a: readonly number[], b: readonly number[]): number => a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]! + a[3]! * b[3]!;

/**
 * The sign Godot's `Basis(q).get_rotation_quaternion()` gives a unit quaternion (it "aligns flip
 * phases" before a spherical cubic): w > 0 when the matrix trace is positive, else the component of
 * the largest diagonal entry positive.
 */
function canonical(q: readonly number[]): Q {
  const l = Math.hypot(q[0]!, q[1]!, q[2]!, q[3]!) || 1;
  const [x, y, z, w] = q.map((c) => c / l) as Q;
  const d = [1 - 2 * (y * y + z * z), 1 - 2 * (x * x + z * z), 1 - 2 * (x * x + y * y)];
  const out: Q = [x, y, z, w];
  let i: number;
  if (d[0]! + d[1]! + d[2]! > 0) i = 3;
  else i = d[0]! < d[1]! ? (d[1]! < d[2]! ? 2 : 1) : d[0]! < d[2]! ? 2 : 0;
  return out[i]! < 0 ? qneg(out) : out;
}

/** Godot's `Quaternion::log`: the rotation vector (axis × angle) as a pure quaternion. */
function qlog(q: readonly number[]): Q {
  const w = Math.max(-1, Math.min(1, q[3]!));
  const angle = 2 * Math.acos(w);
  let ax = q[0]!, ay = q[1]!, az = q[2]!;
  if (Math.abs(w) <= 1 - CMP_EPSILON) {
    const r = 1 / Math.sqrt(1 - w * w);
    ax *= r; ay *= r; az *= r;
  }
  return [ax * angle, ay * angle, az * angle, 0];
}

/** Godot's `Quaternion::exp`. */
function qexp(q: readonly number[]): Q {
  const theta = Math.hypot(q[0]!, q[1]!, q[2]!);
  if (theta < CMP_EPSILON) return [0, 0, 0, 1];
  const s = Math.sin(theta / 2) / theta;
  return [q[0]! * s, q[1]! * s, q[2]! * s, Math.cos(theta / 2)];
}

/** Godot's `Quaternion::spherical_cubic_interpolate_in_time` (cubic in the exponential map around both ends, blended). */
function sphericalCubicInTime(from: readonly number[], to: readonly number[], pre: readonly number[], post: readonly number[], w: number, toT: number, preT: number, postT: number): number[] {
  const a = canonical(from);
  let p = canonical(pre), b = canonical(to), q = canonical(post);
  // Godot flips with `signbit`, which is true for -0 too.
  const signbit = (x: number): boolean => x < 0 || Object.is(x, -0);
  if (signbit(qdot(a, p))) p = qneg(p);
  const flip2 = signbit(qdot(a, b));
  if (flip2) b = qneg(b);
  const flip3 = flip2 ? qdot(b, q) <= 0 : signbit(qdot(b, q));
  if (flip3) q = qneg(q);
  const around = (base: Q): Q => {
    const inv = qinv(base);
    const lf = qlog(qmul(inv, a)), lt = qlog(qmul(inv, b)), lp = qlog(qmul(inv, p)), lq = qlog(qmul(inv, q));
    const ln: Q = [0, 1, 2].map((i) => cubicInTime(lf[i]!, lt[i]!, lp[i]!, lq[i]!, w, toT, preT, postT)).concat(0) as Q;
    return qmul(base, qexp(ln));
  };
  return slerp(around(a), around(b), w);
}

const sizeOf = (c: Curve): number => (c.space === 'quaternion' ? 4 : 3);
const keyValue = (c: Curve, i: number): number[] => c.values.slice(i * sizeOf(c), (i + 1) * sizeOf(c)) as number[];

/** The last key at or before `t` (-1 before the first), as Godot's `Animation::_find`. */
function findKey(times: readonly number[], t: number): number {
  let lo = 0, hi = times.length - 1, found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The curve's value at time `t`, as Godot's `Animation::_interpolate` computes it (in the curve's space). */
export function sampleCurve(c: Curve, t: number): number[] {
  const len = c.times.length;
  let idx = findKey(c.times, t);
  let next: number;
  let w = 0;
  if (c.wrap) {
    if (idx >= 0) {
      if (idx < len - 1) {
        next = idx + 1;
        const delta = c.times[next]! - c.times[idx]!;
        w = delta > CMP_EPSILON ? (t - c.times[idx]!) / delta : 0;
      } else {
        next = 0;
        const delta = c.length - c.times[idx]! + c.times[0]!;
        w = delta > CMP_EPSILON ? (t - c.times[idx]!) / delta : 0;
      }
    } else {
      idx = len - 1;
      next = 0;
      const endTime = Math.max(0, c.length - c.times[idx]!);
      const delta = endTime + c.times[0]!;
      w = delta > CMP_EPSILON ? (endTime + t) / delta : 0;
    }
  } else if (idx >= 0 && idx < len - 1) {
    next = idx + 1;
    const delta = c.times[next]! - c.times[idx]!;
    w = delta > CMP_EPSILON ? (t - c.times[idx]!) / delta : 0;
  } else if (idx < 0) {
    idx = next = 0;
  } else {
    next = idx;
  }
  const tr = c.transitions[idx]!;
  if (tr === 0 || idx === next || c.interp === Interp.Nearest) return keyValue(c, idx);
  if (tr !== 1) w = ease(w, tr);
  const a = keyValue(c, idx), b = keyValue(c, next);
  const cubic = c.interp === Interp.Cubic || c.interp === Interp.CubicAngle;
  if (c.space === 'quaternion' && !cubic) return slerp(a, b, w);
  // The angle variants act on float values only; Godot's Animation interpolates vectors with them as
  // with the plain ones.
  if (c.interp === Interp.Linear || c.interp === Interp.LinearAngle) return a.map((x, i) => x + (b[i]! - x) * w);
  // Cubic: neighbours and their times relative to key idx, wrapping like Godot's loop-wrap branch.
  let pre = idx - 1, post = next + 1;
  if (pre < 0) pre = c.wrap ? len - 1 : 0;
  if (post >= len) post = c.wrap ? 0 : next;
  const ti = c.times[idx]!;
  let preT: number, toT: number, postT: number;
  if (c.wrap) {
    preT = pre > idx ? -c.length + c.times[pre]! - ti : c.times[pre]! - ti;
    toT = next < idx ? c.length + c.times[next]! - ti : c.times[next]! - ti;
    postT = next < idx || post <= idx ? c.length + c.times[post]! - ti : c.times[post]! - ti;
  } else {
    preT = c.times[pre]! - ti;
    toT = c.times[next]! - ti;
    postT = c.times[post]! - ti;
  }
  const p = keyValue(c, pre), q = keyValue(c, post);
  if (c.space === 'quaternion') return sphericalCubicInTime(a, b, p, q, w, toT, preT, postT);
  return a.map((from, i) => cubicInTime(from, b[i]!, p[i]!, q[i]!, w, toT, preT, postT));
}

/** Quaternion (x, y, z, w) of Euler angles in Godot's `EulerOrder` (`Basis::from_euler`: R = first · second · third). */
export function eulerToQuaternion(e: readonly number[], order: number): [number, number, number, number] {
  const axis = (i: number): [number, number, number, number] => {
    const h = e[i]! / 2, s = Math.sin(h), c = Math.cos(h);
    return i === 0 ? [s, 0, 0, c] : i === 1 ? [0, s, 0, c] : [0, 0, s, c];
  };
  const mul = (a: readonly number[], b: readonly number[]): [number, number, number, number] => [
    a[3]! * b[0]! + a[0]! * b[3]! + a[1]! * b[2]! - a[2]! * b[1]!,
    a[3]! * b[1]! - a[0]! * b[2]! + a[1]! * b[3]! + a[2]! * b[0]!,
    a[3]! * b[2]! + a[0]! * b[1]! - a[1]! * b[0]! + a[2]! * b[3]!,
    a[3]! * b[3]! - a[0]! * b[0]! - a[1]! * b[1]! - a[2]! * b[2]!,
  ];
  // Godot EulerOrder: XYZ, XZY, YXZ, YZX, ZXY, ZYX.
  const orders = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
  const [i, j, k] = orders[order] ?? orders[2]!;
  return mul(mul(axis(i!), axis(j!)), axis(k!));
}

/** Is glTF's interpolation between keys `i` and `j` (values a → b) exactly Godot's for this segment? */
function segmentExact(c: Curve, from: number, a: readonly number[], b: readonly number[]): boolean {
  if (c.interp === Interp.Nearest) return true;
  const tr = c.transitions[from]!;
  const linear = c.interp === Interp.Linear || c.interp === Interp.LinearAngle;
  // Easing or a hold between equal values changes nothing.
  if (linear && a.every((x, i) => x === b[i])) return true;
  if (tr !== 1) return false;
  if (c.interp === Interp.Cubic || c.interp === Interp.CubicAngle) return false;
  if (c.space !== 'euler') return true;
  // Euler angles lerped by Godot, quaternions slerped by glTF: the same path when one angle changes by
  // less than half a turn (a rotation about one fixed axis, composed on either side), not otherwise.
  let changed = 0;
  for (let i = 0; i < 3; i++) {
    const d = b[i]! - a[i]!;
    if (d === 0) continue;
    if (Math.abs(d) >= Math.PI - 1e-6) return false;
    changed++;
  }
  return changed <= 1;
}

/**
 * glTF keys reproducing a curve over [0, length] (G-ANIM-3): STEP for nearest, LINEAR otherwise, with
 * Godot's own keys kept and segments that glTF cannot interpolate the same way sampled at
 * {@link BAKE_FPS}. A wrapping loop gets keys at 0 and at `length` (Godot's value there) so the
 * interpolation towards the first key is kept. Euler curves are written as quaternions.
 */
export function curveToSampler(c: Curve): SamplerKeys {
  const len = c.times.length;
  const points: number[] = [];
  let bakedSegments = 0;
  const push = (t: number): void => {
    if (points.length >= MAX_SAMPLES_PER_TRACK + len) throw new TooManySamples(`the track would need more than ${MAX_SAMPLES_PER_TRACK} samples`);
    const f = Math.fround(t);
    if (points.length === 0 || f > points[points.length - 1]!) points.push(f);
  };
  const step = 1 / BAKE_FPS;
  /** Adds the sample times strictly inside (t0, t1) for a segment glTF cannot reproduce. */
  const bake = (t0: number, t1: number, from: number): void => {
    bakedSegments++;
    // A hold (transition 0) needs only its end: the held value just before the next key.
    if (c.transitions[from] === 0 && c.interp !== Interp.Nearest) {
      const hold = t1 - Math.max(1e-4, Math.abs(t1) * 4e-7);
      if (hold > t0) push(hold);
      return;
    }
    if ((t1 - t0) * BAKE_FPS > MAX_SAMPLES_PER_TRACK) throw new TooManySamples(`a segment of ${t1 - t0} s would need more than ${MAX_SAMPLES_PER_TRACK} samples`);
    for (let k = Math.floor(t0 * BAKE_FPS) + 1; k * step < t1 - 1e-6; k++) if (k * step > t0 + 1e-6) push(k * step);
  };
  const wrapStart = c.wrap && c.times[0]! > 0;
  if (wrapStart) {
    push(0);
    if (!segmentExact(c, len - 1, keyValue(c, len - 1), keyValue(c, 0))) bake(0, c.times[0]!, len - 1);
  }
  for (let i = 0; i < len; i++) {
    push(c.times[i]!);
    if (i < len - 1) {
      if (!segmentExact(c, i, keyValue(c, i), keyValue(c, i + 1))) bake(c.times[i]!, c.times[i + 1]!, i);
    }
  }
  if (c.wrap && c.times[len - 1]! < c.length) {
    if (!segmentExact(c, len - 1, keyValue(c, len - 1), keyValue(c, 0))) bake(c.times[len - 1]!, c.length, len - 1);
    push(c.length);
  }
  const outSize = c.space === 'vector' ? 3 : 4;
  const values = new Float32Array(points.length * outSize);
  let prev: number[] | undefined;
  points.forEach((t, n) => {
    const key = findExact(c.times, t);
    let v = key >= 0 ? keyValue(c, key) : sampleCurve(c, t);
    if (c.space === 'euler') v = eulerToQuaternion(v, c.eulerOrder);
    if (outSize === 4) {
      const l = Math.hypot(v[0]!, v[1]!, v[2]!, v[3]!) || 1;
      v = v.map((x) => x / l);
      // Neighbouring quaternions in the same hemisphere: glTF's slerp then turns the short way, as Godot's.
      if (prev && prev[0]! * v[0]! + prev[1]! * v[1]! + prev[2]! * v[2]! + prev[3]! * v[3]! < 0) v = v.map((x) => -x);
      prev = v;
    }
    values.set(v, n * outSize);
  });
  return { interpolation: c.interp === Interp.Nearest ? 'STEP' : 'LINEAR', times: Float32Array.from(points), values, bakedSegments };
}

function findExact(times: readonly number[], t: number): number {
  const i = findKey(times, t);
  return i >= 0 && times[i] === t ? i : -1;
}
