import type { IncomingMessage, ServerResponse } from 'node:http';
import { close, createReadStream, fstat, open, type Stats } from 'node:fs';
import { promisify } from 'node:util';
import { pipeline } from 'node:stream/promises';
import fresh from 'fresh';
import parseRange from 'range-parser';
import { snapshotEtag } from '../store/snapshot-store.js';

const openFile = promisify(open);
const statFile = promisify(fstat) as (fd: number) => Promise<Stats>;
const closeFile = promisify(close);
/** Bigger reads than the 64 KiB default: fewer chunks per GLB, measurably faster downloads. */
const READ_CHUNK_BYTES = 256 * 1024;

/** `If-Range` holds: the client's copy is the current one, so a partial answer is safe. */
function ifRangeHolds(req: IncomingMessage, etag: string, lastModified: Date): boolean {
  const raw = req.headers['if-range'];
  const ifRange = Array.isArray(raw) ? raw[0] : raw;
  if (!ifRange) return true;
  if (ifRange.startsWith('"') || ifRange.startsWith('W/')) return ifRange === etag;
  const since = Date.parse(ifRange);
  return !Number.isNaN(since) && Math.floor(lastModified.getTime() / 1000) * 1000 <= since;
}

/**
 * Serves one stored GLB: `model/gltf-binary`, ETag, Last-Modified, 304 on revalidation
 * (If-None-Match / If-Modified-Since), one byte range (206, or 416 when unsatisfiable; several
 * ranges get the whole file, as RFC 9110 allows).
 *
 * The file is opened once and headers and bytes both come from that open file: a concurrent
 * upload that renames a new file over the name cannot make the body disagree with the headers.
 *
 * @returns `false` when the file does not exist (nothing was sent).
 */
export async function serveSnapshotFile(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
  // A numeric fd with the callback API: FileHandle streams read through promises and are slower.
  let fd: number;
  try {
    fd = await openFile(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'EISDIR') return false;
    throw err;
  }
  let streaming = false;
  try {
    const st = await statFile(fd);
    if (!st.isFile()) return false;
    const etag = snapshotEtag(st);
    const lastModified = st.mtime.toUTCString();
    res.setHeader('Content-Type', 'model/gltf-binary');
    res.setHeader('ETag', etag);
    res.setHeader('Last-Modified', lastModified);
    res.setHeader('Accept-Ranges', 'bytes');
    // Only the validators: a request's `Cache-Control: no-cache` (fetch() adds it to conditional
    // requests) speaks to caches; the origin answers the condition (RFC 9110, section 13).
    const conditions = { 'if-none-match': req.headers['if-none-match'], 'if-modified-since': req.headers['if-modified-since'] };
    if (fresh(conditions, { etag, 'last-modified': lastModified })) {
      res.removeHeader('Content-Type');
      res.statusCode = 304;
      res.end();
      return true;
    }
    let start = 0;
    let end = st.size - 1;
    res.statusCode = 200;
    const range = req.headers.range;
    if (range && ifRangeHolds(req, etag, st.mtime)) {
      const ranges = parseRange(st.size, range, { combine: true });
      if (ranges === -1) {
        res.statusCode = 416;
        res.setHeader('Content-Range', `bytes */${st.size}`);
        res.end();
        return true;
      }
      if (ranges !== -2 && ranges.type === 'bytes' && ranges.length === 1) {
        start = ranges[0]!.start;
        end = ranges[0]!.end;
        res.statusCode = 206;
        res.setHeader('Content-Range', `bytes ${start}-${end}/${st.size}`);
      }
    }
    res.setHeader('Content-Length', end - start + 1);
    if (req.method === 'HEAD') {
      res.end();
      return true;
    }
    streaming = true;
    await pipeline(createReadStream('', { fd, start, end, autoClose: true, highWaterMark: READ_CHUNK_BYTES }), res).catch(() => {
      // The client went away mid-download; pipeline already closed the file.
    });
    return true;
  } finally {
    if (!streaming) await closeFile(fd);
  }
}
