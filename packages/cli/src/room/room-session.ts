/**
 * Joining a room from the command line: which signalling URL a `--server` means, which ICE servers
 * to use, and waiting (with a deadline) until a peer has sent us the room's document.
 */
import { joinRoom, type Room } from '@scenesync/webrtc';
import type { SceneDoc } from '@scenesync/core';
import { CliError } from '../errors.js';

/** Defaults shared by the commands that join a room. */
export const ROOM_DEFAULTS = {
  /** The scenesync server the commands talk to (signalling at ws://, snapshots at http://). */
  server: 'http://localhost:4444',
  /** How long `export` and `import` wait for a peer of the room to answer, ms. */
  syncTimeoutMs: 15_000,
};

/** Options of {@link joinFromCli}. */
export interface CliRoomOptions {
  room: string;
  /** HTTP(S) base of the server; its WebSocket URL is the signalling server. */
  server: string;
  /** Explicit signalling URLs; override the one derived from `server`. */
  signaling?: string[];
  /** Presence name. */
  name: string;
  /** Presence kind. */
  kind?: 'tool' | 'web' | 'godot';
  /** ICE servers (`stun:`/`turn:` URLs); none on loopback, the WebRTC default elsewhere. */
  ice?: string[];
  /** Print the problems the room survives (malformed signalling, a wrong password) as warnings. */
  verbose?: boolean;
}

/**
 * The signalling URL of a scenesync server: its address with ws:// (or wss://).
 *
 * @throws CliError `BAD_ARGUMENT` when `server` is not an http(s) or ws(s) URL
 */
export function signalingUrlOf(server: string): string {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new CliError('BAD_ARGUMENT', `--server must be a URL like http://localhost:4444, got "${server}"`);
  }
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  else if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new CliError('BAD_ARGUMENT', `--server must be an http://, https://, ws:// or wss:// URL, got "${server}"`);
  }
  return url.toString();
}

/** True when every URL points at this machine: peers on one machine need no STUN server. */
export function allLoopback(urls: readonly string[]): boolean {
  return urls.every((u) => {
    try {
      const host = new URL(u).hostname;
      return host === 'localhost' || host === '[::1]' || /^127\./.test(host);
    } catch {
      return false;
    }
  });
}

/** The signalling URLs and ICE servers the CLI's options mean (see {@link CliRoomOptions}). */
export function roomEndpoints(options: Pick<CliRoomOptions, 'server' | 'signaling' | 'ice'>): {
  signaling: string[];
  iceServers: Array<{ urls: string }> | undefined;
} {
  const signaling = options.signaling && options.signaling.length > 0 ? options.signaling : [signalingUrlOf(options.server)];
  const iceServers = options.ice ? options.ice.map((urls) => ({ urls })) : allLoopback(signaling) ? [] : undefined;
  return { signaling, iceServers };
}

/**
 * Joins `room` with `scene` as the document, as the CLI's options say. With `verbose`, errors the
 * room survives (a malformed signalling message, a wrong password) go to `warn`, one line each.
 */
export async function joinFromCli(
  scene: SceneDoc,
  options: CliRoomOptions,
  warn: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<Room> {
  const { signaling, iceServers } = roomEndpoints(options);
  const room = await joinRoom(scene, { room: options.room, signaling, name: options.name, kind: options.kind ?? 'tool', iceServers });
  if (options.verbose) room.on('error', (error) => warn(`scenesync: warning: ${error.message}`));
  return room;
}

/**
 * Resolves once this peer has synced with a peer of the room.
 *
 * @throws CliError `NO_PEERS` when nobody answered within `timeoutMs`
 */
export async function waitForSync(room: Room, timeoutMs: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(noPeersError(room, timeoutMs)), timeoutMs);
  });
  try {
    await Promise.race([room.synced, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Why nobody answered: the server unreachable, or the room empty. */
function noPeersError(room: Room, timeoutMs: number): CliError {
  // y-webrtc's signalling connections (Room.provider is its documented escape hatch).
  const conns = ((room.provider as { signalingConns?: Array<{ url?: string; connected?: boolean }> } | undefined)?.signalingConns ?? []);
  const seconds = Math.round(timeoutMs / 1000);
  if (conns.length > 0 && !conns.some((c) => c.connected)) {
    const urls = conns.map((c) => c.url).filter(Boolean).join(', ');
    return new CliError('NO_PEERS', `cannot reach the signalling server ${urls} within ${seconds} s; start it with \`scenesync serve\` or pass --server`);
  }
  return new CliError(
    'NO_PEERS',
    `no peer of room "${room.name}" answered within ${seconds} s; open the room in a viewer or Godot first, or raise --timeout`,
  );
}
