import { finish, resolveConvertOptions } from '../export/glb-from-tree.js';
import { GltfExportError } from '../errors.js';
import { convertScene, type SceneWalk } from '../mapping/scene-to-document.js';
import { SceneMirror } from './scene-mirror.js';
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
 * Runs export jobs one after another inside a worker: snapshot → document copy (kept between exports
 * when the caller asks, see {@link SceneMirror}) → conversion in slices → GLB. Shared by the Node and
 * browser worker entries.
 */
export function serveExports(endpoint: WorkerEndpoint): void {
  // Exports and forgets, in the order they came: a copy's deltas must be applied in sequence.
  const queue: Array<Exclude<WorkerRequest, { kind: 'cancel' }>> = [];
  const cancelled = new Set<number>();
  const mirrors = new Map<string, SceneMirror>();
  let running = false;

  const run = async (): Promise<void> => {
    if (running) return;
    running = true;
    while (queue.length) {
      const req = queue.shift()!;
      if (req.kind === 'forget') {
        mirrors.get(req.key)?.destroy();
        mirrors.delete(req.key);
        continue;
      }
      try {
        // The copy takes every delta, even a cancelled job's: the next delta builds on it.
        const source = openSnapshot(req, mirrors);
        if (cancelled.delete(req.job)) {
          source.done();
          continue;
        }
        try {
          await exportOne(req, source.walk, endpoint, () => cancelled.has(req.job));
        } finally {
          source.done();
        }
      } catch (e) {
        const code = e instanceof GltfExportError ? e.code : 'WRITE_FAILED';
        endpoint.post({ kind: 'error', job: req.job, code, message: e instanceof Error ? e.message : String(e) });
      }
      cancelled.delete(req.job);
    }
    running = false;
  };

  endpoint.listen((msg) => {
    if (msg.kind === 'cancel') {
      cancelled.add(msg.job);
      return;
    }
    queue.push(msg);
    void run();
  });
}

/** The scene an export request names, and what to do with it afterwards. */
function openSnapshot(req: Extract<WorkerRequest, { kind: 'export' }>, mirrors: Map<string, SceneMirror>): { walk: SceneWalk<string>; done(): void } {
  const key = req.mirror?.key;
  try {
    if (key === undefined) {
      const once = new SceneMirror(req.update);
      return { walk: once.walk(), done: () => once.destroy() };
    }
    let mirror = mirrors.get(key);
    if (req.mirror!.delta) {
      if (!mirror) throw new Error(`no document copy under ${key} (an earlier update failed); the next export sends the whole document`);
      mirror.apply(req.update);
    } else {
      mirror?.destroy();
      mirror = new SceneMirror(req.update);
      mirrors.set(key, mirror);
    }
    return { walk: mirror.walk(), done: () => undefined };
  } catch (e) {
    if (key !== undefined) {
      mirrors.get(key)?.destroy();
      mirrors.delete(key);
    }
    throw new GltfExportError('SNAPSHOT_INVALID', `the snapshot could not be read as a scenesync document: ${e instanceof Error ? e.message : String(e)}`);
  }
}

async function exportOne(req: Extract<WorkerRequest, { kind: 'export' }>, walk: SceneWalk<string>, endpoint: WorkerEndpoint, isCancelled: () => boolean): Promise<void> {
  const options = resolveConvertOptions(req.options, (m) => {
    throw new GltfExportError('INVALID_ARGUMENT', m);
  });
  endpoint.post({ kind: 'progress', job: req.job, progress: { phase: 'decode', done: 1, total: 1 } });
  const gen = convertScene(walk, options);
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
