import type { GltfExportErrorCode } from '../errors.js';
import type { ConvertOptions, ExportProgress } from '../options.js';
import type { ExportReport } from '../report.js';

/**
 * Messages between the calling thread and the export worker (structured-cloned; byte buffers are
 * transferred, never copied). Version 2; both sides ship in the same package, so they always match.
 */
export type WorkerRequest =
  /**
   * Export the scene in `update`. Without `mirror`, `update` is a whole document
   * (`Y.encodeStateAsUpdateV2`) used once. With `mirror`, the worker keeps a copy of the document
   * under `mirror.key` between exports: `delta: false` starts (or restarts) that copy from the whole
   * document in `update`; `delta: true` applies `update`, the changes since the caller's previous
   * export of this key, to the copy first. Deltas are applied in the order sent, even for jobs that
   * are cancelled, so the copy never misses one.
   */
  | { readonly kind: 'export'; readonly job: number; readonly update: Uint8Array; readonly options: ConvertOptions; readonly mirror?: { readonly key: string; readonly delta: boolean } }
  /**
   * Bring the copy under `mirror.key` up to date without exporting (see `prepareExports`): the same
   * update chain as `export`. When `prepare` is set, the worker then describes, while it has nothing
   * else to do, every node not described yet with those options, so the next export only writes.
   */
  | { readonly kind: 'sync'; readonly update: Uint8Array; readonly mirror: { readonly key: string; readonly delta: boolean }; readonly prepare?: ConvertOptions }
  /** Stop job `job` at its next batch boundary (or drop it if it has not started). */
  | { readonly kind: 'cancel'; readonly job: number }
  /** Drop the copy kept under `key` (its document was destroyed, collected, or evicted by the caller). */
  | { readonly kind: 'forget'; readonly key: string };

/** Worker → caller. */
export type WorkerResponse =
  | { readonly kind: 'progress'; readonly job: number; readonly progress: ExportProgress }
  | { readonly kind: 'result'; readonly job: number; readonly glb: Uint8Array; readonly report: ExportReport }
  | { readonly kind: 'error'; readonly job: number; readonly code: GltfExportErrorCode; readonly message: string }
  /** The copy under `key` was dropped (a `sync` update could not be read): the next export sends the whole document. */
  | { readonly kind: 'lost'; readonly key: string; readonly message: string };
