/**
 * The viewer end to end: the real server (the `scenesync serve` bin), two Chromium pages and one
 * Node peer in one room, all inside a network namespace this test makes (nothing leaves it).
 * An edit in each page and in the Node peer must appear in the others; the rendered scene must
 * show the known materials; "Export GLB" must yield a file the Khronos validator accepts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildProcess } from 'node:child_process';
import { chromium, type Browser, type Page } from 'playwright-core';
import { validateBytes } from 'gltf-validator';
import { NetNamespace } from './support/netns.js';
import { ProcessLog, eventually, stopProcess } from './support/processes.js';
import { censusOf } from './support/pixels.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../../../..');
const cliBin = join(repo, 'packages/cli/dist/bin.js');
const viewerIndex = join(repo, 'examples/web-viewer/dist/index.html');
const ROOM = 'e2e-room';
const TOKEN = 'e2e-upload-token-1234';
/** The viewport background (VIEWPORT_BACKGROUND, 0x20232a). */
const BACKGROUND = [0x20, 0x23, 0x2a] as const;
/** The Node peer's sphere: a saturated green no other object in the test has. */
const SPHERE_GREEN: [number, number, number] = [0.15, 0.85, 0.2];

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // WebGL on the CPU (no GPU here or in CI).
  '--enable-unsafe-swiftshader',
  '--use-angle=swiftshader',
  // Hand out real host candidates (not mDNS names nothing here could resolve).
  '--disable-features=WebRtcHideLocalIpsWithMdns',
];

/** The Node peer: JSON lines in, JSON lines out. */
class NodePeer {
  private readonly pending: Array<(reply: Record<string, unknown>) => void> = [];
  constructor(readonly child: ChildProcess, readonly log: ProcessLog) {
    child.stdout!.setEncoding('utf8');
    let buffer = '';
    child.stdout!.on('data', (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        try {
          const message = JSON.parse(line) as Record<string, unknown>;
          if ('reply' in message) this.pending.shift()?.(message);
        } catch {
          // Not a reply (a log line).
        }
      }
    });
  }
  ask(cmd: string, args: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      this.pending.push((reply) => (reply.error ? reject(new Error(String(reply.error))) : resolve(reply)));
      this.child.stdin!.write(`${JSON.stringify({ cmd, ...args })}\n`);
    });
  }
}

async function outlinerNames(page: Page): Promise<string[]> {
  return page.locator('[data-testid=outliner-row] .name').allTextContents();
}

/** The outliner row of the node named `name` (exact). */
function row(page: Page, name: string) {
  return page.locator('[data-testid=outliner-row]', { has: page.locator('.name', { hasText: new RegExp(`^${name}$`) }) });
}

describe('web viewer: two pages and a Node peer in one room', () => {
  let ns: NetNamespace;
  let work: string;
  let server: ChildProcess | undefined;
  let serverLog: ProcessLog;
  let peer: NodePeer;
  let browser: Browser;
  let alice: Page;
  let bob: Page;
  let base: string;

  beforeAll(async () => {
    for (const built of [cliBin, viewerIndex]) {
      if (!existsSync(built)) throw new Error(`${built} is missing: run \`npm run build\` first (npm test does)`);
    }
    work = mkdtempSync(join(tmpdir(), 'scenesync-viewer-e2e-'));
    ns = await NetNamespace.create();
    server = ns.spawn(process.execPath, [cliBin, 'serve', '--port', '0', '--host', '127.0.0.1', '--data-dir', join(work, 'data'), '--token', TOKEN, '--room', ROOM], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    serverLog = new ProcessLog('server', server);
    const ready = await serverLog.waitFor(/open http:\/\/localhost:(\d+)\//);
    const port = Number(/localhost:(\d+)/.exec(ready)![1]);
    base = `http://127.0.0.1:${port}`;

    const nodePeer = ns.spawn(process.execPath, [join(here, 'support/node-peer.mjs'), base, ROOM], { stdio: ['pipe', 'pipe', 'pipe'], cwd: repo });
    peer = new NodePeer(nodePeer, new ProcessLog('node peer', nodePeer));
    await peer.log.waitFor(/"event":"joined"/);

    browser = await chromium.launch({ executablePath: ns.wrapper(work, '/usr/bin/chromium'), headless: true, args: CHROMIUM_ARGS });
    // Two contexts: two separate "browsers", so the pages cannot share a BroadcastChannel and must use WebRTC.
    const open = async (name: string): Promise<Page> => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
      const page = await context.newPage();
      page.on('pageerror', (error) => console.error(`[${name}] page error: ${error.message}`));
      await page.goto(`${base}/?room=${ROOM}&name=${name}&token=${TOKEN}`);
      return page;
    };
    alice = await open('Alice');
    bob = await open('Bob');
    // Each page sees the other page and the Node peer, over WebRTC.
    for (const page of [alice, bob]) {
      await eventually('two peers connected', async () => Number(await page.getAttribute('[data-testid=connection]', 'data-peers')) >= 2, 45_000);
    }
  }, 120_000);

  afterAll(async () => {
    await browser?.close().catch(() => {});
    if (peer) await stopProcess(peer.child);
    await stopProcess(server);
    ns?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('shows who is present, by name', async () => {
    await eventually('presence list', async () => {
      const people = (await alice.locator('[data-testid=presence-peer]').allTextContents()).join('|');
      return people.includes('Alice (you)') && people.includes('Bob') && people.includes('Node peer');
    });
  });

  it('an edit in each page and in the Node peer appears in the others', async () => {
    // Page Alice adds a box.
    await alice.click('[data-testid=add-BoxMesh]');
    await eventually('Bob sees the box', async () => (await outlinerNames(bob)).includes('Box'));
    await eventually('the Node peer sees the box', async () => ((await peer.ask('names')).names as string[]).includes('Box'));

    // Page Bob renames it in the outliner.
    await row(bob, 'Box').dblclick();
    await bob.locator('input.rename').fill('Crate');
    await bob.locator('input.rename').press('Enter');
    await eventually('Alice sees the rename', async () => (await outlinerNames(alice)).includes('Crate'));
    await eventually('the Node peer sees the rename', async () => ((await peer.ask('names')).names as string[]).includes('Crate'));

    // The Node peer adds a sphere.
    await peer.ask('addSphere', { name: 'PeerSphere', color: SPHERE_GREEN });
    for (const page of [alice, bob]) {
      await eventually('the pages see the sphere', async () => (await outlinerNames(page)).includes('PeerSphere'));
    }

    // Page Bob reparents the sphere under the crate by dragging it in the outliner.
    await row(bob, 'PeerSphere').dragTo(row(bob, 'Crate'));
    const pathIn = (page: Page) =>
      page.evaluate(() => {
        const { scene } = (window as never as { scenesyncViewer: { scene: { findByPath(p: string): unknown } } }).scenesyncViewer;
        return Boolean(scene.findByPath('Crate/PeerSphere'));
      });
    await eventually('Alice sees the sphere under the crate', () => pathIn(alice));
  });

  it('deletes, undoes and redoes; peers follow', async () => {
    await alice.click('[data-testid=add-TorusMesh]');
    await eventually('Bob sees the torus', async () => (await outlinerNames(bob)).includes('Torus'));
    await row(alice, 'Torus').click();
    await alice.click('[data-testid=delete]');
    await eventually('Bob sees the torus deleted', async () => !(await outlinerNames(bob)).includes('Torus'));
    await alice.click('[data-testid=undo]');
    await eventually('Bob sees the torus back', async () => (await outlinerNames(bob)).includes('Torus'));
    await alice.click('[data-testid=redo]');
    await eventually('Bob sees the torus deleted again', async () => !(await outlinerNames(bob)).includes('Torus'));
  });

  it('a gizmo drag in one page moves the node in the other page and in the Node peer; undo puts it back', async () => {
    await row(alice, 'Crate').click();
    const origin = (page: Page) =>
      page.evaluate(() => {
        const v = (window as never as { scenesyncViewer: { scene: any } }).scenesyncViewer;
        const id = v.scene.findByPath('Crate');
        return (v.scene.getProperty(id, 'transform')?.value as number[] | undefined)?.slice(9) ?? null;
      });
    const before = await origin(bob);
    // Where the crate is on screen: the gizmo's centre handle (move on the view plane) sits there.
    const at = await alice.evaluate(() => {
      const v = (window as never as { scenesyncViewer: any }).scenesyncViewer;
      const object = v.mirror.objectOf(v.selection.id);
      const p = object.getWorldPosition(object.position.clone()).project(v.viewport.camera);
      const rect = v.viewport.renderer.domElement.getBoundingClientRect();
      return { x: rect.left + ((p.x + 1) / 2) * rect.width, y: rect.top + ((1 - p.y) / 2) * rect.height };
    });
    const streamedRecords = () => bob.evaluate(() => (window as never as { scenesyncViewer: any }).scenesyncViewer.room.stream.stats.recordsAccepted as number);
    const recordsBefore = await streamedRecords();
    await alice.mouse.move(at.x, at.y);
    await alice.mouse.move(at.x + 1, at.y);
    await alice.mouse.down();
    for (let i = 1; i <= 10; i++) await alice.mouse.move(at.x + i * 12, at.y + i * 4);
    // Still dragging: Bob already gets the crate's transform through the stream.
    await eventually('Bob receives streamed frames during the drag', async () => (await streamedRecords()) > recordsBefore);
    await alice.mouse.up();
    const moved = (o: number[] | null) => o !== null && before !== null && Math.hypot(o[0]! - before[0]!, o[1]! - before[1]!, o[2]! - before[2]!) > 0.2;
    await eventually('Bob sees the committed move', async () => moved(await origin(bob)));
    await eventually('the Node peer sees the committed move', async () => moved((await peer.ask('origin', { path: 'Crate' })).origin as number[] | null));
    // The drag is one undo step.
    await alice.click('[data-testid=undo]');
    await eventually('Bob sees the crate back', async () => {
      const o = await origin(bob);
      return o !== null && Math.hypot(o[0]! - before![0]!, o[1]! - before![1]!, o[2]! - before![2]!) < 1e-6;
    });
    await alice.click('[data-testid=redo]');
    await eventually('Bob sees the move again', async () => moved(await origin(bob)));
  });

  it('animates transforms the Node peer streams', async () => {
    const id = await alice.evaluate(() => (window as never as { scenesyncViewer: any }).scenesyncViewer.scene.findByPath('Crate/PeerSphere'));
    await peer.ask('animate', { id });
    const xs = new Set<number>();
    await eventually('the sphere moves in Bob’s view', async () => {
      const x = await bob.evaluate((nodeId) => (window as never as { scenesyncViewer: any }).scenesyncViewer.mirror.objectOf(nodeId).position.x, id);
      xs.add(Math.round(x * 100));
      return xs.size >= 4;
    });
    await peer.ask('stopAnimation');
  });

  it('renders the scene: the screenshot shows the known materials, not a blank canvas', async () => {
    const shots = join(repo, 'examples/web-viewer/test-results');
    mkdirSync(shots, { recursive: true });
    const path = join(shots, 'viewer-e2e.png');
    // Nothing selected: no gizmo or selection box in front of the objects.
    await alice.keyboard.press('Escape');
    await bob.keyboard.press('Escape');
    await eventually('no gizmo', () => alice.evaluate(() => (window as never as { scenesyncViewer: any }).scenesyncViewer.selection.id === null));
    await alice.waitForTimeout(500);
    await alice.locator('[data-testid=viewport]').screenshot({ path });
    const census = censusOf(path, BACKGROUND, {
      // The crate: the first palette colour, orange (0.9, 0.35, 0.2).
      orange: (r, g, b) => r > 120 && r - g > 40 && g - b > 10,
      // The Node peer's sphere: green (0.15, 0.85, 0.2).
      green: (r, g, b) => g > 100 && g - r > 50 && g - b > 50,
    });
    expect(census.nonBackground / census.total).toBeGreaterThan(0.02);
    expect(census.classes.orange).toBeGreaterThan(150);
    expect(census.classes.green).toBeGreaterThan(150);
  });

  it('"Export GLB" yields a valid GLB, uploads it and lists it', async () => {
    const [download] = await Promise.all([alice.waitForEvent('download'), alice.click('[data-testid=export-glb]')]);
    const file = join(work, 'export.glb');
    await download.saveAs(file);
    const bytes = new Uint8Array(readFileSync(file));
    const report = await validateBytes(bytes);
    expect(report.issues.numErrors, JSON.stringify(report.issues.messages.slice(0, 5))).toBe(0);
    const jsonLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(12, true);
    const gltf = JSON.parse(new TextDecoder().decode(bytes.subarray(20, 20 + jsonLength))) as { nodes?: Array<{ name?: string }> };
    const names = (gltf.nodes ?? []).map((n) => n.name);
    expect(names).toContain('Crate');
    expect(names).toContain('PeerSphere');
    await eventually('the upload is listed', async () => (await alice.locator('[data-testid=snapshot-link]').count()) > 0);
    expect(await alice.textContent('[data-testid=export-status]')).toMatch(/uploaded/);
  });
});
