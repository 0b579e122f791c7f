#!/usr/bin/env node
/**
 * `scenesync-bridge`: the sidecar of one Godot instance (docs/bridge-protocol.md).
 *
 *   scenesync-bridge --room R --signaling ws://host:port [--port P] [--token T] [--name N] [--import scene.tscn]
 *   scenesync-bridge --relay ws://127.0.0.1:P/R ...    (direct update relay instead of WebRTC)
 *
 * Prints one JSON line `{"ready":true,"port":P,"token":T,"version":1}` on stdout once listening.
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import type { SceneDoc } from '@scenesync/core';
import { sceneFromTscnTree } from '../tscn/scene-loader.js';
import { PROTOCOL_VERSION } from '../protocol/messages.js';
import { relayRoomTransport } from '../room/relay-transport.js';
import { webrtcRoomTransport } from '../room/webrtc-transport.js';
import type { RoomTransport } from '../room/room-transport.js';
import { startSidecar } from '../sidecar/sidecar.js';
import { importTscn, projectDirOf } from '../tscn/import.js';

const program = new Command('scenesync-bridge')
  .description('Sidecar that puts one Godot instance in a scenesync room')
  .option('--port <port>', 'port on 127.0.0.1 (0: any free port)', '0')
  .option('--token <token>', 'session token the addon must present (default: $SCENESYNC_BRIDGE_TOKEN or random)')
  .option('--room <room>', 'room name (with --signaling)')
  .option('--signaling <urls>', 'comma-separated signalling server URLs')
  .option('--relay <url>', 'join through an update relay at this ws:// URL instead of WebRTC')
  .option('--name <name>', 'display name in the room', 'godot')
  .option('--password <password>', 'room password (WebRTC transport)')
  .option('--no-stun', 'use no ICE servers (LAN or a test network namespace)')
  .option('--import <scene>', 'seed the document with this .tscn before joining')
  .option('--exit-with-parent', 'exit when the process that started it (the Godot addon) is gone');

program.parse();
const o = program.opts<{ port: string; token?: string; room?: string; signaling?: string; relay?: string; name: string; import?: string; password?: string; stun: boolean; exitWithParent?: boolean }>();

async function main(): Promise<void> {
  const port = Number(o.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535, got ${o.port}`);
  let transport: RoomTransport | null = null;
  if (o.relay) transport = relayRoomTransport(o.relay);
  else if (o.room && o.signaling) transport = webrtcRoomTransport({
      room: o.room,
      signaling: o.signaling.split(','),
      name: o.name,
      ...(o.password !== undefined ? { password: o.password } : {}),
      ...(o.stun ? {} : { iceServers: [] }),
    });
  else if (o.room || o.signaling) throw new Error('--room and --signaling go together (or use --relay)');
  let scene: SceneDoc | null = null;
  if (o.import) {
    const { tree, report } = importTscn(readFileSync(o.import, 'utf8'), { projectDir: projectDirOf(o.import) });
    for (const r of report) process.stderr.write(`scenesync-bridge: ${o.import}:${r.line}: ${r.code}: ${r.message}\n`);
    scene = sceneFromTscnTree(tree).scene;
  }
  const sidecar = await startSidecar({ port, token: o.token ?? process.env.SCENESYNC_BRIDGE_TOKEN ?? null, transport, scene });
  process.stdout.write(`${JSON.stringify({ ready: true, port: sidecar.server.port, token: sidecar.server.token, version: PROTOCOL_VERSION })}\n`);
  const stop = (): void => {
    void sidecar.close().finally(() => process.exit(0));
  };
  if (o.exitWithParent) {
    // Started by the addon (OS.create_process): an orphaned sidecar must not outlive its Godot.
    const parent = process.ppid;
    setInterval(() => {
      if (process.ppid !== parent) stop();
    }, 500).unref();
  }
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

// The sidecar must outlive any single bad event (B-ERR-1): log, keep serving.
process.on('uncaughtException', (e) => process.stderr.write(`scenesync-bridge: ${e.stack ?? e}\n`));
process.on('unhandledRejection', (e) => process.stderr.write(`scenesync-bridge: ${String(e)}\n`));

main().catch((e: Error) => {
  process.stderr.write(`scenesync-bridge: ${e.message}\n`);
  process.exit(1);
});
