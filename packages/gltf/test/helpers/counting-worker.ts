import { ExportWorker } from '../../src/index.js';
import type { WorkerRequest, WorkerResponse } from '../../src/worker/protocol.js';
import { serveExports } from '../../src/worker/serve.js';

/** A real worker loop (serveExports) behind a MessageChannel, recording what the caller sends. */
export function countingWorker(sizes: number[], options?: { maxKeptDocuments: number }, requests: WorkerRequest[] = []): ExportWorker {
  const channel = new MessageChannel();
  serveExports({
    post: (message, transfer) => channel.port2.postMessage(message, transfer ?? []),
    listen: (handler) => {
      channel.port2.onmessage = (e: MessageEvent<WorkerRequest>) => handler(e.data);
    },
    yieldToEvents: () => new Promise((resolve) => setImmediate(resolve)),
  });
  return new ExportWorker(
    {
      post: (m, transfer) => {
        requests.push(m);
        if (m.kind === 'export') sizes.push(m.update.byteLength);
        channel.port1.postMessage(m, transfer ?? []);
      },
      onMessage: (h) => {
        channel.port1.onmessage = (e: MessageEvent<WorkerResponse>) => h(e.data);
      },
      onFailure: () => undefined,
      terminate: () => {
        channel.port1.close();
        channel.port2.close();
      },
    },
    options,
  );
}
