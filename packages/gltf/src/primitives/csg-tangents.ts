/**
 * Tangents of a CSG mesh as Godot 4.6 makes them (G-MESH-9): `CSGShape3D::update_shape` hands each
 * surface's triangle soup to meshoptimizer's `meshopt_generateTangents` with no options. That method,
 * reimplemented here from its description (Mikkelsen's chain-rule face tangents, grouped per corner):
 *
 * 1. Corners are welded when position, normal and UV are bit-for-bit equal (−0 equals 0).
 * 2. Each triangle gets a unit tangent from the UV chain rule and an orientation: the sign of the UV
 *    determinant, 0 for a degenerate triangle (zero UV area, or two equal positions).
 * 3. Around each welded vertex, the corners of two triangles join one group when the triangles share
 *    an edge there and their orientations do not disagree (a degenerate triangle takes the orientation
 *    of the triangles it joins; orientations are themselves grouped).
 * 4. A group's tangent is the sum, over its corners, of the triangle tangent projected onto the
 *    vertex normal and renormalised, weighted by the corner angle in the tangent plane (meshoptimizer's
 *    polynomial arc cosine); then normalised. A group with nothing to sum gets (1, 0, 0). (Newer
 *    meshoptimizer releases also weight by edge lengths; the copy in Godot 4.6 does not, and the
 *    comparison with real Godot in test/e2e/godot-primitives.test.ts tells the two apart.)
 * 5. w is +1 for triangles whose orientation group is positive, −1 otherwise (degenerate ones too).
 *
 * Input arrays are Godot-winding, one triangle per three indices; the result is x, y, z, w per vertex
 * (each vertex of a CSG mesh belongs to exactly one triangle, so a corner is a vertex).
 */
export function csgTangents(positions: Float32Array, normals: Float32Array, uvs: Float32Array, indices: Uint32Array): Float32Array {
  const cornerCount = indices.length - (indices.length % 3);
  const faceCount = cornerCount / 3;
  const vertexOf = (corner: number): number => indices[corner]!;

  // 1. weld (open-addressing table over the float bits; equality as floats, so −0 equals 0)
  const weldOf = weldCorners(positions, normals, uvs, indices, cornerCount);

  // 2. face tangents and orientations
  const faceT = new Float64Array(faceCount * 3);
  const faceOrientation = new Int8Array(faceCount);
  // Orientation bits (1 positive, 2 negative); a group root's bits grow as degenerate triangles join.
  const faceSign = new Uint8Array(faceCount);
  for (let f = 0; f < faceCount; f++) {
    const a = vertexOf(f * 3), b = vertexOf(f * 3 + 1), c = vertexOf(f * 3 + 2);
    const p1 = sub3(positions, b, a), p2 = sub3(positions, c, a);
    const t1u = uvs[b * 2]! - uvs[a * 2]!, t1v = uvs[b * 2 + 1]! - uvs[a * 2 + 1]!;
    const t2u = uvs[c * 2]! - uvs[a * 2]!, t2v = uvs[c * 2 + 1]! - uvs[a * 2 + 1]!;
    const rx = t2v * p1[0] - t1v * p2[0], ry = t2v * p1[1] - t1v * p2[1], rz = t2v * p1[2] - t1v * p2[2];
    const det = t1u * t2v - t1v * t2u;
    let sign = det === 0 ? 0 : det > 0 ? 1 : -1;
    if (samePosition(positions, a, b) || samePosition(positions, a, c) || samePosition(positions, b, c)) sign = 0;
    const len = Math.sqrt(rx * rx + ry * ry + rz * rz);
    const s = len !== 0 ? sign / len : 0;
    faceT[f * 3] = rx * s;
    faceT[f * 3 + 1] = ry * s;
    faceT[f * 3 + 2] = rz * s;
    faceOrientation[f] = sign;
    faceSign[f] = sign > 0 ? 1 : sign < 0 ? 2 : 0;
  }

  // 3. corner groups around each welded vertex
  const cornerGroup = new Uint32Array(cornerCount);
  for (let c = 0; c < cornerCount; c++) cornerGroup[c] = c;
  const faceGroup = new Uint32Array(faceCount);
  for (let f = 0; f < faceCount; f++) faceGroup[f] = f;
  const around = new Map<number, number[]>();
  for (let c = 0; c < cornerCount; c++) {
    const list = around.get(weldOf[c]!);
    if (list) list.push(c);
    else around.set(weldOf[c]!, [c]);
  }
  const nextCorner = (c: number): number => c - (c % 3) + ((c % 3) + 1) % 3;
  const prevCorner = (c: number): number => c - (c % 3) + ((c % 3) + 2) % 3;
  for (const corners of around.values()) {
    for (let i = 0; i < corners.length; i++) {
      const ci = corners[i]!, fi = (ci / 3) | 0;
      const ib = weldOf[nextCorner(ci)]!, ic = weldOf[prevCorner(ci)]!;
      for (let j = i + 1; j < corners.length; j++) {
        const cj = corners[j]!, fj = (cj / 3) | 0;
        const jb = weldOf[nextCorner(cj)]!, jc = weldOf[prevCorner(cj)]!;
        if (!(jb === ic || jc === ib) || (faceSign[fi]! | faceSign[fj]!) === 3) continue;
        if ((faceSign[fi]! & faceSign[fj]!) === 0) {
          // One of them is degenerate: join orientation groups unless they already disagree.
          const gi = find(faceGroup, fi), gj = find(faceGroup, fj);
          if (gi !== gj) {
            if ((faceSign[gi]! | faceSign[gj]!) === 3) continue;
            faceGroup[gj] = gi;
            faceSign[gi]! |= faceSign[gj]!;
          }
        }
        const gi = find(cornerGroup, ci), gj = find(cornerGroup, cj);
        if (gi !== gj) cornerGroup[gj] = gi;
      }
    }
  }
  for (let c = 0; c < cornerCount; c++) cornerGroup[c] = find(cornerGroup, c);

  // 4. accumulate into each group's root
  const sum = new Float64Array(cornerCount * 3);
  for (let f = 0; f < faceCount; f++) {
    if (faceOrientation[f] === 0) continue; // degenerate: adds nothing
    const tx = faceT[f * 3]!, ty = faceT[f * 3 + 1]!, tz = faceT[f * 3 + 2]!;
    for (let k = 0; k < 3; k++) {
      const c = f * 3 + k;
      const a = vertexOf(weldOf[c]!), b = vertexOf(weldOf[nextCorner(c)]!), d = vertexOf(weldOf[prevCorner(c)]!);
      const nx = normals[a * 3]!, ny = normals[a * 3 + 1]!, nz = normals[a * 3 + 2]!;
      const sd = tx * nx + ty * ny + tz * nz;
      const sx = tx - nx * sd, sy = ty - ny * sd, sz = tz - nz * sd;
      const sl = Math.sqrt(sx * sx + sy * sy + sz * sz);
      const e1 = projectOut(sub3(positions, b, a), nx, ny, nz);
      const e2 = projectOut(sub3(positions, d, a), nx, ny, nz);
      const l1 = e1[0] * e1[0] + e1[1] * e1[1] + e1[2] * e1[2];
      const l2 = e2[0] * e2[0] + e2[1] * e2[1] + e2[2] * e2[2];
      const dpl = Math.sqrt(l1 * l2);
      const cosa = (e1[0] * e2[0] + e1[1] * e2[1] + e1[2] * e2[2]) * (dpl === 0 ? 0 : 1 / dpl);
      const w = approxAcos(cosa) * (sl === 0 ? 0 : 1 / sl);
      const r = cornerGroup[c]! * 3;
      sum[r] = sum[r]! + sx * w;
      sum[r + 1] = sum[r + 1]! + sy * w;
      sum[r + 2] = sum[r + 2]! + sz * w;
    }
  }

  // 5. normalise roots, copy to members, signs per face
  const out = new Float32Array((positions.length / 3) * 4);
  for (let c = 0; c < cornerCount; c++) {
    const r = cornerGroup[c]! * 3;
    const l = Math.sqrt(sum[r]! * sum[r]! + sum[r + 1]! * sum[r + 1]! + sum[r + 2]! * sum[r + 2]!);
    const v = vertexOf(c);
    if (l === 0) {
      out[v * 4] = 1;
    } else {
      out[v * 4] = sum[r]! / l;
      out[v * 4 + 1] = sum[r + 1]! / l;
      out[v * 4 + 2] = sum[r + 2]! / l;
    }
    out[v * 4 + 3] = faceSign[find(faceGroup, (c / 3) | 0)]! & 1 ? 1 : -1;
  }
  return out;
}

/** For each corner, the first corner with the same position, normal and UV. */
function weldCorners(positions: Float32Array, normals: Float32Array, uvs: Float32Array, indices: Uint32Array, cornerCount: number): Uint32Array {
  const pBits = new Uint32Array(positions.buffer, positions.byteOffset, positions.length);
  const nBits = new Uint32Array(normals.buffer, normals.byteOffset, normals.length);
  const tBits = new Uint32Array(uvs.buffer, uvs.byteOffset, uvs.length);
  const bits = (a: Uint32Array, i: number): number => (a[i] === 0x80000000 ? 0 : a[i]!);
  const hash = (v: number): number => {
    let h = 0x811c9dc5;
    for (let k = 0; k < 3; k++) h = Math.imul(h ^ bits(pBits, v * 3 + k), 0x01000193);
    for (let k = 0; k < 3; k++) h = Math.imul(h ^ bits(nBits, v * 3 + k), 0x01000193);
    for (let k = 0; k < 2; k++) h = Math.imul(h ^ bits(tBits, v * 2 + k), 0x01000193);
    return (h ^ (h >>> 15)) >>> 0;
  };
  const same = (a: number, b: number): boolean =>
    positions[a * 3] === positions[b * 3] && positions[a * 3 + 1] === positions[b * 3 + 1] && positions[a * 3 + 2] === positions[b * 3 + 2] &&
    normals[a * 3] === normals[b * 3] && normals[a * 3 + 1] === normals[b * 3 + 1] && normals[a * 3 + 2] === normals[b * 3 + 2] &&
    uvs[a * 2] === uvs[b * 2] && uvs[a * 2 + 1] === uvs[b * 2 + 1];
  let size = 1;
  while (size < cornerCount + (cornerCount >> 2) + 1) size *= 2;
  const table = new Int32Array(size).fill(-1);
  const weldOf = new Uint32Array(cornerCount);
  for (let c = 0; c < cornerCount; c++) {
    const v = indices[c]!;
    let slot = hash(v) & (size - 1);
    for (let probe = 1; table[slot] !== -1 && !same(indices[table[slot]!]!, v); probe++) slot = (slot + probe) & (size - 1);
    if (table[slot] === -1) table[slot] = c;
    weldOf[c] = table[slot]!;
  }
  return weldOf;
}

function find(parent: Uint32Array, i: number): number {
  while (parent[i] !== i) {
    const p = parent[i]!;
    parent[i] = parent[p]!;
    i = p;
  }
  return i;
}

function sub3(p: Float32Array, a: number, b: number): [number, number, number] {
  return [p[a * 3]! - p[b * 3]!, p[a * 3 + 1]! - p[b * 3 + 1]!, p[a * 3 + 2]! - p[b * 3 + 2]!];
}

function samePosition(p: Float32Array, a: number, b: number): boolean {
  return p[a * 3] === p[b * 3] && p[a * 3 + 1] === p[b * 3 + 1] && p[a * 3 + 2] === p[b * 3 + 2];
}

function projectOut(e: [number, number, number], nx: number, ny: number, nz: number): [number, number, number] {
  const d = e[0] * nx + e[1] * ny + e[2] * nz;
  return [e[0] - nx * d, e[1] - ny * d, e[2] - nz * d];
}

/**
 * meshoptimizer's arc cosine: sqrt(1 − |x|) times a second-degree polynomial (Hastings), within
 * ~5e-4 of acos. Used as the corner weight, so it is kept rather than Math.acos.
 */
function approxAcos(x: number): number {
  const ax = Math.min(Math.abs(x), 1);
  const r = (1.570337 + ax * (-0.2053972 + ax * 0.05147786)) * Math.sqrt(1 - ax);
  return x < 0 ? 3.1415926 - r : r;
}
