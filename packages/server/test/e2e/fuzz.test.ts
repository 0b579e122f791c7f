// Hostile input (issue 4, "Proof"): at least 10,000 generated bad signalling frames and bad HTTP
// requests against the built server in its own process. No crash, every refusal counted, nothing
// invalid stored, a good client keeps working throughout, and the heap after GC returns near its
// baseline. Seeded: a failure prints `SCENESYNC_SEED=<n>` to replay it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { request } from 'node:http';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { checkGlbBytes } from '../../src/index.js';
import { makeGlb, makeGlbOfSize } from '../support/glb.js';
import { SeededRandom, testSeed } from '../support/random.js';
import { SignalClient } from '../support/ws-client.js';
import { rawRequest } from '../support/http.js';

const FIXTURE = fileURLToPath(new URL('../support/server-fixture.mjs', import.meta.url));
const TOKEN = 'fuzz-upload-token';
const MAX_UPLOAD = 256 * 1024;
const MAX_FRAME = 16 * 1024;

const seed = testSeed();
const rnd = new SeededRandom(seed);
const tag = `SCENESYNC_SEED=${seed}`;

/** One generated bad signalling frame: text or binary. */
function badFrame(): { data: string | Buffer; binary: boolean } {
  const valid = JSON.stringify({ type: 'publish', topic: 'room', data: { type: 'signal', from: 'x', to: 'y' } });
  switch (rnd.int(17)) {
    case 0: return { data: rnd.bytes(1 + rnd.int(200)), binary: true };
    case 1: return { data: valid.slice(0, rnd.int(valid.length)), binary: false };
    case 2: return { data: rnd.string(1 + rnd.int(100)), binary: false };
    case 3: return { data: rnd.pick(['null', 'true', '0', '""', '[]', '[{}]', '{}', '-1e999', '"\\ud800"']), binary: false };
    case 4: return { data: JSON.stringify({ type: rnd.string(rnd.int(20)) }), binary: false };
    case 5: return { data: JSON.stringify({ type: rnd.pick(['subscribe', 'unsubscribe']), topics: rnd.pick([7, 'room', null, {}, [1, [2]], [null, true], { length: 3 }]) }), binary: false };
    case 6: return { data: JSON.stringify({ type: 'subscribe', topics: Array.from({ length: 200 + rnd.int(800) }, (_, i) => `t${i}`) }), binary: false };
    case 7: return { data: JSON.stringify({ type: 'subscribe', topics: ['x'.repeat(600 + rnd.int(2000))] }), binary: false };
    case 8: return { data: JSON.stringify({ type: 'publish', topic: rnd.pick([null, 5, [], {}, '', 'never-subscribed']), data: rnd.string(20) }), binary: false };
    case 9: return { data: JSON.stringify({ type: 'publish', topic: 'room', data: 'y'.repeat(MAX_FRAME + rnd.int(MAX_FRAME)) }), binary: false };
    case 10: return { data: '['.repeat(5000 + rnd.int(5000)), binary: false };
    case 11: return { data: `${'['.repeat(3000)}${']'.repeat(3000)}`, binary: false };
    case 12: return { data: JSON.stringify({ type: 'ping', extra: rnd.string(50) }).replace('ping', rnd.pick(['PING', 'pong', 'ping '])), binary: false };
    case 15: return { data: `{"type":"publish","topic":"room","data":${'['.repeat(MAX_FRAME / 2 - 40)}${']'.repeat(MAX_FRAME / 2 - 40)}}`, binary: false };
    case 13: return { data: JSON.stringify({ __proto__: { type: 'subscribe' }, constructor: 1, type: 'toString' }), binary: false };
    case 14: return { data: Buffer.concat([Buffer.from('{"type":"publish","topic":"room","data":"'), rnd.bytes(30), Buffer.from('"}')]), binary: false };
    default: return { data: JSON.stringify({ type: 'unsubscribe', topics: [rnd.string(10)] }), binary: false };
  }
}

/** A GLB with one lie or truncation in its header or chunk layout. */
function badGlb(): Buffer {
  const good = makeGlb({ bin: rnd.bytes(16 + rnd.int(64)) });
  const b = Buffer.from(good);
  switch (rnd.int(7)) {
    case 0: return b.subarray(0, rnd.int(b.length));
    case 1: b.writeUInt32LE(rnd.int(2 ** 32), 0); return b;
    case 2: b.writeUInt32LE(rnd.pick([0, 1, 3, 2 ** 32 - 1]), 4); return b;
    case 3: b.writeUInt32LE(b.length + 1 + rnd.int(1000), 8); return b;
    case 4: b.writeUInt32LE(rnd.int(2 ** 32), 12); return b;
    case 5: b.writeUInt32LE(rnd.int(2 ** 32), 16); return b;
    default: return Buffer.concat([b, rnd.bytes(1 + rnd.int(40))]);
  }
}

const TRAVERSALS = ['..', '%2e%2e', '..%2f..', '.%2e', '%2e.', '..\\..', '.hidden', '..%00', 'a%2fb', '%252e%252e', '....//', 'x/../..'];

/** One generated bad HTTP request (method, path, headers, body). */
function badRequest(): { method: string; path: string; headers: Record<string, string>; body?: Buffer } {
  const t = () => rnd.pick(TRAVERSALS);
  const auth = { authorization: `Bearer ${TOKEN}` };
  switch (rnd.int(9)) {
    case 0: return { method: rnd.pick(['GET', 'PUT', 'DELETE', 'HEAD']), path: `/rooms/${t()}/snapshots/${t()}.glb`, headers: auth, body: makeGlb() };
    case 1: return { method: 'GET', path: `/${t()}/${t()}/etc/passwd`, headers: {} };
    case 2: return { method: rnd.pick(['POST', 'PATCH', 'TRACE', 'PROPFIND', 'MKCOL', 'OPTIONS']), path: rnd.pick(['/rooms/r/snapshots/a.glb', '/rooms/r/snapshots', '/healthz', '/metrics', '/']), headers: {}, body: rnd.bytes(rnd.int(100)) };
    case 3: return { method: 'PUT', path: `/rooms/fuzz/snapshots/fuzz-${rnd.int(8)}.glb`, headers: auth, body: badGlb() };
    case 4: return { method: 'PUT', path: '/rooms/fuzz/snapshots/big.glb', headers: auth, body: makeGlbOfSize(MAX_UPLOAD + 1 + rnd.int(MAX_UPLOAD), rnd.int(100)) };
    case 5: return { method: rnd.pick(['PUT', 'DELETE']), path: '/rooms/good/snapshots/good.glb', headers: rnd.pick<Record<string, string>>([{}, { authorization: 'Bearer wrong' }, { authorization: TOKEN }, { authorization: `Basic ${TOKEN}` }]), body: makeGlb() };
    case 6: return { method: 'GET', path: '/rooms/good/snapshots/good.glb', headers: { range: rnd.pick(['bytes=-0', 'bytes=5-2', 'bytes=999999-', 'chars=0-1', 'bytes=0-1,3-4,0-9', `bytes=${rnd.ascii(5)}`]), 'if-none-match': rnd.pick(['*', '"x"', 'W/"y"', '']) } };
    case 7: return { method: 'GET', path: `/rooms/good/snapshots?${rnd.ascii(8)}`, headers: { 'x-junk': 'a'.repeat(rnd.int(8000)) } };
    default: return { method: 'GET', path: `/rooms/${'r'.repeat(100 + rnd.int(400))}/snapshots/${'n'.repeat(rnd.int(300))}.glb`, headers: {} };
  }
}

function sendHttp(port: number, r: ReturnType<typeof badRequest>): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, method: r.method, path: r.path, headers: r.headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(-1));
    });
    req.on('error', () => resolve(-1));
    req.end(r.body);
  });
}

/** Raw TCP: garbage instead of HTTP, or a valid WebSocket handshake followed by garbage frames. */
function rawGarbage(port: number, afterHandshake: boolean): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = () => resolve();
    socket.on('error', done);
    socket.on('close', done);
    // The server may rightly wait for the rest of a frame that claims a large length: do not wait.
    setTimeout(() => socket.destroy(), 300);
    socket.on('connect', () => {
      if (!afterHandshake) {
        socket.end(rnd.pick([rnd.bytes(1 + rnd.int(500)), Buffer.from(`GET ${rnd.string(5)} HTTP/9.9\r\n\r\n`), Buffer.from('GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n')]));
        return;
      }
      socket.write(`GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n\r\n`);
      socket.once('data', () => socket.end(rnd.bytes(2 + rnd.int(300))));
    });
  });
}

/** Sends headers one byte at a time, slowly, and never finishes: the server must cut it. */
function slowloris(port: number, withBody: boolean): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const head = withBody
      ? `PUT /rooms/fuzz/snapshots/slow.glb HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Length: 100000\r\n\r\n`
      : 'GET /rooms/good/snapshots/good.glb HTTP/1.1\r\nHost: x\r\nX-Slow: ';
    let timer: NodeJS.Timeout;
    socket.on('connect', () => {
      if (withBody) socket.write(head + 'glTF');
      let i = 0;
      timer = setInterval(() => socket.write(withBody ? 'x' : head[i++ % head.length]!), 200);
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearInterval(timer);
      resolve(true);
    });
  });
}

describe(`fuzz (${tag})`, () => {
  let server: ChildProcess;
  let port: number;
  let dataDir: string;
  const heap = (): Promise<number> =>
    new Promise((resolve) => {
      server.once('message', (m: { heapUsed: number }) => resolve(m.heapUsed));
      server.send('heap');
    });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ss-fuzz-'));
    const options = { port: 0, dataDir, token: TOKEN, maxUpload: MAX_UPLOAD, maxFrameBytes: MAX_FRAME, headersTimeout: 1500, requestTimeout: 3000, pingInterval: 1000 };
    server = fork(FIXTURE, [JSON.stringify(options)], { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    port = await new Promise<number>((resolve) => server.once('message', (m: { port: number }) => resolve(m.port)));
  });

  afterAll(() => {
    server?.send('close');
  });

  it('survives ≥10,000 bad frames and requests; the good client keeps working; memory returns', async () => {
    const goodGlb = makeGlbOfSize(4096, 9);
    expect((await rawRequest(port, 'PUT', '/rooms/good/snapshots/good.glb', { headers: { authorization: `Bearer ${TOKEN}` }, body: goodGlb })).status).toBe(201);
    const alice = await SignalClient.connect(`ws://127.0.0.1:${port}`);
    const bob = await SignalClient.connect(`ws://127.0.0.1:${port}`);
    alice.send({ type: 'subscribe', topics: ['good-room'] });
    bob.send({ type: 'subscribe', topics: ['good-room'] });
    await Promise.all([alice.sync(), bob.sync()]);

    let goodRounds = 0;
    const goodRound = async () => {
      const n = goodRounds++;
      alice.send({ type: 'publish', topic: 'good-room', data: { n } });
      const got = await bob.next((m) => m.type === 'publish' && m.data?.n === n, 10_000);
      expect(got.clients, tag).toBeGreaterThanOrEqual(2);
      const res = await fetch(`http://127.0.0.1:${port}/rooms/good/snapshots/good.glb`);
      expect(Buffer.from(await res.arrayBuffer()).equals(goodGlb), tag).toBe(true);
    };
    // Warm up (JIT, buffers, first connections) before the baseline.
    for (let i = 0; i < 20; i++) await goodRound();
    for (let i = 0; i < 200; i++) await sendHttp(port, { method: 'GET', path: '/rooms/good/snapshots', headers: {} });
    const baseline = await heap();

    let stop = false;
    const goodClient = (async () => {
      while (!stop) {
        await goodRound();
        await new Promise((r) => setTimeout(r, 20));
      }
    })();

    // Slow senders run alongside; the server's header and request timeouts must cut them.
    const slow = [slowloris(port, false), slowloris(port, false), slowloris(port, true), slowloris(port, true)];

    let frames = 0;
    const frameWorkers = Array.from({ length: 8 }, async () => {
      while (frames < 8000) {
        const hostile = await SignalClient.connect(`ws://127.0.0.1:${port}`).catch(() => null);
        if (!hostile) continue;
        hostile.send({ type: 'subscribe', topics: ['room', 'good-room'] });
        for (let i = 0; i < 150 && hostile.ws.readyState === hostile.ws.OPEN && frames < 8000; i++) {
          const f = badFrame();
          hostile.ws.send(f.data, { binary: f.binary });
          frames++;
          if (i % 25 === 0) await new Promise((r) => setImmediate(r));
        }
        hostile.ws.terminate();
      }
    });

    let requests = 0;
    const httpWorkers = Array.from({ length: 16 }, async () => {
      while (requests < 2600) {
        requests++;
        const kind = rnd.int(10);
        if (kind === 0) await rawGarbage(port, false);
        else if (kind === 1) await rawGarbage(port, true);
        else {
          const status = await sendHttp(port, badRequest());
          expect(status === -1 || (status >= 200 && status < 500), `${tag}: status ${status}`).toBe(true);
        }
      }
    });

    await Promise.all([...frameWorkers, ...httpWorkers]);
    expect(await Promise.race([Promise.all(slow).then(() => true), new Promise((r) => setTimeout(r, 15_000, false))]), `${tag}: slow senders were not cut`).toBe(true);
    stop = true;
    await goodClient;
    expect(frames + requests, tag).toBeGreaterThanOrEqual(10_000);
    expect(goodRounds, tag).toBeGreaterThan(20);

    // Still alive, still answering, every kind of refusal counted.
    expect(server.exitCode, tag).toBeNull();
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    for (const reason of ['malformed-json', 'binary-frame', 'not-an-object', 'unknown-type', 'bad-field', 'too-many-topics', 'topic-too-long', 'not-subscribed', 'frame-too-large', 'protocol-error', 'too-deep']) {
      expect(metrics, `${tag}: ${reason}`).toMatch(new RegExp(`^scenesync_dropped_total\\{reason="${reason}"\\} [1-9]`, 'm'));
    }
    expect(Number(/^scenesync_uploads_rejected_total (\d+)$/m.exec(metrics)![1]), tag).toBeGreaterThan(100);

    // Nothing invalid or partial was stored.
    for (const room of readdirSync(join(dataDir, 'rooms'))) {
      for (const file of readdirSync(join(dataDir, 'rooms', room))) {
        expect(file.startsWith('.'), `${tag}: left-over ${room}/${file}`).toBe(false);
        await checkGlbBytes(readFileSync(join(dataDir, 'rooms', room, file)));
      }
    }
    expect(readFileSync(join(dataDir, 'rooms', 'good', 'good.glb')).equals(goodGlb), tag).toBe(true);

    await goodRound();
    alice.close();
    bob.close();
    await new Promise((r) => setTimeout(r, 200));
    const after = await heap();
    // Generous: the heap holds no per-connection or per-request garbage once everything closed.
    expect(after - baseline, `${tag}: heap ${baseline} -> ${after}`).toBeLessThan(16 * 1024 * 1024);
    console.log(`fuzz ${tag}: ${frames} frames + ${requests} requests, ${goodRounds} good rounds, heap ${(baseline / 2 ** 20).toFixed(1)} -> ${(after / 2 ** 20).toFixed(1)} MiB`);
  }, 120_000);
});
