import * as Y from 'yjs';
import { GltfExportError } from '../errors.js';
import type { ConvertOptions, ExportProgress } from '../options.js';
import { withReport, type GlbBytes } from '../report.js';
import type { WorkerRequest, WorkerResponse } from './protocol.js';

/**
 * The calling thread's side of a worker, whatever runs it (worker_threads, a Web Worker, a test
 * double): send requests, receive responses, learn that it died.
 */
export interface WorkerTransport {
  post(message: WorkerRequest, transfer?: ArrayBuffer[]): void;
  onMessage(handler: (message: WorkerResponse) => void): void;
  /** Called once if the worker fails or exits; every pending export then rejects. */
  onFailure(handler: (error: Error) => void): void;
  /** Whether the worker may keep a Node process alive (called with true while exports are pending). */
  keepAlive?(alive: boolean): void;
  terminate(): void | Promise<unknown>;
}

interface PendingJob {
  resolve(glb: GlbBytes): void;
  reject(e: Error): void;
  onProgress?: (p: ExportProgress) => void;
  cleanup(): void;
}

/** Per-export hooks of {@link ExportWorker.run}. */
export interface RunHooks {
  onProgress?: (p: ExportProgress) => void;
  signal?: AbortSignal;
}

/** Options of an {@link ExportWorker}. */
export interface ExportWorkerOptions {
  /**
   * How many documents the worker keeps a copy of between exports (least recently exported dropped
   * first). Each copy costs about what the document costs on the calling thread. Default 4.
   */
  maxKeptDocuments?: number;
}

/** What the calling thread remembers of a document the worker keeps a copy of. */
interface KeptDocument {
  readonly key: string;
  /** The state vector of everything sent so far. */
  sent: Uint8Array;
  readonly doc: WeakRef<Y.Doc>;
  readonly onDestroy: () => void;
}

/**
 * A long-lived export worker, reused between exports: jobs queue and run one at a time. Cancelling a
 * job rejects it at once; the worker stops it at its next batch boundary.
 *
 * {@link ExportWorker.exportDoc} keeps a copy of each exported document in the worker (up to
 * `maxKeptDocuments`), so a later export of the same document sends only what changed since and the
 * worker converts only the nodes that changed (G-WORKER-2).
 */
export class ExportWorker {
  private nextJob = 1;
  private readonly pending = new Map<number, PendingJob>();
  private failed: Error | undefined;
  private readonly maxKept: number;
  /** Kept documents, least recently exported first. */
  private readonly kept = new Map<string, KeptDocument>();
  private readonly keptByDoc = new WeakMap<Y.Doc, KeptDocument>();
  private readonly collected = new FinalizationRegistry<string>((key) => this.forget(key));
  /** Keys are unique per ExportWorker, so two wrappers of one Web Worker cannot mix their copies. */
  private readonly keyPrefix = Math.random().toString(36).slice(2, 10);
  private nextKey = 1;

  constructor(private readonly transport: WorkerTransport, options: ExportWorkerOptions = {}) {
    const max = options.maxKeptDocuments ?? 4;
    if (!Number.isInteger(max) || max < 0) throw new GltfExportError('INVALID_ARGUMENT', 'maxKeptDocuments must be a whole number >= 0');
    this.maxKept = max;
    transport.onMessage((m) => this.receive(m));
    transport.onFailure((e) => this.fail(e));
    transport.keepAlive?.(false);
  }

  /** True once the worker died; a new one must be made. */
  get isBroken(): boolean {
    return this.failed !== undefined;
  }

  /**
   * Exports the document in `update` (a `Y.encodeStateAsUpdateV2`). The update's buffer is transferred
   * to the worker: do not use it afterwards.
   */
  run(update: Uint8Array, options: ConvertOptions, hooks: RunHooks = {}): Promise<GlbBytes> {
    return this.send(update, options, hooks, undefined);
  }

  /**
   * Snapshots `doc` on this thread and exports it in the worker. With `incremental` (the default) the
   * worker keeps a copy of the document: the first export sends it whole, later ones only the changes
   * since the previous export (`Y.encodeStateAsUpdateV2(doc, stateVectorSent)`), which costs this
   * thread and the worker time in proportion to what changed. `incremental: false` sends the whole
   * document and keeps nothing.
   */
  exportDoc(doc: Y.Doc, options: ConvertOptions, hooks: RunHooks = {}, incremental = true): Promise<GlbBytes> {
    if (this.failed || hooks.signal?.aborted || !incremental || this.maxKept === 0) return this.send(Y.encodeStateAsUpdateV2(doc), options, hooks, undefined);
    const { update, mirror } = this.snapshot(doc);
    return this.send(update, options, hooks, mirror).catch((e: unknown) => {
      // The worker dropped its copy: start over with the whole document next time.
      if (e instanceof GltfExportError && e.code === 'SNAPSHOT_INVALID') this.forget(mirror.key);
      throw e;
    });
  }

  /**
   * Sends the worker what changed in `doc` since the last export or sync, without exporting, so the
   * next export has less to send and apply (`prepareExports` calls this as the document changes).
   * With `prepare`, the worker also describes the changed nodes with those options while it is idle,
   * so the next export with the same options only writes. Costs this thread one
   * `Y.encodeStateAsUpdateV2` of the changes.
   */
  syncDoc(doc: Y.Doc, prepare?: ConvertOptions): void {
    if (this.failed || this.maxKept === 0) return;
    const { update, mirror } = this.snapshot(doc);
    const transfer = isWholeBuffer(update) ? [update.buffer as ArrayBuffer] : [];
    this.transport.post(prepare ? { kind: 'sync', update, mirror, prepare: plainOptions(prepare) } : { kind: 'sync', update, mirror }, transfer);
  }

  /** The whole document the first time (and after a forget), then what changed since the last send. */
  private snapshot(doc: Y.Doc): { update: Uint8Array; mirror: { key: string; delta: boolean } } {
    let kept = this.keptByDoc.get(doc);
    let update: Uint8Array;
    if (kept) {
      update = Y.encodeStateAsUpdateV2(doc, kept.sent);
      this.kept.delete(kept.key); // re-inserted below: most recently used last
    } else {
      update = Y.encodeStateAsUpdateV2(doc);
      const key = `${this.keyPrefix}:${this.nextKey++}`;
      const onDestroy = (): void => this.forget(key);
      kept = { key, sent: new Uint8Array(0), doc: new WeakRef(doc), onDestroy };
      doc.on('destroy', onDestroy);
      this.keptByDoc.set(doc, kept);
      this.collected.register(doc, key, kept);
    }
    const delta = kept.sent.byteLength > 0;
    kept.sent = Y.encodeStateVector(doc);
    this.kept.set(kept.key, kept);
    for (const oldest of this.kept.keys()) {
      if (this.kept.size <= this.maxKept) break;
      this.forget(oldest);
    }
    return { update, mirror: { key: kept.key, delta } };
  }

  /** Stops keeping a copy of a document in the worker (`tell`: the worker still has it). */
  private forget(key: string, tell = true): void {
    const kept = this.kept.get(key);
    if (kept) {
      this.kept.delete(key);
      const doc = kept.doc.deref();
      if (doc) {
        doc.off('destroy', kept.onDestroy);
        this.keptByDoc.delete(doc);
      }
      this.collected.unregister(kept);
    }
    if (tell && !this.failed) this.transport.post({ kind: 'forget', key });
  }

  private send(update: Uint8Array, options: ConvertOptions, hooks: RunHooks, mirror: { key: string; delta: boolean } | undefined): Promise<GlbBytes> {
    if (this.failed) return Promise.reject(new GltfExportError('WORKER_FAILED', `the export worker has failed (${this.failed.message}); make a new one`, { cause: this.failed }));
    const signal = hooks.signal;
    if (signal?.aborted) return Promise.reject(abortError(signal));
    const job = this.nextJob++;
    return new Promise<GlbBytes>((resolve, reject) => {
      const onAbort = (): void => {
        if (!this.pending.has(job)) return;
        this.settle(job);
        this.transport.post({ kind: 'cancel', job });
        reject(abortError(signal!));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(job, {
        resolve,
        reject,
        onProgress: hooks.onProgress,
        cleanup: () => signal?.removeEventListener('abort', onAbort),
      });
      this.transport.keepAlive?.(true);
      const transferable = isWholeBuffer(update);
      const message: WorkerRequest = mirror ? { kind: 'export', job, update, options: plainOptions(options), mirror } : { kind: 'export', job, update, options: plainOptions(options) };
      this.transport.post(message, transferable ? [update.buffer as ArrayBuffer] : []);
    });
  }

  /** Stops the worker; pending exports reject with `WORKER_FAILED`. */
  async close(): Promise<void> {
    this.fail(new Error('the export worker was closed'));
    await this.transport.terminate();
  }

  private receive(m: WorkerResponse): void {
    if (m.kind === 'lost') {
      this.forget(m.key, false);
      return;
    }
    const p = this.pending.get(m.job);
    if (!p) return; // a job cancelled here but finished there
    if (m.kind === 'progress') {
      p.onProgress?.(m.progress);
      return;
    }
    this.settle(m.job);
    if (m.kind === 'result') p.resolve(withReport(m.glb, m.report));
    else p.reject(new GltfExportError(m.code, m.message));
  }

  private settle(job: number): void {
    const p = this.pending.get(job);
    if (!p) return;
    p.cleanup();
    this.pending.delete(job);
    if (this.pending.size === 0) this.transport.keepAlive?.(false);
  }

  private fail(e: Error): void {
    if (this.failed) return;
    this.failed = e;
    for (const [job, p] of [...this.pending]) {
      this.settle(job);
      p.reject(new GltfExportError('WORKER_FAILED', `the export worker stopped: ${e.message}`, { cause: e }));
    }
  }
}

/** True when `bytes` owns its whole ArrayBuffer, which can then be transferred instead of copied. */
function isWholeBuffer(bytes: Uint8Array): boolean {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
}

function abortError(signal: AbortSignal): GltfExportError {
  return new GltfExportError('ABORTED', 'the export was cancelled', { cause: signal.reason });
}

/** Only the conversion options cross to the worker (functions and signals cannot be cloned). */
function plainOptions(o: ConvertOptions): ConvertOptions {
  const out: ConvertOptions = {};
  if (o.hiddenNodes !== undefined) out.hiddenNodes = o.hiddenNodes;
  if (o.shearTolerance !== undefined) out.shearTolerance = o.shearTolerance;
  if (o.maxVerticesPerMesh !== undefined) out.maxVerticesPerMesh = o.maxVerticesPerMesh;
  if (o.maxTexturePixels !== undefined) out.maxTexturePixels = o.maxTexturePixels;
  if (o.writeExtras !== undefined) out.writeExtras = o.writeExtras;
  if (o.projectDir !== undefined) out.projectDir = o.projectDir;
  if (o.files !== undefined) out.files = o.files;
  if (o.maxFileBytes !== undefined) out.maxFileBytes = o.maxFileBytes;
  return out;
}

/**
 * Wraps a browser `Worker` running `@scenesync/gltf/worker`.
 *
 * @example
 * const worker = browserExportWorker(new Worker(new URL('@scenesync/gltf/worker', import.meta.url), { type: 'module' }));
 * const glb = await exportGlb(scene, { worker });
 */
export function browserExportWorker(worker: Worker, options?: ExportWorkerOptions): ExportWorker {
  return new ExportWorker({
    post: (m, transfer) => worker.postMessage(m, transfer ?? []),
    onMessage: (h) => worker.addEventListener('message', (e: MessageEvent<WorkerResponse>) => h(e.data)),
    onFailure: (h) => worker.addEventListener('error', (e: ErrorEvent) => h(new Error(e.message || 'worker error'))),
    terminate: () => worker.terminate(),
  }, options);
}
