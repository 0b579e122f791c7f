/** Why a `scenesync` command failed; `bin.ts` prints the message as one line and exits with `exitCode`. */
export type CliErrorCode =
  | 'BAD_ARGUMENT'
  | 'NO_PEERS'
  | 'FILE'
  | 'VIEWER_MISSING'
  | 'EXPORT_FAILED'
  | 'UPLOAD_FAILED'
  | 'SERVER_FAILED';

/**
 * A failure the user can act on. The message says what went wrong and what to do next, in one line.
 *
 * @example
 * throw new CliError('BAD_ARGUMENT', '--port must be 0..65535, got 99999');
 */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    readonly code: CliErrorCode,
    message: string,
    /** Process exit code: 2 for wrong usage, 1 for everything else. */
    readonly exitCode: number = code === 'BAD_ARGUMENT' ? 2 : 1,
  ) {
    super(message);
  }
}

/** One line for any error: typed errors of every scenesync package carry their own clear message. */
export function errorLine(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const prefix = typeof code === 'string' && !(error instanceof CliError) ? `${code}: ` : '';
    return `${prefix}${error.message}`.split('\n')[0]!;
  }
  return String(error).split('\n')[0]!;
}
