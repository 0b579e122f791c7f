import { ExportWorker, type ExportWorkerOptions } from './export-worker.js';
import type { WorkerRequest, WorkerResponse } from './protocol.js';
import { serveExports } from './serve.js';

/**
 * An {@link ExportWorker} whose "worker" runs on the calling thread, behind the same message
 * protocol (over a MessageChannel, so every exchange stays asynchronous). For platforms without
 * workers and for tests; it does not keep the calling thread responsive, a real worker does.
 */
export function inThreadExportWorker(options?: ExportWorkerOptions): ExportWorker {
  const channel = new MessageChannel();
  const caller = channel.port1;
  const worker = channel.port2;
  const ticks = new MessageChannel();
  const waiting: Array<() => void> = [];
  ticks.port1.onmessage = () => waiting.shift()?.();
  serveExports({
    post: (message, transfer) => worker.postMessage(message, transfer ?? []),
    listen: (handler) => {
      worker.onmessage = (e: MessageEvent<WorkerRequest>) => handler(e.data);
    },
    yieldToEvents: () =>
      new Promise<void>((resolve) => {
        waiting.push(resolve);
        ticks.port2.postMessage(0);
      }),
  });
  let failure: ((e: Error) => void) | undefined;
  const unref = (p: MessagePort): void => (p as unknown as { unref?: () => void }).unref?.();
  const ref = (p: MessagePort): void => (p as unknown as { ref?: () => void }).ref?.();
  return new ExportWorker({
    post: (m, transfer) => caller.postMessage(m, transfer ?? []),
    onMessage: (h) => {
      caller.onmessage = (e: MessageEvent<WorkerResponse>) => h(e.data);
    },
    onFailure: (h) => {
      failure = h;
    },
    // Node: MessagePorts keep the process alive while they listen; only while exports are pending.
    keepAlive: (alive) => {
      for (const p of [caller, worker, ticks.port1, ticks.port2]) (alive ? ref : unref)(p);
    },
    terminate: () => {
      for (const p of [caller, worker, ticks.port1, ticks.port2]) p.close();
      failure?.(new Error('the in-thread worker was closed'));
    },
  }, options);
}
