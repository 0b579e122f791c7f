/** Why a scenesync call was refused. */
export type SceneErrorCode =
  | 'UNKNOWN_NODE'
  | 'UNKNOWN_RESOURCE'
  | 'CYCLE'
  | 'ROOT'
  | 'INVALID_VALUE'
  | 'INVALID_ARGUMENT'
  | 'DUPLICATE_ID'
  | 'SCHEMA_NEWER';

/**
 * The error every `@scenesync/core` call throws for wrong arguments or a document it may not write.
 * A call that throws has changed nothing.
 *
 * @example
 * try { scene.moveNode(a, b) } catch (e) { if (e instanceof SceneError && e.code === 'CYCLE') … }
 */
export class SceneError extends Error {
  override readonly name = 'SceneError';
  constructor(
    readonly code: SceneErrorCode,
    message: string,
  ) {
    super(message);
  }
}
