import type { IncomingMessage, ServerResponse } from 'node:http';
import { ServerError } from '../errors.js';
import type { ServerMetrics } from '../metrics/metrics.js';
import { handleListing, handleSnapshot, type SnapshotRoutesContext } from './snapshot-routes.js';
import { serveViewer } from './static-viewer.js';
import { methodNotAllowed, sendError, sendJson } from './respond.js';

/** What the HTTP side needs; built by `createServer`. */
export interface RequestContext extends SnapshotRoutesContext {
  metrics: ServerMetrics;
  cors: string | undefined;
  viewerDir: string | undefined;
  /** Prometheus text of every metric. */
  renderMetrics(): string;
}

/** `/rooms/<room>/snapshots` and `/rooms/<room>/snapshots/<file>`, matched on the raw (undecoded) path. */
const SNAPSHOT_ROUTE = /^\/rooms\/([^/]+)\/snapshots(?:\/([^/]+))?\/?$/;

/**
 * The HTTP routes (docs/self-hosting.md, "HTTP API"): `/healthz`, `/metrics`, the GLB store under
 * `/rooms/`, and the viewer for everything else. Routing is on the raw path, so `%2e%2e` and
 * friends reach the strict name check undecoded and fail it.
 */
export function createRequestHandler(ctx: RequestContext): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    ctx.metrics.httpRequests++;
    handle(ctx, req, res).catch((err: unknown) => {
      if (!(err instanceof ServerError)) console.error('scenesync-server: request failed:', err);
      sendError(res, err);
    });
  };
}

async function handle(ctx: RequestContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const rawUrl = req.url ?? '/';
  const query = rawUrl.indexOf('?');
  const pathname = query < 0 ? rawUrl : rawUrl.slice(0, query);
  if (ctx.cors) {
    res.setHeader('Access-Control-Allow-Origin', ctx.cors);
    res.setHeader('Access-Control-Expose-Headers', 'ETag, Last-Modified, Content-Length, Content-Range, Content-Location, Location');
    if (ctx.cors !== '*') res.setHeader('Vary', 'Origin');
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, PUT, DELETE, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, Range, If-None-Match, If-Modified-Since, If-Range');
      res.setHeader('Access-Control-Max-Age', '600');
      res.statusCode = 204;
      res.end();
      return;
    }
  }
  if (pathname === '/healthz') {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw methodNotAllowed('GET, HEAD');
    // `uploads` tells a viewer whether offering "upload" makes sense; the token itself is never shown.
    return sendJson(res, 200, { ok: true, uploads: ctx.token !== undefined });
  }
  if (pathname === '/metrics') {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw methodNotAllowed('GET, HEAD');
    const text = ctx.renderMetrics();
    res.setHeader('Content-Type', 'text/plain; version=0.0.4; charset=utf-8');
    res.end(text);
    return;
  }
  if (pathname === '/rooms' || pathname.startsWith('/rooms/')) {
    const m = SNAPSHOT_ROUTE.exec(pathname);
    if (!m) throw new ServerError('not_found', 404, 'unknown path; snapshots live at /rooms/<room>/snapshots[/<name>.glb]');
    return m[2] === undefined ? handleListing(ctx, req, res, m[1]!) : handleSnapshot(ctx, req, res, m[1]!, m[2]);
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') throw methodNotAllowed('GET, HEAD');
  if (!ctx.viewerDir) throw new ServerError('not_found', 404, 'no web viewer configured; start the server with --viewer-dir <built viewer>');
  serveViewer(req, res, ctx.viewerDir, pathname);
}
