import { SceneDoc, resourceRef, transform3d, vec3 } from '@scenesync/core';
import * as Y from 'yjs';
import { GltfExportError } from '../errors.js';
import type { ExportWorker } from './export-worker.js';

/**
 * The contract of an {@link ExportWorker} over any {@link WorkerTransport} (worker_threads, Web
 * Worker, in-thread, your own): run it against a fresh worker from `make` in your test suite. Resolves
 * when every check passed; rejects with an Error naming the first check that failed. The worker is
 * closed at the end.
 *
 * Checks: an export resolves to GLB bytes with a report; concurrent exports all resolve; a corrupt
 * snapshot rejects with `SNAPSHOT_INVALID` and the worker keeps working; an aborted export rejects
 * with `ABORTED`; after `close()` exports reject with `WORKER_FAILED`.
 *
 * @example
 * it('my transport meets the contract', () => checkExportWorkerContract(() => new ExportWorker(myTransport())));
 */
export async function checkExportWorkerContract(make: () => ExportWorker): Promise<void> {
  const worker = make();
  const sample = (): Uint8Array => {
    const scene = new SceneDoc();
    const box = scene.addResource({ type: 'BoxMesh', props: { size: vec3(1, 2, 3) } });
    for (let i = 0; i < 50; i++) {
      scene.addNode({ parent: scene.rootId, name: `Box${i}`, type: 'MeshInstance3D', props: { mesh: resourceRef(box), transform: transform3d([1, 0, 0, 0, 1, 0, 0, 0, 1, i, 0, 0]) } });
    }
    return Y.encodeStateAsUpdateV2(scene.doc);
  };
  const check = async (name: string, body: () => Promise<void>): Promise<void> => {
    try {
      await body();
    } catch (e) {
      throw new Error(`export worker contract: ${name}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  };
  const expectCode = async (p: Promise<unknown>, code: string): Promise<void> => {
    try {
      await p;
    } catch (e) {
      if (e instanceof GltfExportError && e.code === code) return;
      throw new Error(`expected GltfExportError ${code}, got ${e instanceof Error ? `${e.name} ${(e as { code?: string }).code ?? ''} ${e.message}` : String(e)}`);
    }
    throw new Error(`expected a rejection with ${code}, but it resolved`);
  };
  try {
    await check('an export resolves to GLB bytes with a report', async () => {
      const glb = await worker.run(sample(), {});
      if (!(glb instanceof Uint8Array) || new DataView(glb.buffer, glb.byteOffset).getUint32(0, true) !== 0x46546c67) throw new Error('not GLB bytes');
      if (glb.report?.stats.nodes !== 51 || glb.report.stats.meshes !== 1) throw new Error(`unexpected report ${JSON.stringify(glb.report?.stats)}`);
    });
    await check('concurrent exports all resolve', async () => {
      const all = await Promise.all([worker.run(sample(), {}), worker.run(sample(), {}), worker.run(sample(), { hiddenNodes: 'exclude' })]);
      if (new Set(all.map((g) => g.byteLength)).size !== 1) throw new Error('concurrent exports of one scene differ');
    });
    await check('a corrupt snapshot rejects with SNAPSHOT_INVALID and the worker keeps working', async () => {
      await expectCode(worker.run(new Uint8Array([9, 8, 7, 6, 5, 4, 3]), {}), 'SNAPSHOT_INVALID');
      await worker.run(sample(), {});
    });
    await check('an aborted export rejects with ABORTED', async () => {
      const ac = new AbortController();
      const p = worker.run(sample(), {}, { signal: ac.signal });
      ac.abort();
      await expectCode(p, 'ABORTED');
      await worker.run(sample(), {});
    });
  } finally {
    await worker.close();
  }
  await check('after close(), exports reject with WORKER_FAILED', () => expectCode(worker.run(sample(), {}), 'WORKER_FAILED'));
}
