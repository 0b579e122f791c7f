/**
 * What an export could not express. Every entry names its rule in docs/gltf-mapping.md (`rule`), so a
 * reader goes from a report line to the rule that produced it.
 */
export type ExportIssueCode =
  /** A node's basis is not a rotation times a scale; the written TRS drops the shear (G-XFORM-2). */
  | 'SHEAR'
  /** A basis with a zero-length axis; written with scale 0 on that axis (G-XFORM-3). */
  | 'DEGENERATE_TRANSFORM'
  /** A 2D or non-spatial node kept as an empty glTF node; its own properties are not expressed (G-NODE-2). */
  | 'NON_SPATIAL_NODE'
  /** A node class with no glTF counterpart; kept as an empty node with its transform (G-NODE-3). */
  | 'UNSUPPORTED_NODE_TYPE'
  /** A property that glTF cannot carry and that differs from Godot's default (G-PROP-1). */
  | 'UNEXPRESSED_PROPERTY'
  /** A hidden node left out with its subtree (hiddenNodes: 'exclude', G-NODE-4). */
  | 'HIDDEN_NODE_EXCLUDED'
  /** A mesh resource of a type this exporter cannot generate (G-MESH-5). */
  | 'UNSUPPORTED_MESH'
  /** Mesh data that was malformed or empty and was skipped or repaired (G-MESH-4). */
  | 'INVALID_MESH_DATA'
  /** A generated mesh above `maxVerticesPerMesh` (G-MESH-6). */
  | 'MESH_TOO_LARGE'
  /** A material of a type this exporter cannot translate (G-MAT-6). */
  | 'UNSUPPORTED_MATERIAL'
  /** A texture reference with no image data in the document: not written (G-MAT-5). */
  | 'TEXTURE_WITHOUT_IMAGE'
  /** Image data that is malformed (byte length, size, format name, a broken PNG): the texture is not written (G-MAT-7). */
  | 'INVALID_IMAGE_DATA'
  /** An image with more pixels than `maxTexturePixels`: not decoded, not written (G-MAT-7). */
  | 'IMAGE_TOO_LARGE'
  /** Image data in a format that is not decoded (GPU-compressed, WebP, Basis Universal): not written (G-MAT-7). */
  | 'TEXTURE_NOT_DECODED'
  /** A reference to a file resource (res://…) whose content is not in the document (G-RES-2). */
  | 'EXTERNAL_RESOURCE'
  /** A reference to a resource id that is not in the document (G-RES-3). */
  | 'MISSING_RESOURCE'
  /** A value outside what glTF allows, clamped into range (G-LIGHT-3, G-MAT-2, G-CAM-2). */
  | 'CLAMPED'
  /** CSG boolean operations are not evaluated: the shape is written alone (G-CSG-2). */
  | 'CSG_OPERATION_IGNORED'
  /** An AnimationPlayer's library or animation that is not written at all: not a library/animation, or its root_node cannot be resolved (G-ANIM-1, G-ANIM-4). */
  | 'ANIMATION_NOT_WRITTEN'
  /** An animation track that is not written: method, audio, bezier, blend-shape, sub-animation and bone tracks, properties other than the transform, disabled tracks, a second track on the same node and path (G-ANIM-5, G-ANIM-7). */
  | 'ANIMATION_TRACK_NOT_WRITTEN'
  /** A track whose target node does not resolve, is not a 3D node or is not in the file (hidden and excluded) (G-ANIM-4). */
  | 'ANIMATION_TARGET_NOT_WRITTEN'
  /** A track written with samples at 1/30 s between some of its keys (easing, cubic, multi-axis Euler), since glTF cannot interpolate those segments as Godot does (G-ANIM-3). */
  | 'ANIMATION_RESAMPLED'
  /** Malformed animation keys (wrong array length or type, times not increasing, non-finite numbers); the track is skipped (G-ANIM-6). */
  | 'INVALID_ANIMATION_DATA';

/** One thing the export could not express. */
export interface ExportIssue {
  readonly code: ExportIssueCode;
  /** The rule id in docs/gltf-mapping.md. */
  readonly rule: string;
  /** What happened and what was written instead. */
  readonly message: string;
  /** The scenesync node id, when the issue is about a node. */
  readonly nodeId?: string;
  /** The node's path from the root (`Player/Camera`), when the issue is about a node. */
  readonly path?: string;
  /** The resource id, when the issue is about a resource. */
  readonly resourceId?: string;
  /** The Godot property concerned. */
  readonly property?: string;
}

/** Counts of what was written. */
export interface ExportStats {
  readonly nodes: number;
  readonly meshes: number;
  readonly materials: number;
  readonly lights: number;
  readonly cameras: number;
  /**
   * Nodes whose conversion was reused from an earlier export of the same document (the worker's kept
   * copy, `exportGlb`'s `incremental`); 0 for a first or in-thread export.
   */
  readonly nodesReused: number;
  /** Size of the GLB in bytes. */
  readonly bytes: number;
}

/** Everything an export could not express, plus counts of what it wrote. */
export interface ExportReport {
  readonly issues: readonly ExportIssue[];
  readonly stats: ExportStats;
}

/**
 * A GLB file: a plain `Uint8Array` (validators, `fetch` bodies and `fs.writeFile` take it as is) that
 * also carries the export's report as a read-only `report` property.
 */
export type GlbBytes = Uint8Array & { readonly report: ExportReport };

/** Attaches a report to GLB bytes (non-enumerable, so it never leaks into serialisation). */
export function withReport(glb: Uint8Array, report: ExportReport): GlbBytes {
  Object.defineProperty(glb, 'report', { value: report, enumerable: false, writable: false });
  return glb as GlbBytes;
}

/** Collects issues during one conversion. */
export class IssueList {
  readonly issues: ExportIssue[] = [];
  add(issue: ExportIssue): void {
    this.issues.push(issue);
  }
}
