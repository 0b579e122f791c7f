/**
 * `NetNamespace`: a private network namespace for one test run, so the server, the Node peer and
 * Chromium talk over interfaces no other process can see or reach.
 *
 * Inside: loopback, plus one veth pair (both ends inside) with a default route over it. Chromium
 * gathers WebRTC host candidates only from the interface of its default route and never from
 * loopback, so the pair gives it an address (10.77.0.1) that still leads nowhere outside.
 */
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function run(args: string[]): void {
  const result = spawnSync(args[0]!, args.slice(1), { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed: ${result.stderr || result.error?.message}`);
}

/** A network namespace held open by a sleeping process; see the module comment. */
export class NetNamespace {
  private constructor(private readonly holder: ChildProcess) {}

  /** The namespace holder's pid (`nsenter -t <pid> -n`). */
  get pid(): number {
    return this.holder.pid!;
  }

  /** Creates the namespace and its interfaces. */
  static async create(): Promise<NetNamespace> {
    const holder = spawn('unshare', ['-n', 'sleep', '1000000'], { stdio: 'ignore' });
    await new Promise<void>((resolve, reject) => {
      holder.once('spawn', () => resolve());
      holder.once('error', reject);
    });
    const ns = new NetNamespace(holder);
    // unshare needs a moment to enter the new namespace before exec'ing sleep.
    for (let i = 0; i < 50; i++) {
      const own = spawnSync('readlink', [`/proc/${holder.pid}/ns/net`], { encoding: 'utf8' }).stdout.trim();
      const mine = spawnSync('readlink', ['/proc/self/ns/net'], { encoding: 'utf8' }).stdout.trim();
      if (own && own !== mine) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const n = ['nsenter', '-t', String(holder.pid), '-n'];
    run([...n, 'ip', 'link', 'set', 'lo', 'up']);
    run([...n, 'ip', 'link', 'add', 'ssv0', 'type', 'veth', 'peer', 'name', 'ssv1']);
    run([...n, 'ip', 'addr', 'add', '10.77.0.1/24', 'dev', 'ssv0']);
    run([...n, 'ip', 'addr', 'add', '10.77.0.2/24', 'dev', 'ssv1']);
    run([...n, 'ip', 'link', 'set', 'ssv0', 'up']);
    run([...n, 'ip', 'link', 'set', 'ssv1', 'up']);
    run([...n, 'ip', 'route', 'add', 'default', 'via', '10.77.0.2', 'dev', 'ssv0']);
    return ns;
  }

  /** Starts `command` inside the namespace. */
  spawn(command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
    return spawn('nsenter', ['-t', String(this.pid), '-n', command, ...args], options);
  }

  /** Writes an executable that runs `binary` inside the namespace (for playwright's executablePath). */
  wrapper(dir: string, binary: string): string {
    const path = join(dir, 'in-netns.sh');
    writeFileSync(path, `#!/bin/sh\nexec nsenter -t ${this.pid} -n ${binary} "$@"\n`);
    chmodSync(path, 0o755);
    return path;
  }

  /** Ends the namespace (its interfaces go with it). */
  close(): void {
    this.holder.kill('SIGKILL');
  }
}
