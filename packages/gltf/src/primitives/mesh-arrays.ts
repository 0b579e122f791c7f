/**
 * Geometry as Godot's `Mesh.surface_get_arrays` holds it: flat typed arrays and an index list whose
 * triangles are in **Godot's winding** (clockwise seen from the front). {@link toGltfWinding} turns
 * that into glTF's counter-clockwise order; nothing else in this package flips triangles.
 */
export interface MeshArrays {
  /** x, y, z per vertex. */
  positions: Float32Array;
  /** Unit x, y, z per vertex, or undefined. */
  normals?: Float32Array;
  /** u, v per vertex, or undefined. */
  uvs?: Float32Array;
  /** r, g, b, a per vertex (linear, as Godot stores vertex colours), or undefined. */
  colors?: Float32Array;
  /** Second UV set (Godot's UV2, glTF's TEXCOORD_1): u, v per vertex, or undefined. */
  uv2?: Float32Array;
  /**
   * x, y, z, w per vertex (Godot's ARRAY_TANGENT): unit tangent and binormal sign w = ±1, or undefined.
   * Only set together with `normals`. Godot's sign convention (binormal = cross(normal, tangent) · w,
   * taken on Godot's clockwise triangles with the binormal negated) equals glTF's on the same
   * positions and UVs, so reversing the triangle order in {@link toGltfWinding} leaves tangents
   * untouched (G-MESH-1).
   */
  tangents?: Float32Array;
  /** Vertex indices; undefined for a non-indexed surface. */
  indices?: Uint32Array;
  /** Godot's `Mesh.PrimitiveType`: 0 points, 1 lines, 2 line strip, 3 triangles, 4 triangle strip. */
  primitive: number;
}

/**
 * Point `i` of a ring of `seg` segments as Godot's round primitives compute it: (sin, cos) of the
 * angle, with the last point exactly (0, 1) so the seam closes without rounding error.
 */
export function ringPoint(i: number, seg: number): [x: number, z: number] {
  if (i === seg) return [0, 1];
  const u = i / seg;
  return [Math.sin(u * Math.PI * 2), Math.cos(u * Math.PI * 2)];
}

/**
 * Growable builder used by the primitive generators (plain arrays, converted once at the end). Every
 * vertex carries the tangent Godot's generator gives it (`ADD_TANGENT` in primitive_meshes.cpp): a
 * fixed axis or one derived from the ring angle, binormal sign always +1 (G-MESH-9).
 */
export class MeshBuilder {
  readonly positions: number[] = [];
  readonly normals: number[] = [];
  readonly uvs: number[] = [];
  readonly tangents: number[] = [];
  readonly indices: number[] = [];

  /** Number of vertices added so far. */
  get count(): number {
    return this.positions.length / 3;
  }

  /** Adds a vertex: position, normal, UV and tangent (x, y, z; Godot's primitives all use sign +1). */
  vertex(px: number, py: number, pz: number, nx: number, ny: number, nz: number, u: number, v: number, tx: number, ty: number, tz: number): void {
    this.positions.push(px, py, pz);
    this.normals.push(nx, ny, nz);
    this.uvs.push(u, v);
    this.tangents.push(tx, ty, tz, 1);
  }

  triangle(a: number, b: number, c: number): void {
    this.indices.push(a, b, c);
  }

  /**
   * The two quads of column `i` in a grid whose rows hold interleaved vertex pairs (two opposite faces
   * written together, as Godot's box and prism generators do): rows start at `prevrow` and `thisrow`.
   */
  quadPair(prevrow: number, thisrow: number, i: number): void {
    const i2 = i * 2;
    this.triangle(prevrow + i2 - 2, prevrow + i2, thisrow + i2 - 2);
    this.triangle(prevrow + i2, thisrow + i2, thisrow + i2 - 2);
    this.triangle(prevrow + i2 - 1, prevrow + i2 + 1, thisrow + i2 - 1);
    this.triangle(prevrow + i2 + 1, thisrow + i2 + 1, thisrow + i2 - 1);
  }

  build(): MeshArrays {
    return {
      positions: new Float32Array(this.positions),
      normals: new Float32Array(this.normals),
      uvs: new Float32Array(this.uvs),
      tangents: new Float32Array(this.tangents),
      indices: new Uint32Array(this.indices),
      primitive: 3,
    };
  }
}

/**
 * glTF primitive mode and index list for Godot arrays: triangles get their winding reversed (Godot's
 * front faces are clockwise, glTF's counter-clockwise: G-MESH-1); triangle strips are unrolled into
 * triangle lists first (flipping a strip's winding is not expressible as a strip); non-indexed
 * triangles get an index list so they can be flipped without touching vertex data.
 */
export function toGltfWinding(arrays: MeshArrays): { mode: number; indices?: Uint32Array } {
  const vertexCount = arrays.positions.length / 3;
  switch (arrays.primitive) {
    case 0:
      return { mode: 0, indices: arrays.indices };
    case 1:
      return { mode: 1, indices: arrays.indices };
    case 2:
      return { mode: 3, indices: arrays.indices };
    case 4: {
      const strip = arrays.indices ?? sequence(vertexCount);
      const tri: number[] = [];
      for (let i = 0; i + 2 < strip.length; i++) {
        // Even triangles keep the strip's order, odd ones swap: the usual strip rule. Then flip.
        const a = strip[i]!, b = strip[i + 1]!, c = strip[i + 2]!;
        if (i % 2 === 0) tri.push(a, c, b);
        else tri.push(b, c, a);
      }
      return { mode: 4, indices: new Uint32Array(tri) };
    }
    default: {
      const src = arrays.indices ?? sequence(vertexCount);
      const out = new Uint32Array(src.length - (src.length % 3));
      for (let i = 0; i < out.length; i += 3) {
        out[i] = src[i]!;
        out[i + 1] = src[i + 2]!;
        out[i + 2] = src[i + 1]!;
      }
      return { mode: 4, indices: out };
    }
  }
}

function sequence(n: number): Uint32Array {
  const a = new Uint32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

/**
 * PrimitiveMesh.flip_faces, as Godot applies it: every normal negated and the first two indices of
 * each triangle swapped; tangents are left as they are (Godot's `PrimitiveMesh::_update` does not
 * touch them). Works in place on Godot-winding arrays.
 */
export function flipFaces(arrays: MeshArrays): MeshArrays {
  if (arrays.normals) for (let i = 0; i < arrays.normals.length; i++) arrays.normals[i] = -arrays.normals[i]!;
  if (arrays.indices) {
    const ix = arrays.indices;
    for (let i = 0; i + 2 < ix.length; i += 3) {
      const t = ix[i]!;
      ix[i] = ix[i + 1]!;
      ix[i + 1] = t;
    }
  }
  return arrays;
}
