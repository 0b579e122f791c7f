import { MeshBuilder, type MeshArrays } from './mesh-arrays.js';

/** BoxMesh parameters (Godot names; defaults in PRIMITIVE_DEFAULTS.BoxMesh). */
export interface BoxParams {
  size: [number, number, number];
  subdivide_width: number;
  subdivide_height: number;
  subdivide_depth: number;
}

/**
 * Godot's BoxMesh: six faces, each a (subdivide + 2)² vertex grid with its own normals and the 3×2
 * UV atlas layout Godot uses. Vertex order, UVs and (clockwise) winding follow
 * `BoxMesh::create_mesh_array` in scene/resources/3d/primitive_meshes.cpp.
 */
export function boxMesh(p: BoxParams): MeshArrays {
  const [sx, sy, sz] = p.size;
  const sw = p.subdivide_width, sh = p.subdivide_height, sd = p.subdivide_depth;
  const x0 = -sx / 2, y0 = -sy / 2, z0 = -sz / 2;
  const m = new MeshBuilder();
  const third = 1 / 3, twoThirds = 2 / 3;

  // Faces come in pairs sharing one grid walk; each walk adds two vertices per grid point.
  // front (+Z) and back (-Z)
  let y = y0;
  let thisrow = m.count, prevrow = 0;
  for (let j = 0; j <= sh + 1; j++) {
    const v = j / (2 * (sh + 1));
    let x = x0;
    for (let i = 0; i <= sw + 1; i++) {
      const u = i / (3 * (sw + 1));
      m.vertex(x, -y, -z0, 0, 0, 1, u, v, 1, 0, 0);
      m.vertex(-x, -y, z0, 0, 0, -1, twoThirds + u, v, -1, 0, 0);
      if (i > 0 && j > 0) m.quadPair(prevrow, thisrow, i);
      x += sx / (sw + 1);
    }
    y += sy / (sh + 1);
    prevrow = thisrow;
    thisrow = m.count;
  }

  // right (+X) and left (-X)
  y = y0;
  thisrow = m.count;
  prevrow = 0;
  for (let j = 0; j <= sh + 1; j++) {
    const v = j / (2 * (sh + 1));
    let z = z0;
    for (let i = 0; i <= sd + 1; i++) {
      const u = i / (3 * (sd + 1));
      m.vertex(-x0, -y, -z, 1, 0, 0, third + u, v, 0, 0, -1);
      m.vertex(x0, -y, z, -1, 0, 0, u, 0.5 + v, 0, 0, 1);
      if (i > 0 && j > 0) m.quadPair(prevrow, thisrow, i);
      z += sz / (sd + 1);
    }
    y += sy / (sh + 1);
    prevrow = thisrow;
    thisrow = m.count;
  }

  // top (+Y) and bottom (-Y)
  let z = z0;
  thisrow = m.count;
  prevrow = 0;
  for (let j = 0; j <= sd + 1; j++) {
    const v = j / (2 * (sd + 1));
    let x = x0;
    for (let i = 0; i <= sw + 1; i++) {
      const u = i / (3 * (sw + 1));
      m.vertex(-x, -y0, -z, 0, 1, 0, third + u, 0.5 + v, -1, 0, 0);
      m.vertex(x, y0, -z, 0, -1, 0, twoThirds + u, 0.5 + v, 1, 0, 0);
      if (i > 0 && j > 0) m.quadPair(prevrow, thisrow, i);
      x += sx / (sw + 1);
    }
    z += sz / (sd + 1);
    prevrow = thisrow;
    thisrow = m.count;
  }
  return m.build();
}
