/**
 * Proof of G-MESH-9's handedness with real Godot 4 reading our file back: a GLB with a normal-mapped
 * material on primitive meshes and CSG shapes is imported by Godot's GLTFDocument; every imported
 * vertex's tangent (x, y, z and the binormal sign w) equals the tangent Godot's own primitive mesh
 * has at that vertex, and for CSG shapes the tangent the GLB holds. So the w written unchanged is the
 * w Godot means, including the mirrored frame of PrimitiveMesh.flip_faces.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { glbFromTree } from '../../src/export/glb-from-tree.js';
import type { Props, ResourceRecord } from '../../src/scene-types.js';
import { readGlb } from '../helpers/glb.js';
import { node, ref, res, tree } from '../helpers/scenes.js';
import { copyMeshCasesScript, toGodotValue, type Spec } from '../helpers/mesh-cases.js';

const GODOT = fileURLToPath(new URL('../../../../godot-bridge/scripts/godot', import.meta.url));
const SCRIPT = fileURLToPath(new URL('./godot/import_tangents.gd', import.meta.url));

const PRIMITIVES: Array<{ label: string; type: string; props: Record<string, Spec> }> = [
  { label: 'box', type: 'BoxMesh', props: { size: ['v3', 1, 2, 0.5] } },
  { label: 'box_flip', type: 'BoxMesh', props: { flip_faces: ['b', true] } },
  { label: 'sphere', type: 'SphereMesh', props: { radial_segments: ['i', 12], rings: ['i', 6] } },
  { label: 'cylinder', type: 'CylinderMesh', props: { radial_segments: ['i', 10], rings: ['i', 1] } },
  { label: 'capsule', type: 'CapsuleMesh', props: { radial_segments: ['i', 8], rings: ['i', 2] } },
  { label: 'plane_x', type: 'PlaneMesh', props: { orientation: ['i', 0], subdivide_width: ['i', 1] } },
  { label: 'quad', type: 'QuadMesh', props: {} },
  { label: 'prism', type: 'PrismMesh', props: { left_to_right: ['f', 0.25] } },
  { label: 'torus', type: 'TorusMesh', props: { rings: ['i', 8], ring_segments: ['i', 6] } },
];
const CSG: Array<[string, string, Props]> = [
  ['csg_box', 'CSGBox3D', {}],
  ['csg_sphere', 'CSGSphere3D', {}],
  ['csg_torus_flip', 'CSGTorus3D', { flip_faces: true }],
];

const normalMap: ResourceRecord[] = [
  res('img', 'Image', {
    data: { type: 'Dictionary', entries: [['data', { type: 'PackedByteArray', value: Uint8Array.from([128, 128, 255, 255, 160, 110, 255, 255, 110, 160, 255, 255, 128, 128, 255, 255]) }], ['format', 'RGBA8'], ['height', 2n], ['mipmaps', false], ['width', 2n]] },
  }),
  res('tex', 'ImageTexture', { image: ref('img') }),
  res('bumpy', 'StandardMaterial3D', { normal_enabled: true, normal_texture: ref('tex') }),
];

interface Arrays {
  positions: number[];
  normals: number[];
  uvs: number[];
  tangents: number[];
  indices?: number[];
}

// Godot keeps tangents as 16-bit octahedral pairs on both sides of the comparison (≤ ~2e-4 each).
const TANGENT_EPS = 5e-4;

let result: { error: number; imported: Record<string, Arrays>; own: Record<string, Arrays> };
let glbTangents: Map<string, Arrays>;
let workDir: string;

beforeAll(async () => {
  const resources = [...normalMap, ...PRIMITIVES.map((p) => res(p.label, p.type, Object.fromEntries(Object.entries(p.props).map(([k, v]) => [k, toGodotValue(v)]))))];
  const nodes = [
    ...PRIMITIVES.map((p) => node(p.label, 'MeshInstance3D', { mesh: ref(p.label), material_override: ref('bumpy') })),
    ...CSG.map(([name, type, props]) => node(name, type, { ...props, material: ref('bumpy') })),
  ];
  const glb = glbFromTree(tree(node('Root', 'Node3D', {}, nodes), resources));
  const doc = await readGlb(glb);
  glbTangents = new Map();
  for (const n of doc.getRoot().listNodes()) {
    const p = n.getMesh()?.listPrimitives()[0];
    if (!p) continue;
    const flat = (s: string): number[] => Array.from(p.getAttribute(s)!.getArray() as ArrayLike<number>);
    glbTangents.set(n.getName(), { positions: flat('POSITION'), normals: flat('NORMAL'), uvs: flat('TEXCOORD_0'), tangents: flat('TANGENT') });
  }
  workDir = await mkdtemp(join(tmpdir(), 'scenesync-gltf-tangents-'));
  await writeFile(join(workDir, 'project.godot'), 'config_version=5\n[application]\nconfig/name="gltf-tangents"\n');
  await copyFile(SCRIPT, join(workDir, 'import_tangents.gd'));
  await copyMeshCasesScript(workDir);
  await writeFile(join(workDir, 'tangents.glb'), glb);
  await writeFile(join(workDir, 'cases.json'), JSON.stringify(PRIMITIVES));
  await promisify(execFile)(GODOT, ['--path', workDir, '--script', 'res://import_tangents.gd', '--quit-after', '2000'], { timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
  result = JSON.parse(await readFile(join(workDir, 'tangents.json'), 'utf8'));
}, 180_000);

afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

/**
 * Vertex by vertex, in order: Godot's importer keeps the GLB's vertex order (which is Godot's own,
 * G-MESH-2) but merges vertices that are equal in every attribute (PrismMesh's apex rows repeat a
 * vertex) and drops ones no triangle uses. Each vertex of `got` is matched to the next vertex of
 * `want` with its position, normal and UV; `dropped` counts the vertices of `want` passed over that a
 * triangle uses and that equal no other vertex (must be none).
 */
/** Does another vertex of `a` equal vertex j in position, normal, UV and tangent? */
function duplicated(a: Arrays, j: number): boolean {
  const eq = (x: number[], w: number, i: number) => Array.from({ length: w }, (_, c) => x[i * w + c] === x[j * w + c]).every(Boolean);
  for (let i = 0; i < a.positions.length / 3; i++) if (i !== j && eq(a.positions, 3, i) && eq(a.normals, 3, i) && eq(a.uvs, 2, i) && eq(a.tangents, 4, i)) return true;
  return false;
}

function compare(got: Arrays, want: Arrays): { vertices: number; unmatched: number; dropped: number; maxDiff: number; signs: number } {
  const used = new Set(want.indices?.length ? want.indices : Array.from({ length: want.positions.length / 3 }, (_, i) => i));
  const same = (i: number, j: number): boolean =>
    [0, 1, 2].every((k) => Math.abs(got.positions[i * 3 + k]! - want.positions[j * 3 + k]!) < 1e-4 && Math.abs(got.normals[i * 3 + k]! - want.normals[j * 3 + k]!) < 1e-2) &&
    [0, 1].every((k) => Math.abs(got.uvs[i * 2 + k]! - want.uvs[j * 2 + k]!) < 1e-4);
  const vertices = got.positions.length / 3;
  let unmatched = 0, dropped = 0, maxDiff = 0, signs = 0, j = 0;
  for (let i = 0; i < vertices; i++) {
    let k = j;
    while (k < want.positions.length / 3 && !same(i, k)) k++;
    if (k === want.positions.length / 3) {
      unmatched++;
      continue;
    }
    for (; j < k; j++) if (used.has(j) && !duplicated(want, j)) dropped++;
    for (let c = 0; c < 3; c++) maxDiff = Math.max(maxDiff, Math.abs(got.tangents[i * 4 + c]! - want.tangents[k * 4 + c]!));
    if (got.tangents[i * 4 + 3] !== want.tangents[k * 4 + 3]) signs++;
    j = k + 1;
  }
  return { vertices, unmatched, dropped, maxDiff, signs };
}

describe('real Godot 4 imports our TANGENT as its own tangents (G-MESH-1, G-MESH-9)', () => {
  it('the GLB imports without error', () => {
    expect(result.error).toBe(0);
  });
  for (const p of PRIMITIVES) {
    it(`${p.type} ${p.label}: imported tangents equal those of Godot's own ${p.type}, sign included`, () => {
      const c = compare(result.imported[p.label]!, result.own[p.label]!);
      expect(c.vertices).toBeGreaterThan(0);
      expect([c.unmatched, c.dropped]).toEqual([0, 0]);
      expect(c.maxDiff).toBeLessThan(TANGENT_EPS);
      expect(c.signs).toBe(0);
    });
  }
  for (const [name, type] of CSG) {
    it(`${type} ${name}: imported tangents equal the ones in the GLB, sign included`, () => {
      const c = compare(result.imported[name]!, glbTangents.get(name)!);
      expect(c.vertices).toBeGreaterThan(0);
      expect([c.unmatched, c.dropped]).toEqual([0, 0]);
      expect(c.maxDiff).toBeLessThan(TANGENT_EPS);
      expect(c.signs).toBe(0);
    });
  }
});
