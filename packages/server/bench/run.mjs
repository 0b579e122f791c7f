// Benchmarks of @scenesync/server against baselines in the same run (loopback only):
//   1. publish fan-out, 50 rooms x 10 clients: delivered messages/s and p99 latency, ours vs
//      y-webrtc's bin/server.js (safety checks on: our default limits);
//   2. memory per idle connection with 5,000 connections held, ours vs y-webrtc's server;
//   3. GLB download throughput, ours vs a plain node:http static file server.
// Usage: npm run bench -w @scenesync/server [-- --write]   (--write updates docs/benchmarks/server.md)
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { createServer as createNetServer } from 'node:net';
import WebSocket from 'ws';

const here = dirname(fileURLToPath(import.meta.url));
const pkgRoot = join(here, '..');
const repoRoot = join(pkgRoot, '../..');
const BIN = join(pkgRoot, 'dist/bin.js');
// y-webrtc exports no package.json: find its bin/ from the main entry (dist/).
const YWEBRTC_SERVER = join(dirname(createRequire(import.meta.url).resolve('y-webrtc')), '../bin/server.js');
const ROOMS = 50;
const PER_ROOM = 10;
const FANOUT_SECONDS = 6;
const IDLE_CONNECTIONS = 5000;
const GLB_BYTES = 32 * 1024 * 1024;
const DOWNLOAD_SECONDS = 4;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Starts a child process and waits for a line matching `ready`. */
async function startChild(args, ready, env = {}) {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let out = '';
  await new Promise((resolve, reject) => {
    const onData = (d) => {
      out += d;
      if (ready.test(out)) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`child exited ${code}: ${out}`)));
  });
  child.on('exit', (code, signal) => {
    if (!child.stopping) console.error(`bench: ${args.join(' ')} exited unexpectedly (${code ?? signal}):\n${out}`);
  });
  return child;
}

async function stopChild(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.stopping = true;
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(t);
}

/** A loopback port that is free right now (other processes on this machine use ports too). */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function startOurs(extra = []) {
  const port = await freePort();
  const child = await startChild([BIN, '--port', String(port), '--data-dir', mkdtempSync(join(tmpdir(), 'ss-bench-')), ...extra], /listening on/);
  return { child, port, url: `ws://127.0.0.1:${port}` };
}

async function startBaseline() {
  const port = await freePort();
  const child = await startChild([YWEBRTC_SERVER], /Signaling server running/, { PORT: String(port) });
  return { child, port, url: `ws://127.0.0.1:${port}` };
}

function connect(url) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

async function connectMany(url, n, concurrency = 200) {
  const sockets = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        sockets[i] = await connect(url);
      }
    }),
  );
  return sockets;
}

/** Waits until `ws` got a pong: everything it sent before has been handled. */
function roundTrip(ws) {
  return new Promise((resolve) => {
    const onMessage = (data) => {
      if (data.toString() === '{"type":"pong"}') {
        ws.off('message', onMessage);
        resolve();
      }
    };
    ws.on('message', onMessage);
    ws.send('{"type":"ping"}');
  });
}

function percentile(sorted, p) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] : NaN;
}

/**
 * Closed loop: every client keeps WINDOW of its own publishes in flight (the sender receives its
 * own publish too, as with y-webrtc's server), so the server runs flat out. Every receiver
 * records the delivery latency from the timestamp in the message.
 */
/** CPU seconds (user + system) a process has used so far, from /proc (clock ticks of 10 ms). */
async function cpuSeconds(pid) {
  const { readFileSync } = await import('node:fs');
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function fanout(url, pid) {
  const WINDOW = 2;
  const clients = await connectMany(url, ROOMS * PER_ROOM);
  const latencies = new Float64Array(4_000_000);
  let recorded = 0;
  let delivered = 0;
  let measuring = false;
  let running = true;
  const payload = 'x'.repeat(180); // about the size of a y-webrtc announce/signal message
  const DATA_KEY = Buffer.from('"data":"');
  clients.forEach((ws, i) => {
    const room = `bench-room-${i % ROOMS}`;
    const id = String(i);
    // data = "<sender>|<send time>|<payload>": the generator reads it without JSON.parse, so the
    // servers, not the load generator, are what the run measures. Both servers emit the same shape.
    const send = () => ws.send(`{"type":"publish","topic":"${room}","data":"${id}|${performance.now()}|${payload}"}`);
    ws.on('message', (raw) => {
      const at = raw.indexOf(DATA_KEY);
      if (at < 0) return;
      const head = raw.toString('latin1', at + DATA_KEY.length, at + DATA_KEY.length + 40).split('|');
      if (measuring) {
        delivered++;
        if (recorded < latencies.length) latencies[recorded++] = performance.now() - Number(head[1]);
      }
      if (head[0] === id && running) send();
    });
    ws.__start = () => {
      for (let k = 0; k < WINDOW; k++) send();
    };
    ws.send(JSON.stringify({ type: 'subscribe', topics: [room] }));
  });
  await Promise.all(clients.map(roundTrip));
  clients.forEach((ws) => ws.__start());
  await sleep(1000); // warm-up
  measuring = true;
  const t0 = performance.now();
  const cpu0 = await cpuSeconds(pid);
  await sleep(FANOUT_SECONDS * 1000);
  measuring = false;
  const cpu = (await cpuSeconds(pid)) - cpu0;
  const seconds = (performance.now() - t0) / 1000;
  running = false;
  // Messages our safety checks dropped (y-webrtc's server has no /metrics: counts 0), read
  // before the clients hang up (hang-ups are counted as socket errors, not drops).
  const dropped = await droppedCount(url.replace('ws://', 'http://')).catch(() => 0);
  await sleep(300);
  for (const ws of clients) ws.terminate();
  const sorted = latencies.subarray(0, recorded).sort();
  return { perSecond: delivered / seconds, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), cpuMicrosPerMessage: (cpu * 1e6) / delivered, dropped };
}

/** Sum of scenesync_dropped_total over all reasons (the safety checks that fired). */
async function droppedCount(httpBase) {
  const text = await (await fetch(`${httpBase}/metrics`)).text();
  return [...text.matchAll(/^scenesync_dropped_total\{[^}]*\} (\d+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
}

async function processMemory(pid) {
  const { readFileSync } = await import('node:fs');
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) * 1024;
}

/** Holds IDLE_CONNECTIONS connections, each subscribed to one of 500 rooms, and measures RSS growth. */
async function idleConnections(server) {
  await sleep(500);
  const before = await processMemory(server.child.pid);
  const sockets = await connectMany(server.url, IDLE_CONNECTIONS, 100);
  sockets.forEach((ws, i) => ws.send(JSON.stringify({ type: 'subscribe', topics: [`idle-${i % 500}`] })));
  await Promise.all(sockets.map(roundTrip));
  await sleep(1500);
  const after = await processMemory(server.child.pid);
  const open = sockets.filter((ws) => ws.readyState === WebSocket.OPEN).length;
  for (const ws of sockets) ws.terminate();
  return { open, perConnection: (after - before) / IDLE_CONNECTIONS, rssAfter: after };
}

async function startStaticBaseline(file) {
  const port = await freePort();
  const script = `
    const http = require('node:http'); const fs = require('node:fs');
    const size = fs.statSync(${JSON.stringify(file)}).size;
    http.createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'model/gltf-binary', 'content-length': size });
      fs.createReadStream(${JSON.stringify(file)}).pipe(res);
    }).listen(${port}, '127.0.0.1', () => console.log('static ready'));`;
  const child = await startChild(['-e', script], /static ready/);
  return { child, url: `http://127.0.0.1:${port}/big.glb` };
}

/** Downloads `url` repeatedly with 4 parallel clients for DOWNLOAD_SECONDS; returns MiB/s. */
async function downloads(url) {
  let bytes = 0;
  const until = performance.now() + DOWNLOAD_SECONDS * 1000;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (performance.now() < until) {
        const res = await fetch(url);
        const reader = res.body.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          bytes += value.length;
        }
      }
    }),
  );
  return bytes / 2 ** 20 / ((performance.now() - t0) / 1000);
}

function makeGlb(size) {
  const json = Buffer.from('{"asset":{"version":"2.0"}}  ');
  const binLength = Math.ceil((size - 12 - 8 - json.length - 8) / 4) * 4;
  const out = Buffer.alloc(12 + 8 + json.length + 8 + binLength);
  out.writeUInt32LE(0x46546c67, 0);
  out.writeUInt32LE(2, 4);
  out.writeUInt32LE(out.length, 8);
  out.writeUInt32LE(json.length, 12);
  out.writeUInt32LE(0x4e4f534a, 16);
  json.copy(out, 20);
  out.writeUInt32LE(binLength, 20 + json.length);
  out.writeUInt32LE(0x004e4942, 24 + json.length);
  for (let i = 28 + json.length; i < out.length; i += 4096) out[i] = i & 0xff;
  return out;
}

const fmt = (n, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

async function main() {
  const started = performance.now();
  const loadAtStart = loadavg()[0];
  const rows = [];

  const only = process.env.BENCH_ONLY;
  // 1. Fan-out. Both servers run at the same time, each with its own 500 clients in this process:
  // on a shared machine they then suffer the same background load, and the load generator's CPU
  // is split by message, so the server that needs less CPU per message delivers more. Three
  // rounds; the median is reported.
  const runs = { ours: [], base: [] };
  let oursDropped = 0;
  for (let round = 0; round < (only && only !== 'fanout' ? 0 : 3); round++) {
    const ours = await startOurs();
    const base = await startBaseline();
    const [ro, rb] = await Promise.all([fanout(ours.url, ours.child.pid), fanout(base.url, base.child.pid)]);
    oursDropped += ro.dropped;
    await Promise.all([stopChild(ours.child), stopChild(base.child)]);
    runs.ours.push(ro);
    runs.base.push(rb);
    for (const [which, r] of [['ours', ro], ['base', rb]]) {
      console.error(`fan-out ${which} round ${round + 1}: ${fmt(r.perSecond)} msg/s, p99 ${fmt(r.p99, 1)} ms, ${fmt(r.cpuMicrosPerMessage, 2)} µs CPU/msg`);
    }
  }
  // The round with the median throughput ratio, both sides from that same round.
  const order = runs.ours.map((r, i) => i).sort((a, b) => runs.ours[a].perSecond / runs.base[a].perSecond - runs.ours[b].perSecond / runs.base[b].perSecond);
  const mid = order[1];
  const fan = { ours: runs.ours[mid], base: runs.base[mid] };
  if (fan.ours) rows.push(['Publish fan-out, 50 rooms × 10 clients (delivered msg/s, higher is better)', fmt(fan.ours.perSecond), fmt(fan.base.perSecond), (fan.ours.perSecond / fan.base.perSecond).toFixed(2)]);
  const cpuMedian = (list) => [...list].map((r) => r.cpuMicrosPerMessage).sort((a, b) => a - b)[1];
  if (fan.ours) rows.push(['Fan-out server CPU per delivered message (µs, median of 3, lower is better)', fmt(cpuMedian(runs.ours), 2), fmt(cpuMedian(runs.base), 2), (cpuMedian(runs.base) / cpuMedian(runs.ours)).toFixed(2)]);
  const roundRatios = runs.ours.map((r, i) => (r.perSecond / runs.base[i].perSecond).toFixed(2)).join(', ');
  if (fan.ours) rows.push(['Fan-out delivery latency p50 / p99 (ms, lower is better)', `${fmt(fan.ours.p50, 1)} / ${fmt(fan.ours.p99, 1)}`, `${fmt(fan.base.p50, 1)} / ${fmt(fan.base.p99, 1)}`, (fan.base.p99 / fan.ours.p99).toFixed(2)]);

  // 2. Idle connections.
  const oursIdle = await startOurs();
  const idleOurs = await idleConnections(oursIdle);
  await stopChild(oursIdle.child);
  const baseIdle = await startBaseline();
  const idleBase = await idleConnections(baseIdle);
  await stopChild(baseIdle.child);
  console.error(`idle: ours ${idleOurs.open} open, ${fmt(idleOurs.perConnection)} B/conn; baseline ${idleBase.open} open, ${fmt(idleBase.perConnection)} B/conn`);
  rows.push([`Memory per idle connection, ${fmt(IDLE_CONNECTIONS)} held (RSS bytes, lower is better)`, fmt(idleOurs.perConnection), fmt(idleBase.perConnection), (idleBase.perConnection / idleOurs.perConnection).toFixed(2)]);
  rows.push([`Connections held open (of ${fmt(IDLE_CONNECTIONS)})`, fmt(idleOurs.open), fmt(idleBase.open), '']);

  // 3. GLB downloads.
  const dataDir = mkdtempSync(join(tmpdir(), 'ss-bench-glb-'));
  mkdirSync(join(dataDir, 'rooms', 'bench'), { recursive: true });
  const glbPath = join(dataDir, 'rooms', 'bench', 'big.glb');
  writeFileSync(glbPath, makeGlb(GLB_BYTES));
  let oursMiB = 0;
  let plainMiB = 0;
  for (let round = 0; round < 2; round++) {
    const port = await freePort();
    const ours = await startChild([BIN, '--port', String(port), '--data-dir', dataDir], /listening on/);
    oursMiB = Math.max(oursMiB, await downloads(`http://127.0.0.1:${port}/rooms/bench/snapshots/big.glb`));
    await stopChild(ours);
    const plain = await startStaticBaseline(glbPath);
    plainMiB = Math.max(plainMiB, await downloads(plain.url));
    await stopChild(plain.child);
  }
  console.error(`downloads: ours ${fmt(oursMiB)} MiB/s, plain ${fmt(plainMiB)} MiB/s`);
  rows.push([`GLB download throughput, ${GLB_BYTES / 2 ** 20} MiB file, 4 parallel clients (MiB/s)`, fmt(oursMiB), fmt(plainMiB), (oursMiB / plainMiB).toFixed(2)]);

  const seconds = (performance.now() - started) / 1000;
  const md = [
    '## @scenesync/server',
    '',
    'Command: `npm run build -w @scenesync/server && npm run bench -w @scenesync/server -- --write`',
    '',
    `Machine: ${cpus().length} cores (${cpus()[0]?.model.trim()}), ${fmt(totalmem() / 2 ** 30, 0)} GiB RAM, Node ${process.version}; loopback only; load generator in the same machine as the server. Run took ${fmt(seconds)} s on ${new Date().toISOString().slice(0, 10)}; load average at start ${loadAtStart.toFixed(1)} (other sessions' builds and tests share the machine, so absolute figures are noisy).`,
    '',
    '| Benchmark | scenesync-server | Baseline | Ratio (ours vs baseline, >1 = better) |',
    '| --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    '',
    'Baselines: y-webrtc 10.3 `bin/server.js` for signalling (started as a child process on another loopback port), a plain `node:http` + `fs.createReadStream` static server for downloads.',
    `Our server runs with its default limits (frame size, topics per connection, 200 msg/s per connection with a burst of 1,000, backpressure, room membership check for publish); the fan-out load stays under the per-connection rate: ${oursDropped === 0 ? 'no message was dropped' : `${oursDropped} messages were dropped`} by the safety checks in our runs.`,
    `Fan-out throughput ratio of each round: ${roundRatios} (the table shows the median round). Server CPU per delivered message is read from /proc/<pid>/stat over the measured window.`,
    'Fan-out: both servers measured at the same time (same background load), each with 500 clients in the bench process; closed loop, each client keeps 2 of its own publishes in flight (~230-byte messages); 1 s warm-up, then 6 s measured; three rounds. Latency is from the publisher\'s send to each receiver\'s receipt.',
    'Downloads: best of two interleaved rounds each; our GLB route reads the file in 256 KiB chunks, the baseline uses Node's default 64 KiB, which accounts for most of the difference; the client (fetch, 4 parallel) runs in the bench process. Idle connections: RSS growth of the server process divided by the number of connections, each subscribed to one of 500 rooms.',
    '',
  ].join('\n');
  console.log(md);
  if (process.argv.includes('--write')) {
    const docDir = join(repoRoot, 'docs/benchmarks');
    mkdirSync(docDir, { recursive: true });
    writeFileSync(join(docDir, 'server.md'), md);
    console.error(`wrote ${join(docDir, 'server.md')}`);
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
