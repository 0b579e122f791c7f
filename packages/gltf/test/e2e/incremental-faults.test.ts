/**
 * Incremental exports when something goes wrong between the caller and the worker's copy (G-WORKER-7):
 * a copy that cannot take an update is dropped and reported, and the next export sends the whole
 * document again and is right.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { exportGlb, exportGlbSync } from '../../src/index.js';
import type { WorkerRequest } from '../../src/worker/protocol.js';
import { countingWorker } from '../helpers/counting-worker.js';
import { randomScene } from '../helpers/random-scene.js';
import { rng } from '../helpers/random.js';
import { sceneFromTree } from '../helpers/scene-doc.js';

describe('incremental exports after a lost copy (G-WORKER-7)', () => {
  it('a copy that cannot read an update is dropped, and the next export starts over with the whole document', async () => {
    const sizes: number[] = [];
    const requests: WorkerRequest[] = [];
    const worker = countingWorker(sizes, undefined, requests);
    try {
      const scene = sceneFromTree(randomScene(rng(21), 300));
      await exportGlb(scene, { worker });
      const exportRequest = requests.find((m) => m.kind === 'export' && m.mirror)! as Extract<WorkerRequest, { kind: 'export' }>;
      // A corrupt update for the same copy, as a broken transport would deliver it.
      (worker as unknown as { transport: { post(m: WorkerRequest): void } }).transport.post({ kind: 'sync', update: new Uint8Array([255, 255, 255, 1, 2]), mirror: { key: exportRequest.mirror!.key, delta: true } });
      await new Promise((resolve) => setTimeout(resolve, 50));
      scene.setProperty(scene.rootId, 'visible', false);
      const glb = await exportGlb(scene, { worker });
      // The caller heard that the copy was lost, so this export sent the whole document.
      expect(sizes.at(-1)).toBe(Y.encodeStateAsUpdateV2(scene.doc).byteLength);
      expect(glb.report.stats.nodesReused).toBe(0);
      expect(Buffer.from(glb).equals(Buffer.from(exportGlbSync(scene)))).toBe(true);
    } finally {
      await worker.close();
    }
  });

  it('an export whose update cannot be read rejects with SNAPSHOT_INVALID, and the next one works', async () => {
    const sizes: number[] = [];
    const worker = countingWorker(sizes);
    try {
      await expect(worker.run(new Uint8Array([9, 9, 9, 9]), {})).rejects.toMatchObject({ code: 'SNAPSHOT_INVALID' });
      const scene = sceneFromTree(randomScene(rng(22), 100));
      const glb = await exportGlb(scene, { worker });
      expect(Buffer.from(glb).equals(Buffer.from(exportGlbSync(scene)))).toBe(true);
    } finally {
      await worker.close();
    }
  });
});
