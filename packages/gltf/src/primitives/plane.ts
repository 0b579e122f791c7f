import { MeshBuilder, type MeshArrays } from './mesh-arrays.js';

/** PlaneMesh / QuadMesh parameters (Godot names). `orientation`: 0 face X, 1 face Y, 2 face Z. */
export interface PlaneParams {
  size: [number, number];
  subdivide_width: number;
  subdivide_depth: number;
  center_offset: [number, number, number];
  orientation: number;
}

/**
 * Godot's PlaneMesh (QuadMesh is the same class with size 1×1 facing +Z): one
 * (subdivide + 2)² vertex grid, UVs as `1 - uv` to match the quad. Follows
 * `PlaneMesh::_create_mesh_array`.
 */
export function planeMesh(p: PlaneParams): MeshArrays {
  const [w, d] = p.size;
  const sw = p.subdivide_width, sd = p.subdivide_depth;
  const [ox, oy, oz] = p.center_offset;
  const o = p.orientation;
  const n: [number, number, number] = o === 0 ? [1, 0, 0] : o === 2 ? [0, 0, 1] : [0, 1, 0];
  // Godot's tangent: −Z for a plane facing X, +X otherwise.
  const t: [number, number, number] = o === 0 ? [0, 0, -1] : [1, 0, 0];
  const m = new MeshBuilder();
  let z = -d / 2;
  let thisrow = 0, prevrow = 0;
  for (let j = 0; j <= sd + 1; j++) {
    let x = -w / 2;
    for (let i = 0; i <= sw + 1; i++) {
      const u = i / (sw + 1);
      const v = j / (sd + 1);
      if (o === 0) m.vertex(ox, z + oy, x + oz, n[0], n[1], n[2], 1 - u, 1 - v, t[0], t[1], t[2]);
      else if (o === 2) m.vertex(-x + ox, z + oy, oz, n[0], n[1], n[2], 1 - u, 1 - v, t[0], t[1], t[2]);
      else m.vertex(-x + ox, oy, -z + oz, n[0], n[1], n[2], 1 - u, 1 - v, t[0], t[1], t[2]);
      if (i > 0 && j > 0) {
        m.triangle(prevrow + i - 1, prevrow + i, thisrow + i - 1);
        m.triangle(prevrow + i, thisrow + i, thisrow + i - 1);
      }
      x += w / (sw + 1);
    }
    z += d / (sd + 1);
    prevrow = thisrow;
    thisrow = m.count;
  }
  return m.build();
}
