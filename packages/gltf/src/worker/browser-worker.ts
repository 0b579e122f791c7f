/**
 * Entry of the browser export worker, published as `@scenesync/gltf/worker`. Create it with
 *
 *   new Worker(new URL('@scenesync/gltf/worker', import.meta.url), { type: 'module' })
 *
 * (Vite and other bundlers resolve that pattern) and pass it as `exportGlb(scene, { worker })`.
 */
import type { WorkerRequest } from './protocol.js';
import { serveExports } from './serve.js';

interface WorkerScope {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (e: MessageEvent<WorkerRequest>) => void): void;
}

const scope = globalThis as unknown as WorkerScope;
// A MessageChannel round trip lets queued messages (a cancel) in without setTimeout's 4 ms clamp.
const channel = new MessageChannel();
const waiting: Array<() => void> = [];
channel.port1.onmessage = () => waiting.shift()?.();

serveExports({
  post: (message, transfer) => scope.postMessage(message, transfer ?? []),
  listen: (handler) => scope.addEventListener('message', (e) => handler(e.data)),
  yieldToEvents: () =>
    new Promise<void>((resolve) => {
      waiting.push(resolve);
      channel.port2.postMessage(0);
    }),
});
