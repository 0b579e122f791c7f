/**
 * Stress run for the first WebRTC connection of a room (not part of the test suite).
 *
 * Repeatedly forms rooms of 2–4 peer processes (stress/stress-peer.ts) against the real signalling
 * server (test/e2e/peer-process.ts's startSignalingServer) inside a namespace this script makes
 * (test-support/netns.ts: loopback only, or `--star` for the TUN/bridge star network the faults test
 * uses), optionally under CPU load (busy-loop processes), and counts rooms whose full mesh is not up
 * within `--deadline` ms. For each failure it prints every peer's per-connection state (who initiated,
 * ICE / signalling state, offers, answers and candidates sent and received) and keeps watching up to
 * `--grace` ms more to see whether and when the room recovers by itself.
 *
 * Run from /work/main:
 *   node --import tsx packages/webrtc/stress/first-connect.ts --attempts 200 --load 2 [--star] [--seed 1]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createNamespace, createStarNetwork, type NetNamespace } from '../../../test-support/netns.js';
import { startSignalingServer } from '../test/e2e/peer-process.js';

const arg = (name: string, dflt: string) => { const i = process.argv.indexOf(`--${name}`); return i >= 0 ? process.argv[i + 1]! : dflt; };
const flag = (name: string) => process.argv.includes(`--${name}`);
const ATTEMPTS = Number(arg('attempts', '200'));
const LOAD = Number(arg('load', '2'));
const DEADLINE = Number(arg('deadline', '10000'));
const GRACE = Number(arg('grace', '30000'));
const RECYCLE = Number(arg('recycle', '5'));
const MAX_MINUTES = Number(arg('minutes', '9'));
const OPTIONS = JSON.parse(arg('options', '{}'));
let seed = Number(arg('seed', String(Date.now() % 100000)));
const STAR = flag('star');
const PEER = fileURLToPath(new URL('./stress-peer.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../../../', import.meta.url));

let stacksTaken = 0;
let crashes = 0;
function rand(): number { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; }

class Peer {
  private nextId = 1;
  private readonly pending = new Map<number, (v: any) => void>();
  readonly ready: Promise<void>;
  stderr = '';
  constructor(readonly child: ChildProcess) {
    let readyResolve!: () => void;
    this.ready = new Promise((r) => { readyResolve = r; });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = JSON.parse(line);
      if (m.event === 'ready') { readyResolve(); return; }
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      p?.(m.ok ? m.result : { error: m.error });
    });
    child.stderr!.on('data', (d) => { this.stderr = (this.stderr + String(d)).slice(-4000); });
    child.once('exit', (code, signal) => { if (!this.killed) { this.broken = true; crashes++; } if (!this.killed) console.log(`  peer process exited: code ${code} signal ${signal}; stderr ${this.stderr.slice(-1500)}`); });
  }
  call(cmd: string, args: Record<string, unknown> = {}): Promise<any> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        this.broken = true;
        console.log(`  (${cmd} timed out; exit ${this.child.exitCode}; stderr ${this.stderr.slice(-500)})`);
        if (stacksTaken++ < 2 && this.child.exitCode === null) {
          // Where is a hung peer process stuck? (node pid = the exec'd setpriv/nsenter chain's pid)
          const out = `/tmp/stress-hang-${this.child.pid}.txt`;
          spawn('sh', ['-c', `timeout 60 gdb -p ${this.child.pid} -batch -ex 'thread apply all bt 12' > ${out} 2>&1`], { stdio: 'ignore' });
          console.log(`  (stack of the hung process: ${out})`);
        }
        resolve({ error: 'timeout', connected: -1, remotes: {} });
      }, 20_000);
      this.pending.set(id, (v) => { clearTimeout(timer); resolve(v); });
      this.child.stdin!.write(JSON.stringify({ id, cmd, ...args }) + '\n');
    });
  }
  killed = false;
  broken = false;
  kill(): Promise<void> {
    this.killed = true;
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    return new Promise((r) => { this.child.once('exit', () => r()); this.child.kill('SIGKILL'); });
  }
}

async function main(): Promise<void> {
  const startSeed = seed;
  const loaders: ChildProcess[] = [];
  for (let i = 0; i < LOAD; i++) loaders.push(spawn('setpriv', ['--pdeathsig', 'SIGKILL', '--', process.execPath, '-e', 'for(;;){}'], { stdio: 'ignore' }));
  let nsList: NetNamespace[];
  let serverNs: NetNamespace;
  let host: string;
  let close: () => Promise<void>;
  if (STAR) {
    const net = await createStarNetwork(4);
    nsList = net.peers; serverNs = net.hub; host = net.hubAddress; close = () => net.close();
  } else {
    const ns = await createNamespace();
    nsList = [ns, ns, ns, ns]; serverNs = ns; host = '127.0.0.1'; close = () => ns.close();
  }
  const server = await startSignalingServer(serverNs, host, 4490);
  console.log(`seed ${startSeed}; ${ATTEMPTS} attempts; load ${LOAD}; deadline ${DEADLINE} ms; ${STAR ? 'star network' : 'loopback'}; server ${server.kind}; options ${JSON.stringify(OPTIONS)}`);
  const metrics = async () => (await serverNs.exec(process.execPath, ['-e', `fetch('http://${host}:4490/metrics').then(r=>r.text()).then(t=>console.log(t.split('\\n').filter(l=>l.includes('dropped')&&!l.startsWith('#')).join(' ')))`]).catch(() => '')).trim();
  let peers: Peer[] = [];
  const startPeers = async () => {
    await Promise.all(peers.map((p) => p.kill()));
    peers = nsList.map((ns) => new Peer(ns.spawn(process.execPath, ['--import', 'tsx', PEER], { stdio: ['pipe', 'pipe', 'pipe'], cwd: REPO })));
    await Promise.all(peers.map((p) => p.ready));
  };
  const began = Date.now();
  let failures = 0, late = 0, never = 0, done = 0, invalid = 0;
  const times: number[] = [];
  for (let a = 0; a < ATTEMPTS; a++) {
    if (Date.now() - began > MAX_MINUTES * 60_000) { console.log(`stopping after ${MAX_MINUTES} minutes`); break; }
    if (a % RECYCLE === 0 || peers.some((p) => p.broken)) {
      if (peers.some((p) => p.broken)) { invalid++; console.log(`  (recycling peer processes after a crash or hang)`); }
      await startPeers();
    }
    const n = 2 + Math.floor(rand() * 3);
    const inRoom = peers.slice(0, n);
    const room = `stress-${startSeed}-${a}`;
    const t0 = Date.now();
    // Joins at once (announcements cross) or staggered by up to 300 ms, seeded.
    const stagger = rand() < 0.5 ? 0 : 300;
    await Promise.all(inRoom.map(async (p, i) => {
      await new Promise((r) => setTimeout(r, Math.floor(rand() * stagger) * (i > 0 ? 1 : 0)));
      const r = await p.call('join', { room, signaling: [server.url], options: OPTIONS });
      if (r?.error) console.log(`  join failed: ${r.error}`);
    }));
    let ok = false;
    let diags: any[] = [];
    while (Date.now() - t0 < DEADLINE) {
      diags = await Promise.all(inRoom.map((p) => p.call('diag')));
      if (diags.every((d) => d.connected >= n - 1)) { ok = true; break; }
      await new Promise((r) => setTimeout(r, 100));
    }
    if (!ok && inRoom.some((p) => p.broken)) {
      // A peer process crashed or hung (not a connection failure): not counted as a room.
      console.log(`  attempt ${a}: a peer process crashed or hung; not counted`);
      await Promise.all(inRoom.map((p) => p.call('leave')));
      continue;
    }
    done++;
    if (ok) {
      times.push(Date.now() - t0);
    } else {
      failures++;
      console.log(`\nFAIL attempt ${a} room ${room} n=${n} stagger=${stagger} at ${DEADLINE} ms; server drops: ${await metrics()}`);
      for (const [i, d] of diags.entries()) console.log(`  peer ${i} ${d.peerId?.slice(0, 8)} connected=${d.connected} sig=${JSON.stringify(d.signalingConnected)}\n${Object.entries(d.remotes).map(([id, r]: [string, any]) => `    -> ${id.slice(0, 8)} ${JSON.stringify(r)}`).join('\n')}`);
      let recovered = -1;
      while (Date.now() - t0 < DEADLINE + GRACE) {
        const ds = await Promise.all(inRoom.map((p) => p.call('diag')));
        if (ds.every((d) => d.connected >= n - 1)) { recovered = Date.now() - t0; diags = ds; break; }
        await new Promise((r) => setTimeout(r, 200));
      }
      if (recovered >= 0) {
        late++;
        console.log(`  recovered by itself after ${recovered} ms; connection objects per remote: ${diags.map((d) => Object.values(d.remotes).map((r: any) => `${r.connObjects}${JSON.stringify(r.initiators)}`).join(',')).join(' | ')}`);
      } else {
        never++;
        console.log(`  NOT recovered after ${DEADLINE + GRACE} ms`);
        const ds = await Promise.all(inRoom.map((p) => p.call('diag')));
        for (const [i, d] of ds.entries()) console.log(`  peer ${i} connected=${d.connected}\n${Object.entries(d.remotes).map(([id, r]: [string, any]) => `    -> ${id.slice(0, 8)} ${JSON.stringify(r)}`).join('\n')}`);
      }
    }
    await Promise.all(inRoom.map((p) => p.call('leave')));
    process.stdout.write(ok ? '.' : 'F');
    if (a % 20 === 19) process.stdout.write(`[${a + 1} attempts, ${failures} failed, ${((Date.now() - began) / 1000).toFixed(0)} s] `);
  }
  times.sort((x, y) => x - y);
  const q = (f: number) => times[Math.min(times.length - 1, Math.floor(times.length * f))];
  console.log(`\nRESULT seed ${startSeed}: ${done} rooms, ${failures} not connected within ${DEADLINE} ms (${late} recovered later, ${never} never within ${DEADLINE + GRACE} ms); ` +
    `connect time median ${q(0.5)} ms, p95 ${q(0.95)} ms, max ${times[times.length - 1]} ms; server drops: ${await metrics()}; peer process crashes ${crashes}, recycles after crash/hang ${invalid}; ${((Date.now() - began) / 1000).toFixed(0)} s`);
  await Promise.all(peers.map((p) => p.kill()));
  await server.stop();
  await close();
  for (const l of loaders) l.kill('SIGKILL');
}

main().catch((e) => { console.error(e); process.exit(1); });
