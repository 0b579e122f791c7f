/**
 * Runs the GLB export in a Web Worker so the page keeps rendering while the scene is written:
 * `@scenesync/gltf`'s `exportGlb` snapshots the document on the page (one Yjs update) and its
 * browser worker (`@scenesync/gltf/worker`, which Vite bundles as a module worker) rebuilds the
 * scene from the snapshot and converts it. The worker is started on first use and then kept.
 */
import type { SceneDoc } from '@scenesync/core';
import { exportGlb } from '@scenesync/gltf';

/**
 * Exports the current scene to GLB off the page's thread.
 *
 * @throws GltfExportError (from `@scenesync/gltf`) when the export fails
 */
export async function exportGlbInWorker(scene: SceneDoc): Promise<Uint8Array> {
  return exportGlb(scene);
}
