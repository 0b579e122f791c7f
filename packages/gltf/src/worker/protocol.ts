import type { GltfExportErrorCode } from '../errors.js';
import type { ConvertOptions, ExportProgress } from '../options.js';
import type { ExportReport } from '../report.js';

/**
 * Messages between the calling thread and the export worker (structured-cloned; byte buffers are
 * transferred, never copied). Version 1; both sides ship in the same package, so they always match.
 */
export type WorkerRequest =
  /** Export the scene in `update` (a `Y.encodeStateAsUpdateV2` of the document). */
  | { readonly kind: 'export'; readonly job: number; readonly update: Uint8Array; readonly options: ConvertOptions }
  /** Stop job `job` at its next batch boundary (or drop it if it has not started). */
  | { readonly kind: 'cancel'; readonly job: number };

/** Worker → caller. */
export type WorkerResponse =
  | { readonly kind: 'progress'; readonly job: number; readonly progress: ExportProgress }
  | { readonly kind: 'result'; readonly job: number; readonly glb: Uint8Array; readonly report: ExportReport }
  | { readonly kind: 'error'; readonly job: number; readonly code: GltfExportErrorCode; readonly message: string };
