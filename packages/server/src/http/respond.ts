import type { IncomingMessage, ServerResponse } from 'node:http';
import { ServerError } from '../errors.js';

/** Sends `body` as JSON with `status`. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

/**
 * Answers with `{ error: code, message }`. Errors that are not {@link ServerError} become a 500
 * without details (they are bugs, logged by the caller).
 */
export function sendError(res: ServerResponse, err: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (err instanceof ServerError) {
    if (err.status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
    if (err.status === 405) res.setHeader('Allow', (err as ServerError & { allow?: string }).allow ?? 'GET, HEAD');
    sendJson(res, err.status, { error: err.code, message: err.message });
  } else {
    sendJson(res, 500, { error: 'internal', message: 'internal server error; see the server log' });
  }
}

/** A 405 that lists what is allowed. */
export function methodNotAllowed(allow: string): ServerError {
  const err = new ServerError('method_not_allowed', 405, `method not allowed here; use ${allow}`) as ServerError & { allow: string };
  err.allow = allow;
  return err;
}

/**
 * After refusing a request whose body we will not read (too large, unauthorised), close the
 * connection instead of draining an arbitrarily large body, but only after a grace period so the
 * client can read the answer before the socket goes (an immediate close can reset it away).
 */
export function closeAfterRefusal(req: IncomingMessage, res: ServerResponse): void {
  if (req.complete) return;
  // Taken now: an aborted request detaches from its socket.
  const socket = res.socket ?? req.socket;
  if (!res.headersSent) res.setHeader('Connection', 'close');
  res.on('finish', () => setTimeout(() => socket?.destroy(), 2000).unref());
}
