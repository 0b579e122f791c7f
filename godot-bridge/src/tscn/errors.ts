/** Why a .tscn text could not be read at all (a broken structure, not an unknown value). */
export type TscnErrorCode = 'SYNTAX' | 'NOT_A_SCENE' | 'UNSUPPORTED_FORMAT' | 'NO_ROOT';

/**
 * Thrown when a .tscn text is structurally broken (unbalanced brackets, a header without a tag, no
 * root node). Unknown value types and missing files are never errors: they are kept and reported.
 */
export class TscnError extends Error {
  readonly code: TscnErrorCode;
  /** 1-based line of the problem, when known. */
  readonly line: number | undefined;

  constructor(code: TscnErrorCode, message: string, line?: number) {
    super(line === undefined ? message : `line ${line}: ${message}`);
    this.name = 'TscnError';
    this.code = code;
    this.line = line;
  }
}
