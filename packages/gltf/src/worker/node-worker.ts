/**
 * Entry of the Node export worker (worker_threads). Started by `exportGlb`; not for direct use.
 */
import { parentPort } from 'node:worker_threads';
import '../files/node-project-dir.js';
import type { WorkerRequest } from './protocol.js';
import { serveExports } from './serve.js';

if (!parentPort) throw new Error('@scenesync/gltf node-worker must run inside a worker thread');
const port = parentPort;
serveExports({
  post: (message, transfer) => port.postMessage(message, transfer),
  listen: (handler) => port.on('message', (m: WorkerRequest) => handler(m)),
  yieldToEvents: () => new Promise((resolve) => setImmediate(resolve)),
});
