import type { MeshArrays } from './mesh-arrays.js';

/**
 * CSG primitive shapes without boolean operations (G-CSG-1): the faces each CSG node builds for its
 * brush in modules/csg/csg_shape.cpp (`_build_brush`), turned into a mesh the way CSGShape3D does for a
 * lone shape: three vertices per face, flat faces with the face normal, smooth faces with the normal
 * averaged over the smooth faces meeting at that position.
 */
class FaceList {
  readonly points: number[] = [];
  readonly uvs: number[] = [];
  readonly smooth: boolean[] = [];

  face(a: V3, b: V3, c: V3, ua: V2, ub: V2, uc: V2, smooth: boolean): void {
    this.points.push(...a, ...b, ...c);
    this.uvs.push(...ua, ...ub, ...uc);
    this.smooth.push(smooth);
  }
}

type V3 = [number, number, number];
type V2 = [number, number];

/** CSGBox3D parameters. */
export interface CsgBoxParams {
  size: V3;
}
/** CSGSphere3D parameters. */
export interface CsgSphereParams {
  radius: number;
  radial_segments: number;
  rings: number;
  smooth_faces: boolean;
}
/** CSGCylinder3D parameters. */
export interface CsgCylinderParams {
  radius: number;
  height: number;
  sides: number;
  cone: boolean;
  smooth_faces: boolean;
}
/** CSGTorus3D parameters. */
export interface CsgTorusParams {
  inner_radius: number;
  outer_radius: number;
  sides: number;
  ring_sides: number;
  smooth_faces: boolean;
}

/** CSGBox3D: two triangles per side, flat. */
export function csgBox(p: CsgBoxParams): MeshArrays {
  const f = new FaceList();
  const [hx, hy, hz] = [p.size[0] / 2, p.size[1] / 2, p.size[2] / 2];
  const uvPoints: V2[] = [[0, 0], [0, 1], [1, 1], [1, 0]];
  for (let i = 0; i < 6; i++) {
    const fp: V3[] = [[0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0]];
    for (let j = 0; j < 4; j++) {
      const v1 = 1 - 2 * ((j >> 1) & 1);
      const v: V3 = [1, v1, v1 * (1 - 2 * (j & 1))];
      for (let k = 0; k < 3; k++) {
        if (i < 3) fp[j]![(i + k) % 3] = v[k]!;
        else fp[3 - j]![(i + k) % 3] = -v[k]!;
      }
    }
    const s = (q: V3): V3 => [q[0] * hx, q[1] * hy, q[2] * hz];
    f.face(s(fp[0]!), s(fp[1]!), s(fp[2]!), uvPoints[0]!, uvPoints[1]!, uvPoints[2]!, false);
    f.face(s(fp[2]!), s(fp[3]!), s(fp[0]!), uvPoints[2]!, uvPoints[3]!, uvPoints[0]!, false);
  }
  return toArrays(f);
}

/** CSGSphere3D: latitude rings from the top, no faces at the poles' degenerate corners. */
export function csgSphere(p: CsgSphereParams): MeshArrays {
  const f = new FaceList();
  const { radius, radial_segments: seg, rings } = p;
  const latStep = -Math.PI / rings;
  const lonStep = (Math.PI * 2) / seg;
  for (let i = 0; i < rings; i++) {
    let cos0 = 0, sin0 = 1;
    if (i > 0) {
      const lat0 = latStep * i + Math.PI / 2;
      cos0 = Math.cos(lat0);
      sin0 = Math.sin(lat0);
    }
    const v0 = i / rings;
    let cos1 = 0, sin1 = -1;
    if (i < rings - 1) {
      const lat1 = latStep * (i + 1) + Math.PI / 2;
      cos1 = Math.cos(lat1);
      sin1 = Math.sin(lat1);
    }
    const v1 = (i + 1) / rings;
    for (let j = 0; j < seg; j++) {
      const lon0 = lonStep * j;
      const lon1 = j === seg - 1 ? 0 : lonStep * (j + 1);
      const x0 = Math.sin(lon0), z0 = Math.cos(lon0);
      const x1 = Math.sin(lon1), z1 = Math.cos(lon1);
      const u0 = j / seg, u1 = (j + 1) / seg;
      const v: V3[] = [
        [x0 * cos0 * radius, sin0 * radius, z0 * cos0 * radius],
        [x1 * cos0 * radius, sin0 * radius, z1 * cos0 * radius],
        [x1 * cos1 * radius, sin1 * radius, z1 * cos1 * radius],
        [x0 * cos1 * radius, sin1 * radius, z0 * cos1 * radius],
      ];
      const u: V2[] = [[u0, v0], [u1, v0], [u1, v1], [u0, v1]];
      if (i > 0) f.face(v[0]!, v[1]!, v[2]!, u[0]!, u[1]!, u[2]!, p.smooth_faces);
      if (i < rings - 1) f.face(v[2]!, v[3]!, v[0]!, u[2]!, u[3]!, u[0]!, p.smooth_faces);
    }
  }
  return toArrays(f);
}

/** CSGCylinder3D (or cone): side quads (smooth when asked) and flat cap fans. */
export function csgCylinder(p: CsgCylinderParams): MeshArrays {
  const f = new FaceList();
  const { radius, height, sides, cone } = p;
  const mul = (q: V3): V3 => [q[0] * radius, q[1] * height * 0.5, q[2] * radius];
  for (let i = 0; i < sides; i++) {
    const inc = i / sides;
    const incN = i === sides - 1 ? 0 : (i + 1) / sides;
    const ang = inc * Math.PI * 2, angN = incN * Math.PI * 2;
    const b: V3 = [Math.cos(ang), 0, Math.sin(ang)];
    const bn: V3 = [Math.cos(angN), 0, Math.sin(angN)];
    const k = cone ? 0 : 1;
    const fp: V3[] = [
      [b[0], -1, b[2]],
      [bn[0], -1, bn[2]],
      [bn[0] * k, 1, bn[2] * k],
      [b[0] * k, 1, b[2] * k],
    ];
    const u: V2[] = [[inc, 0], [incN, 0], [incN, 1], [inc, 1]];
    f.face(mul(fp[0]!), mul(fp[1]!), mul(fp[2]!), u[0]!, u[1]!, u[2]!, p.smooth_faces);
    if (!cone) f.face(mul(fp[2]!), mul(fp[3]!), mul(fp[0]!), u[2]!, u[3]!, u[0]!, p.smooth_faces);
    const capUv = (q: V3): V2 => [q[0] * 0.5 + 0.5, q[1] * 0.5 + 0.5];
    f.face(mul(fp[1]!), mul(fp[0]!), mul([0, -1, 0]), capUv(fp[1]!), capUv(fp[0]!), [0.5, 0.5], false);
    if (!cone) f.face(mul(fp[3]!), mul(fp[2]!), mul([0, 1, 0]), capUv(fp[1]!), capUv(fp[0]!), [0.5, 0.5], false);
  }
  return toArrays(f);
}

/** CSGTorus3D: `sides` × `ring_sides` quads; empty (undefined) when the radii are equal. */
export function csgTorus(p: CsgTorusParams): MeshArrays | undefined {
  let min = p.inner_radius, max = p.outer_radius;
  if (min === max) return undefined;
  if (min > max) [min, max] = [max, min];
  const radius = (max - min) * 0.5;
  const f = new FaceList();
  for (let i = 0; i < p.sides; i++) {
    const inci = i / p.sides;
    const inciN = i === p.sides - 1 ? 0 : (i + 1) / p.sides;
    const angi = inci * Math.PI * 2, angiN = inciN * Math.PI * 2;
    const ni: V3 = [Math.cos(angi), 0, Math.sin(angi)];
    const niN: V3 = [Math.cos(angiN), 0, Math.sin(angiN)];
    for (let j = 0; j < p.ring_sides; j++) {
      const incj = j / p.ring_sides;
      const incjN = j === p.ring_sides - 1 ? 0 : (j + 1) / p.ring_sides;
      const angj = incj * Math.PI * 2, angjN = incjN * Math.PI * 2;
      const nj: V2 = [Math.cos(angj) * radius + min + radius, Math.sin(angj) * radius];
      const njN: V2 = [Math.cos(angjN) * radius + min + radius, Math.sin(angjN) * radius];
      const fp: V3[] = [
        [ni[0] * nj[0], nj[1], ni[2] * nj[0]],
        [ni[0] * njN[0], njN[1], ni[2] * njN[0]],
        [niN[0] * njN[0], njN[1], niN[2] * njN[0]],
        [niN[0] * nj[0], nj[1], niN[2] * nj[0]],
      ];
      const u: V2[] = [[inci, incj], [inci, incjN], [inciN, incjN], [inciN, incj]];
      f.face(fp[0]!, fp[2]!, fp[1]!, u[0]!, u[2]!, u[1]!, p.smooth_faces);
      f.face(fp[3]!, fp[2]!, fp[0]!, u[3]!, u[2]!, u[0]!, p.smooth_faces);
    }
  }
  return toArrays(f);
}

/**
 * Face list → mesh arrays. The outward normal of a Godot (clockwise) face a, b, c is
 * (a − c) × (a − b), as Godot's `Plane(a, b, c)`.
 */
function toArrays(f: FaceList): MeshArrays {
  const faceCount = f.smooth.length;
  const positions = new Float32Array(f.points);
  const faceNormals = new Float64Array(faceCount * 3);
  for (let t = 0; t < faceCount; t++) {
    const o = t * 9;
    const p = f.points;
    const acx = p[o]! - p[o + 6]!, acy = p[o + 1]! - p[o + 7]!, acz = p[o + 2]! - p[o + 8]!;
    const abx = p[o]! - p[o + 3]!, aby = p[o + 1]! - p[o + 4]!, abz = p[o + 2]! - p[o + 5]!;
    let nx = acy * abz - acz * aby, ny = acz * abx - acx * abz, nz = acx * aby - acy * abx;
    const l = Math.sqrt(nx * nx + ny * ny + nz * nz) || 1;
    nx /= l; ny /= l; nz /= l;
    faceNormals[t * 3] = nx;
    faceNormals[t * 3 + 1] = ny;
    faceNormals[t * 3 + 2] = nz;
  }
  // Smooth normals: sum of the unit normals of the smooth faces sharing a (float32) position.
  const sums = new Map<string, [number, number, number]>();
  const key = (i: number): string => `${positions[i * 3]},${positions[i * 3 + 1]},${positions[i * 3 + 2]}`;
  for (let t = 0; t < faceCount; t++) {
    if (!f.smooth[t]) continue;
    for (let c = 0; c < 3; c++) {
      const k = key(t * 3 + c);
      const s = sums.get(k) ?? [0, 0, 0];
      s[0] += faceNormals[t * 3]!;
      s[1] += faceNormals[t * 3 + 1]!;
      s[2] += faceNormals[t * 3 + 2]!;
      sums.set(k, s);
    }
  }
  const normals = new Float32Array(faceCount * 9);
  for (let t = 0; t < faceCount; t++) {
    for (let c = 0; c < 3; c++) {
      const vtx = t * 3 + c;
      let nx = faceNormals[t * 3]!, ny = faceNormals[t * 3 + 1]!, nz = faceNormals[t * 3 + 2]!;
      if (f.smooth[t]) {
        const s = sums.get(key(vtx))!;
        const l = Math.sqrt(s[0] * s[0] + s[1] * s[1] + s[2] * s[2]);
        if (l > 1e-12) { nx = s[0] / l; ny = s[1] / l; nz = s[2] / l; }
      }
      normals[vtx * 3] = nx;
      normals[vtx * 3 + 1] = ny;
      normals[vtx * 3 + 2] = nz;
    }
  }
  const indices = new Uint32Array(faceCount * 3);
  for (let i = 0; i < indices.length; i++) indices[i] = i;
  return { positions, normals, uvs: new Float32Array(f.uvs), indices, primitive: 3 };
}
