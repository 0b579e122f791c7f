/**
 * Test-side handles of the processes an e2e test runs inside a network namespace it makes itself
 * (`unshare -n sleep` as the holder, `nsenter -t PID -n` for everything else, only loopback up).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { BRIDGE_DIR, GODOT } from '../helpers/godot.js';

const REPO = join(BRIDGE_DIR, '..');

/** Kills a child we started (by its pid) and waits for it to exit. */
export function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => (clearTimeout(timer), resolve()));
    child.kill(signal);
  });
}

/** A network namespace with only loopback, alive while its holder process runs. */
export class NetNs {
  private constructor(readonly holder: ChildProcess) {}

  get pid(): number {
    return this.holder.pid!;
  }

  static async create(): Promise<NetNs> {
    const holder = spawn('unshare', ['-n', 'sleep', '1000000'], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 100));
    const ns = new NetNs(holder);
    const up = spawnSync('nsenter', ['-t', String(ns.pid), '-n', 'ip', 'link', 'set', 'lo', 'up']);
    if (up.status !== 0) throw new Error(`ip link set lo up failed: ${up.stderr.toString()}`);
    return ns;
  }

  /** Starts `cmd args` inside the namespace. */
  spawn(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
    return spawn('nsenter', ['-t', String(this.pid), '-n', cmd, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
      cwd: BRIDGE_DIR,
    });
  }

  close(): Promise<void> {
    return stopChild(this.holder, 'SIGKILL');
  }
}

/** The helper process (fixtures/agent.ts) inside the namespace. */
export class Agent {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  stderr = '';

  private constructor(readonly child: ChildProcess) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let msg: { id: number; ok: boolean; result?: unknown; error?: string };
      try {
        msg = JSON.parse(line);
      } catch {
        return;
      }
      const w = this.waiting.get(msg.id);
      this.waiting.delete(msg.id);
      if (msg.ok) w?.resolve(msg.result);
      else w?.reject(new Error(msg.error));
    });
    child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
  }

  static start(ns: NetNs): Agent {
    return new Agent(ns.spawn(process.execPath, ['--import', 'tsx', join(BRIDGE_DIR, 'test/e2e/fixtures/agent.ts')]));
  }

  call<T = any>(cmd: string, args: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.child.stdin!.write(`${JSON.stringify({ id, cmd, ...args })}\n`);
    });
  }

  /** Sends a command to the Godot test driver named `name`. */
  godot<T = any>(name: string, body: Record<string, unknown>): Promise<T> {
    return this.call<T>('godot', { name, body });
  }

  stop(): Promise<void> {
    this.child.stdin!.end();
    return stopChild(this.child);
  }
}

/** y-webrtc's reference signalling server inside the namespace. */
export async function startSignaling(ns: NetNs, agent: Agent, port: number): Promise<{ url: string; child: ChildProcess }> {
  const child = ns.spawn(process.execPath, [join(REPO, 'node_modules/y-webrtc/bin/server.js')], { PORT: String(port) });
  await agent.call('wait_port', { port });
  return { url: `ws://127.0.0.1:${port}`, child };
}

/** A running `scenesync-bridge` sidecar. */
export interface SidecarProcess {
  port: number;
  token: string;
  child: ChildProcess;
  log: () => string;
}

/** Starts the built sidecar (dist/bin/scenesync-bridge.js) inside the namespace; resolves on its ready line. */
export function startSidecarProcess(ns: NetNs, args: string[]): Promise<SidecarProcess> {
  const child = ns.spawn(process.execPath, [join(BRIDGE_DIR, 'dist/bin/scenesync-bridge.js'), ...args]);
  let log = '';
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', (line) => {
      const ready = JSON.parse(line) as { port: number; token: string };
      resolve({ port: ready.port, token: ready.token, child, log: () => log });
    });
    child.once('exit', (code) => reject(new Error(`sidecar exited (${code}) before it was ready:\n${log}`)));
  });
}

/** Starts Godot (the test project's driver scene) inside the namespace. */
export function startGodot(ns: NetNs, project: string, userArgs: string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; log: () => string } {
  const child = ns.spawn(GODOT, ['--path', project, '--', ...userArgs], env);
  let log = '';
  child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  return { child, log: () => log };
}

/** Polls `check` until it returns true; throws with `describe()` after `timeoutMs`. */
export async function eventually(check: () => Promise<boolean>, describe: () => Promise<string> | string, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > until) throw new Error(`condition not reached in ${timeoutMs} ms: ${await describe()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
