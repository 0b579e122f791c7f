/**
 * Proof: real Godot 4 (headless GLTFDocument.append_from_file + generate_scene) imports our GLBs with
 * the same node names, hierarchy, world transforms, mesh/light/camera nodes and hidden flags.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { glbFromTree } from '../../src/export/glb-from-tree.js';
import type { GlbBytes } from '../../src/report.js';
import type { SceneTree } from '../../src/scene-types.js';
import { expectedFromTree } from '../helpers/compare.js';
import { loadFixture } from '../helpers/fixtures.js';
import { rng } from '../helpers/random.js';
import { randomScene } from '../helpers/random-scene.js';
import { everyTypeScene } from '../helpers/scenes.js';

const GODOT = fileURLToPath(new URL('../../../../godot-bridge/scripts/godot', import.meta.url));
const SCRIPT = fileURLToPath(new URL('./godot/import_glb.gd', import.meta.url));
const SEED = Number(process.env.SEED ?? 4242);

interface Imported {
  name: string;
  class: string;
  parentId: string;
  world: number[];
  visible: boolean;
  hasMesh: boolean;
  id: string;
}

const scenes: Record<string, SceneTree> = {
  'every-type.glb': everyTypeScene(),
  'random.glb': randomScene(rng(SEED), 300),
  'csg-demo.glb': loadFixture('csg/csg.tscn'),
  'lights-demo.glb': loadFixture('lights_and_shadows/test.tscn'),
};
const glbs: Record<string, GlbBytes> = {};
let imported: Record<string, { error: number; nodes: Imported[] }>;
let workDir: string;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'scenesync-gltf-import-'));
  await writeFile(join(workDir, 'project.godot'), 'config_version=5\n[application]\nconfig/name="gltf-import"\n');
  await copyFile(SCRIPT, join(workDir, 'import_glb.gd'));
  for (const [file, tree] of Object.entries(scenes)) {
    glbs[file] = glbFromTree(tree);
    await writeFile(join(workDir, file), glbs[file]!);
  }
  await writeFile(join(workDir, 'files.json'), JSON.stringify(Object.keys(scenes)));
  await promisify(execFile)(GODOT, ['--path', workDir, '--script', 'res://import_glb.gd', '--quit-after', '2000'], { timeout: 150_000, maxBuffer: 64 * 1024 * 1024 });
  imported = JSON.parse(await readFile(join(workDir, 'imported.json'), 'utf8'));
}, 200_000);

afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('real Godot 4 imports the GLB (GLTFDocument)', () => {
  for (const file of Object.keys(scenes)) {
    it(`${file}: same names, hierarchy, world transforms, meshes, lights, cameras, hidden nodes (seed ${SEED})`, () => {
      const result = imported[file]!;
      expect(result.error).toBe(0);
      const tree = scenes[file]!;
      const expected = expectedFromTree(tree);
      const byId = new Map(result.nodes.filter((n) => n.id).map((n) => [n.id, n]));
      const typeOf = new Map<string, { type: string; props: Record<string, unknown> }>();
      const stack = [tree as { id: string; type: string; props: Record<string, unknown>; children: readonly unknown[] }];
      while (stack.length) {
        const n = stack.pop()!;
        typeOf.set(n.id, n);
        stack.push(...(n.children as (typeof n)[]));
      }
      const diffs: string[] = [];
      for (const [id, e] of expected) {
        const g = byId.get(id);
        if (!g) {
          diffs.push(`missing ${e.name}`);
          continue;
        }
        // Godot's importer makes names unique across the whole file (GLTFDocument._gen_unique_name):
        // a name used in several branches (or equal to such a generated name) gets a number appended.
        // Ours are kept as in the scene (unique among siblings, as Godot requires).
        const renamedByGodot = g.name.startsWith(e.name.replace(/\d+$/, '')) && /^\d+$/.test(g.name.slice(e.name.replace(/\d+$/, '').length));
        if (g.name !== e.name && !renamedByGodot) diffs.push(`${id}: name ${g.name} ≠ ${e.name}`);
        if ((g.parentId || null) !== e.parent) diffs.push(`${e.name}: parent ${g.parentId} ≠ ${e.parent}`);
        // Godot's Transform3D prints basis rows; expected world is a column-major 4×4.
        const w = e.world;
        const want = [w[0], w[4], w[8], w[1], w[5], w[9], w[2], w[6], w[10], w[12], w[13], w[14]] as number[];
        const off = Math.max(...want.map((x, i) => Math.abs(x - g.world[i]!)));
        if (!(off < 2e-4)) diffs.push(`${e.name}: world transform off by ${off}`);
        const src = typeOf.get(id)!;
        if (g.visible !== (src.props.visible !== false)) diffs.push(`${e.name}: visible ${g.visible}`);
        if (['OmniLight3D', 'SpotLight3D', 'DirectionalLight3D', 'Camera3D'].includes(src.type) && g.class !== src.type) diffs.push(`${e.name}: class ${g.class} ≠ ${src.type}`);
      }
      expect(diffs).toEqual([]);
      const stats = glbs[file]!.report.stats;
      const godotMeshes = result.nodes.filter((n) => n.hasMesh).length;
      const meshNodes = JSON.parse(new TextDecoder().decode(glbs[file]!.subarray(20, 20 + new DataView(glbs[file]!.buffer).getUint32(12, true)))).nodes.filter((n: { mesh?: number }) => n.mesh !== undefined).length;
      expect(godotMeshes).toBe(meshNodes);
      expect(result.nodes.filter((n) => n.class.endsWith('Light3D')).length).toBe(stats.lights);
      expect(result.nodes.filter((n) => n.class === 'Camera3D').length).toBe(stats.cameras);
    });
  }
});
