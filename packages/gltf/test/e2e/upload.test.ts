/**
 * uploadGlb against the real @scenesync/server (its GLB store), on loopback with a random port.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type ScenesyncServer } from '@scenesync/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { glbFromTree } from '../../src/export/glb-from-tree.js';
import { uploadGlb } from '../../src/upload/upload-glb.js';
import { everyTypeScene } from '../helpers/scenes.js';

const TOKEN = 'test-upload-token';
let server: ScenesyncServer;
let base: string;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'scenesync-gltf-upload-'));
  server = createServer({ port: 0, host: '127.0.0.1', dataDir, token: TOKEN, log: () => {} });
  const { port } = await server.listen();
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('uploadGlb → @scenesync/server (G-UPLOAD)', () => {
  it('PUTs the GLB with the bearer token; the server serves the same bytes back', async () => {
    const glb = glbFromTree(everyTypeScene());
    const result = await uploadGlb(glb, { server: base, room: 'room-1', name: 'snap_1', token: TOKEN });
    expect(result.status).toBe(201);
    expect(result.url).toBe(`${base}/rooms/room-1/snapshots/snap_1.glb`);
    const back = await fetch(result.url);
    expect(back.headers.get('content-type')).toMatch(/model\/gltf-binary/);
    expect(Buffer.from(await back.arrayBuffer()).equals(Buffer.from(glb))).toBe(true);
    const listing = (await (await fetch(`${base}/rooms/room-1/snapshots`)).json()) as { snapshots: Array<{ name: string }> };
    expect(listing.snapshots.map((s) => s.name)).toContain('snap_1.glb');
    // A trailing .glb in the name is accepted.
    expect((await uploadGlb(glb, { server: base, room: 'room-1', name: 'snap_2.glb', token: TOKEN })).url).toMatch(/snap_2\.glb$/);
  });

  it('a wrong token is an HTTP UploadError carrying the status and the server message', async () => {
    const glb = glbFromTree(everyTypeScene());
    await expect(uploadGlb(glb, { server: base, room: 'room-1', name: 'x', token: 'wrong' })).rejects.toMatchObject({ name: 'UploadError', code: 'HTTP', status: 401 });
  });

  it('refuses bad arguments before sending anything', async () => {
    const glb = glbFromTree(everyTypeScene());
    const bad = [
      { server: base, room: '../etc', name: 'x', token: TOKEN },
      { server: base, room: 'r', name: '.hidden', token: TOKEN },
      { server: base, room: 'r', name: 'latest', token: TOKEN },
      { server: base, room: 'r', name: 'x', token: '' },
      { server: 'ftp://127.0.0.1', room: 'r', name: 'x', token: TOKEN },
      { server: 'not a url', room: 'r', name: 'x', token: TOKEN },
    ];
    for (const options of bad) await expect(uploadGlb(glb, options)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    const notGlb = new TextEncoder().encode('definitely not a GLB file at all');
    await expect(uploadGlb(notGlb, { server: base, room: 'r', name: 'x', token: TOKEN })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('an unreachable server is a NETWORK error, a cancelled upload ABORTED', async () => {
    const glb = glbFromTree(everyTypeScene());
    // A port that was just free: bind, read the port, close.
    const probe = createHttpServer();
    await new Promise<void>((ok) => probe.listen(0, '127.0.0.1', ok));
    const freePort = (probe.address() as AddressInfo).port;
    await new Promise<void>((ok) => probe.close(() => ok()));
    await expect(uploadGlb(glb, { server: `http://127.0.0.1:${freePort}`, room: 'r', name: 'x', token: TOKEN })).rejects.toMatchObject({ code: 'NETWORK' });
    const ac = new AbortController();
    ac.abort();
    await expect(uploadGlb(glb, { server: base, room: 'r', name: 'x', token: TOKEN, signal: ac.signal })).rejects.toMatchObject({ code: 'ABORTED' });
  });
});
