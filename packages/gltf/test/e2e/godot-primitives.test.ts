/**
 * Proof of G-MESH-2 and G-CSG-1 against real Godot 4 (headless, the Godot runtime set up by
 * godot-bridge/scripts/install-godot.sh): Godot generates each primitive and CSG shape itself, and our
 * generators must give the same vertices (positions, normals, UVs) and the same triangles.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PropReader } from '../../src/godot/props.js';
import { generateCsgMesh, generatePrimitiveMesh } from '../../src/primitives/index.js';
import type { MeshArrays } from '../../src/primitives/mesh-arrays.js';
import type { GodotValue } from '../../src/scene-types.js';

const GODOT = fileURLToPath(new URL('../../../../godot-bridge/scripts/godot', import.meta.url));
const SCRIPT = fileURLToPath(new URL('./godot/dump_primitives.gd', import.meta.url));

type Spec = ['f', number] | ['i', number] | ['b', boolean] | ['v2', number, number] | ['v3', number, number, number];
interface Case {
  label: string;
  type: string;
  props: Record<string, Spec>;
}
const CASES: Case[] = [
  { label: 'box', type: 'BoxMesh', props: {} },
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
];

interface Dumped {
  label: string;
  positions: number[];
  normals: number[];
  uvs: number[];
  indices: number[];
}

function toGodotValue(s: Spec): GodotValue {
  switch (s[0]) {
    case 'f':
      return s[1];
    case 'i':
      return BigInt(s[1]);
    case 'b':
      return s[1];
    case 'v2':
      return { type: 'Vector2', value: [s[1], s[2]] };
    case 'v3':
      return { type: 'Vector3', value: [s[1], s[2], s[3]] };
  }
}

function ours(c: Case): MeshArrays {
  const props = Object.fromEntries(Object.entries(c.props).map(([k, v]) => [k, toGodotValue(v)]));
  const g = c.type.startsWith('CSG') ? generateCsgMesh(c.type, new PropReader(props), 1e7) : generatePrimitiveMesh(c.type, new PropReader(props), 1e7);
  if (!g.ok) throw new Error(g.reason);
  return g.arrays;
}

/**
 * Triangles keyed by their positions (rounded to 1e-3), each rotated so its smallest vertex comes
 * first (cyclic order, hence winding, kept), with the normals and UVs of its three vertices in that
 * order: a vertex-order-independent view of a triangle soup.
 */
function triangles(p: ArrayLike<number>, n: ArrayLike<number>, uv: ArrayLike<number>, idx: ArrayLike<number> | undefined): Map<string, number[][]> {
  const count = idx ? idx.length : p.length / 3;
  const r = (x: number) => (Math.round(x * 1e3) / 1e3 + 0).toFixed(3);
  const out = new Map<string, number[][]>();
  for (let t = 0; t < count; t += 3) {
    const v = [0, 1, 2].map((k) => (idx ? idx[t + k]! : t + k));
    const keys = v.map((i) => `${r(p[i * 3]!)},${r(p[i * 3 + 1]!)},${r(p[i * 3 + 2]!)}`);
    const first = keys.indexOf([...keys].sort()[0]!);
    const order = [first, (first + 1) % 3, (first + 2) % 3];
    out.set(order.map((k) => keys[k]).join(' ; '), order.map((k) => [n[v[k]! * 3]!, n[v[k]! * 3 + 1]!, n[v[k]! * 3 + 2]!, uv[v[k]! * 2]!, uv[v[k]! * 2 + 1]!]));
  }
  return out;
}

const maxDiff = (x: ArrayLike<number>, y: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < y.length; i++) m = Math.max(m, Math.abs(y[i]! - x[i]!));
  return m;
};

// Godot stores normals in its vertex format as 16-bit octahedral pairs, so the normals it returns
// carry up to ~2e-4 of quantisation error; positions and UVs are 32-bit floats.
const NORMAL_EPS = 5e-4;
const EPS = 2e-5;

let dumped: Map<string, Dumped>;
let workDir: string;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'scenesync-gltf-godot-'));
  await writeFile(join(workDir, 'project.godot'), 'config_version=5\n[application]\nconfig/name="gltf-primitives"\n');
  await copyFile(SCRIPT, join(workDir, 'dump_primitives.gd'));
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
    it(`${c.type} ${c.label}: same vertex arrays and the same index list`, () => {
      const g = dumped.get(c.label)!;
      const a = ours(c);
      expect(a.positions.length).toBe(g.positions.length);
      expect(Array.from(a.indices!)).toEqual(g.indices);
      expect(maxDiff(a.positions, g.positions)).toBeLessThan(EPS);
      expect(maxDiff(a.normals!, g.normals)).toBeLessThan(NORMAL_EPS);
      expect(maxDiff(a.uvs!, g.uvs)).toBeLessThan(EPS);
    });
  }
});

describe('CSG shapes equal the meshes real Godot 4 builds for a lone shape (G-CSG-1)', () => {
  for (const c of CASES.filter((x) => x.type.startsWith('CSG'))) {
    it(`${c.type} ${c.label}: the same triangles (positions, winding, normals, UVs)`, () => {
      const g = dumped.get(c.label)!;
      const a = ours(c);
      const mine = triangles(a.positions, a.normals!, a.uvs!, a.indices);
      const godot = triangles(g.positions, g.normals, g.uvs, g.indices.length ? g.indices : undefined);
      expect([...mine.keys()].sort()).toEqual([...godot.keys()].sort());
      let normals = 0, uvs = 0;
      for (const [key, verts] of godot) {
        const ours = mine.get(key)!;
        for (let k = 0; k < 3; k++) {
          normals = Math.max(normals, maxDiff(ours[k]!.slice(0, 3), verts[k]!.slice(0, 3)));
          uvs = Math.max(uvs, maxDiff(ours[k]!.slice(3), verts[k]!.slice(3)));
        }
      }
      expect(normals).toBeLessThan(NORMAL_EPS);
      expect(uvs).toBeLessThan(EPS);
    });
  }
});
