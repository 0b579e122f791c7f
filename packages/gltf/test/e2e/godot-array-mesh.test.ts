/**
 * Proof of G-MESH-3 and G-MESH-8 against real Godot 4 (headless, the Godot runtime set up by
 * godot-bridge/scripts/install-godot.sh): Godot builds ArrayMeshes with every attribute combination
 * we decode and saves them in a .tscn (its packed `vertex_data` layout); we read that file with
 * @scenesync/godot-bridge's .tscn importer, decode it and must get what Godot's own
 * `surface_get_arrays()` returns for the same file. One Godot process runs every case.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Document, NodeIO } from '@gltf-transform/core';
import { importTscn, readVariant, TscnScanner } from '@scenesync/godot-bridge';
import validator from 'gltf-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { glbFromTree } from '../../src/export/glb-from-tree.js';
import { readArrayMesh, isGodotFillerTangents, type ArrayMeshRead } from '../../src/mapping/array-mesh.js';
import { gltfAttributes } from '../../src/mapping/gltf-attributes.js';
import { toGltfWinding, type MeshArrays } from '../../src/primitives/mesh-arrays.js';
import type { GodotValue, SceneTree, TreeNode } from '../../src/scene-types.js';
import { validate } from '../helpers/glb.js';

const GODOT = fileURLToPath(new URL('../../../../godot-bridge/scripts/godot', import.meta.url));
const SCRIPT = fileURLToPath(new URL('./godot/array_meshes.gd', import.meta.url));

interface SurfaceSpec {
  n: number;
  normals?: boolean;
  tangents?: boolean;
  colors?: boolean;
  uv?: boolean;
  uv2?: boolean;
  /** UVs in [-3, 4] instead of [0, 1]: with compression, Godot stores a uv_scale. */
  wide?: boolean;
  indexed?: boolean;
  compress?: boolean;
  primitive?: number;
  custom0?: boolean;
  skin?: boolean;
  lods?: boolean;
  blend?: boolean;
}
interface Case extends Partial<SurfaceSpec> {
  label: string;
  /** Several surfaces in one mesh (else the case itself is the one surface). */
  surfaces?: SurfaceSpec[];
  /** Also compare a Godot 4.0/4.1 (format version 1) copy of the first surface. */
  v1?: boolean;
  /** A SurfaceTool mesh whose tangents Godot computes (MikkTSpace). */
  mikk?: boolean;
}

const ALL = { normals: true, tangents: true, colors: true, uv: true, uv2: true } as const;
const CASES: Case[] = [
  { label: 'positions', n: 48, indexed: true },
  { label: 'normals', n: 48, normals: true },
  { label: 'all', n: 60, ...ALL, indexed: true, v1: true },
  { label: 'all_flat', n: 60, ...ALL, v1: true },
  { label: 'all_compressed', n: 60, ...ALL, indexed: true, compress: true },
  { label: 'all_compressed_wide_uv', n: 60, ...ALL, wide: true, compress: true },
  { label: 'compressed_positions', n: 48, indexed: true, compress: true },
  { label: 'compressed_normals', n: 48, normals: true, uv: true, compress: true },
  { label: 'uv2_colors', n: 48, uv2: true, colors: true, v1: true },
  { label: 'normals_v1', n: 30, normals: true, uv: true, indexed: true, v1: true },
  { label: 'lines', n: 40, primitive: 1, indexed: true, normals: true, colors: true },
  { label: 'strip', n: 40, primitive: 4, normals: true, tangents: true, uv: true },
  { label: 'points', n: 20, primitive: 0, normals: true, tangents: true, colors: true },
  { label: 'extras', n: 48, normals: true, tangents: true, uv: true, uv2: true, indexed: true, custom0: true, skin: true, lods: true, blend: true },
  { label: 'multi', surfaces: [{ n: 24, normals: true, uv: true, indexed: true }, { n: 33, ...ALL, compress: true }] },
  { label: 'big_65536', n: 65536, indexed: true },
  { label: 'big_u32', n: 70002, indexed: true, normals: true },
  { label: 'big_u32_compressed', n: 70002, indexed: true, uv: true, wide: true, compress: true },
  { label: 'mikk', mikk: true },
];

interface Dumped {
  label: string;
  source_positions: string | null;
  surface: number;
  primitive: number;
  format: string;
  positions: string | null;
  normals: string | null;
  tangents: string | null;
  colors: string | null;
  uvs: string | null;
  uv2: string | null;
  indices: string | null;
}

const f32 = (b64: string | null): Float32Array | undefined => {
  if (b64 === null) return undefined;
  const buf = Buffer.from(b64, 'base64');
  return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
};
const i32 = (b64: string | null): Int32Array | undefined => {
  if (b64 === null) return undefined;
  const buf = Buffer.from(b64, 'base64');
  return new Int32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
};
const maxDiff = (x: ArrayLike<number>, y: ArrayLike<number>): number => {
  expect(x.length).toBe(y.length);
  let m = 0;
  for (let i = 0; i < y.length; i++) m = Math.max(m, Math.abs(y[i]! - x[i]!));
  return m;
};

// Godot decodes in 32-bit floats; we follow its steps with Math.fround, so only the last bits of
// trigonometry and square roots may differ. Uncompressed positions and UVs are copied bytes (exact).
const EPS = 1e-5;
const measured = { positions: 0, normals: 0, tangents: 0, colors: 0, uvs: 0, quantisedSteps: 0, compared: 0 };

let dumped: Map<string, Dumped[]>;
let tree: SceneTree;
let workDir: string;
const reads = new Map<string, ArrayMeshRead>();

function meshSurfaces(label: string): GodotValue {
  const node = tree.children.find((c: TreeNode) => c.name === label)!;
  const ref = node.props.mesh as { type: 'Resource'; id: string };
  return tree.resources![ref.id]!.props._surfaces!;
}

function compare(ours: MeshArrays, godot: Dumped, unexpressed: readonly string[]): void {
  const positions = f32(godot.positions);
  const source = f32(godot.source_positions);
  const compressed = (BigInt(godot.format) & (1n << 29n)) !== 0n;
  if (positions) {
    measured.positions = Math.max(measured.positions, maxDiff(ours.positions, positions));
  } else {
    // Godot 4.6 returns no vertex array for a compressed surface without normals (its decoder skips
    // storing it); the positions it was given are the reference, within one 16-bit step of the AABB.
    expect(compressed && godot.normals === null).toBe(true);
    expect(source).toBeDefined();
    for (let k = 0; k < 3; k++) {
      let lo = Infinity, hi = -Infinity, worst = 0;
      for (let i = k; i < source!.length; i += 3) {
        lo = Math.min(lo, source![i]!);
        hi = Math.max(hi, source![i]!);
      }
      for (let i = k; i < source!.length; i += 3) worst = Math.max(worst, Math.abs(ours.positions[i]! - source![i]!));
      expect(worst).toBeLessThanOrEqual((hi - lo) / 65535 + EPS);
      measured.quantisedSteps = Math.max(measured.quantisedSteps, worst / ((hi - lo) / 65535));
    }
  }
  if (source && !compressed) expect(maxDiff(ours.positions, source)).toBe(0);
  expect(ours.primitive).toBe(godot.primitive);
  const indices = i32(godot.indices);
  if (indices) expect(Array.from(ours.indices!)).toEqual(Array.from(indices));
  else expect(ours.indices).toBeUndefined();
  const normals = f32(godot.normals);
  if (normals) measured.normals = Math.max(measured.normals, maxDiff(ours.normals!, normals));
  else expect(ours.normals).toBeUndefined();
  const tangents = f32(godot.tangents);
  if (tangents && normals && isGodotFillerTangents(tangents, normals)) {
    expect(ours.tangents).toBeUndefined(); // Godot's stand-in for "no tangents" (G-MESH-3)
  } else if (tangents && ours.primitive !== 0) {
    measured.tangents = Math.max(measured.tangents, maxDiff(ours.tangents!, tangents));
  } else {
    expect(ours.tangents).toBeUndefined();
  }
  if (godot.uv2 !== null && godot.uvs === null) {
    // A second UV set without a first has no place in glTF (TEXCOORD_1 needs TEXCOORD_0): reported.
    expect(ours.uv2).toBeUndefined();
    expect(unexpressed).toContain('tex_uv2');
  }
  const uv2 = godot.uvs === null ? null : godot.uv2;
  for (const [key, mine, theirs] of [['colors', ours.colors, godot.colors], ['uvs', ours.uvs, godot.uvs], ['uvs', ours.uv2, uv2]] as const) {
    const g = f32(theirs);
    if (g) measured[key] = Math.max(measured[key], maxDiff(mine!, g));
    else expect(mine).toBeUndefined();
  }
  measured.compared++;
}

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'scenesync-gltf-arraymesh-'));
  await writeFile(join(workDir, 'project.godot'), 'config_version=5\n[application]\nconfig/name="gltf-array-meshes"\n');
  await copyFile(SCRIPT, join(workDir, 'array_meshes.gd'));
  await writeFile(join(workDir, 'cases.json'), JSON.stringify(CASES));
  await promisify(execFile)(GODOT, ['--path', workDir, '--script', 'res://array_meshes.gd'], { timeout: 180_000, maxBuffer: 64 * 1024 * 1024 });
  const list = JSON.parse(await readFile(join(workDir, 'out.json'), 'utf8')) as Dumped[];
  dumped = new Map();
  for (const d of list) dumped.set(d.label, [...(dumped.get(d.label) ?? []), d]);
  // Godot 4.3+ marks scenes holding base64 PackedByteArrays (every ArrayMesh) `format=4`; the bridge's
  // importer parses that syntax but its header check still accepts only format=3, so the header is
  // relabelled here (nothing else in the file is touched).
  const text = await readFile(join(workDir, 'meshes.tscn'), 'utf8');
  expect(text.startsWith('[gd_scene format=4')).toBe(true);
  tree = importTscn(text.replace(/^\[gd_scene format=4/, '[gd_scene format=3')).tree as unknown as SceneTree;
  for (const c of CASES) reads.set(c.label, readArrayMesh(meshSurfaces(c.label), 1e7));
}, 240_000);

afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
  // The measured worst differences (for docs/gltf-mapping.md's proof section).
  console.log(`godot-array-mesh: ${measured.compared} surfaces compared; max |diff| ${JSON.stringify(measured)}`);
});

describe('packed ArrayMesh surfaces decode to what real Godot 4 returns (G-MESH-8)', () => {
  for (const c of CASES) {
    it(`${c.label}: every array equals Godot's surface_get_arrays() of the saved .tscn`, () => {
      const read = reads.get(c.label)!;
      const godot = dumped.get(c.label)!;
      expect(read.problems).toEqual([]);
      expect(read.surfaces.length).toBe(godot.length);
      read.surfaces.forEach((s, i) => compare(s.arrays, godot[i]!, read.unexpressed));
      expect(measured.positions).toBeLessThan(EPS);
      expect(measured.normals).toBeLessThan(EPS);
      expect(measured.tangents).toBeLessThan(EPS);
      expect(measured.colors).toBeLessThan(EPS);
      expect(measured.uvs).toBeLessThan(EPS);
    });
  }

  for (const c of CASES.filter((x) => x.v1)) {
    it(`${c.label}: a Godot 4.0/4.1 (format version 1) copy decodes to what Godot upgrades it to`, async () => {
      const text = await readFile(join(workDir, `v1_${c.label}.txt`), 'utf8');
      const dict = readVariant(new TscnScanner(text), { subResource: () => null, extResource: () => null, unknown: () => {} }) as GodotValue;
      const read = readArrayMesh([dict], 1e7);
      expect(read.problems).toEqual([]);
      compare(read.surfaces[0]!.arrays, dumped.get(`v1_${c.label}`)![0]!, read.unexpressed);
      expect(measured.positions).toBeLessThan(EPS);
      expect(measured.normals).toBeLessThan(EPS);
      expect(measured.tangents).toBeLessThan(EPS);
    });
  }

  it('uses 16-bit indices up to 65 536 vertices and 32-bit above, as Godot does', () => {
    const formatBytes = (label: string) => {
      const d = (meshSurfaces(label) as GodotValue[])[0] as unknown as { entries: Array<[string, { value: Uint8Array } | bigint]> };
      const get = (k: string) => d.entries.find(([key]) => key === k)![1];
      return (get('index_data') as { value: Uint8Array }).value.length / Number(get('index_count') as bigint);
    };
    expect(formatBytes('big_65536')).toBe(2);
    expect(formatBytes('big_u32')).toBe(4);
    expect(reads.get('big_u32')!.surfaces[0]!.arrays.indices!.some((i) => i > 65535)).toBe(true);
  });

  it('reports what it does not write: custom, bones, weights, blend shapes, LODs, tangents on points, UV2 without UV (G-MESH-3)', () => {
    expect(reads.get('extras')!.unexpressed.sort()).toEqual(['blend_shapes', 'bones', 'custom0', 'lods', 'weights']);
    expect(reads.get('points')!.unexpressed).toEqual(['tangent']);
    expect(reads.get('uv2_colors')!.unexpressed).toEqual(['tex_uv2']);
    expect(reads.get('all')!.unexpressed).toEqual([]);
  });

  it("keeps Godot's tangent sign: bitangent = cross(normal, tangent)·w points up the texture (−V), as glTF defines it (G-MESH-1)", () => {
    const arrays = reads.get('mikk')!.surfaces[0]!.arrays;
    const { positions: p, normals: n, tangents: t, uvs: uv } = arrays;
    expect(t).toBeDefined();
    const { indices } = toGltfWinding(arrays);
    let checked = 0;
    for (let k = 0; k < indices!.length; k += 3) {
      const [a, b, c] = [indices![k]!, indices![k + 1]!, indices![k + 2]!];
      const e1 = [0, 1, 2].map((j) => p[b * 3 + j]! - p[a * 3 + j]!);
      const e2 = [0, 1, 2].map((j) => p[c * 3 + j]! - p[a * 3 + j]!);
      const du1 = uv![b * 2]! - uv![a * 2]!, dv1 = uv![b * 2 + 1]! - uv![a * 2 + 1]!;
      const du2 = uv![c * 2]! - uv![a * 2]!, dv2 = uv![c * 2 + 1]! - uv![a * 2 + 1]!;
      const r = 1 / (du1 * dv2 - du2 * dv1);
      const dPdu = [0, 1, 2].map((j) => (e1[j]! * dv2 - e2[j]! * dv1) * r);
      const dPdv = [0, 1, 2].map((j) => (e2[j]! * du1 - e1[j]! * du2) * r);
      // glTF's front face (counter-clockwise after toGltfWinding) must face along the normals.
      const face = [e1[1]! * e2[2]! - e1[2]! * e2[1]!, e1[2]! * e2[0]! - e1[0]! * e2[2]!, e1[0]! * e2[1]! - e1[1]! * e2[0]!];
      for (const v of [a, b, c]) {
        const N = [n![v * 3]!, n![v * 3 + 1]!, n![v * 3 + 2]!];
        const T = [t![v * 4]!, t![v * 4 + 1]!, t![v * 4 + 2]!];
        const w = t![v * 4 + 3]!;
        const B = [(N[1]! * T[2]! - N[2]! * T[1]!) * w, (N[2]! * T[0]! - N[0]! * T[2]!) * w, (N[0]! * T[1]! - N[1]! * T[0]!) * w];
        const dot = (x: number[], y: number[]) => x[0]! * y[0]! + x[1]! * y[1]! + x[2]! * y[2]!;
        expect(dot(face, N)).toBeGreaterThan(0);
        expect(dot(T, dPdu)).toBeGreaterThan(0);
        // glTF's V runs down the image and a normal texture's +Y (green) runs up it: B follows −∂P/∂v.
        expect(dot(B, dPdv)).toBeLessThan(0);
        checked++;
      }
    }
    expect(checked).toBe(108);
    expect(new Set(Array.from({ length: t!.length / 4 }, (_, i) => t![i * 4 + 3]))).toEqual(new Set([1, -1]));
  });
});

describe('GLBs of these meshes pass the Khronos validator', () => {
  it('the scene exported with glbFromTree: 0 errors, 0 warnings, no mesh problems', async () => {
    const glb = glbFromTree(tree);
    const report = await validate(glb);
    expect(report.messages).toEqual([]);
    expect(report.errors).toBe(0);
    expect(report.warnings).toBe(0);
    expect(glb.report.issues.filter((i) => i.code === 'INVALID_MESH_DATA')).toEqual([]);
    expect(glb.report.stats.meshes).toBe(CASES.length);
  }, 120_000);

  it('every surface written with TANGENT and TEXCOORD_1 as gltfAttributes gives them: 0 errors, 0 warnings', async () => {
    const doc = new Document();
    const buffer = doc.createBuffer();
    const scene = doc.createScene();
    const written = new Map<string, Set<string>>();
    for (const c of CASES) {
      const mesh = doc.createMesh(c.label);
      for (const s of reads.get(c.label)!.surfaces) {
        const prim = doc.createPrimitive();
        for (const a of gltfAttributes(s.arrays)) {
          prim.setAttribute(a.semantic, doc.createAccessor().setType(a.type).setArray(a.array).setBuffer(buffer));
          written.set(c.label, (written.get(c.label) ?? new Set()).add(a.semantic));
        }
        const { mode, indices } = toGltfWinding(s.arrays);
        prim.setMode(mode as 0 | 1 | 3 | 4);
        if (indices) prim.setIndices(doc.createAccessor().setType('SCALAR').setArray(s.arrays.positions.length / 3 <= 65535 ? Uint16Array.from(indices) : indices).setBuffer(buffer));
        mesh.addPrimitive(prim);
      }
      scene.addChild(doc.createNode(c.label).setMesh(mesh));
    }
    const withSemantic = (semantic: string) => CASES.filter((c) => written.get(c.label)!.has(semantic)).map((c) => c.label);
    expect(withSemantic('TANGENT')).toEqual(['all', 'all_flat', 'all_compressed', 'all_compressed_wide_uv', 'strip', 'extras', 'multi', 'mikk']);
    expect(withSemantic('TEXCOORD_1')).toEqual(['all', 'all_flat', 'all_compressed', 'all_compressed_wide_uv', 'extras', 'multi']);
    const glb = await new NodeIO().writeBinary(doc);
    const report = await validator.validateBytes(glb, { maxIssues: 200 });
    const messages = report.issues.messages.filter((m: { severity: number }) => m.severity < 2).map((m: { code: string; message: string; pointer?: string }) => `${m.code} ${m.pointer ?? ''}: ${m.message}`);
    expect(messages).toEqual([]);
    expect(report.issues.numErrors).toBe(0);
    expect(report.issues.numWarnings).toBe(0);
  }, 120_000);
});
