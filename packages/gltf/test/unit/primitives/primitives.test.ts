import { describe, expect, it } from 'vitest';
import { PropReader } from '../../../src/godot/props.js';
import { generateCsgMesh, generatePrimitiveMesh, PRIMITIVE_MESH_TYPES, CSG_SHAPE_TYPES } from '../../../src/primitives/index.js';
import { toGltfWinding, type MeshArrays } from '../../../src/primitives/mesh-arrays.js';
import type { Props } from '../../../src/scene-types.js';

function primitive(type: string, props: Props = {}): MeshArrays {
  const g = generatePrimitiveMesh(type, new PropReader(props), 1e7);
  if (!g.ok) throw new Error(g.reason);
  return g.arrays;
}
function csg(type: string, props: Props = {}): MeshArrays {
  const g = generateCsgMesh(type, new PropReader(props), 1e7);
  if (!g.ok) throw new Error(g.reason);
  return g.arrays;
}

/** For every non-degenerate glTF triangle: counter-clockwise normal · f(triangle) (must be > 0). */
function eachTriangle(a: MeshArrays, f: (ccw: number[], centroid: number[], vertexNormal: number[]) => void): number {
  const { indices } = toGltfWinding(a);
  const p = a.positions, n = a.normals!;
  let checked = 0;
  for (let t = 0; t < indices!.length; t += 3) {
    const [i, j, k] = [indices![t]!, indices![t + 1]!, indices![t + 2]!];
    const P = (v: number) => [p[v * 3]!, p[v * 3 + 1]!, p[v * 3 + 2]!];
    const [A, B, C] = [P(i), P(j), P(k)];
    const u = [B[0]! - A[0]!, B[1]! - A[1]!, B[2]! - A[2]!];
    const w = [C[0]! - A[0]!, C[1]! - A[1]!, C[2]! - A[2]!];
    const ccw = [u[1]! * w[2]! - u[2]! * w[1]!, u[2]! * w[0]! - u[0]! * w[2]!, u[0]! * w[1]! - u[1]! * w[0]!];
    if (Math.hypot(...ccw) < 1e-9) continue; // pole and apex triangles have no area
    const vn = [0, 1, 2].map((c) => n[i * 3 + c]! + n[j * 3 + c]! + n[k * 3 + c]!);
    const centroid = [0, 1, 2].map((c) => (A[c]! + B[c]! + C[c]!) / 3);
    f(ccw, centroid, vn);
    checked++;
  }
  return checked;
}
const dot = (a: number[], b: number[]) => a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;

function bounds(a: MeshArrays): { min: number[]; max: number[] } {
  const min = [Infinity, Infinity, Infinity], max = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < a.positions.length; i++) {
    min[i % 3] = Math.min(min[i % 3]!, a.positions[i]!);
    max[i % 3] = Math.max(max[i % 3]!, a.positions[i]!);
  }
  return { min, max };
}

describe("Godot primitive meshes with Godot's defaults and layout (G-MESH-2)", () => {
  // Vertex and index counts of Godot's generators with their default parameters.
  const counts: Record<string, [number, number]> = {
    BoxMesh: [24, 36],
    SphereMesh: [(32 + 2) * 65, 33 * 64 * 6],
    CylinderMesh: [6 * 65 + 2 * 66, 5 * 64 * 6 + 2 * 64 * 3],
    CapsuleMesh: [3 * 10 * 65, 3 * 9 * 64 * 6],
    PlaneMesh: [4, 6],
    QuadMesh: [4, 6],
    PrismMesh: [20, 24],
    TorusMesh: [65 * 33, 64 * 32 * 6],
  };
  for (const type of PRIMITIVE_MESH_TYPES) {
    it(`${type}: default vertex/index counts, unit normals, front faces counter-clockwise in glTF (G-MESH-1)`, () => {
      const a = primitive(type);
      expect([a.positions.length / 3, a.indices!.length]).toEqual(counts[type]);
      for (let i = 0; i < a.normals!.length; i += 3) expect(Math.hypot(a.normals![i]!, a.normals![i + 1]!, a.normals![i + 2]!)).toBeCloseTo(1, 5);
      expect(a.uvs!.length).toBe((a.positions.length / 3) * 2);
      let bad = 0;
      const checked = eachTriangle(a, (ccw, _c, vn) => {
        if (dot(ccw, vn) <= 0) bad++;
      });
      expect(checked).toBeGreaterThan(0);
      expect(bad).toBe(0);
    });
  }

  it("uses Godot's default sizes", () => {
    expect(bounds(primitive('BoxMesh'))).toEqual({ min: [-0.5, -0.5, -0.5], max: [0.5, 0.5, 0.5] });
    const sphere = bounds(primitive('SphereMesh'));
    expect(sphere.max[1]).toBeCloseTo(0.5, 6);
    expect(sphere.max[0]).toBeCloseTo(0.5, 2); // 33 ring steps: the equator itself is not sampled
    const cyl = bounds(primitive('CylinderMesh'));
    expect([cyl.min[1], cyl.max[1]]).toEqual([-1, 1]);
    expect(cyl.max[2]).toBeCloseTo(0.5, 6);
    const cap = bounds(primitive('CapsuleMesh'));
    expect(cap.max[1]).toBeCloseTo(1, 6);
    const plane = bounds(primitive('PlaneMesh'));
    expect(plane).toEqual({ min: [-1, 0, -1], max: [1, 0, 1] });
    expect(primitive('PlaneMesh').normals!.slice(0, 3)).toEqual(new Float32Array([0, 1, 0]));
    const quad = primitive('QuadMesh');
    expect(bounds(quad)).toEqual({ min: [-0.5, -0.5, 0], max: [0.5, 0.5, 0] });
    expect(quad.normals!.slice(0, 3)).toEqual(new Float32Array([0, 0, 1]));
    const torus = bounds(primitive('TorusMesh'));
    expect(torus.max[0]).toBeCloseTo(1, 5);
    expect(torus.max[1]).toBeCloseTo(0.25, 5);
  });

  it('honours parameters: sizes, subdivisions, cones, hemispheres, orientation', () => {
    expect(bounds(primitive('BoxMesh', { size: { type: 'Vector3', value: [1, 2, 3] } }))).toEqual({ min: [-0.5, -1, -1.5], max: [0.5, 1, 1.5] });
    expect(primitive('BoxMesh', { subdivide_width: 2n }).positions.length / 3).toBe(2 * (4 * 2 + 2 * 2 + 2 * 4));
    const cone = primitive('CylinderMesh', { top_radius: 0 });
    expect(cone.positions.length / 3).toBe(6 * 65 + 66); // no top cap
    const hemi = bounds(primitive('SphereMesh', { is_hemisphere: true }));
    expect(hemi.min[1]).toBeCloseTo(0, 6);
    const facingX = primitive('PlaneMesh', { orientation: 0n });
    expect(facingX.normals!.slice(0, 3)).toEqual(new Float32Array([1, 0, 0]));
    expect(primitive('SphereMesh', { radial_segments: 1n }).positions.length / 3).toBe(34 * 5); // Godot clamps to 4
  });

  it('flip_faces negates normals and reverses triangles, as PrimitiveMesh does', () => {
    const box = primitive('BoxMesh', { flip_faces: true });
    let inward = 0;
    eachTriangle(box, (ccw, c, vn) => {
      expect(dot(ccw, vn)).toBeGreaterThan(0);
      if (dot(ccw, c) < 0) inward++;
    });
    expect(inward).toBe(12);
  });

  it('refuses hostile sizes before allocating (G-MESH-6)', () => {
    const g = generatePrimitiveMesh('SphereMesh', new PropReader({ radial_segments: 1_000_000_000n, rings: 1_000_000_000n }), 4_000_000);
    expect(g.ok).toBe(false);
    expect(!g.ok && g.tooLarge).toBe(true);
  });
});

describe('CSG primitive shapes as their meshes (G-CSG-1)', () => {
  const tris: Record<string, number> = { CSGBox3D: 12, CSGSphere3D: 6 * 12 * 2 - 24, CSGCylinder3D: 32, CSGTorus3D: 96 };
  for (const type of CSG_SHAPE_TYPES) {
    it(`${type}: Godot's face count, outward counter-clockwise triangles`, () => {
      const a = csg(type);
      expect(a.indices!.length / 3).toBe(tris[type]);
      const R = 0.75; // torus tube centre radius for defaults 0.5 / 1
      let bad = 0;
      eachTriangle(a, (ccw, c, vn) => {
        const out = type === 'CSGTorus3D' ? (() => { const l = Math.hypot(c[0]!, c[2]!); return [c[0]! - (c[0]! / l) * R, c[1]!, c[2]! - (c[2]! / l) * R]; })() : c;
        if (dot(ccw, out) <= 0 || dot(ccw, vn) <= 0) bad++;
      });
      expect(bad).toBe(0);
    });
  }

  it('a cone has no top cap and flat caps keep flat normals', () => {
    const cone = csg('CSGCylinder3D', { cone: true });
    expect(cone.indices!.length / 3).toBe(16);
    const box = csg('CSGBox3D', { size: { type: 'Vector3', value: [2, 2, 2] } });
    expect(bounds(box)).toEqual({ min: [-1, -1, -1], max: [1, 1, 1] });
  });
});
