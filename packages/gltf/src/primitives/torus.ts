import { MeshBuilder, type MeshArrays } from './mesh-arrays.js';

/** TorusMesh parameters (Godot names). */
export interface TorusParams {
  inner_radius: number;
  outer_radius: number;
  rings: number;
  ring_segments: number;
}

/**
 * Godot's TorusMesh: (rings + 1) × (ring_segments + 1) vertices; the tube's radius is half the
 * difference of the two radii. Returns undefined when the radii are equal (Godot makes no mesh then).
 * Follows `TorusMesh::_create_mesh_array`.
 */
export function torusMesh(p: TorusParams): MeshArrays | undefined {
  let min = p.inner_radius, max = p.outer_radius;
  if (min === max) return undefined;
  if (min > max) [min, max] = [max, min];
  const radius = (max - min) * 0.5;
  const { rings, ring_segments: rs } = p;
  const m = new MeshBuilder();
  for (let i = 0; i <= rings; i++) {
    const prevrow = (i - 1) * (rs + 1);
    const thisrow = i * (rs + 1);
    const inci = i / rings;
    const angi = inci * Math.PI * 2;
    const nix = i === rings ? 0 : -Math.sin(angi);
    const niy = i === rings ? -1 : -Math.cos(angi);
    for (let j = 0; j <= rs; j++) {
      const incj = j / rs;
      const angj = incj * Math.PI * 2;
      const njx = j === rs ? -1 : -Math.cos(angj);
      const njy = j === rs ? 0 : Math.sin(angj);
      const nkx = njx * radius + min + radius;
      const nky = njy * radius;
      m.vertex(nix * nkx, nky, niy * nkx, nix * njx, njy, niy * njx, inci, incj, niy, 0, -nix);
      if (i > 0 && j > 0) {
        m.triangle(thisrow + j - 1, prevrow + j, prevrow + j - 1);
        m.triangle(thisrow + j - 1, thisrow + j, prevrow + j);
      }
    }
  }
  return m.build();
}
