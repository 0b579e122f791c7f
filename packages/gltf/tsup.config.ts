import { defineConfig } from 'tsup';

export default defineConfig({
  // index: the library (Node); browser: the library for browsers; node-worker: the worker_threads entry; worker: the browser Web Worker entry
  // (published as @scenesync/gltf/worker).
  entry: { index: 'src/index.ts', browser: 'src/index.browser.ts', 'node-worker': 'src/worker/node-worker.ts', worker: 'src/worker/browser-worker.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts' } },
  sourcemap: true,
  clean: true,
  shims: true,
  target: 'es2022',
});
