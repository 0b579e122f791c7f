import { SceneDoc } from '@scenesync/core';
import * as Y from 'yjs';
import { finish, resolveConvertOptions } from '../export/glb-from-tree.js';
import { GltfExportError } from '../errors.js';
import { convertTree } from '../mapping/scene-to-document.js';
import type { SceneTree } from '../scene-types.js';
import type { WorkerRequest, WorkerResponse } from './protocol.js';

/** The two ends a worker needs: send to the caller, and receive its requests. */
export interface WorkerEndpoint {
  post(message: WorkerResponse, transfer?: ArrayBuffer[]): void;
  listen(handler: (message: WorkerRequest) => void): void;
  /** Resolves after pending messages (a cancel) had a chance to arrive. */
  yieldToEvents(): Promise<void>;
}

/** Longest stretch of conversion work between two looks at the message queue. */
const SLICE_MS = 16;

/**
 * Runs export jobs one after another inside a worker: snapshot update → fresh Y.Doc →
 * `new SceneDoc(doc).toTree()` → GLB. Shared by the Node and browser worker entries.
 */
export function serveExports(endpoint: WorkerEndpoint): void {
  const queue: Array<Extract<WorkerRequest, { kind: 'export' }>> = [];
  const cancelled = new Set<number>();
  let running = false;

  const run = async (): Promise<void> => {
    if (running) return;
    running = true;
    while (queue.length) {
      const req = queue.shift()!;
      if (cancelled.delete(req.job)) continue;
      try {
        await exportOne(req, endpoint, () => cancelled.has(req.job));
      } catch (e) {
        const code = e instanceof GltfExportError ? e.code : 'WRITE_FAILED';
        endpoint.post({ kind: 'error', job: req.job, code, message: e instanceof Error ? e.message : String(e) });
      }
      cancelled.delete(req.job);
    }
    running = false;
  };

  endpoint.listen((msg) => {
    if (msg.kind === 'export') {
      queue.push(msg);
      void run();
    } else if (msg.kind === 'cancel') {
      cancelled.add(msg.job);
    }
  });
}

async function exportOne(req: Extract<WorkerRequest, { kind: 'export' }>, endpoint: WorkerEndpoint, isCancelled: () => boolean): Promise<void> {
  const options = resolveConvertOptions(req.options, (m) => {
    throw new GltfExportError('INVALID_ARGUMENT', m);
  });
  let tree: SceneTree;
  try {
    const doc = new Y.Doc();
    Y.applyUpdateV2(doc, req.update);
    tree = new SceneDoc(doc).toTree() as unknown as SceneTree;
    doc.destroy();
  } catch (e) {
    throw new GltfExportError('SNAPSHOT_INVALID', `the snapshot could not be read as a scenesync document: ${e instanceof Error ? e.message : String(e)}`);
  }
  endpoint.post({ kind: 'progress', job: req.job, progress: { phase: 'decode', done: 1, total: 1 } });
  const gen = convertTree(tree, options);
  let sliceStart = performance.now();
  let step = gen.next();
  while (!step.done) {
    if (performance.now() - sliceStart > SLICE_MS) {
      endpoint.post({ kind: 'progress', job: req.job, progress: { phase: 'convert', done: step.value.done, total: step.value.total } });
      await endpoint.yieldToEvents();
      if (isCancelled()) throw new GltfExportError('ABORTED', 'the export was cancelled');
      sliceStart = performance.now();
    }
    step = gen.next();
  }
  endpoint.post({ kind: 'progress', job: req.job, progress: { phase: 'write', done: 0, total: 1 } });
  await endpoint.yieldToEvents();
  if (isCancelled()) throw new GltfExportError('ABORTED', 'the export was cancelled');
  const glb = finish(step.value);
  const report = glb.report;
  // A transferable copy-free buffer: the GLB owns its ArrayBuffer exactly.
  endpoint.post({ kind: 'result', job: req.job, glb, report }, [glb.buffer as ArrayBuffer]);
}
