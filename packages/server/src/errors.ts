/** Machine-readable reasons a request or option is refused. */
export type ServerErrorCode =
  | 'bad_option'
  | 'bad_name'
  | 'bad_glb'
  | 'too_large'
  | 'uploads_disabled'
  | 'unauthorized'
  | 'not_found'
  | 'method_not_allowed'
  | 'reserved_name'
  | 'bad_request';

/**
 * A refusal with a code, the HTTP status it maps to, and a message that says what to do next.
 * HTTP handlers turn it into `{ "error": code, "message": message }` with `status`.
 */
export class ServerError extends Error {
  readonly code: ServerErrorCode;
  /** HTTP status of the answer; 0 for `bad_option`, which is thrown to the caller, never sent. */
  readonly status: number;
  constructor(code: ServerErrorCode, status: number, message: string) {
    super(message);
    this.name = 'ServerError';
    this.code = code;
    this.status = status;
  }
}
