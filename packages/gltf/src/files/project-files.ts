/**
 * `res://` files of the Godot project a scene comes from (G-FILE): where an export finds the pixels of
 * a texture the document only names by path. Given either as the files' contents (`options.files`, any
 * platform) or as the project directory (`options.projectDir`, Node only: the reader is registered by
 * the Node entries, src/files/node-project-dir.ts, so browser bundles never import `node:fs`).
 */

/**
 * A project file found: a version that changes when the file does, and its bytes, read only when
 * asked (an export whose cache holds the file's image needs the version alone); or why not.
 * `bytes()` returns null when the file can no longer be read.
 */
export type FileRead =
  | { readonly ok: true; readonly version: string; readonly bytes: () => Uint8Array | null }
  | { readonly ok: false; readonly message: string };

/** Reads one `res://` path of the project. Never throws. */
export type ProjectFileReader = (resPath: string) => FileRead;

type DirReaderFactory = (projectDir: string, maxFileBytes: number) => ProjectFileReader;
let dirReaderFactory: DirReaderFactory | undefined;

/** Called once by the Node entries: lets `options.projectDir` read from disk. */
export function setProjectDirReader(factory: DirReaderFactory): void {
  dirReaderFactory = factory;
}

/** Whether this platform can read `options.projectDir` (false in browsers). */
export function canReadProjectDir(): boolean {
  return dirReaderFactory !== undefined;
}

/**
 * The path inside the project that `res://…` names, with `/` separators; null for anything that is not
 * a plain relative path below the project: another scheme, an empty path, `.` or `..` segments,
 * backslashes, NUL, or a leading `/` after the scheme.
 */
export function resRelativePath(resPath: string): string | null {
  if (typeof resPath !== 'string' || !resPath.startsWith('res://')) return null;
  const rel = resPath.slice('res://'.length);
  if (rel === '' || rel.startsWith('/') || rel.includes('\\') || rel.includes('\0')) return null;
  const parts = rel.split('/');
  if (parts.some((p) => p === '' || p === '.' || p === '..')) return null;
  return rel;
}

/** A reader over contents the caller holds (`options.files`, keyed by `res://` path). */
export function filesReader(files: Readonly<Record<string, Uint8Array>>, maxFileBytes: number): ProjectFileReader {
  // One export may ask for a file in several slots: hash each once.
  const versions = new Map<string, string>();
  return (resPath) => {
    if (resRelativePath(resPath) === null) return { ok: false, message: 'is not a res:// path inside the project' };
    if (!Object.prototype.hasOwnProperty.call(files, resPath)) return { ok: false, message: 'is not among options.files' };
    const bytes = files[resPath]!;
    if (bytes.length > maxFileBytes) return { ok: false, message: `has ${bytes.length} bytes, more than maxFileBytes (${maxFileBytes})` };
    let version = versions.get(resPath);
    if (version === undefined) versions.set(resPath, (version = `${bytes.length}:${fnv1a(bytes)}`));
    return { ok: true, version, bytes: () => bytes };
  };
}

/** The reader `options` ask for, or undefined when they name no project files. */
export function projectFileReader(options: { readonly projectDir?: string; readonly files?: Readonly<Record<string, Uint8Array>>; readonly maxFileBytes: number }): ProjectFileReader | undefined {
  const given = options.files ? filesReader(options.files, options.maxFileBytes) : undefined;
  const disk = options.projectDir !== undefined && dirReaderFactory ? dirReaderFactory(options.projectDir, options.maxFileBytes) : undefined;
  if (!given) return disk;
  if (!disk) return given;
  // Contents given by the caller win over the disk (an unsaved edit, a generated file).
  return (resPath) => (Object.prototype.hasOwnProperty.call(options.files, resPath) ? given(resPath) : disk(resPath));
}

/** FNV-1a over the bytes: a version for contents that come without a modification time. */
function fnv1a(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return (h >>> 0).toString(16);
}
