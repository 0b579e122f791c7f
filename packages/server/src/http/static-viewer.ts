import type { IncomingMessage, ServerResponse } from 'node:http';
import send from 'send';
import { ServerError } from '../errors.js';
import { sendError } from './respond.js';

/**
 * Serves the built web viewer from `dir`: `index.html` for directories, content types from the
 * file extension, ETag/Last-Modified/Range. `send` refuses traversal outside `dir` (403) and we
 * hide dotfiles (404).
 */
export function serveViewer(req: IncomingMessage, res: ServerResponse, dir: string, pathname: string): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  send(req, pathname, { root: dir, index: ['index.html'], dotfiles: 'ignore' })
    .on('error', (err: { status?: number }) => {
      const status = err.status ?? 500;
      sendError(res, new ServerError(status === 404 ? 'not_found' : 'bad_request', status, status === 404 ? 'no such file in the viewer' : 'request refused'));
    })
    .pipe(res);
}
