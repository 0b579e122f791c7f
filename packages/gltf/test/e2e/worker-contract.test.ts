/**
 * Every worker runner meets the exported ExportWorker contract (checkExportWorkerContract).
 */
import { describe, it } from 'vitest';
import { checkExportWorkerContract } from '../../src/worker/contract.js';
import { inThreadExportWorker } from '../../src/worker/in-thread-worker.js';
import { nodeExportWorker } from '../../src/worker/node-export-worker.js';

describe('ExportWorker contract (G-WORKER-6)', () => {
  it('worker_threads worker', () => checkExportWorkerContract(nodeExportWorker));
  it('in-thread worker (MessageChannel)', () => checkExportWorkerContract(inThreadExportWorker));
});
