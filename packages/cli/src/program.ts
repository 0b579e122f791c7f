/**
 * The `scenesync` command line: one program, a subcommand per job, `--help` on each. Each action
 * only parses its flags and calls the module that does the work (src/commands/*), so every command
 * is usable from code as well.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { CliError } from './errors.js';
import { Progress } from './progress.js';
import { ROOM_DEFAULTS } from './room/room-session.js';
import { SERVE_DEFAULTS, startServe } from './commands/serve.js';
import { startDemo } from './commands/demo.js';
import { runJoin } from './commands/join.js';
import { EXPORT_DEFAULTS, runExport } from './commands/export.js';
import { IMPORT_DEFAULTS, runImport } from './commands/import.js';
import { runTscn2Glb } from './commands/tscn2glb.js';
import { runBridge } from './commands/bridge.js';

/** The version `scenesync --version` prints. */
export const CLI_VERSION = '0.1.0';

/** What a long-running command hands back so the bin can stop it on Ctrl+C / SIGTERM. */
export interface Running {
  stop(): Promise<void>;
}

/** Where commands write: results to `out` (stdout), warnings and logs to `err` (stderr). */
export interface ProgramIO {
  out(line: string): void;
  err(line: string): void;
  /** Called with a long-running command's handle; the bin waits for a signal, then stops it. */
  keepAlive(running: Running): void;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be an integer 0..65535.');
  return n;
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number of seconds.');
  return n * 1000;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Flags every room-joining command shares. */
function roomFlags(command: Command): Command {
  return command
    .option('-s, --server <url>', 'scenesync server (signalling at ws://, snapshots at http://)', ROOM_DEFAULTS.server)
    .option('--signaling <url>', 'signalling server URL instead of the --server one (repeatable)', collect)
    .option('--ice <url>', 'STUN/TURN server URL for peers behind NAT (repeatable; none on loopback)', collect)
    .option('-n, --name <name>', 'your name in the room', 'scenesync cli')
    .option('-v, --verbose', 'also print network problems the room recovers from', false);
}

/** Builds the `scenesync` program. */
export function createProgram(io: ProgramIO): Command {
  const program = new Command('scenesync')
    .description('Keep Godot scene trees, web pages and tools in one live shared scene; export it to glTF.')
    .version(CLI_VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  program
    .command('serve')
    .description('run the scenesync server: WebRTC signalling, the GLB snapshot store and the web viewer')
    .addOption(new Option('-p, --port <port>', 'TCP port (0: any free port)').default(SERVE_DEFAULTS.port).argParser(port).env('SCENESYNC_PORT'))
    .addOption(new Option('-H, --host <host>', 'interface to bind (put a TLS proxy in front for the internet)').default(SERVE_DEFAULTS.host).env('SCENESYNC_HOST'))
    .addOption(new Option('-d, --data-dir <dir>', 'where uploaded GLB snapshots are kept').default(SERVE_DEFAULTS.dataDir).env('SCENESYNC_DATA_DIR'))
    .addOption(new Option('--token <token>', 'upload token for the GLB store (uploads are off without one)').env('SCENESYNC_TOKEN'))
    .addOption(new Option('--redis <url>', 'Redis URL to share signalling between several servers').env('SCENESYNC_REDIS'))
    .option('--cors <origin>', "allow browser pages from this origin ('*' for any)")
    .option('--room-secret <secret>', 'require signed room tokens to join rooms')
    .option('--viewer-dir <dir>', 'serve this built viewer instead of the bundled one')
    .option('--no-viewer', 'do not serve the web viewer')
    .option('-r, --room <room>', 'room the printed viewer URL opens', SERVE_DEFAULTS.room)
    .action(async (o) => {
      const server = await startServe({ ...o, viewer: o.viewer }, io.err);
      io.keepAlive({ stop: () => server.close() });
    });

  roomFlags(
    program
      .command('join <room>')
      .description('join a room and print its scene tree, then every change live (Ctrl+C to leave)')
      .option('--json', 'print JSON lines ({"tree"}, then {"changes"}) instead of text', false),
  ).action(async (room: string, o) => {
    const session = await runJoin(room, { ...o, json: Boolean(o.json) }, io.out);
    io.keepAlive({ stop: () => session.leave() });
  });

  roomFlags(
    program
      .command('export <room>')
      .description("join a room, wait for a peer to send the scene, and export it to GLB")
      .requiredOption('-o, --output <file>', 'where to write the .glb')
      .option('--upload', 'also store the GLB on the server (needs --token)', EXPORT_DEFAULTS.upload)
      .addOption(new Option('--token <token>', 'the server\'s upload token').env('SCENESYNC_TOKEN'))
      .option('--snapshot-name <name>', 'name of the stored snapshot (default: the output file name)')
      .option('--project <dir>', 'Godot project whose res:// texture files are embedded in the GLB')
      .option('--report <file>', 'write the export report (what the GLB leaves out or changes) as JSON')
      .addOption(new Option('-t, --timeout <seconds>', 'how long to wait for a peer').argParser(seconds).default(EXPORT_DEFAULTS.timeoutMs, `${EXPORT_DEFAULTS.timeoutMs / 1000} s`)),
  ).action(async (room: string, o) => {
    const progress = new Progress();
    try {
      const result = await runExport(room, { ...o, upload: Boolean(o.upload), timeoutMs: o.timeout, ...(o.project === undefined ? {} : { projectDir: o.project }), ...(o.report === undefined ? {} : { reportFile: o.report }) }, progress, io.err);
      progress.done();
      io.out(`wrote ${o.output} (${result.bytes} bytes, ${result.nodes} nodes)${result.uploaded ? `; uploaded as ${result.uploaded}` : ''}`);
    } finally {
      progress.done();
    }
  });

  roomFlags(
    program
      .command('import <scene>')
      .description('seed a room from a Godot .tscn scene')
      .requiredOption('-r, --room <room>', 'room to seed')
      .option('--stay', 'keep serving the scene until Ctrl+C instead of leaving once a peer has it', IMPORT_DEFAULTS.stay)
      .addOption(new Option('-t, --timeout <seconds>', 'how long to wait for a peer to take the scene').argParser(seconds).default(IMPORT_DEFAULTS.timeoutMs, `${IMPORT_DEFAULTS.timeoutMs / 1000} s`)),
  ).action(async (file: string, o) => {
    const progress = new Progress();
    try {
      const result = await runImport(file, { ...o, stay: Boolean(o.stay), timeoutMs: o.timeout }, progress, io.err);
      progress.done();
      if (result.room) {
        io.out(`imported ${result.nodes} nodes into room "${o.room}"; serving it until Ctrl+C`);
        const room = result.room;
        io.keepAlive({ stop: () => room.leave() });
      } else {
        io.out(`imported ${result.nodes} nodes into room "${o.room}"`);
      }
    } finally {
      progress.done();
    }
  });

  program
    .command('tscn2glb <scene>')
    .description('convert a Godot .tscn scene to GLB, offline')
    .requiredOption('-o, --output <file>', 'where to write the .glb')
    .option('--project <dir>', 'Godot project whose res:// texture files are embedded (default: the folder above the scene holding project.godot)')
    .option('--report <file>', 'write the export report (what the GLB leaves out or changes) as JSON')
    .action(async (file: string, o) => {
      const progress = new Progress();
      try {
        const result = await runTscn2Glb(file, o.output, progress, io.err, { ...(o.project === undefined ? {} : { projectDir: o.project }), ...(o.report === undefined ? {} : { reportFile: o.report }) });
        progress.done();
        io.out(`wrote ${o.output} (${result.bytes} bytes${result.projectDir ? `; res:// files from ${result.projectDir}` : ''})`);
      } finally {
        progress.done();
      }
    });

  roomFlags(
    program
      .command('bridge')
      .description('run the Godot sidecar: serve the scene to the Godot addon and join a room')
      .option('-r, --room <room>', 'room to join (alone without it)')
      .option('-p, --port <port>', 'port on 127.0.0.1 for the Godot addon (0: any free one)', port, 0)
      .addOption(new Option('--token <token>', 'session token the addon must present (random when omitted)').env('SCENESYNC_BRIDGE_TOKEN'))
      .option('--import <scene>', 'seed the document with this .tscn before joining'),
  ).action(async (o) => {
    const sidecar = await runBridge({ ...o, name: o.name === 'scenesync cli' ? 'godot' : o.name }, io.out, io.err);
    io.keepAlive({ stop: () => sidecar.close() });
  });

  program
    .command('demo')
    .description('run the server and a demo peer that builds a small scene and animates it')
    .addOption(new Option('-p, --port <port>', 'TCP port').default(SERVE_DEFAULTS.port).argParser(port).env('SCENESYNC_PORT'))
    .addOption(new Option('-H, --host <host>', 'interface to bind').default(SERVE_DEFAULTS.host).env('SCENESYNC_HOST'))
    .addOption(new Option('-d, --data-dir <dir>', 'where uploaded GLB snapshots are kept').default(SERVE_DEFAULTS.dataDir).env('SCENESYNC_DATA_DIR'))
    .addOption(new Option('--token <token>', 'upload token for the GLB store').env('SCENESYNC_TOKEN'))
    .option('-r, --room <room>', 'room the demo peer animates', SERVE_DEFAULTS.room)
    .action(async (o) => {
      const demo = await startDemo({ ...o, viewer: true }, io.err);
      io.keepAlive(demo);
    });

  program.commands.forEach((command) => command.showHelpAfterError('(run with --help for usage)'));
  return program;
}

export { CliError };
