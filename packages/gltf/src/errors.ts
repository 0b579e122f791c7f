/** Why an export was refused or stopped. */
export type GltfExportErrorCode =
  /** The argument is not a scene, a Y.Doc or a scene tree. */
  | 'INVALID_ARGUMENT'
  /** The export was cancelled through its AbortSignal. */
  | 'ABORTED'
  /** The worker could not be started or died during the export. */
  | 'WORKER_FAILED'
  /** The snapshot could not be read back into a scene (corrupt update, newer schema...). */
  | 'SNAPSHOT_INVALID'
  /** glTF-Transform refused the generated document (a bug: please report it with the scene). */
  | 'WRITE_FAILED'
  /** No worker can be made here (a browser without options.worker). */
  | 'NO_WORKER';

/**
 * The error every `@scenesync/gltf` export call rejects or throws with. Things that merely cannot be
 * expressed in glTF are not errors: they go to the export report.
 *
 * @example
 * try { await exportGlb(scene, { signal }) } catch (e) { if (e instanceof GltfExportError && e.code === 'ABORTED') … }
 */
export class GltfExportError extends Error {
  override readonly name = 'GltfExportError';
  constructor(
    readonly code: GltfExportErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Why an upload failed. */
export type UploadErrorCode =
  /** Wrong arguments (missing server, bad room or name, bytes that are not a GLB). */
  | 'INVALID_ARGUMENT'
  /** The server could not be reached. */
  | 'NETWORK'
  /** The server answered with an HTTP error; `status` and `serverMessage` say which. */
  | 'HTTP'
  /** The upload was cancelled through its AbortSignal. */
  | 'ABORTED';

/**
 * The error `uploadGlb` rejects with.
 *
 * @example
 * catch (e) { if (e instanceof UploadError && e.status === 401) askForToken() }
 */
export class UploadError extends Error {
  override readonly name = 'UploadError';
  constructor(
    readonly code: UploadErrorCode,
    message: string,
    /** HTTP status for `HTTP` errors. */
    readonly status?: number,
    /** The server's own error text (its JSON `error` field when it sent one). */
    readonly serverMessage?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
