import { MeshBuilder, ringPoint, type MeshArrays } from './mesh-arrays.js';

/** CylinderMesh parameters (Godot names). A cone is a cylinder with one radius 0. */
export interface CylinderParams {
  top_radius: number;
  bottom_radius: number;
  height: number;
  radial_segments: number;
  rings: number;
  cap_top: boolean;
  cap_bottom: boolean;
}

/**
 * Godot's CylinderMesh (and cones): (rings + 2) rows of side vertices from the top down with slanted
 * normals, then a fan for each cap whose radius is not 0. Follows `CylinderMesh::create_mesh_array`.
 */
export function cylinderMesh(p: CylinderParams): MeshArrays {
  const { top_radius: tr, bottom_radius: br, height: h, radial_segments: seg, rings } = p;
  const m = new MeshBuilder();
  const sideNormalY = (br - tr) / h;
  let thisrow = 0, prevrow = 0;
  for (let j = 0; j <= rings + 1; j++) {
    const v = j / (rings + 1);
    const radius = tr + (br - tr) * v;
    const y = h * 0.5 - h * v;
    for (let i = 0; i <= seg; i++) {
      const u = i / seg;
      const [x, z] = ringPoint(i, seg);
      const nl = Math.sqrt(x * x + sideNormalY * sideNormalY + z * z);
      m.vertex(x * radius, y, z * radius, x / nl, sideNormalY / nl, z / nl, u, v * 0.5, z, 0, -x);
      if (i > 0 && j > 0) {
        m.triangle(prevrow + i - 1, prevrow + i, thisrow + i - 1);
        m.triangle(prevrow + i, thisrow + i, thisrow + i - 1);
      }
    }
    prevrow = thisrow;
    thisrow = m.count;
  }
  if (p.cap_top && tr > 0) {
    const y = h * 0.5;
    const center = m.count;
    m.vertex(0, y, 0, 0, 1, 0, 0.25, 0.75, 1, 0, 0);
    for (let i = 0; i <= seg; i++) {
      const [x, z] = ringPoint(i, seg);
      m.vertex(x * tr, y, z * tr, 0, 1, 0, (x + 1) * 0.25, 0.5 + (z + 1) * 0.25, 1, 0, 0);
      const point = m.count;
      if (i > 0) m.triangle(center, point - 1, point - 2);
    }
  }
  if (p.cap_bottom && br > 0) {
    const y = h * -0.5;
    const center = m.count;
    m.vertex(0, y, 0, 0, -1, 0, 0.75, 0.75, 1, 0, 0);
    for (let i = 0; i <= seg; i++) {
      const [x, z] = ringPoint(i, seg);
      m.vertex(x * br, y, z * br, 0, -1, 0, 0.5 + (x + 1) * 0.25, 1 - (z + 1) * 0.25, 1, 0, 0);
      const point = m.count;
      if (i > 0) m.triangle(center, point - 2, point - 1);
    }
  }
  return m.build();
}
