import { MeshBuilder, type MeshArrays } from './mesh-arrays.js';

/** CapsuleMesh parameters (Godot names). */
export interface CapsuleParams {
  radius: number;
  height: number;
  radial_segments: number;
  rings: number;
}

/**
 * Godot's CapsuleMesh: top hemisphere, cylinder, bottom hemisphere, each (rings + 2) rows of
 * (radial_segments + 1) vertices; UV v split in thirds. Follows `CapsuleMesh::create_mesh_array`
 * (including its mirrored X and Z for alignment with the collision shape).
 */
export function capsuleMesh(p: CapsuleParams): MeshArrays {
  const { radius, height, radial_segments: seg, rings } = p;
  const m = new MeshBuilder();
  const third = 1 / 3, twoThirds = 2 / 3;
  const ring = (i: number): [number, number] => {
    if (i === seg) return [0, 1];
    const u = i / seg;
    return [-Math.sin(u * Math.PI * 2), Math.cos(u * Math.PI * 2)];
  };
  const rowQuads = (prevrow: number, thisrow: number, i: number): void => {
    m.triangle(prevrow + i - 1, prevrow + i, thisrow + i - 1);
    m.triangle(prevrow + i, thisrow + i, thisrow + i - 1);
  };

  // top hemisphere
  let thisrow = 0, prevrow = 0;
  for (let j = 0; j <= rings + 1; j++) {
    const v = j / (rings + 1);
    const w = j === rings + 1 ? 1 : Math.sin(0.5 * Math.PI * v);
    const y = j === rings + 1 ? 0 : Math.cos(0.5 * Math.PI * v);
    for (let i = 0; i <= seg; i++) {
      const [x, z] = ring(i);
      const px = x * w, py = y, pz = -z * w;
      m.vertex(px * radius, py * radius + (0.5 * height - radius), pz * radius, px, py, pz, i / seg, v * third, -z, 0, -x);
      if (i > 0 && j > 0) rowQuads(prevrow, thisrow, i);
    }
    prevrow = thisrow;
    thisrow = m.count;
  }

  // cylinder
  thisrow = m.count;
  prevrow = 0;
  for (let j = 0; j <= rings + 1; j++) {
    const v = j / (rings + 1);
    const y = 0.5 * height - radius - (height - 2 * radius) * v;
    for (let i = 0; i <= seg; i++) {
      const [x, z] = ring(i);
      m.vertex(x * radius, y, -z * radius, x, 0, -z, i / seg, third + v * third, -z, 0, -x);
      if (i > 0 && j > 0) rowQuads(prevrow, thisrow, i);
    }
    prevrow = thisrow;
    thisrow = m.count;
  }

  // bottom hemisphere
  thisrow = m.count;
  prevrow = 0;
  for (let j = 0; j <= rings + 1; j++) {
    const v = j / (rings + 1);
    const w = j === rings + 1 ? 0 : Math.cos(0.5 * Math.PI * v);
    const y = j === rings + 1 ? -1 : -Math.sin(0.5 * Math.PI * v);
    for (let i = 0; i <= seg; i++) {
      const [x, z] = ring(i);
      const px = x * w, py = y, pz = -z * w;
      m.vertex(px * radius, py * radius + (-0.5 * height + radius), pz * radius, px, py, pz, i / seg, twoThirds + v * third, -z, 0, -x);
      if (i > 0 && j > 0) rowQuads(prevrow, thisrow, i);
    }
    prevrow = thisrow;
    thisrow = m.count;
  }
  return m.build();
}
