import { SceneDoc } from '@scenesync/core';
import * as Y from 'yjs';
import { GltfExportError } from '../errors.js';
import { resolveConvertOptions, type ConvertOptions, type ExportOptions } from '../options.js';
import type { GlbBytes } from '../report.js';
import type { SceneTree } from '../scene-types.js';
import { browserExportWorker, ExportWorker } from '../worker/export-worker.js';
import { glbFromTree } from './glb-from-tree.js';

/** Anything with a scenesync Y.Doc: a `SceneDoc`, or the Y.Doc itself. */
export type SceneSource = { readonly doc: Y.Doc } | Y.Doc;

/** Options of {@link exportGlb}. */
export interface ExportGlbOptions extends ExportOptions {
  /**
   * The worker to run on. Default: in Node a shared worker_threads worker, started on first use and
   * kept; in a browser a shared module Web Worker of `@scenesync/gltf/worker`. Pass an
   * {@link ExportWorker} (e.g. `browserExportWorker(new Worker(...))`) or a raw `Worker`.
   */
  worker?: ExportWorker | Worker;
  /**
   * Keep a copy of the document in the worker between exports, so the next export of the same
   * document sends and converts only what changed (default true). The first export, and any after
   * `incremental: false`, sends the whole document.
   */
  incremental?: boolean;
}

let sharedWorker: ExportWorker | undefined;

/**
 * Snapshots the scene and writes it as GLB **in a worker**, so the calling thread only pays for the
 * snapshot (`Y.encodeStateAsUpdateV2`). The worker is kept alive and reused; it keeps a copy of the
 * document between exports (see `incremental`), so exporting a large scene again after a few edits
 * sends only those edits and converts only the nodes they touched. The GLB is the same as a fresh
 * export of the document at the moment of the call.
 *
 * Resolves to the GLB bytes, a `Uint8Array` that also carries the export report as `.report`
 * (everything glTF could not express; see docs/gltf-mapping.md).
 *
 * @throws GltfExportError `ABORTED` (signal), `INVALID_ARGUMENT`, `SNAPSHOT_INVALID`, `WORKER_FAILED`.
 * @example
 * const glb = await exportGlb(scene, { onProgress: (p) => console.log(p.phase, p.done, p.total), signal });
 * console.log(glb.byteLength, glb.report.issues.length);
 */
export async function exportGlb(scene: SceneSource, options: ExportGlbOptions = {}): Promise<GlbBytes> {
  const doc = docOf(scene);
  if (typeof options !== 'object' || options === null) throw new GltfExportError('INVALID_ARGUMENT', 'exportGlb options must be an object');
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') throw new GltfExportError('INVALID_ARGUMENT', 'options.onProgress must be a function');
  if (options.signal !== undefined && !(typeof options.signal === 'object' && options.signal !== null && typeof options.signal.addEventListener === 'function' && 'aborted' in options.signal)) {
    throw new GltfExportError('INVALID_ARGUMENT', 'options.signal must be an AbortSignal (e.g. new AbortController().signal)');
  }
  if (options.signal?.aborted) throw new GltfExportError('ABORTED', 'the export was cancelled before it started', { cause: options.signal.reason });
  if (options.incremental !== undefined && typeof options.incremental !== 'boolean') throw new GltfExportError('INVALID_ARGUMENT', 'options.incremental must be a boolean');
  const worker = workerFor(options.worker);
  // The snapshot (the whole document, or what changed since the previous export) is taken inside
  // exportDoc: the only work done on the calling thread.
  const pending = worker.exportDoc(doc, options, { onProgress: options.onProgress, signal: options.signal }, options.incremental ?? true);
  options.onProgress?.({ phase: 'snapshot', done: 1, total: 1 });
  const glb = await pending;
  options.onProgress?.({ phase: 'done', done: 1, total: 1 });
  return glb;
}

/** Options of {@link prepareExports}. */
export interface PrepareExportsOptions extends ConvertOptions {
  /** The worker the exports will run on (default: the shared one `exportGlb` uses). */
  worker?: ExportWorker | Worker;
  /** Changes are sent this many milliseconds after the first change of a burst (default 250). */
  delayMs?: number;
}

/** What {@link prepareExports} returns. */
export interface PreparedExports {
  /** Stops following the document (the worker keeps its copy until it is evicted or the document destroyed). */
  stop(): void;
}

/**
 * Keeps the export worker's copy of a document current while the document changes, so an export at
 * any moment is fast: a short while after each burst of changes (`delayMs`) the changes are sent to the
 * worker, which applies them and, when idle, describes the changed nodes with `options` (the export
 * options you will use). The calling thread pays one small `Y.encodeStateAsUpdateV2` per burst; the
 * whole document is sent once, at the start.
 *
 * @throws GltfExportError `INVALID_ARGUMENT` for a wrong scene or option.
 * @example
 * const prepared = prepareExports(scene);             // at startup
 * const glb = await exportGlb(scene);                   // later, at any moment: only the last edits go
 * prepared.stop();
 */
export function prepareExports(scene: SceneSource, options: PrepareExportsOptions = {}): PreparedExports {
  const doc = docOf(scene);
  if (typeof options !== 'object' || options === null) throw new GltfExportError('INVALID_ARGUMENT', 'prepareExports options must be an object');
  const delay = options.delayMs ?? 250;
  if (typeof delay !== 'number' || !(delay >= 0) || !Number.isFinite(delay)) throw new GltfExportError('INVALID_ARGUMENT', 'options.delayMs must be a finite number >= 0');
  const { worker: given, delayMs: _delay, ...convert } = options;
  resolveConvertOptions(convert, (m) => {
    throw new GltfExportError('INVALID_ARGUMENT', m);
  });
  const worker = workerFor(given);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const send = (): void => {
    timer = undefined;
    if (!stopped) worker.syncDoc(doc, convert);
  };
  const onUpdate = (): void => {
    if (timer !== undefined || stopped) return;
    timer = setTimeout(send, delay);
    // Following a document must not keep a Node process alive.
    (timer as { unref?: () => void }).unref?.();
  };
  doc.on('update', onUpdate);
  send();
  return {
    stop() {
      stopped = true;
      doc.off('update', onUpdate);
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}

/**
 * The in-thread, synchronous variant for tools: materialises the scene (or takes a tree) and writes
 * the GLB before returning. Blocks the calling thread for the whole export.
 *
 * @param source a `SceneDoc`, a `Y.Doc` holding a scenesync document, or a plain tree (`toTree()`).
 * @throws GltfExportError `INVALID_ARGUMENT` for anything else.
 */
export function exportGlbSync(source: SceneSource | SceneTree, options?: ConvertOptions): GlbBytes {
  return glbFromTree(treeOf(source), options);
}

/** Stops the shared worker `exportGlb` uses by default (a new one starts on the next export). */
export async function closeExportWorker(): Promise<void> {
  const w = sharedWorker;
  sharedWorker = undefined;
  await w?.close();
}

function treeOf(source: SceneSource | SceneTree): SceneTree {
  if (isTree(source)) return source;
  if (source && typeof (source as { toTree?: unknown }).toTree === 'function') return (source as unknown as { toTree(): SceneTree }).toTree();
  return new SceneDoc(docOf(source as SceneSource)).toTree() as unknown as SceneTree;
}

function isTree(v: unknown): v is SceneTree {
  return typeof v === 'object' && v !== null && Array.isArray((v as { children?: unknown }).children) && typeof (v as { type?: unknown }).type === 'string';
}

function isYDoc(v: unknown): v is Y.Doc {
  return typeof v === 'object' && v !== null && typeof (v as Y.Doc).getMap === 'function' && typeof (v as Y.Doc).clientID === 'number';
}

function docOf(scene: SceneSource): Y.Doc {
  if (isYDoc(scene)) return scene;
  const doc = (scene as { doc?: unknown } | null | undefined)?.doc;
  if (isYDoc(doc)) return doc;
  throw new GltfExportError('INVALID_ARGUMENT', 'exportGlb needs a SceneDoc (or its Y.Doc); to export a plain tree use glbFromTree(tree)');
}

/** Wrappers of the raw Workers callers passed, so each Worker gets one wrapper (and keeps its copies). */
const wrappedWorkers = new WeakMap<Worker, ExportWorker>();

/** Synchronous, so the snapshot is taken within the `exportGlb` call, before any later edit. */
function workerFor(given: ExportWorker | Worker | undefined): ExportWorker {
  if (given instanceof ExportWorker) return given;
  if (given) {
    let wrapped = wrappedWorkers.get(given);
    if (!wrapped || wrapped.isBroken) wrappedWorkers.set(given, (wrapped = browserExportWorker(given)));
    return wrapped;
  }
  if (sharedWorker && !sharedWorker.isBroken) return sharedWorker;
  sharedWorker = startDefaultWorker();
  return sharedWorker;
}

let platformWorkerFactory: (() => ExportWorker) | undefined;

/**
 * Sets how the default worker is made on this platform. The Node entry of the package registers a
 * worker_threads factory (src/worker/node-default.ts); the browser entry registers nothing and falls
 * back to a module Web Worker, so browser bundles never see Node modules.
 * @internal
 */
export function setPlatformWorkerFactory(factory: () => ExportWorker): void {
  platformWorkerFactory = factory;
}

function startDefaultWorker(): ExportWorker {
  try {
    if (platformWorkerFactory) return platformWorkerFactory();
    if (typeof Worker !== 'undefined') {
      return browserExportWorker(new Worker(new URL('./worker.js', import.meta.url), { type: 'module' }));
    }
  } catch (e) {
    throw new GltfExportError('WORKER_FAILED', `could not start the export worker: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  throw new GltfExportError('NO_WORKER', 'no worker support here; pass options.worker, or use exportGlbSync for an in-thread export');
}
