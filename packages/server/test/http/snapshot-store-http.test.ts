// The GLB store over HTTP (issue 4, "GLB store"), against a real server on loopback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { createServer, checkGlbBytes, type ScenesyncServer } from '../../src/index.js';
import { makeGlb, makeGlbOfSize } from '../support/glb.js';
import { rawRequest } from '../support/http.js';

const TOKEN = 'test-upload-token';
const auth = { authorization: `Bearer ${TOKEN}` };

describe('GLB store over HTTP', () => {
  let server: ScenesyncServer;
  let port: number;
  let dataDir: string;
  let viewerDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ss-http-'));
    viewerDir = mkdtempSync(join(tmpdir(), 'ss-viewer-'));
    writeFileSync(join(viewerDir, 'index.html'), '<!doctype html><title>viewer</title>');
    mkdirSync(join(viewerDir, 'assets'));
    writeFileSync(join(viewerDir, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(viewerDir, 'assets', 'app.css'), 'body{}');
    writeFileSync(join(viewerDir, '.env'), 'SECRET=1');
    writeFileSync(join(dataDir, 'outside.txt'), 'not for you');
    server = createServer({ port: 0, dataDir, token: TOKEN, maxUpload: 64 * 1024, viewerDir, cors: 'https://app.example', log: () => {} });
    port = (await server.listen()).port;
  });

  afterAll(async () => {
    await server?.close();
  });

  const url = (p: string) => `http://127.0.0.1:${port}${p}`;

  it('[STORE-5][STORE-6] stores an upload and serves it back with type, ETag, Last-Modified, 304 and ranges', async () => {
    const glb = makeGlb({ bin: new Uint8Array(100).fill(7) });
    const put = await rawRequest(port, 'PUT', '/rooms/demo/snapshots/one.glb', { headers: auth, body: glb });
    expect(put.status).toBe(201);
    const info = put.json();
    expect(info).toMatchObject({ name: 'one.glb', size: glb.length });
    expect(put.headers.location).toBe('/rooms/demo/snapshots/one.glb');

    const get = await fetch(url('/rooms/demo/snapshots/one.glb'));
    expect(get.status).toBe(200);
    expect(get.headers.get('content-type')).toBe('model/gltf-binary');
    expect(get.headers.get('etag')).toBe(info.etag);
    expect(get.headers.get('accept-ranges')).toBe('bytes');
    const lastModified = get.headers.get('last-modified')!;
    expect(new Date(lastModified).getTime()).toBe(Math.floor(new Date(info.time).getTime() / 1000) * 1000);
    expect(Buffer.from(await get.arrayBuffer()).equals(glb)).toBe(true);

    expect((await fetch(url('/rooms/demo/snapshots/one.glb'), { headers: { 'if-none-match': info.etag } })).status).toBe(304);
    expect((await fetch(url('/rooms/demo/snapshots/one.glb'), { headers: { 'if-modified-since': lastModified } })).status).toBe(304);
    expect((await fetch(url('/rooms/demo/snapshots/one.glb'), { headers: { 'if-none-match': '"other"' } })).status).toBe(200);

    const range = await fetch(url('/rooms/demo/snapshots/one.glb'), { headers: { range: 'bytes=0-11' } });
    expect(range.status).toBe(206);
    expect(range.headers.get('content-range')).toBe(`bytes 0-11/${glb.length}`);
    expect(Buffer.from(await range.arrayBuffer()).equals(glb.subarray(0, 12))).toBe(true);
    const suffix = await fetch(url('/rooms/demo/snapshots/one.glb'), { headers: { range: 'bytes=-4' } });
    expect(Buffer.from(await suffix.arrayBuffer()).equals(glb.subarray(-4))).toBe(true);
    const stale = await fetch(url('/rooms/demo/snapshots/one.glb'), { headers: { range: 'bytes=0-3', 'if-range': '"stale"' } });
    expect(stale.status).toBe(200);
    expect((await fetch(url('/rooms/demo/snapshots/one.glb'), { headers: { range: `bytes=${glb.length + 10}-` } })).status).toBe(416);

    const head = await rawRequest(port, 'HEAD', '/rooms/demo/snapshots/one.glb');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(glb.length));
    expect(head.body.length).toBe(0);
  });

  it('[STORE-7] lists snapshots newest first and serves latest.glb as the newest', async () => {
    const room = 'listing';
    const a = makeGlb({ bin: new Uint8Array([1]) });
    const b = makeGlb({ bin: new Uint8Array(9) });
    expect((await rawRequest(port, 'PUT', `/rooms/${room}/snapshots/a.glb`, { headers: auth, body: a })).status).toBe(201);
    await new Promise((r) => setTimeout(r, 20)); // distinct modification times
    expect((await rawRequest(port, 'PUT', `/rooms/${room}/snapshots/b.glb`, { headers: auth, body: b })).status).toBe(201);
    const listing = await (await fetch(url(`/rooms/${room}/snapshots`))).json();
    expect(listing.room).toBe(room);
    expect(listing.snapshots.map((s: { name: string }) => s.name)).toEqual(['b.glb', 'a.glb']);
    for (const s of listing.snapshots) {
      expect(Object.keys(s).sort()).toEqual(['etag', 'name', 'size', 'time']);
      expect(Number.isNaN(Date.parse(s.time))).toBe(false);
    }
    const latest = await fetch(url(`/rooms/${room}/snapshots/latest.glb`));
    expect(latest.headers.get('content-location')).toBe(`/rooms/${room}/snapshots/b.glb`);
    expect(latest.headers.get('etag')).toBe(listing.snapshots[0].etag);
    expect(Buffer.from(await latest.arrayBuffer()).equals(b)).toBe(true);
    expect((await fetch(url('/rooms/empty-room/snapshots'))).status).toBe(200);
    expect((await (await fetch(url('/rooms/empty-room/snapshots'))).json()).snapshots).toEqual([]);
    const none = await fetch(url('/rooms/empty-room/snapshots/latest.glb'));
    expect(none.status).toBe(404);
    expect((await none.json()).error).toBe('not_found');
  });

  it('[STORE-1][STORE-2][STORE-3][STORE-4] refuses bad uploads with a 4xx JSON error saying why, and keeps no partial file', async () => {
    const cases: [string, Record<string, string>, Buffer, number, string][] = [
      ['/rooms/demo/snapshots/x.glb', {}, makeGlb(), 401, 'unauthorized'],
      ['/rooms/demo/snapshots/x.glb', { authorization: 'Bearer wrong-token-xx' }, makeGlb(), 401, 'unauthorized'],
      ['/rooms/demo/snapshots/latest.glb', auth, makeGlb(), 400, 'reserved_name'],
      ['/rooms/demo/snapshots/x.glb', auth, Buffer.from('not a glb at all, really not'), 400, 'bad_glb'],
      ['/rooms/demo/snapshots/x.glb', auth, makeGlb().subarray(0, 30), 400, 'bad_glb'],
      ['/rooms/demo/snapshots/x.glb', auth, makeGlbOfSize(100 * 1024), 413, 'too_large'],
      ['/rooms/demo/snapshots/.x.glb', auth, makeGlb(), 400, 'bad_name'],
      ['/rooms/demo/snapshots/x.gltf', auth, makeGlb(), 400, 'bad_name'],
      ['/rooms/..%2f..%2fetc/snapshots/x.glb', auth, makeGlb(), 400, 'bad_name'],
      ['/rooms/%2e%2e/snapshots/x.glb', auth, makeGlb(), 400, 'bad_name'],
      ['/rooms/demo/snapshots/..%2foutside.glb', auth, makeGlb(), 400, 'bad_name'],
      ['/rooms/../snapshots/x.glb', auth, makeGlb(), 400, 'bad_name'],
    ];
    for (const [path, headers, body, status, code] of cases) {
      const res = await rawRequest(port, "PUT", path, { headers, body }).catch((e) => { throw new Error(`${path} ${status}: ${e}`); });
      expect(res.status, path).toBe(status);
      const json = res.json();
      expect(json.error, path).toBe(code);
      expect(typeof json.message).toBe('string');
    }
    expect(readdirSync(join(dataDir, 'rooms', 'demo')).sort()).toEqual(['one.glb']);
  });

  it('[STORE-3] refuses an oversize chunked body that declares no length, mid-stream', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method: 'PUT', path: '/rooms/demo/snapshots/big.glb', headers: { ...auth, 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      const chunk = Buffer.alloc(16 * 1024);
      let sent = 0;
      const pump = () => {
        while (sent < 200 * 1024) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    }).catch(() => 413);
    expect(status).toBe(413);
    await new Promise((r) => setTimeout(r, 50));
    expect(readdirSync(join(dataDir, 'rooms', 'demo')).filter((f) => f !== 'one.glb')).toEqual([]);
  });

  it('[STORE-2] deletes with the token only', async () => {
    expect((await rawRequest(port, 'PUT', '/rooms/del/snapshots/gone.glb', { headers: auth, body: makeGlb() })).status).toBe(201);
    expect((await rawRequest(port, 'DELETE', '/rooms/del/snapshots/gone.glb')).status).toBe(401);
    expect((await rawRequest(port, 'DELETE', '/rooms/del/snapshots/gone.glb', { headers: auth })).status).toBe(204);
    expect((await rawRequest(port, 'DELETE', '/rooms/del/snapshots/gone.glb', { headers: auth })).status).toBe(404);
    expect((await fetch(url('/rooms/del/snapshots/gone.glb'))).status).toBe(404);
  });

  it('answers wrong methods with 405 and Allow, unknown paths with 404 JSON', async () => {
    const r1 = await rawRequest(port, 'POST', '/rooms/demo/snapshots/one.glb', { body: 'x' });
    expect(r1.status).toBe(405);
    expect(r1.headers.allow).toBe('GET, HEAD, PUT, DELETE');
    expect((await rawRequest(port, 'PUT', '/rooms/demo/snapshots', { headers: auth, body: 'x' })).status).toBe(405);
    expect((await rawRequest(port, 'DELETE', '/healthz')).status).toBe(405);
    expect((await rawRequest(port, 'POST', '/index.html', { body: 'x' })).status).toBe(405);
    const unknown = await rawRequest(port, 'GET', '/rooms/demo/elsewhere');
    expect(unknown.status).toBe(404);
    expect(unknown.json().error).toBe('not_found');
  });

  it('serves the viewer with content types, never dotfiles or anything outside its directory', async () => {
    const index = await fetch(url('/'));
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await index.text()).toContain('<title>viewer</title>');
    expect((await fetch(url('/assets/app.js'))).headers.get('content-type')).toMatch(/^(text|application)\/javascript/);
    expect((await fetch(url('/assets/app.css'))).headers.get('content-type')).toMatch(/^text\/css/);
    for (const path of ['/.env', '/../outside.txt', '/%2e%2e/outside.txt', '/assets/..%2f..%2foutside.txt', '/assets/%2e%2e/%2e%2e/outside.txt', '/nope.js']) {
      const res = await rawRequest(port, 'GET', path);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
      expect(res.body.toString()).not.toContain('not for you');
      expect(res.body.toString()).not.toContain('SECRET');
    }
  });

  it('answers CORS preflights when --cors is set', async () => {
    const res = await rawRequest(port, 'OPTIONS', '/rooms/demo/snapshots/one.glb', { headers: { origin: 'https://app.example', 'access-control-request-method': 'PUT' } });
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('https://app.example');
    expect(res.headers['access-control-allow-methods']).toContain('PUT');
    expect(res.headers['access-control-allow-headers']).toContain('Authorization');
  });

  it('reports health and Prometheus metrics', async () => {
    expect(await (await fetch(url('/healthz'))).json()).toEqual({ ok: true, uploads: true });
    const res = await fetch(url('/metrics'));
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0.0.4/);
    const text = await res.text();
    for (const name of ['scenesync_connections', 'scenesync_rooms', 'scenesync_messages_in_total', 'scenesync_messages_out_total', 'scenesync_bytes_in_total', 'scenesync_bytes_out_total', 'scenesync_uploads_total', 'scenesync_upload_bytes_total']) {
      expect(text).toMatch(new RegExp(`^# TYPE ${name} (counter|gauge)$`, 'm'));
    }
    expect(Number(/^scenesync_uploads_total (\d+)$/m.exec(text)![1])).toBe(server.metrics.uploads);
    expect(server.metrics.uploads).toBeGreaterThanOrEqual(4);
    expect(Number(/^scenesync_upload_bytes_total (\d+)$/m.exec(text)![1])).toBeGreaterThan(0);
  });

  it('[STORE-5] keeps uploads atomic: concurrent uploads of one name and readers meanwhile only ever see whole files', async () => {
    const versions = Array.from({ length: 12 }, (_, i) => makeGlbOfSize(8 * 1024 + i * 1000, i + 1));
    let reading = true;
    let reads = 0;
    const readers = Array.from({ length: 3 }, async () => {
      while (reading) {
        const res = await fetch(url('/rooms/race/snapshots/same.glb'));
        if (res.status === 404) {
          await res.arrayBuffer();
          continue;
        }
        const bytes = Buffer.from(await res.arrayBuffer());
        expect(versions.some((v) => v.equals(bytes))).toBe(true);
        reads++;
      }
    });
    const results = await Promise.all(versions.map((body) => rawRequest(port, 'PUT', '/rooms/race/snapshots/same.glb', { headers: auth, body })));
    for (const r of results) expect(r.status).toBe(201);
    // Let the readers see the final file a few times.
    const until = reads + 5;
    while (reads < until) await new Promise((r) => setTimeout(r, 5));
    reading = false;
    await Promise.all(readers);
    const final = readFileSync(join(dataDir, 'rooms', 'race', 'same.glb'));
    expect(versions.some((v) => v.equals(final))).toBe(true);
    await checkGlbBytes(final);
    expect(readdirSync(join(dataDir, 'rooms', 'race'))).toEqual(['same.glb']);
  });

  it('[STORE-8] keeps stored files across a restart on the same data directory', async () => {
    const before = await (await fetch(url('/rooms/listing/snapshots'))).json();
    await server.close();
    server = createServer({ port: 0, dataDir, token: TOKEN, log: () => {} });
    port = (await server.listen()).port;
    const after = await (await fetch(url('/rooms/listing/snapshots'))).json();
    expect(after).toEqual(before);
    expect((await fetch(url('/rooms/listing/snapshots/a.glb'))).status).toBe(200);
  });
});

describe('GLB store without a token', () => {
  it('[STORE-2][CLI-2] refuses uploads with uploads_disabled and still serves downloads', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ss-notoken-'));
    mkdirSync(join(dataDir, 'rooms', 'r'), { recursive: true });
    writeFileSync(join(dataDir, 'rooms', 'r', 'pre.glb'), makeGlb());
    const lines: string[] = [];
    const server = createServer({ port: 0, dataDir, log: (l) => lines.push(l) });
    const { port } = await server.listen();
    try {
      expect(lines.join('\n')).toMatch(/uploads are DISABLED/);
      const res = await rawRequest(port, 'PUT', '/rooms/r/snapshots/x.glb', { headers: { authorization: 'Bearer anything-at-all' }, body: makeGlb() });
      expect(res.status).toBe(403);
      expect(res.json().error).toBe('uploads_disabled');
      expect(res.json().message).toMatch(/--token/);
      expect((await rawRequest(port, 'GET', '/rooms/r/snapshots/pre.glb')).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
