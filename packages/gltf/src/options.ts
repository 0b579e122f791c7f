import { canReadProjectDir, resRelativePath } from './files/project-files.js';

/** Where an export is. `done`/`total` count nodes in `convert`, and are 0/1 or 1/1 in the other phases. */
export interface ExportProgress {
  readonly phase: 'snapshot' | 'decode' | 'convert' | 'write' | 'done';
  readonly done: number;
  readonly total: number;
}

/** How hidden nodes (`visible = false`) are written (G-NODE-4). */
export type HiddenNodeMode =
  /** Kept, marked with `KHR_node_visibility` `{ visible: false }` (what Godot 4.5+ writes, as an optional extension). */
  | 'mark'
  /** Left out with their subtree, each listed in the report (what Godot 4.4 and earlier did). */
  | 'exclude';

/** Options of the pure tree → GLB conversion (`glbFromTree`, `exportGlbSync` and the worker). */
export interface ConvertOptions {
  /** How hidden nodes are written. */
  hiddenNodes?: HiddenNodeMode;
  /** Largest |cos| between two basis axes still treated as orthogonal; above it, SHEAR is reported. */
  shearTolerance?: number;
  /** Generated or carried meshes with more vertices than this are skipped and reported (hostile sizes). */
  maxVerticesPerMesh?: number;
  /** Write `extras.scenesync = { id, type }` on every node (G-NODE-1). */
  writeExtras?: boolean;
  /** Images with more pixels (width × height) than this are not decoded and are reported (hostile sizes, G-MAT-7). */
  maxTexturePixels?: number;
  /**
   * The Godot project directory (the folder holding project.godot), Node only: textures the document
   * names by `res://` path (PNG and JPEG files) are read from it and embedded (G-FILE). Paths that leave
   * the directory, through `..` or a link, are not read. Without it (and without `files`) such textures
   * are reported as `TEXTURE_WITHOUT_IMAGE`.
   */
  projectDir?: string;
  /**
   * Contents of project files by `res://` path, for any platform (browsers have no `projectDir`); they
   * win over `projectDir` for the paths they name. Copied to the export worker with every export.
   */
  files?: Readonly<Record<string, Uint8Array>>;
  /** Project files larger than this are not read and are reported (hostile sizes, G-FILE-1). */
  maxFileBytes?: number;
}

/** Options of every export call. */
export interface ExportOptions extends ConvertOptions {
  /** Called as the export advances (from the worker, about every 16 ms of work). */
  onProgress?: (progress: ExportProgress) => void;
  /** Cancels the export: the promise rejects with GltfExportError `ABORTED`. */
  signal?: AbortSignal;
}

/** Every default of {@link ExportOptions}, in one place. */
export const EXPORT_DEFAULTS = {
  hiddenNodes: 'mark' as HiddenNodeMode,
  shearTolerance: 1e-4,
  maxVerticesPerMesh: 4_000_000,
  writeExtras: true,
  maxTexturePixels: 16_777_216,
  maxFileBytes: 64 * 2 ** 20,
} as const satisfies Required<Omit<ConvertOptions, 'projectDir' | 'files'>>;

/** {@link ConvertOptions} with every default filled in. */
export interface ResolvedConvertOptions {
  hiddenNodes: HiddenNodeMode;
  shearTolerance: number;
  maxVerticesPerMesh: number;
  writeExtras: boolean;
  maxTexturePixels: number;
  projectDir: string | undefined;
  files: Readonly<Record<string, Uint8Array>> | undefined;
  maxFileBytes: number;
}

/** Fills in defaults and checks types; a wrong option is a caller bug, reported with a clear message. */
export function resolveConvertOptions(o: ConvertOptions | undefined, fail: (message: string) => never): ResolvedConvertOptions {
  const r = {
    hiddenNodes: o?.hiddenNodes ?? EXPORT_DEFAULTS.hiddenNodes,
    shearTolerance: o?.shearTolerance ?? EXPORT_DEFAULTS.shearTolerance,
    maxVerticesPerMesh: o?.maxVerticesPerMesh ?? EXPORT_DEFAULTS.maxVerticesPerMesh,
    writeExtras: o?.writeExtras ?? EXPORT_DEFAULTS.writeExtras,
    maxTexturePixels: o?.maxTexturePixels ?? EXPORT_DEFAULTS.maxTexturePixels,
    projectDir: o?.projectDir,
    files: o?.files,
    maxFileBytes: o?.maxFileBytes ?? EXPORT_DEFAULTS.maxFileBytes,
  };
  if (r.hiddenNodes !== 'mark' && r.hiddenNodes !== 'exclude') fail(`options.hiddenNodes must be 'mark' or 'exclude', got ${String(r.hiddenNodes)}`);
  if (typeof r.shearTolerance !== 'number' || !(r.shearTolerance >= 0)) fail('options.shearTolerance must be a number >= 0');
  if (typeof r.maxVerticesPerMesh !== 'number' || !(r.maxVerticesPerMesh > 0)) fail('options.maxVerticesPerMesh must be a number > 0');
  if (typeof r.writeExtras !== 'boolean') fail('options.writeExtras must be a boolean');
  if (typeof r.maxTexturePixels !== 'number' || !(r.maxTexturePixels > 0)) fail('options.maxTexturePixels must be a number > 0');
  if (r.projectDir !== undefined) {
    if (typeof r.projectDir !== 'string' || r.projectDir === '') fail('options.projectDir must be a non-empty string (the Godot project directory)');
    if (!canReadProjectDir()) fail('options.projectDir needs a file system (Node); in browsers pass options.files instead');
  }
  if (r.files !== undefined) {
    if (typeof r.files !== 'object' || r.files === null || Array.isArray(r.files)) fail('options.files must be an object of res:// paths to Uint8Arrays');
    for (const [path, bytes] of Object.entries(r.files)) {
      if (resRelativePath(path) === null) fail(`options.files: ${JSON.stringify(path.slice(0, 200))} is not a res:// path inside the project`);
      if (!(bytes instanceof Uint8Array)) fail(`options.files[${JSON.stringify(path)}] must be a Uint8Array`);
    }
  }
  if (typeof r.maxFileBytes !== 'number' || !(r.maxFileBytes > 0)) fail('options.maxFileBytes must be a number > 0');
  return r;
}
