/**
 * `@scenesync/gltf` for browsers (the package's `browser` export condition): the same API as the Node
 * entry; `exportGlb` runs in a module Web Worker (`@scenesync/gltf/worker`).
 */
export * from './public-api.js';
