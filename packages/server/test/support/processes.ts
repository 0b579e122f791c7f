import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { NetNamespace } from './netns.js';

/** The built CLI (tests of real processes run what users run). */
export const BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));
/** The y-webrtc peer script. */
export const PEER = fileURLToPath(new URL('./peer.mjs', import.meta.url));

/** A child process whose output lines we can wait on. */
export class ChildHandle {
  output = '';
  private waiters: { re: RegExp; resolve: (m: RegExpMatchArray) => void; reject: (e: Error) => void }[] = [];
  readonly exited: Promise<number | null>;

  constructor(readonly proc: ChildProcess, readonly label: string) {
    const onData = (d: Buffer) => {
      this.output += d.toString();
      for (const w of [...this.waiters]) {
        const m = this.output.match(w.re);
        if (m) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(m);
        }
      }
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onData);
    this.exited = new Promise((r) => proc.on('exit', (code) => r(code)));
    // A process that dies fails every pending wait at once instead of after its timeout.
    void this.exited.then((code) => {
      for (const w of this.waiters.splice(0)) w.reject(new Error(`${this.label} exited (${code}) before ${w.re}; output:\n${this.output}`));
    });
  }

  /** Resolves with the first match of `re` in the output so far or to come. */
  waitFor(re: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> {
    const m = this.output.match(re);
    if (m) return Promise.resolve(m);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.label}: no ${re} within ${timeoutMs} ms; output:\n${this.output}`)), timeoutMs);
      this.waiters.push({ re, resolve: (mm) => (clearTimeout(timer), resolve(mm)), reject: (e) => (clearTimeout(timer), reject(e)) });
    });
  }

  /** Sends a line to stdin. */
  send(line: string): void {
    this.proc.stdin?.write(line + '\n');
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code. */
  async stop(graceMs = 5000): Promise<number | null> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return this.proc.exitCode;
    this.proc.kill('SIGTERM');
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), graceMs);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }
}

/** Starts the CLI (optionally inside `ns`) with `--port 0` and resolves once it listens. */
export async function startCli(args: string[], ns?: NetNamespace, env: NodeJS.ProcessEnv = {}): Promise<{ handle: ChildHandle; port: number }> {
  const argv = [BIN, '--port', '0', ...args];
  const opts = { stdio: ['pipe', 'pipe', 'pipe'] as ('pipe')[], env: { ...withoutScenesyncEnv(process.env), ...env } };
  const proc = ns ? ns.spawn(process.execPath, argv, opts) : spawn(process.execPath, argv, opts);
  const handle = new ChildHandle(proc, 'scenesync-server');
  const m = await handle.waitFor(/listening on http:\/\/[^:]+:(\d+)/);
  return { handle, port: Number(m[1]) };
}

/** Starts a y-webrtc peer inside `ns` (see peer.mjs for its line protocol). */
export function startPeer(ns: NetNamespace, signalingUrl: string, room: string, name: string): ChildHandle {
  const proc = ns.spawn(process.execPath, [PEER, signalingUrl, room, name], { stdio: ['pipe', 'pipe', 'pipe'] });
  return new ChildHandle(proc, `peer ${name}`);
}

/**
 * Starts y-webrtc peers one after another, each once the previous one has joined its signalling
 * server: peers that announce at the same moment both open a connection to each other, and plain
 * y-webrtc sometimes leaves that pair of half-connections dead for good (offer glare, see
 * docs/stream-protocol.md A-4; @scenesync/webrtc avoids it, these tests use y-webrtc as it is).
 */
export async function startPeersInTurn(ns: NetNamespace, specs: ReadonlyArray<{ url: string; room: string; name: string }>): Promise<ChildHandle[]> {
  const peers: ChildHandle[] = [];
  for (const { url, room, name } of specs) {
    const peer = startPeer(ns, url, room, name);
    peers.push(peer);
    await peer.waitFor(/signalling connected/, 15_000);
    // Its announce reaches the others (through Redis too) before the next peer announces.
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  return peers;
}

/** The parent's environment without SCENESYNC_* variables, so a developer's shell cannot change a test. */
function withoutScenesyncEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('SCENESYNC_')));
}
