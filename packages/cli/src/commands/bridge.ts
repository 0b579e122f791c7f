/**
 * `scenesync bridge`: the sidecar of one Godot instance (`@scenesync/godot-bridge`): serves the
 * scene to the Godot addon on 127.0.0.1 and joins the room over WebRTC. Prints one JSON line
 * `{"ready":true,"port":P,"token":T,"version":V}` on stdout once listening (the addon reads it).
 */
import { SceneDoc } from '@scenesync/core';
import { PROTOCOL_VERSION, startSidecar, webrtcRoomTransport, type Sidecar } from '@scenesync/godot-bridge';
import { roomEndpoints, type CliRoomOptions } from '../room/room-session.js';
import { readTscn } from './tscn-file.js';

/** Options of {@link runBridge}. */
export interface BridgeOptions extends Omit<CliRoomOptions, 'room'> {
  /** Room to join; without it the sidecar serves the addon alone. */
  room?: string;
  /** Port on 127.0.0.1 for the addon (0: any free one). */
  port: number;
  /** Session token the addon must present (random when omitted). */
  token?: string;
  /** Seed the document with this .tscn before joining. */
  import?: string;
}

/** Starts the sidecar and prints the ready line. */
export async function runBridge(options: BridgeOptions, out: (line: string) => void, warn: (line: string) => void): Promise<Sidecar> {
  const scene = options.import ? SceneDoc.fromTree(readTscn(options.import, warn)) : null;
  // The bridge package's own WebRTC transport (presence kind `godot`), with the CLI's endpoints.
  const transport = options.room ? webrtcRoomTransport({ room: options.room, name: options.name, ...roomEndpoints(options) }) : null;
  const sidecar = await startSidecar({
    port: options.port,
    token: options.token ?? process.env.SCENESYNC_BRIDGE_TOKEN ?? null,
    transport,
    scene,
  });
  out(JSON.stringify({ ready: true, port: sidecar.server.port, token: sidecar.server.token, version: PROTOCOL_VERSION }));
  return sidecar;
}
