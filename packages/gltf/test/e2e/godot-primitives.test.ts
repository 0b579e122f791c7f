/**
 * Proof of G-MESH-2 and G-CSG-1 against real Godot 4 (headless, the Godot runtime set up by
 * godot-bridge/scripts/install-godot.sh): Godot generates each primitive and CSG shape itself, and our
 * generators must give the same vertices (positions, normals, UVs, tangents with their binormal sign)
 * and the same triangles (G-MESH-2, G-MESH-9, G-CSG-1).
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PropReader } from '../../src/godot/props.js';
import { csgTangents, generateCsgMesh, generatePrimitiveMesh } from '../../src/primitives/index.js';
import type { MeshArrays } from '../../src/primitives/mesh-arrays.js';
import { copyMeshCasesScript, toGodotValue, type Spec } from '../helpers/mesh-cases.js';

const GODOT = fileURLToPath(new URL('../../../../godot-bridge/scripts/godot', import.meta.url));
const SCRIPT = fileURLToPath(new URL('./godot/dump_primitives.gd', import.meta.url));

interface Case {
  label: string;
  type: string;
  props: Record<string, Spec>;
}
const CASES: Case[] = [
  { label: 'box', type: 'BoxMesh', props: {} },
  { label: 'box-flip', type: 'BoxMesh', props: { flip_faces: ['b', true] } },
  { label: 'box-sub', type: 'BoxMesh', props: { size: ['v3', 1, 2, 3], subdivide_width: ['i', 2], subdivide_height: ['i', 1], subdivide_depth: ['i', 3] } },
  { label: 'sphere', type: 'SphereMesh', props: {} },
  { label: 'hemisphere', type: 'SphereMesh', props: { radius: ['f', 0.7], height: ['f', 0.5], radial_segments: ['i', 12], rings: ['i', 5], is_hemisphere: ['b', true] } },
  { label: 'cylinder', type: 'CylinderMesh', props: {} },
  { label: 'cone', type: 'CylinderMesh', props: { top_radius: ['f', 0], bottom_radius: ['f', 0.8], height: ['f', 1.5], radial_segments: ['i', 10], rings: ['i', 1] } },
  { label: 'capsule', type: 'CapsuleMesh', props: {} },
  { label: 'capsule-small', type: 'CapsuleMesh', props: { radius: ['f', 0.3], height: ['f', 1.2], radial_segments: ['i', 9], rings: ['i', 2] } },
  { label: 'plane', type: 'PlaneMesh', props: {} },
  { label: 'plane-x', type: 'PlaneMesh', props: { size: ['v2', 3, 1], subdivide_width: ['i', 2], subdivide_depth: ['i', 1], orientation: ['i', 0], center_offset: ['v3', 0.5, 0, -1] } },
  { label: 'quad', type: 'QuadMesh', props: {} },
  { label: 'prism', type: 'PrismMesh', props: {} },
  { label: 'prism-sub', type: 'PrismMesh', props: { left_to_right: ['f', 0.2], size: ['v3', 2, 1, 0.5], subdivide_width: ['i', 1], subdivide_height: ['i', 2], subdivide_depth: ['i', 1] } },
  { label: 'torus', type: 'TorusMesh', props: {} },
  { label: 'torus-flip', type: 'TorusMesh', props: { inner_radius: ['f', 1.2], outer_radius: ['f', 0.4], rings: ['i', 10], ring_segments: ['i', 7], flip_faces: ['b', true] } },
  { label: 'csg-box', type: 'CSGBox3D', props: { size: ['v3', 1, 2, 0.5] } },
  { label: 'csg-sphere', type: 'CSGSphere3D', props: {} },
  { label: 'csg-sphere-flat', type: 'CSGSphere3D', props: { radius: ['f', 0.8], radial_segments: ['i', 7], rings: ['i', 4], smooth_faces: ['b', false] } },
  { label: 'csg-cylinder', type: 'CSGCylinder3D', props: {} },
  { label: 'csg-cone', type: 'CSGCylinder3D', props: { cone: ['b', true], sides: ['i', 6] } },
  { label: 'csg-torus', type: 'CSGTorus3D', props: {} },
  { label: 'csg-torus-flip', type: 'CSGTorus3D', props: { inner_radius: ['f', 0.3], outer_radius: ['f', 0.9], sides: ['i', 5], ring_sides: ['i', 4], flip_faces: ['b', true] } },
  { label: 'csg-sphere-flip', type: 'CSGSphere3D', props: { radial_segments: ['i', 9], rings: ['i', 5], flip_faces: ['b', true] } },
  { label: 'csg-cone-flat', type: 'CSGCylinder3D', props: { cone: ['b', true], sides: ['i', 7], smooth_faces: ['b', false], height: ['f', 1.3] } },
];

interface Dumped {
  label: string;
  positions: number[];
  normals: number[];
  uvs: number[];
  tangents: number[];
  indices: number[];
}

function ours(c: Case): MeshArrays {
  const props = Object.fromEntries(Object.entries(c.props).map(([k, v]) => [k, toGodotValue(v)]));
  const g = c.type.startsWith('CSG') ? generateCsgMesh(c.type, new PropReader(props), 1e7) : generatePrimitiveMesh(c.type, new PropReader(props), 1e7);
  if (!g.ok) throw new Error(g.reason);
  const a = g.arrays;
  // CSG tangents are made on demand by the exporter (G-MESH-9); the same function, on the same arrays.
  if (c.type.startsWith('CSG')) a.tangents = csgTangents(a.positions, a.normals!, a.uvs!, a.indices!);
  return a;
}

/**
 * Triangles keyed by their positions (rounded to 1e-3), each rotated so its smallest vertex comes
 * first (cyclic order, hence winding, kept), with the normals and UVs of its three vertices in that
 * order: a vertex-order-independent view of a triangle soup.
 */
function triangles(p: ArrayLike<number>, n: ArrayLike<number>, uv: ArrayLike<number>, tan: ArrayLike<number>, idx: ArrayLike<number> | undefined): Map<string, number[][]> {
  const count = idx ? idx.length : p.length / 3;
  const r = (x: number) => (Math.round(x * 1e3) / 1e3 + 0).toFixed(3);
  const out = new Map<string, number[][]>();
  for (let t = 0; t < count; t += 3) {
    const v = [0, 1, 2].map((k) => (idx ? idx[t + k]! : t + k));
    const keys = v.map((i) => `${r(p[i * 3]!)},${r(p[i * 3 + 1]!)},${r(p[i * 3 + 2]!)}`);
    const first = keys.indexOf([...keys].sort()[0]!);
    const order = [first, (first + 1) % 3, (first + 2) % 3];
    out.set(
      order.map((k) => keys[k]).join(' ; '),
      order.map((k) => {
        const i = v[k]!;
        return [n[i * 3]!, n[i * 3 + 1]!, n[i * 3 + 2]!, uv[i * 2]!, uv[i * 2 + 1]!, tan[i * 4]!, tan[i * 4 + 1]!, tan[i * 4 + 2]!, tan[i * 4 + 3]!];
      }),
    );
  }
  return out;
}

/** A corner as meshoptimizer welds it: position (rounded, as in the triangle keys), normal and UV. */
const cornerKey = (position: string, vertex: number[]): string => `${position}|${vertex.slice(0, 5).map((x) => x.toFixed(3)).join(',')}`;

/**
 * Corners whose tangent Godot computes in an order- or rounding-dependent way: those welded to a
 * triangle with (next to) zero UV area. The sign of such a triangle's UV determinant is rounding noise,
 * and meshoptimizer joins an exactly degenerate one to whichever neighbouring orientation group it
 * meets first, in the order Manifold's boolean pass leaves the triangles, which the exporter does not
 * reproduce (G-MESH-9). `corners` counts the triangle corners that fall on such welded points.
 */
function cornersNearDegenerateUvs(tris: Map<string, number[][]>): Set<string> & { corners: number } {
  const keys = new Set<string>() as Set<string> & { corners: number };
  for (const [key, v] of tris) {
    const det = (v[1]![3]! - v[0]![3]!) * (v[2]![4]! - v[0]![4]!) - (v[1]![4]! - v[0]![4]!) * (v[2]![3]! - v[0]![3]!);
    if (Math.abs(det) > 1e-6) continue;
    key.split(' ; ').forEach((p, k) => keys.add(cornerKey(p, v[k]!)));
  }
  keys.corners = 0;
  for (const [key, v] of tris) key.split(' ; ').forEach((p, k) => (keys.corners += keys.has(cornerKey(p, v[k]!)) ? 1 : 0));
  return keys;
}

const maxDiff = (x: ArrayLike<number>, y: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < y.length; i++) m = Math.max(m, Math.abs(y[i]! - x[i]!));
  return m;
};

// Godot stores normals and tangents in its vertex format as 16-bit octahedral pairs (the tangent's
// binormal sign in the second value's top or bottom half), so the directions it returns carry up to
// ~2e-4 of quantisation error and w comes back exactly ±1; positions and UVs are 32-bit floats.
const NORMAL_EPS = 5e-4;
const EPS = 2e-5;

let dumped: Map<string, Dumped>;
let workDir: string;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'scenesync-gltf-godot-'));
  await writeFile(join(workDir, 'project.godot'), 'config_version=5\n[application]\nconfig/name="gltf-primitives"\n');
  await copyFile(SCRIPT, join(workDir, 'dump_primitives.gd'));
  await copyMeshCasesScript(workDir);
  await writeFile(join(workDir, 'cases.json'), JSON.stringify(CASES));
  await promisify(execFile)(GODOT, ['--path', workDir, '--script', 'res://dump_primitives.gd', '--quit-after', '2000'], { timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
  const list = JSON.parse(await readFile(join(workDir, 'out.json'), 'utf8')) as Dumped[];
  dumped = new Map(list.map((d) => [d.label, d]));
}, 180_000);

afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('primitive meshes equal the ones real Godot 4 generates (G-MESH-2)', () => {
  for (const c of CASES.filter((x) => !x.type.startsWith('CSG'))) {
    it(`${c.type} ${c.label}: same vertex arrays (tangents included) and the same index list`, () => {
      const g = dumped.get(c.label)!;
      const a = ours(c);
      expect(a.positions.length).toBe(g.positions.length);
      expect(Array.from(a.indices!)).toEqual(g.indices);
      expect(maxDiff(a.positions, g.positions)).toBeLessThan(EPS);
      expect(maxDiff(a.normals!, g.normals)).toBeLessThan(NORMAL_EPS);
      expect(maxDiff(a.uvs!, g.uvs)).toBeLessThan(EPS);
      expect(a.tangents!.length).toBe(g.tangents.length);
      expect(maxDiff(a.tangents!, g.tangents)).toBeLessThan(NORMAL_EPS);
      expect(Array.from(a.tangents!.filter((_, i) => i % 4 === 3))).toEqual(g.tangents.filter((_, i) => i % 4 === 3));
    });
  }
});

describe('CSG shapes equal the meshes real Godot 4 builds for a lone shape (G-CSG-1)', () => {
  for (const c of CASES.filter((x) => x.type.startsWith('CSG'))) {
    it(`${c.type} ${c.label}: the same triangles (positions, winding, normals, UVs, tangents)`, () => {
      const g = dumped.get(c.label)!;
      const a = ours(c);
      const mine = triangles(a.positions, a.normals!, a.uvs!, a.tangents!, a.indices);
      const godot = triangles(g.positions, g.normals, g.uvs, g.tangents, g.indices.length ? g.indices : undefined);
      expect([...mine.keys()].sort()).toEqual([...godot.keys()].sort());
      const orderDependent = cornersNearDegenerateUvs(godot);
      let normals = 0, uvs = 0, tangents = 0, signs = 0, compared = 0;
      for (const [key, verts] of godot) {
        const ours = mine.get(key)!;
        const positions = key.split(' ; ');
        for (let k = 0; k < 3; k++) {
          normals = Math.max(normals, maxDiff(ours[k]!.slice(0, 3), verts[k]!.slice(0, 3)));
          uvs = Math.max(uvs, maxDiff(ours[k]!.slice(3, 5), verts[k]!.slice(3, 5)));
          if (orderDependent.has(cornerKey(positions[k]!, verts[k]!))) continue;
          compared++;
          tangents = Math.max(tangents, maxDiff(ours[k]!.slice(5, 8), verts[k]!.slice(5, 8)));
          if (ours[k]![8] !== verts[k]![8]) signs++;
        }
      }
      expect(normals).toBeLessThan(NORMAL_EPS);
      expect(uvs).toBeLessThan(EPS);
      // Every corner is compared unless the shape has triangles with zero UV area (G-MESH-9).
      expect(compared).toBe(godot.size * 3 - orderDependent.corners);
      expect(compared).toBeGreaterThan(0);
      expect(tangents).toBeLessThan(NORMAL_EPS);
      expect(signs).toBe(0);
    });
  }
});
