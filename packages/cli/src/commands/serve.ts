/**
 * `scenesync serve`: the signalling + GLB server (`@scenesync/server`) with the web viewer at `/`.
 */
import { createServer, DEFAULTS as SERVER_DEFAULTS, type ScenesyncServer } from '@scenesync/server';
import { CliError } from '../errors.js';
import { findViewerDir } from '../viewer-dir.js';

/** Options of {@link startServe} (the `serve` flags). */
export interface ServeOptions {
  port: number;
  host: string;
  dataDir: string;
  /** Upload token; `SCENESYNC_TOKEN` when not given. */
  token?: string;
  redis?: string;
  cors?: string;
  roomSecret?: string;
  /** Directory of the built viewer; found automatically when omitted. */
  viewerDir?: string;
  /** False: serve no viewer (`--no-viewer`). */
  viewer: boolean;
  /** Room the printed URL opens. */
  room: string;
}

/** Defaults of {@link ServeOptions} (the server's own defaults: port 4444 on localhost, ./data). */
export const SERVE_DEFAULTS: Readonly<ServeOptions> = {
  port: SERVER_DEFAULTS.port,
  host: SERVER_DEFAULTS.host,
  dataDir: SERVER_DEFAULTS.dataDir,
  viewer: true,
  room: 'demo',
};

/** The address people open, e.g. `http://localhost:4444/?room=demo`. */
export function viewerUrl(host: string, port: number, room: string): string {
  const shown = host === '127.0.0.1' || host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${port}/?room=${encodeURIComponent(room)}`;
}

/**
 * Starts the server and prints where to open the viewer.
 *
 * @throws CliError `SERVER_FAILED` when the port is taken or an option is refused
 */
export async function startServe(options: Partial<ServeOptions>, log: (line: string) => void = console.log): Promise<ScenesyncServer> {
  const o = { ...SERVE_DEFAULTS, ...options };
  let viewerDir: string | undefined;
  if (o.viewer) {
    viewerDir = o.viewerDir ?? findViewerDir();
    if (!viewerDir) log('scenesync: the web viewer is not built; run `npm run build -w @scenesync/web-viewer` (serving the API only)');
  }
  const server = createServer({
    port: o.port,
    host: o.host,
    dataDir: o.dataDir,
    token: o.token ?? process.env.SCENESYNC_TOKEN ?? undefined,
    redis: o.redis,
    cors: o.cors,
    roomSecret: o.roomSecret,
    viewerDir,
    log,
  });
  try {
    const address = await server.listen();
    if (viewerDir) log(`scenesync: open ${viewerUrl(o.host, address.port, o.room)}`);
    return server;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'EADDRINUSE') {
      throw new CliError('SERVER_FAILED', `port ${o.port} on ${o.host} is in use; stop the other server or pick another with --port`);
    }
    throw new CliError('SERVER_FAILED', `the server could not start: ${(error as Error).message}`);
  }
}
