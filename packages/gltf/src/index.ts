/**
 * `@scenesync/gltf`: snapshot a scenesync scene and write it as glTF 2.0 binary (GLB) in a worker,
 * then keep it or upload it. The mapping from Godot to glTF is specified in docs/gltf-mapping.md.
 *
 * This is the Node entry; src/index.browser.ts is the same API for browsers (the package's `browser`
 * export condition), without Node's worker_threads.
 */
import './worker/node-default.js';
import './files/node-project-dir.js';
export { nodeExportWorker } from './worker/node-export-worker.js';
export * from './public-api.js';
