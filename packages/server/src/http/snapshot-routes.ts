import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { ServerError } from '../errors.js';
import { LATEST_NAME, checkRoomName, checkSnapshotFile } from '../names.js';
import type { ServerMetrics } from '../metrics/metrics.js';
import type { SnapshotStore } from '../store/snapshot-store.js';
import { serveSnapshotFile } from './snapshot-file.js';
import { closeAfterRefusal, methodNotAllowed, sendError, sendJson } from './respond.js';

/** What the snapshot routes need from the server. */
export interface SnapshotRoutesContext {
  store: SnapshotStore;
  metrics: ServerMetrics;
  token: string | undefined;
  maxUpload: number;
  /** Tracks running uploads so shutdown can wait for them. */
  track<T>(work: Promise<T>): Promise<T>;
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

/** Checks `Authorization: Bearer <token>` in constant time. @throws ServerError 403/401 */
function authorize(ctx: SnapshotRoutesContext, req: IncomingMessage): void {
  if (ctx.token === undefined) {
    throw new ServerError('uploads_disabled', 403, 'uploads are disabled on this server; start it with --token or SCENESYNC_TOKEN');
  }
  const header = req.headers.authorization ?? '';
  const given = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
  if (!given || !timingSafeEqual(digest(given), digest(ctx.token))) {
    throw new ServerError('unauthorized', 401, 'missing or wrong upload token; send Authorization: Bearer <token>');
  }
}

/** `GET /rooms/:room/snapshots`: the listing as JSON. */
export async function handleListing(ctx: SnapshotRoutesContext, req: IncomingMessage, res: ServerResponse, room: string): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') throw methodNotAllowed('GET, HEAD');
  checkRoomName(room);
  const snapshots = await ctx.store.list(room);
  res.setHeader('Cache-Control', 'no-cache');
  sendJson(res, 200, { room, snapshots });
}

/** `GET|HEAD|PUT|DELETE /rooms/:room/snapshots/:name.glb`. */
export async function handleSnapshot(
  ctx: SnapshotRoutesContext,
  req: IncomingMessage,
  res: ServerResponse,
  room: string,
  file: string,
): Promise<void> {
  switch (req.method) {
    case 'GET':
    case 'HEAD':
      return download(ctx, req, res, room, file);
    case 'PUT':
      return ctx.track(upload(ctx, req, res, room, file));
    case 'DELETE': {
      authorize(ctx, req);
      checkRoomName(room);
      const name = checkSnapshotFile(file);
      if (!(await ctx.store.delete(room, name))) throw new ServerError('not_found', 404, `no snapshot ${file} in room ${room}`);
      res.statusCode = 204;
      res.end();
      return;
    }
    default:
      throw methodNotAllowed('GET, HEAD, PUT, DELETE');
  }
}

async function upload(ctx: SnapshotRoutesContext, req: IncomingMessage, res: ServerResponse, room: string, file: string): Promise<void> {
  try {
    authorize(ctx, req);
    checkRoomName(room);
    const name = checkSnapshotFile(file);
    if (name === LATEST_NAME) throw new ServerError('reserved_name', 400, `"${LATEST_NAME}.glb" always means the newest snapshot; upload under another name`);
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > ctx.maxUpload) {
      throw new ServerError('too_large', 413, `upload of ${declared} bytes exceeds the limit of ${ctx.maxUpload} bytes; export a smaller GLB or raise --max-upload`);
    }
    const info = await ctx.store.put(room, name, req, ctx.maxUpload);
    ctx.metrics.uploads++;
    ctx.metrics.uploadBytes += info.size;
    res.setHeader('Location', `/rooms/${room}/snapshots/${info.name}`);
    sendJson(res, 201, info);
  } catch (err) {
    ctx.metrics.uploadsRejected++;
    closeAfterRefusal(req, res);
    // The client hung up mid-upload: nobody is left to answer.
    if (!res.socket || res.socket.destroyed) return;
    sendError(res, err);
  }
}

async function download(ctx: SnapshotRoutesContext, req: IncomingMessage, res: ServerResponse, room: string, file: string): Promise<void> {
  checkRoomName(room);
  let name = checkSnapshotFile(file);
  if (name === LATEST_NAME) {
    const latest = await ctx.store.latest(room);
    if (!latest) throw new ServerError('not_found', 404, `room ${room} has no snapshots yet`);
    name = latest.name.slice(0, -4);
    res.setHeader('Content-Location', `/rooms/${room}/snapshots/${latest.name}`);
  }
  res.setHeader('Cache-Control', 'no-cache');
  if (!(await serveSnapshotFile(req, res, join(ctx.store.roomDir(room), `${name}.glb`)))) {
    res.removeHeader('Content-Location');
    throw new ServerError('not_found', 404, `no snapshot ${file} in room ${room}`);
  }
  ctx.metrics.downloads++;
}
