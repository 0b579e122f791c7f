/**
 * Registers the worker_threads worker as `exportGlb`'s default in Node. Imported for its effect by the
 * Node entry (src/index.ts) only.
 */
import { setPlatformWorkerFactory } from '../export/export-glb.js';
import { nodeExportWorker } from './node-export-worker.js';

setPlatformWorkerFactory(() => nodeExportWorker());
