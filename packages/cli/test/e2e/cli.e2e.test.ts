/**
 * The `scenesync` executable as a user runs it (the built dist/bin.js in a child process):
 * help on every command, one-line errors with a non-zero exit, the offline tscn2glb conversion,
 * and serve + import + join + export between real processes in a network namespace.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { encode as encodePng } from 'fast-png';
import { validateBytes } from 'gltf-validator';

const here = dirname(fileURLToPath(import.meta.url));
const bin = resolve(here, '../../dist/bin.js');
const fixture = resolve(here, '../fixtures/shapes.tscn');
const COMMANDS = ['serve', 'join', 'export', 'import', 'tscn2glb', 'bridge', 'demo'];

function cli(args: string[], options: { cwd?: string } = {}) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 60_000, ...options });
}

describe('scenesync CLI', () => {
  let work: string;
  beforeAll(() => {
    if (!existsSync(bin)) throw new Error(`${bin} is missing: run \`npm run build -w scenesync\` first (npm test does)`);
    work = mkdtempSync(join(tmpdir(), 'scenesync-cli-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('has --help on the program and on every command', () => {
    const top = cli(['--help']);
    expect(top.status).toBe(0);
    for (const command of COMMANDS) expect(top.stdout).toContain(command);
    for (const command of COMMANDS) {
      const help = cli([command, '--help']);
      expect(help.status, command).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^Usage: scenesync ${command}`, 'm'));
    }
    expect(cli(['export', '--help']).stdout).toContain('--upload');
  });

  it('reports errors in one clear line with a non-zero exit', () => {
    const missing = cli(['tscn2glb', join(work, 'nope.tscn'), '-o', join(work, 'x.glb')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/^scenesync: error: .*nope\.tscn does not exist/);

    const noOutput = cli(['tscn2glb', fixture]);
    expect(noOutput.status).not.toBe(0);
    expect(noOutput.stderr).toContain("required option '-o, --output <file>' not specified");

    const badPort = cli(['serve', '--port', 'x']);
    expect(badPort.status).not.toBe(0);
    expect(badPort.stderr).toMatch(/must be an integer 0\.\.65535/);

    const uploadWithoutToken = spawnSync(process.execPath, [bin, 'export', 'r', '-o', join(work, 'y.glb'), '--upload'], {
      encoding: 'utf8',
      env: { ...process.env, SCENESYNC_TOKEN: '' },
    });
    expect(uploadWithoutToken.status).toBe(2);
    expect(uploadWithoutToken.stderr).toMatch(/^scenesync: error: --upload needs the server's upload token/);

    // No server: inside a fresh network namespace nothing answers.
    const unreachable = spawnSync('unshare', ['-n', process.execPath, bin, 'export', 'r', '-o', join(work, 'z.glb'), '--timeout', '1'], { encoding: 'utf8', timeout: 60_000 });
    expect(unreachable.status).toBe(1);
    expect(unreachable.stderr.trim().split('\n')).toHaveLength(1);
    expect(unreachable.stderr).toMatch(/^scenesync: error: cannot reach the signalling server ws:\/\/localhost:4444\//);
  });

  it('converts a .tscn to a GLB the Khronos validator accepts, offline', async () => {
    const out = join(work, 'shapes.glb');
    // Run inside a fresh network namespace with no interface up: no network at all.
    const result = spawnSync('unshare', ['-n', process.execPath, bin, 'tscn2glb', fixture, '-o', out], { encoding: 'utf8', timeout: 60_000 });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^wrote .*shapes\.glb \(\d+ bytes\)/);
    const bytes = new Uint8Array(readFileSync(out));
    const report = await validateBytes(bytes);
    expect(report.issues.numErrors, JSON.stringify(report.issues.messages.slice(0, 5))).toBe(0);
    const jsonLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(12, true);
    const gltf = JSON.parse(new TextDecoder().decode(bytes.subarray(20, 20 + jsonLength))) as { nodes: Array<{ name?: string }> };
    expect(gltf.nodes.map((n) => n.name)).toEqual(expect.arrayContaining(['Box', 'Ball', 'Sun', 'Camera3D']));
  });

  it('tscn2glb embeds the texture files of the scene\'s Godot project (found from the scene, or --project)', async () => {
    const projectDir = join(work, 'game');
    mkdirSync(join(projectDir, 'levels'), { recursive: true });
    mkdirSync(join(projectDir, 'textures'));
    writeFileSync(join(projectDir, 'project.godot'), 'config_version=5\n');
    const pixels = Uint8Array.from({ length: 4 * 4 * 4 }, (_, i) => (i * 37) & 255);
    writeFileSync(join(projectDir, 'textures', 'wood.png'), encodePng({ width: 4, height: 4, data: pixels, channels: 4, depth: 8 }));
    const scene = join(projectDir, 'levels', 'crate.tscn');
    writeFileSync(scene, [
      '[gd_scene load_steps=4 format=3]',
      '[ext_resource type="Texture2D" path="res://textures/wood.png" id="1_wood"]',
      '[sub_resource type="StandardMaterial3D" id="Wood"]',
      'albedo_texture = ExtResource("1_wood")',
      '[sub_resource type="BoxMesh" id="Box"]',
      'material = SubResource("Wood")',
      '[node name="Crate" type="MeshInstance3D"]',
      'mesh = SubResource("Box")',
      '',
    ].join('\n\n'));
    const glbOf = async (args: string[]) => {
      const out = join(work, `crate-${args.length}.glb`);
      const result = cli(['tscn2glb', scene, '-o', out, ...args]);
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toContain(`res:// files from ${projectDir}`);
      const bytes = new Uint8Array(readFileSync(out));
      const report = await validateBytes(bytes);
      expect([report.issues.numErrors, report.issues.numWarnings], JSON.stringify(report.issues.messages.slice(0, 5))).toEqual([0, 0]);
      const jsonLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(12, true);
      const gltf = JSON.parse(new TextDecoder().decode(bytes.subarray(20, 20 + jsonLength))) as { images?: Array<{ name?: string; mimeType: string }>; materials: Array<{ pbrMetallicRoughness?: { baseColorTexture?: unknown } }> };
      expect(gltf.images).toEqual([expect.objectContaining({ name: 'wood', mimeType: 'image/png' })]);
      expect(gltf.materials[0]!.pbrMetallicRoughness?.baseColorTexture).toBeDefined();
    };
    await glbOf([]);
    await glbOf(['--project', projectDir]);
    // Without the project the texture is left out, and the GLB is still valid.
    const lone = join(work, 'lone');
    mkdirSync(lone);
    writeFileSync(join(lone, 'crate.tscn'), readFileSync(scene));
    const reportFile = join(work, 'lone-report.json');
    const result = cli(['tscn2glb', join(lone, 'crate.tscn'), '-o', join(work, 'lone.glb'), '--report', reportFile]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).not.toContain('res:// files from');
    // …and the user is told, in one line, with every detail in the report file.
    expect(result.stderr).toContain('the GLB leaves out or changes: 1 × TEXTURE_WITHOUT_IMAGE');
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { issues: Array<{ code: string; property?: string; message: string }>; stats: { nodes: number } };
    expect(report.issues).toEqual([expect.objectContaining({ code: 'TEXTURE_WITHOUT_IMAGE', property: 'albedo_texture' })]);
    expect(report.issues[0]!.message).toContain('res://textures/wood.png');
    expect(report.stats.nodes).toBe(1);
  });
});

/** A process in the test's network namespace, with its output lines. */
class Proc {
  readonly lines: string[] = [];
  constructor(readonly child: ChildProcess) {
    for (const s of [child.stdout, child.stderr]) if (s) createInterface({ input: s }).on('line', (l) => this.lines.push(l));
  }
  async waitFor(pattern: RegExp, timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = this.lines.find((l) => pattern.test(l));
      if (line) return line;
      if (Date.now() > deadline) throw new Error(`no line matching ${pattern}; output:\n${this.lines.join('\n')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  exited(): Promise<number | null> {
    return this.child.exitCode !== null ? Promise.resolve(this.child.exitCode) : new Promise((r) => this.child.once('exit', (code) => r(code)));
  }
}

describe('scenesync CLI between processes (serve, import, join, export) in a network namespace', () => {
  let holder: ChildProcess;
  let work: string;
  const started: Proc[] = [];
  const inNs = (args: string[]): Proc => {
    const p = new Proc(spawn('nsenter', ['-t', String(holder.pid), '-n', process.execPath, bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] }));
    started.push(p);
    return p;
  };

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'scenesync-cli-net-'));
    holder = spawn('unshare', ['-n', 'sleep', '1000000'], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 200));
    const up = spawnSync('nsenter', ['-t', String(holder.pid), '-n', 'ip', 'link', 'set', 'lo', 'up']);
    if (up.status !== 0) throw new Error(`cannot bring up loopback in the namespace: ${up.stderr}`);
  });
  afterAll(async () => {
    for (const p of started) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    holder?.kill('SIGKILL');
    rmSync(work, { recursive: true, force: true });
  });

  it('seeds a room from a .tscn, shows it to a joined peer, and exports and uploads it', async () => {
    const token = 'cli-e2e-token-123';
    const server = inNs(['serve', '--port', '0', '--no-viewer', '--data-dir', join(work, 'data'), '--token', token]);
    // Without a viewer the server prints its own banner; find the port in whatever it says.
    const banner = await server.waitFor(/(127\.0\.0\.1|localhost):\d+/);
    const port = Number(/(?:127\.0\.0\.1|localhost):(\d+)/.exec(banner)![1]);
    const url = `http://127.0.0.1:${port}`;

    // A watcher joins first and prints the tree once a peer syncs, then changes.
    const watcher = inNs(['join', 'shapes', '--server', url, '--name', 'watcher']);
    await watcher.waitFor(/joined room "shapes"/);
    const importer = inNs(['import', fixture, '--room', 'shapes', '--server', url, '--timeout', '30']);
    expect(await importer.exited(), importer.lines.join('\n')).toBe(0);
    expect(importer.lines.join('\n')).toMatch(/imported 5 nodes into room "shapes"/);
    await watcher.waitFor(/^\s+Ball \(MeshInstance3D\)/);
    await watcher.waitFor(/^\s+Box \(MeshInstance3D\)/);

    // The watcher still holds the scene: export it from the room, and upload it.
    const out = join(work, 'room.glb');
    const exporter = inNs(['export', 'shapes', '-o', out, '--server', url, '--upload', '--token', token, '--timeout', '30']);
    expect(await exporter.exited(), exporter.lines.join('\n')).toBe(0);
    expect(exporter.lines.join('\n')).toMatch(/wrote .*room\.glb \(\d+ bytes, 5 nodes\); uploaded as room\.glb/);
    const report = await validateBytes(new Uint8Array(readFileSync(out)));
    expect(report.issues.numErrors).toBe(0);
    expect(existsSync(join(work, 'data', 'rooms', 'shapes', 'room.glb'))).toBe(true);

    // `join --json` prints the tree as JSON once synced (for scripts).
    const json = inNs(['join', 'shapes', '--server', url, '--json']);
    const line = await json.waitFor(/^\{"tree":/);
    const tree = (JSON.parse(line) as { tree: { name: string; children: Array<{ name: string; children: Array<{ name: string }> }> } }).tree;
    expect(tree.name).toBe('Shapes');
    const box = tree.children.find((c) => c.name === 'Box')!;
    expect(box.children.map((c) => c.name)).toEqual(['Ball']);
  });

  it('bridge: the Godot sidecar joins the room and holds its scene for later peers', async () => {
    const server = inNs(['serve', '--port', '0', '--no-viewer', '--data-dir', join(work, 'bridge-data')]);
    const banner = await server.waitFor(/(127\.0\.0\.1|localhost):\d+/);
    const url = `http://127.0.0.1:${Number(/(?:127\.0\.0\.1|localhost):(\d+)/.exec(banner)![1])}`;
    const bridge = inNs(['bridge', '--room', 'studio', '--server', url]);
    const ready = JSON.parse(await bridge.waitFor(/^\{"ready":true/)) as { port: number; token: string; version: number };
    expect(ready.port).toBeGreaterThan(0);
    expect(ready.token.length).toBeGreaterThanOrEqual(16);
    // The importer hands the scene to the first peer that syncs (the sidecar) and leaves...
    const importer = inNs(['import', fixture, '--room', 'studio', '--server', url, '--timeout', '30']);
    expect(await importer.exited(), importer.lines.join('\n')).toBe(0);
    // ...so an exporter that joins afterwards gets it from the sidecar.
    const out = join(work, 'studio.glb');
    const exporter = inNs(['export', 'studio', '-o', out, '--server', url, '--timeout', '30']);
    expect(await exporter.exited(), exporter.lines.join('\n')).toBe(0);
    expect(exporter.lines.join('\n')).toMatch(/5 nodes/);
  });

  it('demo: the server plus a peer that builds the demo scene, which another peer can export', async () => {
    const demo = inNs(['demo', '--port', '0', '--data-dir', join(work, 'demo-data'), '--room', 'showcase']);
    const banner = await demo.waitFor(/open http:\/\/localhost:(\d+)\/\?room=showcase/);
    await demo.waitFor(/demo peer is animating room "showcase"/);
    const port = Number(/localhost:(\d+)/.exec(banner)![1]);
    const out = join(work, 'demo.glb');
    const exporter = inNs(['export', 'showcase', '-o', out, '--server', `http://127.0.0.1:${port}`, '--timeout', '30']);
    expect(await exporter.exited(), exporter.lines.join('\n')).toBe(0);
    const bytes = new Uint8Array(readFileSync(out));
    const report = await validateBytes(bytes);
    expect(report.issues.numErrors, JSON.stringify(report.issues.messages.slice(0, 5))).toBe(0);
    const jsonLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(12, true);
    const gltf = JSON.parse(new TextDecoder().decode(bytes.subarray(20, 20 + jsonLength))) as { nodes: Array<{ name?: string }>; meshes: unknown[] };
    expect(gltf.nodes.map((n) => n.name)).toEqual(expect.arrayContaining(['Floor', 'Crate', 'Moon', 'Ring', 'Lamp', 'Sun', 'Camera3D']));
    expect(gltf.meshes.length).toBeGreaterThanOrEqual(6);
  });
});
