/**
 * `scenesync demo`: the server (with the viewer) plus the demo peer in one process.
 */
import type { ScenesyncServer } from '@scenesync/server';
import { startServe, type ServeOptions } from './serve.js';
import { startDemoPeer, type DemoPeer } from '../demo/demo-peer.js';

/** What `demo` started; `stop()` ends both. */
export interface RunningDemo {
  server: ScenesyncServer;
  peer: DemoPeer;
  stop(): Promise<void>;
}

/** Starts the server and the demo peer in room `options.room`. */
export async function startDemo(options: Partial<ServeOptions>, log: (line: string) => void = console.log): Promise<RunningDemo> {
  const server = await startServe(options, log);
  const address = server.address!;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const peer = await startDemoPeer({ room: options.room ?? 'demo', server: `http://${host}:${address.port}` });
  log(`scenesync: demo peer is animating room "${options.room ?? 'demo'}"`);
  return {
    server,
    peer,
    async stop() {
      await peer.stop();
      await server.close();
    },
  };
}
