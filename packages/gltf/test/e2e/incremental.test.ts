/**
 * Incremental exports (G-WORKER-7): the worker keeps a copy of each exported document and receives only
 * what changed since the previous export. Proven against the real @scenesync/core and a real
 * worker_threads worker: after any sequence of edits, from this peer or from another one, an incremental
 * export writes exactly the bytes and the report of a fresh in-thread export of the same state.
 */
import { SceneDoc, SceneError } from '@scenesync/core';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { exportGlb, exportGlbSync, ExportWorker, GltfExportError, prepareExports, type ConvertOptions, type GlbBytes } from '../../src/index.js';
import { nodeExportWorker } from '../../src/worker/node-export-worker.js';
import type { WorkerRequest } from '../../src/worker/protocol.js';
import { countingWorker } from '../helpers/counting-worker.js';
import { randomScene } from '../helpers/random-scene.js';
import { randomTransform, rng, seeds } from '../helpers/random.js';
import { sceneFromTree } from '../helpers/scene-doc.js';

const worker = nodeExportWorker();
afterAll(() => worker.close());

const TYPES = ['Node3D', 'MeshInstance3D', 'CSGBox3D', 'CSGSphere3D', 'OmniLight3D', 'SpotLight3D', 'Camera3D', 'Node', 'Node2D', 'GPUParticles3D'];
const MESHES = ['box', 'sphere', 'cyl', 'capsule', 'plane', 'quad', 'prism', 'torus', 'gone'];

/** Everything but `nodesReused`, which is the one thing an incremental export reports differently. */
function withoutReuse(glb: GlbBytes): unknown {
  const { nodesReused: _, ...stats } = glb.report.stats;
  return { issues: glb.report.issues, stats };
}

function expectSameExport(incremental: GlbBytes, fresh: GlbBytes, context: string): void {
  const same = Buffer.from(incremental).equals(Buffer.from(fresh));
  if (!same) {
    const text = (g: Uint8Array) => new TextDecoder().decode(g.subarray(20, 20 + new DataView(g.buffer, g.byteOffset).getUint32(12, true)));
    if (process.env.DEBUG_DIFF) { const a = JSON.parse(text(incremental)), b = JSON.parse(text(fresh)); for (const k of Object.keys(b)) if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) console.log('DIFF', k, JSON.stringify(a[k]).slice(0, 1500), '\n---\n', JSON.stringify(b[k]).slice(0, 1500)); }
    expect(text(incremental), context).toBe(text(fresh));
  }
  expect(same, context).toBe(true);
  expect(withoutReuse(incremental), context).toEqual(withoutReuse(fresh));
}

/** The Animation and AnimationLibrary ids each document's players use now. */
const animationIds = new WeakMap<SceneDoc, { anim: string; lib: string }>();

/**
 * Adds an AnimationPlayer (G-ANIM) whose animation moves its parent and rotates a child named `Same`,
 * or changes that animation's keys: animations are resolved at export time, so a changed Animation
 * resource or a renamed target must reach the next incremental export. When an undo has removed the
 * resources, new ones get new ids: core's SceneDoc reports no change when a resource removed by undo
 * is added again under the same id with other properties before the copy sees the update (reported
 * to the lead; it leaves the worker's cached resource stale), and this test is about animations.
 */
function animationEdit(scene: SceneDoc, r: () => number, pick: () => string): void {
  const keys = () => ({ type: 'PackedFloat32Array', value: new Float32Array([0, 1, r(), r(), r(), 0.5 + r(), r() < 0.5 ? 1 : -2, r(), r(), r()]) });
  let ids = animationIds.get(scene);
  const first = !ids || !scene.getResource(ids.anim) || !scene.getResource(ids.lib);
  if (first) {
    const n = Math.floor(r() * 1e9).toString(36);
    ids = { anim: `anim-${n}`, lib: `animlib-${n}` };
    animationIds.set(scene, ids);
    const path = (p: string) => ({ type: 'NodePath', value: p });
    const euler = { type: 'Dictionary', entries: [['times', { type: 'PackedFloat32Array', value: new Float32Array([0, 1]) }], ['transitions', { type: 'PackedFloat32Array', value: new Float32Array([1, 1]) }], ['update', 0n], ['values', [{ type: 'Vector3', value: [0, 0, 0] }, { type: 'Vector3', value: [r(), r(), 0] }]]] };
    scene.addResource({ id: ids.anim, type: 'Animation', props: { length: 2, loop_mode: 1n, 'tracks/0/type': 'position_3d', 'tracks/0/path': path('.'), 'tracks/0/keys': keys(), 'tracks/1/type': 'value', 'tracks/1/path': path('Same:rotation'), 'tracks/1/keys': euler } as never });
    scene.addResource({ id: ids.lib, type: 'AnimationLibrary', props: { _data: { type: 'Dictionary', entries: [[{ type: 'StringName', value: 'go' }, { type: 'Resource', id: ids.anim }]] } } as never });
  }
  if (!first && r() < 0.5) scene.setResourceProperty(ids!.anim, 'tracks/0/keys', keys() as never);
  else scene.addNode({ parent: pick() as never, name: 'Player', type: 'AnimationPlayer', props: { 'libraries/': { type: 'Resource', id: ids!.lib } } as never });
}

/** One random edit on `scene`; edits the model refuses (a move into a descendant...) are skipped. */
function randomEdit(scene: SceneDoc, r: () => number): void {
  const ids: string[] = [];
  const stack: string[] = [scene.rootId];
  while (stack.length) {
    const id = stack.pop()!;
    ids.push(id);
    stack.push(...scene.children(id));
  }
  const pick = () => ids[Math.floor(r() * ids.length)]!;
  const nonRoot = () => (ids.length > 1 ? ids[1 + Math.floor(r() * (ids.length - 1))]! : undefined);
  const k = r();
  try {
    if (k < 0.18) {
      const type = TYPES[Math.floor(r() * TYPES.length)]!;
      const props: Record<string, unknown> = {};
      if (type !== 'Node' && type !== 'Node2D') props.transform = { type: 'Transform3D', value: randomTransform(r, r() < 0.1) };
      if (type === 'MeshInstance3D') props.mesh = { type: 'Resource', id: MESHES[Math.floor(r() * MESHES.length)] };
      if (r() < 0.1) props.visible = false;
      // Names collide on purpose now and then: the model renames, and the export must follow.
      scene.addNode({ parent: pick() as never, name: r() < 0.3 ? 'Same' : `N${Math.floor(r() * 1000)}`, type, props: props as never });
    } else if (k < 0.3) {
      // Mostly leaves: removing a subtree near the root would leave little to export.
      const id = nonRoot();
      if (id && (scene.children(id).length === 0 || r() < 0.1)) scene.removeNode(id);
    } else if (k < 0.42) {
      const id = nonRoot();
      if (id) scene.moveNode(id, pick(), Math.floor(r() * 3));
    } else if (k < 0.5) {
      const id = nonRoot();
      if (id) scene.renameNode(id, r() < 0.4 ? 'Same' : `R${Math.floor(r() * 100)}`);
    } else if (k < 0.68) {
      scene.setProperty(pick(), 'transform', { type: 'Transform3D', value: randomTransform(r, r() < 0.2) } as never);
    } else if (k < 0.74) {
      scene.setProperty(pick(), 'visible', r() < 0.5);
    } else if (k < 0.8) {
      const id = pick();
      if (scene.getNode(id)?.type === 'MeshInstance3D') scene.setProperty(id, 'mesh', { type: 'Resource', id: MESHES[Math.floor(r() * MESHES.length)]! } as never);
      else scene.setProperty(id, 'light_energy', r() * 3);
    } else if (k < 0.86) {
      const rid = ['m0', 'm1', 'm2', 'sphere', 'box'][Math.floor(r() * 5)]!;
      if (rid.startsWith('m')) scene.setProperty(rid, 'albedo_color', { type: 'Color', value: [r(), r(), r(), 1] } as never);
      else if (rid === 'sphere') scene.setProperty(rid, 'radial_segments', BigInt(4 + Math.floor(r() * 30)) as never);
      else scene.setProperty(rid, 'size', { type: 'Vector3', value: [r() + 0.1, r() + 0.1, r() + 0.1] } as never);
    } else if (k < 0.9) {
      if (scene.getResource('gone')) scene.removeResource('gone');
      else scene.addResource({ id: 'gone', type: 'BoxMesh', props: { size: { type: 'Vector3', value: [r() + 0.1, 1, 1] } as never } });
    } else if (k < 0.92) {
      const id = pick();
      scene.deleteProperty(id, 'transform');
    } else if (k < 0.95) {
      animationEdit(scene, r, pick);
    } else {
      scene.undo();
    }
  } catch (e) {
    if (!(e instanceof SceneError)) throw e;
  }
}

describe('incremental exports (G-WORKER-7)', () => {
  it('after random edits from two peers, every incremental export equals a fresh export (seeded)', async () => {
    for (const seed of seeds(Number(process.env.SEEDS ?? 6))) {
      const r = rng(seed);
      // Both peers receive the scene, so undo reverts their own edits, not the scene's creation.
      const initial = Y.encodeStateAsUpdateV2(sceneFromTree(randomScene(r, 150)).doc);
      const a = new SceneDoc();
      const b = new SceneDoc();
      Y.applyUpdateV2(a.doc, initial);
      Y.applyUpdateV2(b.doc, initial);
      const sync = () => {
        Y.applyUpdateV2(a.doc, Y.encodeStateAsUpdateV2(b.doc, Y.encodeStateVector(a.doc)));
        Y.applyUpdateV2(b.doc, Y.encodeStateAsUpdateV2(a.doc, Y.encodeStateVector(b.doc)));
      };
      let reused = 0;
      let exported = 0;
      let previousOptions = '';
      for (let round = 0; round < 25; round++) {
        const edits = Math.floor(r() * 6);
        for (let i = 0; i < edits; i++) randomEdit(r() < 0.6 ? a : b, r);
        if (r() < 0.7) sync();
        const options: ConvertOptions = r() < 0.15 ? { hiddenNodes: 'exclude' } : r() < 0.1 ? { writeExtras: false } : {};
        const context = `seed ${seed} (replay: SEED=${seed}), round ${round}, options ${JSON.stringify(options)}`;
        const incremental = await exportGlb(a, { ...options, worker });
        expectSameExport(incremental, exportGlbSync(a, options), context);
        // Counted where the options did not change (a change of options starts over).
        if (JSON.stringify(options) === previousOptions) {
          reused += incremental.report.stats.nodesReused;
          exported += incremental.report.stats.nodes;
        }
        previousOptions = JSON.stringify(options);
      }
      // The point of it: most nodes were not converted again.
      expect(reused / exported, `seed ${seed}: ${reused} of ${exported} nodes reused`).toBeGreaterThan(0.7);
    }
  }, 120_000);

  it('sends only the changes after the first export, and reuses every unchanged node', async () => {
    const sizes: number[] = [];
    const counting = countingWorker(sizes);
    try {
      const scene = sceneFromTree(randomScene(rng(7), 2000));
      const first = await exportGlb(scene, { worker: counting });
      expect(first.report.stats.nodesReused).toBe(0);
      const target = scene.children(scene.rootId)[0]!;
      scene.setProperty(target, 'transform', { type: 'Transform3D', value: [1, 0, 0, 0, 1, 0, 0, 0, 1, 5, 6, 7] } as never);
      const second = await exportGlb(scene, { worker: counting });
      expect(sizes.length).toBe(2);
      expect(sizes[1]).toBeLessThan(sizes[0]! / 50);
      // Every node but the edited one (and the root, described every time) came from the kept copy.
      expect(second.report.stats.nodesReused).toBe(second.report.stats.nodes - 2);
      expectSameExport(second, exportGlbSync(scene), 'after one edit');
      // incremental: false sends the whole document again.
      await exportGlb(scene, { worker: counting, incremental: false });
      expect(sizes[2]).toBe(Y.encodeStateAsUpdateV2(scene.doc).byteLength);
    } finally {
      await counting.close();
    }
  });

  it('keeps at most maxKeptDocuments copies, and forgets destroyed documents', async () => {
    const sizes: number[] = [];
    const requests: WorkerRequest[] = [];
    const small = countingWorker(sizes, { maxKeptDocuments: 1 }, requests);
    try {
      const one = sceneFromTree(randomScene(rng(1), 300));
      const two = sceneFromTree(randomScene(rng(2), 300));
      await exportGlb(one, { worker: small });
      await exportGlb(two, { worker: small }); // evicts one's copy
      const again = await exportGlb(one, { worker: small }); // so one goes whole again
      expect(again.report.stats.nodesReused).toBe(0);
      expect(sizes[2]).toBe(sizes[0]);
      expectSameExport(again, exportGlbSync(one), 'after eviction');
      one.doc.destroy();
      await new Promise((resolve) => setTimeout(resolve, 20));
      // Two evictions, then the destroyed document.
      expect(requests.filter((m) => m.kind === 'forget').length).toBe(3);
    } finally {
      await small.close();
    }
  });

  it('a cancelled export still brings the copy up to date, so the next one is right', async () => {
    const scene = sceneFromTree(randomScene(rng(3), 400));
    await exportGlb(scene, { worker });
    const r = rng(4);
    for (let i = 0; i < 20; i++) randomEdit(scene, r);
    const ac = new AbortController();
    const cancelled = exportGlb(scene, { worker, signal: ac.signal });
    ac.abort();
    await expect(cancelled).rejects.toMatchObject({ code: 'ABORTED' });
    for (let i = 0; i < 20; i++) randomEdit(scene, r);
    expectSameExport(await exportGlb(scene, { worker }), exportGlbSync(scene), 'after a cancelled export');
  });

  it('prepareExports keeps the copy current while the document changes: the export after it only writes', async () => {
    const sizes: number[] = [];
    const requests: WorkerRequest[] = [];
    const counting = countingWorker(sizes, undefined, requests);
    try {
      const scene = sceneFromTree(randomScene(rng(11), 2000));
      const prepared = prepareExports(scene, { worker: counting, delayMs: 10 });
      const r = rng(12);
      for (let i = 0; i < 30; i++) randomEdit(scene, r);
      // Long enough for the delayed sync and the idle worker's description pass on a busy machine.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(requests.filter((m) => m.kind === 'sync').length).toBeGreaterThanOrEqual(2);
      const glb = await exportGlb(scene, { worker: counting });
      expectSameExport(glb, exportGlbSync(scene), 'prepared export');
      // The export itself sent nothing new, and every node but the root was described beforehand.
      expect(sizes.at(-1)).toBeLessThan(100);
      expect(glb.report.stats.nodesReused).toBe(glb.report.stats.nodes - 1);
      prepared.stop();
      randomEdit(scene, r);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const syncs = requests.filter((m) => m.kind === 'sync').length;
      randomEdit(scene, r);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(requests.filter((m) => m.kind === 'sync').length).toBe(syncs);
      expectSameExport(await exportGlb(scene, { worker: counting }), exportGlbSync(scene), 'after stop');
    } finally {
      await counting.close();
    }
  });

  it('prepareExports refuses wrong arguments with a clear error', () => {
    const scene = sceneFromTree(randomScene(rng(13), 10));
    expect(() => prepareExports({} as never)).toThrow(GltfExportError);
    expect(() => prepareExports(scene, { delayMs: -1, worker })).toThrow(/delayMs/);
    expect(() => prepareExports(scene, { hiddenNodes: 'nope' as never, worker })).toThrow(/hiddenNodes/);
  });

  it('takes the snapshot inside the call: an edit right after exportGlb() is not in the GLB', async () => {
    const scene = sceneFromTree(randomScene(rng(5), 200));
    await exportGlb(scene, { worker });
    const before = exportGlbSync(scene);
    const pending = exportGlb(scene, { worker });
    scene.renameNode(scene.children(scene.rootId)[0]!, 'EditedAfterTheCall');
    expectSameExport(await pending, before, 'edit after the call');
  });
});
