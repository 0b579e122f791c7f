import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readlinkSync } from 'node:fs';

/**
 * A network namespace of our own with only loopback up: `unshare -n sleep` holds it, and every
 * process of a test runs inside with `nsenter -t <holder> -n`. Nothing here can reach a real
 * network, and ports never clash with the host.
 */
export class NetNamespace {
  private constructor(private readonly holder: ChildProcess) {}

  /** PID of the process holding the namespace. */
  get pid(): number {
    return this.holder.pid!;
  }

  /** Creates the namespace and brings `lo` up. */
  static async create(): Promise<NetNamespace> {
    const holder = spawn('unshare', ['-n', 'sleep', '1000000'], { stdio: 'ignore' });
    const own = readlinkSync('/proc/self/ns/net');
    // unshare execs sleep after unsharing: wait until the holder really sits in a new namespace,
    // or nsenter would join the host's.
    for (let i = 0; ; i++) {
      try {
        if (holder.pid && readlinkSync(`/proc/${holder.pid}/ns/net`) !== own) break;
      } catch {
        // /proc entry not there yet
      }
      if (i > 200) throw new Error('unshare -n did not create a network namespace (are we root?)');
      await new Promise((r) => setTimeout(r, 10));
    }
    const ns = new NetNamespace(holder);
    const up = spawnSync('nsenter', ['-t', String(holder.pid), '-n', 'ip', 'link', 'set', 'lo', 'up']);
    if (up.status !== 0) throw new Error(`ip link set lo up failed: ${up.stderr.toString()}`);
    return ns;
  }

  /** Spawns `command args` inside the namespace (nsenter execs it, so the PID is the command's). */
  spawn(command: string, args: string[], options: SpawnOptions = {}): ChildProcess {
    return spawn('nsenter', ['-t', String(this.pid), '-n', command, ...args], options);
  }

  /** Runs a short Node script inside the namespace and returns its stdout. */
  async runNode(script: string): Promise<string> {
    const child = this.spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (err += d));
    const code = await new Promise<number | null>((r) => child.on('close', r));
    if (code !== 0) throw new Error(`node in namespace exited ${code}: ${err}`);
    return out;
  }

  /** Kills the holder; the namespace disappears with its last process. */
  close(): void {
    this.holder.kill('SIGKILL');
  }
}
