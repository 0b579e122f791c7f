#!/usr/bin/env node
/**
 * `scenesync-server`: the command line of @scenesync/server (docs/self-hosting.md, "Command line").
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULTS } from './options.js';
import { createServer } from './server.js';
import { createRoomToken, ROOM_TOKEN_DEFAULT_TTL_SECONDS } from './signalling/room-auth.js';
import { ServerError } from './errors.js';

/** Parses `64MiB`, `10mb`, `512k`, `1048576`. */
function parseSize(value: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?$/i.exec(value.trim());
  if (!m) throw new InvalidArgumentError('expected a size such as 64MiB, 512k or 1048576');
  const unit = (m[2] ?? 'b').toLowerCase()[0]!;
  const scale = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[unit as 'b' | 'k' | 'm' | 'g'];
  return Math.floor(Number(m[1]) * scale);
}

function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
}

/** The built viewer of this monorepo (examples/web-viewer/dist), when it exists. */
function defaultViewerDir(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [resolve(here, '../../../examples/web-viewer/dist'), resolve('examples/web-viewer/dist')]) {
    if (existsSync(resolve(candidate, 'index.html'))) return candidate;
  }
  return undefined;
}

const program = new Command('scenesync-server')
  .description('Self-hostable y-webrtc signalling + GLB snapshot server for scenesync.')
  .addOption(new Option('--port <port>', 'TCP port (0 = any free port)').default(DEFAULTS.port).argParser(parseCount))
  .addOption(new Option('--host <host>', 'interface to bind').default(DEFAULTS.host))
  .addOption(new Option('--data-dir <dir>', 'GLB store directory (may be shared by instances)').default(DEFAULTS.dataDir))
  .addOption(new Option('--token <secret>', 'upload/delete secret (Authorization: Bearer); without it uploads are refused').env('SCENESYNC_TOKEN'))
  .addOption(new Option('--redis <url>', 'share signalling with other instances through Redis pub/sub, e.g. redis://127.0.0.1:6379').env('SCENESYNC_REDIS'))
  .addOption(new Option('--max-upload <size>', 'largest GLB upload, e.g. 64MiB').default(DEFAULTS.maxUpload, '64MiB').argParser(parseSize))
  .addOption(new Option('--cors [origin]', 'send CORS headers allowing <origin> (default *) to use the HTTP API'))
  .addOption(new Option('--viewer-dir <dir>', 'built web viewer served at / (default: examples/web-viewer/dist when built)'))
  .addOption(new Option('--room-secret <secret>', 'require HMAC room tokens (?room-token=) to join rooms').env('SCENESYNC_ROOM_SECRET'))
  .addOption(new Option('--max-frame <size>', 'largest WebSocket frame').default(DEFAULTS.maxFrameBytes, '256KiB').argParser(parseSize))
  .addOption(new Option('--max-topics <n>', 'rooms one connection may join').default(DEFAULTS.maxTopicsPerConnection).argParser(parseCount))
  .addOption(new Option('--max-messages-per-second <n>', 'sustained messages per second per connection').default(DEFAULTS.maxMessagesPerSecond).argParser(parseCount))
  .addOption(new Option('--message-burst <n>', 'burst allowance of the message rate limit').default(DEFAULTS.messageBurst).argParser(parseCount))
  .addOption(new Option('--ping-interval <ms>', 'WebSocket ping interval; silent connections are closed after two').default(DEFAULTS.pingInterval).argParser(parseCount))
  .action(async (flags) => {
    const server = createServer({
      port: flags.port,
      host: flags.host,
      dataDir: flags.dataDir,
      token: flags.token || undefined,
      redis: flags.redis || undefined,
      maxUpload: flags.maxUpload,
      cors: flags.cors === true ? '*' : flags.cors,
      viewerDir: flags.viewerDir ?? defaultViewerDir(),
      roomSecret: flags.roomSecret || undefined,
      maxFrameBytes: flags.maxFrame,
      maxTopicsPerConnection: flags.maxTopics,
      maxMessagesPerSecond: flags.maxMessagesPerSecond,
      messageBurst: flags.messageBurst,
      pingInterval: flags.pingInterval,
    });
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      console.log(`scenesync-server: ${signal} received, finishing uploads and closing`);
      server.close().then(
        () => process.exit(0),
        (err: unknown) => {
          console.error('scenesync-server: shutdown failed:', err);
          process.exit(1);
        },
      );
    };
    // Installed before listening, so a signal right after the start banner is handled gracefully too.
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
    await server.listen();
    if (server.options.viewerDir) console.log(`scenesync-server: serving the web viewer from ${server.options.viewerDir}`);
  });

program
  .command('room-token <room>')
  .description('print an HMAC room token for <room> (needs --secret or SCENESYNC_ROOM_SECRET)')
  .addOption(new Option('--secret <secret>', 'the server\'s --room-secret').env('SCENESYNC_ROOM_SECRET').makeOptionMandatory())
  .addOption(new Option('--ttl <seconds>', 'lifetime').default(ROOM_TOKEN_DEFAULT_TTL_SECONDS).argParser(parseCount))
  .action((room: string, flags: { secret: string; ttl: number }) => {
    console.log(createRoomToken(flags.secret, room, flags.ttl));
  });

program.parseAsync().catch((err: unknown) => {
  console.error(`scenesync-server: ${err instanceof ServerError ? err.message : String(err)}`);
  process.exit(1);
});
