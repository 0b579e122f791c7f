/**
 * Test-side handle of a peer process (fixtures/peer.ts) and of a signalling server, both spawned inside
 * a network namespace from /work/main/test-support/netns.ts.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { NetNamespace } from '../../../../test-support/netns.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/peer.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
const SCENESYNC_SERVER_DIST = `${REPO}packages/server/dist/index.js`;
const YWEBRTC_SERVER = `${REPO}node_modules/y-webrtc/bin/server.js`;

/** One peer process; `call` sends a command and resolves with its result. */
export class PeerProcess {
  readonly events: Array<Record<string, any>> = [];
  readonly stderr: string[] = [];
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  private readyResolve!: (v: Record<string, any>) => void;
  /** Resolves with the `ready` event (clientId, restoredNodes). */
  readonly ready: Promise<Record<string, any>> = new Promise((r) => { this.readyResolve = r; });
  readonly exited: Promise<number | null>;

  constructor(readonly name: string, readonly child: ChildProcess) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let msg: Record<string, any>;
      try { msg = JSON.parse(line); } catch { this.stderr.push(`stdout: ${line}`); return; }
      if (msg.event === 'ready') this.readyResolve(msg);
      if (msg.event) { this.events.push(msg); return; }
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.result); else p.reject(new Error(`${name}: ${msg.error}`));
    });
    child.stderr!.on('data', (d) => { this.stderr.push(String(d)); if (this.stderr.length > 200) this.stderr.shift(); });
    this.exited = new Promise((resolve) => child.once('exit', (code) => {
      for (const p of this.pending.values()) p.reject(new Error(`${name} exited (${code}); stderr: ${this.stderr.join('').slice(-2000)}`));
      this.pending.clear();
      resolve(code);
    }));
  }

  /** Spawn `fixtures/peer.ts` in `ns`. */
  static start(ns: NetNamespace, name: string, options: { log?: string } = {}): PeerProcess {
    const args = ['--import', 'tsx', FIXTURE, ...(options.log ? ['--log', options.log] : [])];
    const child = ns.spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'], cwd: REPO });
    return new PeerProcess(name, child);
  }

  /** Send one command; rejects on an error answer or when the process dies. */
  call<T = any>(cmd: string, args: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.stdin!.write(JSON.stringify({ id, cmd, ...args }) + '\n');
    });
  }

  /** Kill with SIGKILL (no goodbye to anyone) and wait for the exit. */
  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** Ask the process to leave the room and exit. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    // A peer busy with a long command answers late: give each step a bounded wait, then SIGKILL.
    const bounded = (p: Promise<unknown>) => Promise.race([p.catch(() => {}), new Promise((r) => setTimeout(r, 2000))]);
    await bounded(this.call('leave'));
    await bounded(this.call('exit'));
    await bounded(this.exited);
    if (this.child.exitCode === null && this.child.signalCode === null) await this.kill();
  }

  /** Events of a kind received so far. */
  eventsOf(kind: string): Array<Record<string, any>> {
    return this.events.filter((e) => e.event === kind);
  }
}

/** A signalling server process: `@scenesync/server` when its dist is built and starts, else y-webrtc's. */
export interface SignalingServer {
  readonly url: string;
  readonly kind: '@scenesync/server' | 'y-webrtc bin/server.js';
  stop(): Promise<void>;
}

/** Start a signalling server in `ns` on `host:port` and wait until it accepts connections. */
export async function startSignalingServer(ns: NetNamespace, host: string, port: number): Promise<SignalingServer> {
  if (existsSync(SCENESYNC_SERVER_DIST)) {
    const script = `import(${JSON.stringify(SCENESYNC_SERVER_DIST)}).then(async (m) => { const s = m.createServer({ port: ${port}, host: ${JSON.stringify(host)} }); await s.listen(); console.log('listening'); })`;
    const child = ns.spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'], cwd: REPO });
    if (await waitForListening(ns, child, host, port)) {
      return { url: `ws://${host}:${port}`, kind: '@scenesync/server', stop: () => stopChild(child) };
    }
    await stopChild(child);
  }
  const child = ns.spawn(process.execPath, [YWEBRTC_SERVER], { stdio: ['ignore', 'pipe', 'pipe'], cwd: REPO, env: { ...process.env, PORT: String(port), HOST: host } });
  if (!(await waitForListening(ns, child, host, port))) throw new Error('y-webrtc signalling server did not start');
  return { url: `ws://${host}:${port}`, kind: 'y-webrtc bin/server.js', stop: () => stopChild(child) };
}

async function waitForListening(ns: NetNamespace, child: ChildProcess, host: string, port: number): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) return false;
    const out = await ns.exec('ss', ['-ltnH']).catch(() => '');
    if (out.split('\n').some((l) => l.includes(`:${port} `))) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => { child.once('exit', () => resolve()); child.kill('SIGKILL'); });
}

/**
 * Poll every peer's tree hash until all are equal; returns the ms from `since` (default: now) until
 * equal. Throws after `timeoutMs` with the differing hashes.
 */
export async function waitForConvergence(peers: PeerProcess[], timeoutMs = 60_000, pollMs = 100, since?: number): Promise<number> {
  const start = performance.now();
  let hashes: string[] = [];
  while (performance.now() - start < timeoutMs) {
    hashes = await Promise.all(peers.map((p) => p.call<{ hash: string }>('tree').then((t) => t.hash)));
    if (hashes.every((h) => h === hashes[0])) return performance.now() - (since ?? start);
    await new Promise((r) => setTimeout(r, pollMs));
  }
  const states = await Promise.all(peers.map((p) => p.call('state').catch(() => ({}))));
  throw new Error(`no convergence after ${timeoutMs} ms: ${peers.map((p, i) => `${p.name}=${hashes[i]?.slice(0, 8)} (peers ${states[i]?.peers})`).join(' ')}`);
}

/** Wait until `check()` returns true (polling), or throw `message` after `timeoutMs`. */
export async function waitUntil(check: () => Promise<boolean> | boolean, message: string, timeoutMs = 30_000, pollMs = 100): Promise<void> {
  const start = performance.now();
  while (performance.now() - start < timeoutMs) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, pollMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms: ${message}`);
}
