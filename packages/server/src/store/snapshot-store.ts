import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Stats } from 'node:fs';
import { ServerError } from '../errors.js';
import { STORE_NAME_PATTERN, checkRoomName } from '../names.js';
import { checkGlb } from './glb-header.js';

/** One stored snapshot, as listed by `GET /rooms/:room/snapshots`. */
export interface SnapshotInfo {
  /** File name, `<name>.glb`. */
  name: string;
  /** Size in bytes. */
  size: number;
  /** Modification time (the moment the upload was committed), ISO 8601. */
  time: string;
  /** Strong ETag, the same one `GET` sends. */
  etag: string;
}

/** Temporary upload files start with this (hidden, so listings and GETs never see them). */
const TEMP_PREFIX = '.upload-';

/**
 * The ETag of a stored file: inode, size and mtime. Every instance sharing the directory computes
 * the same value, and each committed upload is a new inode, so two uploads never share one.
 */
export function snapshotEtag(st: Pick<Stats, 'ino' | 'size' | 'mtimeMs'>): string {
  return `"${st.ino.toString(16)}-${st.size.toString(16)}-${Math.floor(st.mtimeMs * 1000).toString(16)}"`;
}

/**
 * GLB snapshots on disk: `<dataDir>/rooms/<room>/<name>.glb`.
 *
 * An upload streams into a hidden temporary file in the same directory, is checked, and is then
 * renamed over the target: rename is atomic within a filesystem, so readers see the old file or the
 * new one, never half of one, and of two concurrent uploads of one name the last rename wins whole.
 * The directory may be shared by several instances (see docs/self-hosting.md, "Shared storage").
 */
export class SnapshotStore {
  constructor(readonly dataDir: string) {}

  /** Directory of one room's snapshots. @throws ServerError `bad_name` for an invalid room. */
  roomDir(room: string): string {
    return join(this.dataDir, 'rooms', checkRoomName(room));
  }

  /**
   * Stores a GLB from a stream.
   * @param room valid room name
   * @param name valid snapshot name without `.glb`
   * @param body the bytes
   * @param maxBytes size limit
   * @returns the stored snapshot
   * @throws ServerError `too_large` (413) past `maxBytes`, `bad_glb` (400) when the bytes are not a GLB.
   */
  async put(room: string, name: string, body: Readable, maxBytes: number): Promise<SnapshotInfo> {
    const dir = this.roomDir(room);
    await mkdir(dir, { recursive: true });
    const temp = join(dir, `${TEMP_PREFIX}${randomUUID()}.tmp`);
    let received = 0;
    let overLimit: ServerError | null = null;
    const limiter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        received += chunk.length;
        if (received > maxBytes) {
          overLimit = new ServerError('too_large', 413, `upload exceeds the limit of ${maxBytes} bytes; export a smaller GLB or raise --max-upload`);
          done(overLimit);
        } else done(null, chunk);
      },
    });
    try {
      // Tearing down the pipeline may surface another error (the aborted request) first.
      await pipeline(body, limiter, createWriteStream(temp, { flags: 'wx' })).catch((err: unknown) => {
        throw overLimit ?? err;
      });
      const handle = await open(temp, 'r');
      try {
        await checkGlb(async (position, length) => {
          const buf = Buffer.alloc(length);
          const { bytesRead } = await handle.read(buf, 0, length, position);
          return buf.subarray(0, bytesRead);
        }, received);
      } finally {
        await handle.close();
      }
      await rename(temp, join(dir, `${name}.glb`));
    } catch (err) {
      await unlink(temp).catch(() => {});
      throw err;
    }
    const info = await this.info(room, name);
    if (!info) throw new ServerError('not_found', 404, 'snapshot vanished right after upload (deleted concurrently); upload again');
    return info;
  }

  /** The snapshot `<name>.glb` of `room`, or `null` when there is none. */
  async info(room: string, name: string): Promise<SnapshotInfo | null> {
    try {
      const st = await stat(join(this.roomDir(room), `${name}.glb`));
      return st.isFile() ? toInfo(`${name}.glb`, st) : null;
    } catch {
      return null;
    }
  }

  /** Every snapshot of `room`, newest first (ties by name). Empty when the room has none. */
  async list(room: string): Promise<SnapshotInfo[]> {
    const dir = this.roomDir(room);
    let files: string[];
    try {
      files = await readdir(dir);
    } catch {
      return [];
    }
    const infos: SnapshotInfo[] = [];
    for (const file of files) {
      if (!file.endsWith('.glb') || !STORE_NAME_PATTERN.test(file.slice(0, -4))) continue;
      try {
        const st = await stat(join(dir, file));
        if (st.isFile()) infos.push(toInfo(file, st));
      } catch {
        // Deleted between readdir and stat: simply not listed.
      }
    }
    return infos.sort((a, b) => (a.time === b.time ? a.name.localeCompare(b.name) : a.time < b.time ? 1 : -1));
  }

  /** The newest snapshot of `room`, or `null`. */
  async latest(room: string): Promise<SnapshotInfo | null> {
    return (await this.list(room))[0] ?? null;
  }

  /** Deletes `<name>.glb`; `false` when it did not exist. */
  async delete(room: string, name: string): Promise<boolean> {
    try {
      await unlink(join(this.roomDir(room), `${name}.glb`));
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }

  /**
   * Removes temporary upload files older than `maxAgeMs` left by crashed processes. Younger ones
   * are spared: on a shared directory they may be another instance's running upload.
   */
  async removeStaleTemps(maxAgeMs: number): Promise<number> {
    let removed = 0;
    let rooms: string[];
    try {
      rooms = await readdir(join(this.dataDir, 'rooms'));
    } catch {
      return 0;
    }
    for (const room of rooms) {
      if (!STORE_NAME_PATTERN.test(room)) continue;
      const dir = join(this.dataDir, 'rooms', room);
      let files: string[] = [];
      try {
        files = await readdir(dir);
      } catch {
        continue;
      }
      for (const file of files) {
        if (!file.startsWith(TEMP_PREFIX)) continue;
        try {
          const st = await stat(join(dir, file));
          if (Date.now() - st.mtimeMs > maxAgeMs) {
            await unlink(join(dir, file));
            removed++;
          }
        } catch {
          // Another instance finished or removed it.
        }
      }
    }
    return removed;
  }
}

function toInfo(name: string, st: Stats): SnapshotInfo {
  return { name, size: st.size, time: st.mtime.toISOString(), etag: snapshotEtag(st) };
}
