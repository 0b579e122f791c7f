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
  // Exports, syncs and forgets, in the order they came: a copy's updates must be applied in sequence.
  const queue: Array<Exclude<WorkerRequest, { kind: 'cancel' }>> = [];
  const cancelled = new Set<number>();
  const mirrors = new Map<string, SceneMirror>();
  let running = false;

  const handle = async (req: Exclude<WorkerRequest, { kind: 'cancel' }>): Promise<void> => {
    if (req.kind === 'forget') {
      mirrors.get(req.key)?.destroy();
      mirrors.delete(req.key);
      return;
    }
    if (req.kind === 'sync') {
      let mirror: SceneMirror;
      try {
        mirror = openMirror(req.mirror, req.update, mirrors);
      } catch (e) {
        endpoint.post({ kind: 'lost', key: req.mirror.key, message: e instanceof Error ? e.message : String(e) });
        return;
      }
      // Options were checked by the caller; anything else here only means no preparation.
      if (req.prepare) mirror.preparing = resolveConvertOptions(req.prepare, (m) => { throw new GltfExportError('INVALID_ARGUMENT', m); });
      return;
    }
    try {
      // The copy takes every delta, even a cancelled job's: the next delta builds on it.
      const source = openSnapshot(req, mirrors);
      try {
        if (!cancelled.has(req.job)) await exportOne(req, source.walk, endpoint, () => cancelled.has(req.job));
      } finally {
        source.done();
      }
    } catch (e) {
      const code = e instanceof GltfExportError ? e.code : 'WRITE_FAILED';
      endpoint.post({ kind: 'error', job: req.job, code, message: e instanceof Error ? e.message : String(e) });
    }
    cancelled.delete(req.job);
  };

  /** Describes a kept copy ahead of its next export, in slices, until a request comes in. */
  const prepareWhileIdle = async (mirror: SceneMirror): Promise<void> => {
    const options = mirror.preparing!;
    const steps = mirror.prepare(options);
    let sliceStart = performance.now();
    for (let step = steps.next(); !step.done; step = steps.next()) {
      if (performance.now() - sliceStart > SLICE_MS) {
        await endpoint.yieldToEvents();
        if (queue.length || mirror.preparing !== options) return;
        sliceStart = performance.now();
      }
    }
    if (mirror.preparing === options) mirror.preparing = undefined;
  };

  const run = async (): Promise<void> => {
    if (running) return;
    running = true;
    try {
      for (;;) {
        const req = queue.shift();
        if (req) {
          await handle(req);
          continue;
        }
        const idle = [...mirrors.values()].find((m) => m.preparing);
        if (!idle) break;
        await prepareWhileIdle(idle);
      }
    } finally {
      running = false;
    }
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

/** Applies an update to the copy under `mirror.key` (starting it from a whole document). @throws when unreadable; the copy is then dropped. */
function openMirror(mirror: { readonly key: string; readonly delta: boolean }, update: Uint8Array, mirrors: Map<string, SceneMirror>): SceneMirror {
  try {
    let kept = mirrors.get(mirror.key);
    if (mirror.delta) {
      if (!kept) throw new Error(`no document copy under ${mirror.key} (an earlier update failed); the next export sends the whole document`);
      kept.apply(update);
    } else {
      kept?.destroy();
      kept = new SceneMirror(update);
      mirrors.set(mirror.key, kept);
    }
    return kept;
  } catch (e) {
    mirrors.get(mirror.key)?.destroy();
    mirrors.delete(mirror.key);
    throw e;
  }
}

/** The scene an export request names, and what to do with it afterwards. */
function openSnapshot(req: Extract<WorkerRequest, { kind: 'export' }>, mirrors: Map<string, SceneMirror>): { walk: SceneWalk<string>; done(): void } {
  try {
    if (req.mirror) return { walk: openMirror(req.mirror, req.update, mirrors).walk(), done: () => undefined };
    const once = new SceneMirror(req.update);
    return { walk: once.walk(), done: () => once.destroy() };
  } catch (e) {
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
