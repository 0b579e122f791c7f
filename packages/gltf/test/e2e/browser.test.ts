/**
 * The browser path in real Chromium: a page built with Vite (as an app would build it) exports a
 * SceneDoc through the `@scenesync/gltf/worker` Web Worker (G-WORKER-2). Served on loopback only.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validate } from '../helpers/glb.js';

const APP = fileURLToPath(new URL('./browser-app/', import.meta.url));
let outDir: string;
let server: Server;
let browser: Browser;
let page: Page;

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.map': 'application/json' };

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'scenesync-gltf-browser-'));
  await build({ root: APP, logLevel: 'error', build: { outDir, emptyOutDir: true, minify: false }, worker: { format: 'es' } });
  server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent((req.url ?? '/').split('?')[0]!)).replace(/^(\.\.[/\\])+/, '');
    const file = join(outDir, path === '/' ? 'index.html' : path);
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true, undefined, { timeout: 30_000 }).catch((e) => {
    throw new Error(`page did not load: ${errors.join('; ')} ${String(e)}`);
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((ok) => (server ? server.close(() => ok()) : ok()));
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

type Result = { isUint8Array: boolean; bytes: number; secondBytes: number; stats: { nodes: number; meshes: number }; phases: string[]; base64: string };

describe('exportGlb in Chromium, through the @scenesync/gltf/worker Web Worker', () => {
  it('with the documented new Worker(new URL("@scenesync/gltf/worker", import.meta.url)), reused for a second export', async () => {
    const r = (await page.evaluate(([n]) => (window as unknown as { runExport(n: number, e: boolean): Promise<unknown> }).runExport(n!, true), [500])) as Result;
    expect(r.isUint8Array).toBe(true);
    expect(r.stats).toMatchObject({ nodes: 500, meshes: 1 });
    expect(r.secondBytes).toBe(r.bytes);
    expect(r.phases).toContain('decode');
    expect(r.phases.at(-1)).toBe('done');
    expect(await validate(Buffer.from(r.base64, 'base64'))).toEqual({ errors: 0, warnings: 0, messages: [] });
  });

  it("with the package's default worker (no options.worker)", async () => {
    const r = (await page.evaluate(([n]) => (window as unknown as { runExport(n: number, e: boolean): Promise<unknown> }).runExport(n!, false), [200])) as Result;
    expect(r.stats.nodes).toBe(200);
    expect(await validate(Buffer.from(r.base64, 'base64'))).toEqual({ errors: 0, warnings: 0, messages: [] });
  });

  it('cancels through an AbortSignal', async () => {
    const r = await page.evaluate(([n]) => (window as unknown as { runCancel(n: number): Promise<string> }).runCancel(n!), [3000]);
    expect(r).toBe('GltfExportError:ABORTED');
  });
});
