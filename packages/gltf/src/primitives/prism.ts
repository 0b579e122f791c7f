import { MeshBuilder, type MeshArrays } from './mesh-arrays.js';

/** PrismMesh parameters (Godot names). */
export interface PrismParams {
  left_to_right: number;
  size: [number, number, number];
  subdivide_width: number;
  subdivide_height: number;
  subdivide_depth: number;
}

/**
 * Godot's PrismMesh: front and back triangles (grids that narrow to the apex at `left_to_right`), the
 * two slanted sides and the bottom. Follows `PrismMesh::_create_mesh_array`.
 */
export function prismMesh(p: PrismParams): MeshArrays {
  const [sx, sy, sz] = p.size;
  const ltr = p.left_to_right;
  const sw = p.subdivide_width, sh = p.subdivide_height, sd = p.subdivide_depth;
  const x0 = -sx / 2, y0 = -sy / 2, z0 = -sz / 2;
  const third = 1 / 3, twoThirds = 2 / 3;
  const m = new MeshBuilder();

  // front + back
  let y = y0;
  let thisrow = 0, prevrow = 0;
  for (let j = 0; j <= sh + 1; j++) {
    const scale = j / (sh + 1);
    const scaledSizeX = sx * scale;
    const startX = x0 + (1 - scale) * sx * ltr;
    const offsetFront = (1 - scale) * third * ltr;
    const offsetBack = (1 - scale) * third * (1 - ltr);
    const v = j / (2 * (sh + 1));
    let x = 0;
    for (let i = 0; i <= sw + 1; i++) {
      const u = (i / (3 * (sw + 1))) * scale;
      m.vertex(startX + x, -y, -z0, 0, 0, 1, offsetFront + u, v, 1, 0, 0);
      m.vertex(startX + scaledSizeX - x, -y, z0, 0, 0, -1, twoThirds + offsetBack + u, v, -1, 0, 0);
      const i2 = i * 2;
      if (i > 0 && j === 1) {
        m.triangle(prevrow + i2, thisrow + i2, thisrow + i2 - 2);
        m.triangle(prevrow + i2 + 1, thisrow + i2 + 1, thisrow + i2 - 1);
      } else if (i > 0 && j > 0) {
        m.triangle(prevrow + i2 - 2, prevrow + i2, thisrow + i2 - 2);
        m.triangle(prevrow + i2, thisrow + i2, thisrow + i2 - 2);
        m.triangle(prevrow + i2 - 1, prevrow + i2 + 1, thisrow + i2 - 1);
        m.triangle(prevrow + i2 + 1, thisrow + i2 + 1, thisrow + i2 - 1);
      }
      x += (scale * sx) / (sw + 1);
    }
    y += sy / (sh + 1);
    prevrow = thisrow;
    thisrow = m.count;
  }

  // left + right
  const nl = normalize(-sy, sx * ltr, 0);
  const nr = normalize(sy, sx * (1 - ltr), 0);
  y = y0;
  thisrow = m.count;
  prevrow = 0;
  for (let j = 0; j <= sh + 1; j++) {
    const scale = j / (sh + 1);
    const left = x0 + sx * (1 - scale) * ltr;
    const right = left + sx * scale;
    const v = j / (2 * (sh + 1));
    let z = z0;
    for (let i = 0; i <= sd + 1; i++) {
      const u = i / (3 * (sd + 1));
      m.vertex(right, -y, -z, nr[0], nr[1], nr[2], third + u, v, 0, 0, -1);
      m.vertex(left, -y, z, nl[0], nl[1], nl[2], u, 0.5 + v, 0, 0, 1);
      if (i > 0 && j > 0) m.quadPair(prevrow, thisrow, i);
      z += sz / (sd + 1);
    }
    y += sy / (sh + 1);
    prevrow = thisrow;
    thisrow = m.count;
  }

  // bottom
  let z = z0;
  thisrow = m.count;
  prevrow = 0;
  for (let j = 0; j <= sd + 1; j++) {
    const v = j / (2 * (sd + 1));
    let x = x0;
    for (let i = 0; i <= sw + 1; i++) {
      const u = i / (3 * (sw + 1));
      m.vertex(x, y0, -z, 0, -1, 0, twoThirds + u, 0.5 + v, 1, 0, 0);
      if (i > 0 && j > 0) {
        m.triangle(prevrow + i - 1, prevrow + i, thisrow + i - 1);
        m.triangle(prevrow + i, thisrow + i, thisrow + i - 1);
      }
      x += sx / (sw + 1);
    }
    z += sz / (sd + 1);
    prevrow = thisrow;
    thisrow = m.count;
  }
  return m.build();
}

function normalize(x: number, y: number, z: number): [number, number, number] {
  const l = Math.sqrt(x * x + y * y + z * z) || 1;
  return [x / l, y / l, z / l];
}
