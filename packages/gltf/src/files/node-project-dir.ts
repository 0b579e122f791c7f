/**
 * Reads `options.projectDir` from disk (Node). Registered for its effect by the Node entries
 * (src/index.ts, src/worker/node-worker.ts).
 */
import { closeSync, fstatSync, openSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import { join, sep } from 'node:path';
import { resRelativePath, setProjectDirReader, type FileRead, type ProjectFileReader } from './project-files.js';

/**
 * A reader of `res://` paths below `projectDir`. A path must resolve, links included, to a regular file
 * inside the directory, of at most `maxFileBytes`; anything else is a failed read with the reason. The
 * version comes from the file's status; its bytes are read only when an export needs them.
 */
export function projectDirReader(projectDir: string, maxFileBytes: number): ProjectFileReader {
  let root: string | null | undefined;
  return (resPath): FileRead => {
    const rel = resRelativePath(resPath);
    if (rel === null) return { ok: false, message: 'is not a res:// path inside the project' };
    if (root === undefined) {
      try {
        root = realpathSync(projectDir);
      } catch {
        root = null;
      }
    }
    if (root === null) return { ok: false, message: `cannot be read: the project directory ${projectDir} does not exist` };
    let real: string;
    try {
      real = realpathSync(join(root, ...rel.split('/')));
    } catch {
      return { ok: false, message: `is not in the project directory ${projectDir}` };
    }
    if (!real.startsWith(root.endsWith(sep) ? root : root + sep)) return { ok: false, message: 'leads outside the project directory (through a link); not read' };
    let stat: Stats;
    try {
      stat = statSync(real);
    } catch (e) {
      return { ok: false, message: `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
    }
    if (!stat.isFile()) return { ok: false, message: 'is not a file' };
    if (stat.size > maxFileBytes) return { ok: false, message: `has ${stat.size} bytes, more than maxFileBytes (${maxFileBytes})` };
    return { ok: true, version: `${stat.mtimeMs}:${stat.size}:${stat.ino}`, bytes: () => readWhole(real, maxFileBytes) };
  };
}

/** The whole file, or null when it is gone, unreadable or grew past `maxFileBytes` since it was looked at. */
function readWhole(path: string, maxFileBytes: number): Uint8Array | null {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const size = fstatSync(fd).size;
    if (size > maxFileBytes) return null;
    const bytes = new Uint8Array(size);
    let at = 0;
    while (at < size) {
      const n = readSync(fd, bytes, at, size - at, at);
      if (n === 0) return null;
      at += n;
    }
    return bytes;
  } catch {
    return null;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

setProjectDirReader(projectDirReader);
