/**
 * The worker path against the real @scenesync/core: snapshot (Yjs update) on the calling thread, a
 * long-lived worker_threads worker rebuilding the document and writing the GLB.
 */
import type { SceneTree } from '../../src/scene-types.js';
import { sceneFromTree } from '../helpers/scene-doc.js';
import { afterAll, describe, expect, it } from 'vitest';
import { closeExportWorker, exportGlb, exportGlbSync } from '../../src/index.js';
import type { ExportProgress } from '../../src/options.js';
import { nodeExportWorker } from '../../src/worker/node-export-worker.js';
import { mixedTree as mixedScene } from '../../bench/scenes.mjs';
import { compareWithTree, expectedFromTree } from '../helpers/compare.js';
import { readGlb, validate } from '../helpers/glb.js';
import { everyTypeScene } from '../helpers/scenes.js';

const sceneOf = (t: SceneTree) => sceneFromTree(t);

afterAll(async () => {
  await closeExportWorker();
});

describe('exportGlb in a worker', () => {
  it('writes the same GLB as the in-thread export, and carries the report (G-WORKER-1, G-WORKER-2)', async () => {
    const scene = sceneOf(everyTypeScene());
    const glb = await exportGlb(scene);
    expect(glb).toBeInstanceOf(Uint8Array);
    const sync = exportGlbSync(scene);
    expect(Buffer.from(glb).equals(Buffer.from(sync))).toBe(true);
    expect(glb.report).toEqual(sync.report);
    expect(await validate(glb)).toEqual({ errors: 0, warnings: 0, messages: [] });
    // The worker materialised the same tree: ids, names, hierarchy, world transforms.
    expect(compareWithTree(await readGlb(glb), expectedFromTree(scene.toTree() as never), 1e-5)).toEqual([]);
  });

  it('accepts the Y.Doc itself, and a tree in the sync variant', async () => {
    const scene = sceneOf(everyTypeScene());
    const fromDoc = await exportGlb(scene.doc);
    expect(fromDoc.byteLength).toBe(exportGlbSync(scene.toTree() as never).byteLength);
  });

  it('reports progress in order: snapshot, decode, convert (rising), write, done (G-WORKER-3)', async () => {
    const scene = sceneOf(mixedScene(20_000));
    const seen: ExportProgress[] = [];
    const glb = await exportGlb(scene, { onProgress: (p) => seen.push(p) });
    expect(glb.report.stats.nodes).toBe(20_000);
    const phases = seen.map((p) => p.phase).filter((p, i, a) => a[i - 1] !== p);
    expect(phases).toEqual(['snapshot', 'decode', 'convert', 'write', 'done']);
    const converts = seen.filter((p) => p.phase === 'convert');
    expect(converts.every((p, i) => p.total === 20_000 && (i === 0 || p.done > converts[i - 1]!.done))).toBe(true);
  });

  it('cancels through an AbortSignal, and the worker is reused afterwards (G-WORKER-4)', async () => {
    const scene = sceneOf(mixedScene(30_000));
    const ac = new AbortController();
    const cancelled = exportGlb(scene, { signal: ac.signal, onProgress: (p) => p.phase === 'convert' && ac.abort() });
    await expect(cancelled).rejects.toMatchObject({ name: 'GltfExportError', code: 'ABORTED' });
    const before = new AbortController();
    before.abort();
    await expect(exportGlb(scene, { signal: before.signal })).rejects.toMatchObject({ code: 'ABORTED' });
    const again = await exportGlb(sceneOf(everyTypeScene()));
    expect(again.report.stats.nodes).toBe(30);
  });

  it('one long-lived worker runs queued and concurrent exports (G-WORKER-3)', async () => {
    const worker = nodeExportWorker();
    try {
      const scenes = [everyTypeScene(), mixedScene(2_000), mixedScene(500)].map(sceneOf);
      const sequential: number[] = [];
      for (const s of scenes) sequential.push((await exportGlb(s, { worker })).byteLength);
      const concurrent = await Promise.all(scenes.map((s) => exportGlb(s, { worker })));
      expect(concurrent.map((g) => g.byteLength)).toEqual(sequential);
      expect(worker.isBroken).toBe(false);
    } finally {
      await worker.close();
    }
  });

  it('turns a corrupt snapshot into SNAPSHOT_INVALID and keeps working (G-WORKER-5)', async () => {
    const worker = nodeExportWorker();
    try {
      await expect(worker.run(new Uint8Array([0, 1, 2, 3, 250, 251, 252]), {})).rejects.toMatchObject({ code: 'SNAPSHOT_INVALID' });
      const ok = await exportGlb(sceneOf(everyTypeScene()), { worker });
      expect(ok.byteLength).toBeGreaterThan(1000);
      await expect(exportGlb(sceneOf(everyTypeScene()), { worker, hiddenNodes: 'nope' as never })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    } finally {
      await worker.close();
    }
    await expect(worker.run(new Uint8Array(4), {})).rejects.toMatchObject({ code: 'WORKER_FAILED' });
  });

  it('refuses what is not a scene with a typed error', async () => {
    await expect(exportGlb({} as never)).rejects.toMatchObject({ name: 'GltfExportError', code: 'INVALID_ARGUMENT' });
    const scene = sceneOf(everyTypeScene());
    await expect(exportGlb(scene, { onProgress: 5 as never })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(exportGlb(scene, { signal: {} as never })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(() => exportGlbSync(42 as never)).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
