/** The API shared by the Node and browser entries (see src/index.ts). */
export { exportGlb, exportGlbSync, closeExportWorker, prepareExports, type ExportGlbOptions, type PrepareExportsOptions, type PreparedExports, type SceneSource } from './export/export-glb.js';
export { glbFromTree } from './export/glb-from-tree.js';
export { uploadGlb, UPLOAD_DEFAULTS, type UploadOptions, type UploadResult } from './upload/upload-glb.js';
export { EXPORT_DEFAULTS, type ConvertOptions, type ExportOptions, type ExportProgress, type HiddenNodeMode } from './options.js';
export type { ExportIssue, ExportIssueCode, ExportReport, ExportStats, GlbBytes } from './report.js';
export { GltfExportError, UploadError, type GltfExportErrorCode, type UploadErrorCode } from './errors.js';
export { ExportWorker, browserExportWorker, type ExportWorkerOptions, type WorkerTransport, type RunHooks } from './worker/export-worker.js';
export { inThreadExportWorker } from './worker/in-thread-worker.js';
export { checkExportWorkerContract } from './worker/contract.js';
export type { WorkerRequest, WorkerResponse } from './worker/protocol.js';
export { isSpatialNode } from './mapping/scene-to-document.js';
export { KHRNodeVisibility, NodeVisibility, KHR_NODE_VISIBILITY } from './write/node-visibility.js';
export { EXPORT_EXTENSIONS } from './write/glb-writer.js';
export { PRIMITIVE_MESH_TYPES, CSG_SHAPE_TYPES } from './primitives/index.js';
export type { SceneTree, TreeNode, ResourceRecord, GodotValue, Props } from './scene-types.js';
