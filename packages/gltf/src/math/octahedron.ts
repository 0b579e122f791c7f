/**
 * Decoders for the unit vectors Godot 4 packs into its mesh vertex stream (docs/gltf-mapping.md
 * G-MESH-8): octahedral normals, octahedral tangents with the binormal sign folded into `y`, and the
 * axis–angle form that ARRAY_FLAG_COMPRESS_ATTRIBUTES uses for a whole normal + tangent frame.
 * Written from the maths of Godot's core/math/vector3.cpp and servers/rendering_server.cpp
 * (`octahedron_decode`, `octahedron_tangent_decode`, `_get_tbn_from_axis_angle`); Godot computes in
 * 32-bit floats, so results are rounded to float32 where Godot's would be.
 */

const f = Math.fround;

/**
 * Unit vector of an octahedral pair (each coordinate in [0, 1], as a 16-bit unorm / 65535), written
 * to `out[at..at+2]`. Same result as Godot's `Vector3::octahedron_decode`.
 */
export function octahedronDecode(u: number, v: number, out: Float32Array, at: number): void {
  const fx = f(f(u * 2) - 1);
  const fy = f(f(v * 2) - 1);
  let x = fx;
  let y = fy;
  const z = f(f(1 - Math.abs(fx)) - Math.abs(fy));
  // Lower hemisphere: fold the square's corners back (t is how far below the equator z is).
  const t = Math.min(Math.max(-z, 0), 1);
  x = f(x >= 0 ? x - t : x + t);
  y = f(y >= 0 ? y - t : y + t);
  const len = Math.sqrt(x * x + y * y + z * z);
  if (len === 0) {
    out[at] = 0;
    out[at + 1] = 0;
    out[at + 2] = 0;
    return;
  }
  out[at] = x / len;
  out[at + 1] = y / len;
  out[at + 2] = z / len;
}

/**
 * Tangent of an octahedral tangent pair (`Vector3::octahedron_tangent_decode`): `v` carries the
 * binormal sign (upper half = +1) and the folded octahedral `y`. Writes x, y, z, sign to `out[at..at+3]`.
 */
export function octahedronTangentDecode(u: number, v: number, out: Float32Array, at: number): void {
  const y = f(f(v * 2) - 1);
  const sign = y >= 0 ? 1 : -1;
  octahedronDecode(u, Math.abs(y), out, at);
  out[at + 3] = sign;
}

/**
 * Normal and tangent of a compressed vertex (ARRAY_FLAG_COMPRESS_ATTRIBUTES): `axis` is a unit vector
 * (octahedral in the normal slot) and `angle` the 16-bit unorm stored in the position's w. The frame is
 * the rotation by |angle·2 − 1|·π about the axis; its first row is the tangent and its third the
 * normal; the binormal sign is + when angle > 0.5 (Godot's `_get_tbn_from_axis_angle`).
 */
export function axisAngleDecode(ax: number, ay: number, az: number, angle: number, normal: Float32Array, nAt: number, tangent: Float32Array, tAt: number): void {
  const sign = angle > 0.5 ? 1 : -1;
  const theta = f(f(Math.abs(f(f(angle * 2) - 1))) * f(Math.PI));
  const c = f(Math.cos(theta));
  const s = f(Math.sin(theta));
  const k = f(1 - c);
  // Rows 0 and 2 of the axis–angle rotation matrix (Rodrigues), as Basis(axis, angle) lays them out.
  tangent[tAt] = f(ax * ax + c * f(1 - ax * ax));
  tangent[tAt + 1] = f(f(ax * ay * k) - f(az * s));
  tangent[tAt + 2] = f(f(ax * az * k) + f(ay * s));
  tangent[tAt + 3] = sign;
  normal[nAt] = f(f(ax * az * k) - f(ay * s));
  normal[nAt + 1] = f(f(ay * az * k) + f(ax * s));
  normal[nAt + 2] = f(az * az + c * f(1 - az * az));
}
