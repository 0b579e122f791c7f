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
} as const satisfies Required<ConvertOptions>;

/** {@link ConvertOptions} with every default filled in. */
export interface ResolvedConvertOptions {
  hiddenNodes: HiddenNodeMode;
  shearTolerance: number;
  maxVerticesPerMesh: number;
  writeExtras: boolean;
  maxTexturePixels: number;
}

/** Fills in defaults and checks types; a wrong option is a caller bug, reported with a clear message. */
export function resolveConvertOptions(o: ConvertOptions | undefined, fail: (message: string) => never): ResolvedConvertOptions {
  const r = {
    hiddenNodes: o?.hiddenNodes ?? EXPORT_DEFAULTS.hiddenNodes,
    shearTolerance: o?.shearTolerance ?? EXPORT_DEFAULTS.shearTolerance,
    maxVerticesPerMesh: o?.maxVerticesPerMesh ?? EXPORT_DEFAULTS.maxVerticesPerMesh,
    writeExtras: o?.writeExtras ?? EXPORT_DEFAULTS.writeExtras,
    maxTexturePixels: o?.maxTexturePixels ?? EXPORT_DEFAULTS.maxTexturePixels,
  };
  if (r.hiddenNodes !== 'mark' && r.hiddenNodes !== 'exclude') fail(`options.hiddenNodes must be 'mark' or 'exclude', got ${String(r.hiddenNodes)}`);
  if (typeof r.shearTolerance !== 'number' || !(r.shearTolerance >= 0)) fail('options.shearTolerance must be a number >= 0');
  if (typeof r.maxVerticesPerMesh !== 'number' || !(r.maxVerticesPerMesh > 0)) fail('options.maxVerticesPerMesh must be a number > 0');
  if (typeof r.writeExtras !== 'boolean') fail('options.writeExtras must be a boolean');
  if (typeof r.maxTexturePixels !== 'number' || !(r.maxTexturePixels > 0)) fail('options.maxTexturePixels must be a number > 0');
  return r;
}
