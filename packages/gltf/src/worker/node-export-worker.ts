import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ExportWorker, type ExportWorkerOptions } from './export-worker.js';
import type { WorkerResponse } from './protocol.js';

/**
 * Starts a worker_threads export worker. From the built package it runs dist/node-worker.js; from the
 * TypeScript sources (tests) it runs src/worker/node-worker.ts through tsx.
 */
export function nodeExportWorker(options?: ExportWorkerOptions): ExportWorker {
  const here = import.meta.url;
  const built = new URL('./node-worker.js', here);
  let worker: Worker;
  if (existsSync(fileURLToPath(built))) {
    worker = new Worker(built);
  } else {
    const source = new URL('./node-worker.ts', here);
    if (!existsSync(fileURLToPath(source))) throw new Error(`@scenesync/gltf: cannot find the export worker next to ${here}`);
    // Running from sources: register tsx inside the worker, then load the TypeScript entry.
    const code = `import('tsx/esm/api').then((api) => { api.register(); return import(${JSON.stringify(source.href)}); })`;
    worker = new Worker(code, { eval: true });
  }
  return new ExportWorker({
    post: (m, transfer) => worker.postMessage(m, transfer ?? []),
    onMessage: (h) => worker.on('message', (m: WorkerResponse) => h(m)),
    onFailure: (h) => {
      worker.on('error', (e) => h(e instanceof Error ? e : new Error(String(e))));
      worker.on('exit', (code) => h(new Error(`worker exited with code ${code}`)));
    },
    keepAlive: (alive) => (alive ? worker.ref() : worker.unref()),
    terminate: () => worker.terminate(),
  }, options);
}
