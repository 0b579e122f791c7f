import { MeshBuilder, ringPoint, type MeshArrays } from './mesh-arrays.js';

/** SphereMesh parameters (Godot names). */
export interface SphereParams {
  radius: number;
  height: number;
  radial_segments: number;
  rings: number;
  is_hemisphere: boolean;
}

/**
 * Godot's SphereMesh: (rings + 2) rows of (radial_segments + 1) vertices from the north pole down,
 * squashed to `height`, optionally a hemisphere with a flat bottom. Follows
 * `SphereMesh::create_mesh_array`.
 */
export function sphereMesh(p: SphereParams): MeshArrays {
  const { radius, height, radial_segments: seg, rings, is_hemisphere: hemi } = p;
  const scale = (height / radius) * (hemi ? 1 : 0.5);
  const m = new MeshBuilder();
  let thisrow = 0, prevrow = 0;
  for (let j = 0; j <= rings + 1; j++) {
    const v = j / (rings + 1);
    let w: number, y: number;
    if (j === rings + 1) {
      w = 0;
      y = -1;
    } else {
      w = Math.sin(Math.PI * v);
      y = Math.cos(Math.PI * v);
    }
    for (let i = 0; i <= seg; i++) {
      const u = i / seg;
      const [x, z] = ringPoint(i, seg);
      if (hemi && y < 0) {
        m.vertex(x * radius * w, 0, z * radius * w, 0, -1, 0, u, v, z, 0, -x);
      } else {
        const nx = x * w * scale, ny = y, nz = z * w * scale;
        const nl = Math.sqrt(nx * nx + ny * ny + nz * nz) || 1;
        m.vertex(x * w * radius, y * scale * radius, z * w * radius, nx / nl, ny / nl, nz / nl, u, v, z, 0, -x);
      }
      if (i > 0 && j > 0) {
        m.triangle(prevrow + i - 1, prevrow + i, thisrow + i - 1);
        m.triangle(prevrow + i, thisrow + i, thisrow + i - 1);
      }
    }
    prevrow = thisrow;
    thisrow = m.count;
  }
  return m.build();
}
