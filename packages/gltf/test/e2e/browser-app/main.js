// A page that exports a SceneDoc to GLB in a Web Worker, built with Vite like an app would.
import { resourceRef, SceneDoc, transform3d, vec3 } from '@scenesync/core';
import { exportGlb } from '@scenesync/gltf';

function buildScene(count) {
  const scene = new SceneDoc();
  const box = scene.addResource({ type: 'BoxMesh', props: { size: vec3(1, 2, 1) } });
  const mat = scene.addResource({ type: 'StandardMaterial3D', props: { metallic: 0.5 } });
  scene.transact(() => {
    for (let i = 1; i < count; i++) {
      scene.addNode({
        parent: scene.rootId,
        name: `Box${i}`,
        type: 'MeshInstance3D',
        props: { mesh: resourceRef(box), material_override: resourceRef(mat), transform: transform3d([1, 0, 0, 0, 1, 0, 0, 0, 1, i, 0, 0]) },
      });
    }
  });
  return scene;
}

function toBase64(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** Exports with the documented explicit worker, or (explicit = false) with the package's default. */
window.runExport = async (count, explicit) => {
  const scene = buildScene(count);
  const phases = [];
  const options = { onProgress: (p) => phases.push(p.phase) };
  if (explicit) options.worker = new Worker(new URL('@scenesync/gltf/worker', import.meta.url), { type: 'module' });
  const glb = await exportGlb(scene, options);
  const second = await exportGlb(scene, options); // the same worker, reused
  return { isUint8Array: glb instanceof Uint8Array, bytes: glb.byteLength, secondBytes: second.byteLength, stats: glb.report.stats, phases, base64: toBase64(glb) };
};

window.runCancel = async (count) => {
  const scene = buildScene(count);
  const ac = new AbortController();
  const worker = new Worker(new URL('@scenesync/gltf/worker', import.meta.url), { type: 'module' });
  try {
    await exportGlb(scene, { worker, signal: ac.signal, onProgress: (p) => p.phase === 'decode' && ac.abort() });
    return 'resolved';
  } catch (e) {
    return `${e.name}:${e.code}`;
  }
};
window.ready = true;
