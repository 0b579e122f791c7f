/**
 * Proof of G-ANIM against real Godot 4 (headless), one process for every case
 * (test/e2e/godot/animations.gd): Godot builds an AnimationPlayer whose animations use every track
 * kind we map, saves it as a .tscn and samples it; we import that file with @scenesync/godot-bridge,
 * export a GLB (validator-clean), Godot imports the GLB (GLTFDocument.append_from_file +
 * generate_scene) and samples the imported animations at the same times; the local transforms of
 * every animated node must agree.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importTscnFile } from '@scenesync/godot-bridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { glbFromTree } from '../../src/export/glb-from-tree.js';
import type { GlbBytes } from '../../src/report.js';
import type { SceneTree } from '../../src/scene-types.js';
import { glbJson, validate } from '../helpers/glb.js';

const GODOT = fileURLToPath(new URL('../../../../godot-bridge/scripts/godot', import.meta.url));
const SCRIPT = fileURLToPath(new URL('./godot/animations.gd', import.meta.url));

/** The animations animations.gd builds, with their lengths. */
const LENGTHS: Record<string, number> = { moves: 2.0, steps: 1.5, curves: 1.8, 'extra/euler': 1.0 };
/** Animations that loop linearly: Godot plays their time `length` as time 0, so samples stop before it. */
const LOOPING = new Set(['moves']);
/** Largest difference allowed between Godot's own playback and Godot's playback of our GLB, per matrix component. */
const TOLERANCE = 1e-4;
/**
 * Between the 1/30 s samples of a resampled segment glTF interpolates linearly where Godot follows
 * its curve: the chord error of these curves (cubic, easing exponents up to 2.5, multi-axis Euler).
 */
const RESAMPLED_TOLERANCE = 0.05;

type Frames = Array<Record<string, number[]>>;
interface Sampled { length: number; frames: Frames }

/** Sample times: every 1/30 s (where resampled segments have their samples) and off-grid times. */
function sampleTimes(name: string): { times: number[]; onGrid: boolean[] } {
  const length = LENGTHS[name]!;
  const end = LOOPING.has(name) ? length - 1e-6 : length + 1e-9;
  const all: Array<[number, boolean]> = [];
  for (let k = 0; k / 30 <= end; k++) all.push([k / 30, true]);
  for (let t = 0.011; t < length; t += 0.137) all.push([t, false]);
  // Ascending: Godot applies discrete keys as playback crosses them.
  all.sort((a, b) => a[0] - b[0]);
  return { times: all.map((x) => x[0]), onGrid: all.map((x) => x[1]) };
}

let workDir: string;
let tree: SceneTree;
let glb: GlbBytes;
let expected: Record<string, Sampled>;
let imported: { error: number; animations: Record<string, Sampled> };

async function waitForFile(path: string, child: Promise<unknown>): Promise<void> {
  let exited = false;
  void child.finally(() => (exited = true)).catch(() => undefined);
  for (;;) {
    try {
      await stat(path);
      // Written in one store_string; give the writer a moment to close it.
      await new Promise((r) => setTimeout(r, 50));
      return;
    } catch {
      if (exited) throw new Error(`Godot exited before writing ${path}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'scenesync-gltf-anim-'));
  await writeFile(join(workDir, 'project.godot'), 'config_version=5\n[application]\nconfig/name="gltf-anim"\n');
  await copyFile(SCRIPT, join(workDir, 'animations.gd'));
  await writeFile(join(workDir, 'times.json'), JSON.stringify(Object.fromEntries(Object.keys(LENGTHS).map((n) => [n, sampleTimes(n).times]))));
  const godot = new Promise<void>((resolve, reject) => {
    execFile(GODOT, ['--path', workDir, '--script', 'res://animations.gd', '--quit-after', '4000'], { timeout: 120_000, maxBuffer: 64 * 1024 * 1024 }, (err, _out, stderr) =>
      err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(),
    );
  });
  await waitForFile(join(workDir, 'expected.json'), godot);
  tree = importTscnFile(join(workDir, 'anim.tscn')).tree as unknown as SceneTree;
  glb = glbFromTree(tree);
  await writeFile(join(workDir, 'anim.glb'), glb);
  await writeFile(join(workDir, 'go.flag'), '1');
  await godot;
  if (process.env.KEEP_GODOT_DIR) console.log(workDir);
  expected = JSON.parse(await readFile(join(workDir, 'expected.json'), 'utf8'));
  imported = JSON.parse(await readFile(join(workDir, 'imported.json'), 'utf8'));
}, 150_000);

afterAll(async () => {
  if (workDir && !process.env.KEEP_GODOT_DIR) await rm(workDir, { recursive: true, force: true });
});

describe('G-ANIM: AnimationPlayer animations round-trip through real Godot 4', () => {
  it('the GLB of the Godot-built scene passes the Khronos validator with 0 errors and 0 warnings', async () => {
    const v = await validate(glb);
    expect(v.messages).toEqual([]);
    expect(v.errors).toBe(0);
    expect(v.warnings).toBe(0);
    expect(glbJson(glb).animations.map((a: { name: string }) => a.name).sort()).toEqual(Object.keys(LENGTHS).sort());
  });

  for (const name of Object.keys(LENGTHS)) {
    it(`${name}: Godot's playback of the imported GLB matches its playback of the original scene`, () => {
      expect(imported.error).toBe(0);
      const want = expected[name]!;
      const godotName = Object.keys(imported.animations).find((n) => n === name || n === name.replace('/', '_'));
      expect(godotName, `imported animations: ${Object.keys(imported.animations).join(', ')}`).toBeDefined();
      const got = imported.animations[godotName!]!;
      const { times, onGrid } = sampleTimes(name);
      expect(want.frames.length).toBe(times.length);
      // Nodes whose tracks were written exactly (no resampled segment) must match at every time;
      // resampled ones at the 1/30 s samples (between them glTF interpolates linearly).
      const resampled = new Set(glb.report.issues.filter((i) => i.code === 'ANIMATION_RESAMPLED' && i.message.startsWith(`${name}:`)).map((i) => /^[^:]+: track \d+: ([^:\s]+)/.exec(i.message)?.[1]?.split('/').pop()));
      let worst = 0;
      let between = 0;
      const diffs: string[] = [];
      times.forEach((t, k) => {
        for (const node of Object.keys(want.frames[k]!)) {
          const a = want.frames[k]![node]!, b = got.frames[k]![node]!;
          const off = Math.max(...a.map((x, i) => Math.abs(x - b[i]!)));
          if (!onGrid[k] && resampled.has(node)) {
            between = Math.max(between, off);
            if (!(off < RESAMPLED_TOLERANCE)) diffs.push(`t=${t.toFixed(4)} ${node} (between samples): off by ${off.toExponential(2)}`);
            continue;
          }
          worst = Math.max(worst, off);
          if (!(off < TOLERANCE)) diffs.push(`t=${t.toFixed(4)} ${node}: off by ${off.toExponential(2)}`);
        }
      });
      expect(diffs.slice(0, 20)).toEqual([]);
      console.log(`${name}: ${times.length} times × ${Object.keys(want.frames[0]!).length} nodes, largest difference ${worst.toExponential(2)} (between resampled samples ${between.toExponential(2)}; resampled: ${[...resampled].join(', ') || 'none'})`);
    });
  }
});
