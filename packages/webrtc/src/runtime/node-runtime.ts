/**
 * Finding WebSocket and WebRTC at run time. Browsers have both; Node has neither built in (Node 20), so
 * we load `ws` and the optional peer dependency `@roamhq/wrtc` on demand (dynamic import keeps them
 * out of browser bundles).
 */
import { RoomError } from '../errors.js';

/** The three constructors simple-peer needs (`peerOpts.wrtc`), as `@roamhq/wrtc` exports them. */
export interface WrtcImplementation {
  RTCPeerConnection: unknown;
  RTCSessionDescription: unknown;
  RTCIceCandidate: unknown;
}

/**
 * Make sure `globalThis.WebSocket` exists (lib0's websocket client, used by y-webrtc, reads the global).
 * Uses `given` when passed, else the `ws` package in Node.
 *
 * @throws RoomError `NO_WEBSOCKET` when neither is available
 */
export async function ensureWebSocket(given?: unknown): Promise<void> {
  const g = globalThis as { WebSocket?: unknown };
  if (given !== undefined) {
    g.WebSocket = given;
    return;
  }
  if (typeof g.WebSocket === 'function') return;
  try {
    const mod: any = await import('ws');
    g.WebSocket = mod.WebSocket ?? mod.default;
  } catch {
    throw new RoomError('NO_WEBSOCKET', 'No WebSocket implementation found: install `ws` (npm install ws) or pass { WebSocket } to joinRoom.');
  }
}

/**
 * The WebRTC implementation to hand to simple-peer: `given` when passed, nothing in a browser (simple-peer
 * uses the built-in one), else `@roamhq/wrtc`.
 *
 * @throws RoomError `NO_WEBRTC` in Node when `@roamhq/wrtc` is not installed and none was given
 */
export async function resolveWrtc(given?: WrtcImplementation): Promise<WrtcImplementation | undefined> {
  if (given !== undefined) return given;
  if (typeof (globalThis as { RTCPeerConnection?: unknown }).RTCPeerConnection === 'function') return undefined;
  try {
    const mod: any = await import('@roamhq/wrtc');
    const impl = mod.default ?? mod;
    if (typeof impl.RTCPeerConnection !== 'function') throw new Error('no RTCPeerConnection export');
    return impl as WrtcImplementation;
  } catch (e) {
    throw new RoomError('NO_WEBRTC', `No WebRTC implementation found (${(e as Error).message}): install the optional peer dependency @roamhq/wrtc (npm install @roamhq/wrtc) or pass { wrtc } to joinRoom.`);
  }
}

let isolatedInstances = 0;

/**
 * Load y-webrtc: the shared module normally, or with `isolated` a private copy of it (Node ESM only), whose
 * room and signalling-connection maps are its own — the supported way to join the same room name
 * twice in one process.
 *
 * @throws RoomError `INVALID_OPTIONS` when isolation is asked for where modules cannot be re-instantiated
 */
export async function loadYWebrtc(isolated: boolean): Promise<typeof import('y-webrtc')> {
  if (!isolated) return import('y-webrtc');
  let url: string;
  try {
    // y-webrtc's ESM entry, found through Node's resolver from the working directory.
    // Specifiers in variables: browser bundlers must not try to resolve Node built-ins here.
    const [moduleId, urlId, pathId, fsId] = ['node:module', 'node:url', 'node:path', 'node:fs'];
    const { createRequire } = await import(/* @vite-ignore */ moduleId);
    const { pathToFileURL } = await import(/* @vite-ignore */ urlId);
    const { dirname, join } = await import(/* @vite-ignore */ pathId);
    const { readFileSync } = await import(/* @vite-ignore */ fsId);
    // The CommonJS entry locates the package; its package.json names the ESM entry ("module").
    let dir = dirname(createRequire(join(process.cwd(), 'noop.js')).resolve('y-webrtc'));
    for (;;) {
      try {
        const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
        if (pkg.name === 'y-webrtc') { url = pathToFileURL(join(dir, pkg.module ?? 'src/y-webrtc.js')).href; break; }
      } catch { /* no package.json at this level */ }
      const up = dirname(dir);
      if (up === dir) throw new Error('y-webrtc package.json not found');
      dir = up;
    }
  } catch {
    throw new RoomError('INVALID_OPTIONS', '{ isolated: true } needs Node.js with y-webrtc resolvable from the working directory; otherwise join each room from its own process or use distinct room names.');
  }
  // A distinct URL is a distinct module instance, with its own room and signalling maps.
  return import(/* @vite-ignore */ `${url}?scenesync-instance=${++isolatedInstances}`);
}
