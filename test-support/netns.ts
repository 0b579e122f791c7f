/**
 * Network namespaces for tests that run real processes over a real network without touching the host's
 * interfaces (team rule: loopback or namespaces the test makes itself, nothing else).
 *
 * - {@link createNamespace}: one namespace with only loopback up (`unshare -n sleep …` holds it;
 *   `nsenter -t PID -n` runs commands inside).
 * - {@link createStarNetwork}: a hub namespace with a bridge (10.77.0.1/24) and one namespace per peer
 *   joined to it by a veth pair (10.77.0.(10+i)/24), with `tc netem` shaping and partitions by
 *   blackhole routes. Addresses exist only inside these namespaces.
 *
 * Everything is torn down by `close()`: spawned processes are killed, then the holders, which takes
 * the namespaces, veths and bridge with them. Requires root, `unshare`, `nsenter`, `ip`, `tc`.
 */
import { execFile, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A network namespace held open by a sleeping process. */
export interface NetNamespace {
  /** PID of the holder process (`nsenter -t pid -n` enters the namespace). */
  readonly pid: number;
  /** Run a command inside the namespace and return its stdout. Throws with stderr on failure. */
  exec(command: string, args: string[]): Promise<string>;
  /** Spawn a long-running process inside the namespace; it is killed by `close()`. */
  spawn(command: string, args: string[], options?: SpawnOptions): ChildProcess;
  /** Kill every process spawned in it, then the holder (the namespace disappears). */
  close(): Promise<void>;
}

/** Create a namespace with only `lo` (127.0.0.1) up. */
export async function createNamespace(): Promise<NetNamespace> {
  // setpriv --pdeathsig: the holder dies with the test process even when a hook times out or the
  // worker is killed, so no namespace outlives its test. (setpriv → unshare → sleep is one exec chain.)
  const holder = spawn('setpriv', ['--pdeathsig', 'SIGKILL', '--', 'unshare', '-n', 'sleep', '1000000'], { stdio: 'ignore' });
  const pid = holder.pid;
  if (pid === undefined) throw new Error('could not start `unshare -n sleep`; are we root with util-linux installed?');
  const children = new Set<ChildProcess>();
  const ns: NetNamespace = {
    pid,
    async exec(command, args) {
      try {
        const { stdout } = await run('nsenter', ['-t', String(pid), '-n', '--', command, ...args]);
        return stdout;
      } catch (e) {
        const err = e as { stderr?: string; message: string };
        throw new Error(`in namespace ${pid}: ${command} ${args.join(' ')} failed: ${err.stderr ?? err.message}`);
      }
    },
    spawn(command, args, options = {}) {
      // Same exec chain trick as the holder: the process dies with the test process.
      const child = spawn('setpriv', ['--pdeathsig', 'SIGKILL', '--', 'nsenter', '-t', String(pid), '-n', '--', command, ...args], options);
      children.add(child);
      child.once('exit', () => children.delete(child));
      return child;
    },
    async close() {
      await Promise.all([...children].map((c) => killAndWait(c)));
      await killAndWait(holder);
    },
  };
  // Until setpriv and unshare have exec'd, the PID is still in our own namespace: entering it then would
  // configure the host. Wait until its network namespace differs from ours.
  const own = readlinkSync('/proc/self/ns/net');
  for (let i = 0; ; i++) {
    let theirs: string | undefined;
    try { theirs = readlinkSync(`/proc/${pid}/ns/net`); } catch { /* not there yet */ }
    if (theirs !== undefined && theirs !== own) break;
    if (i >= 250 || holder.exitCode !== null) {
      await killAndWait(holder);
      throw new Error('the namespace holder (setpriv/unshare/sleep) did not enter a new network namespace');
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  await ns.exec('ip', ['link', 'set', 'lo', 'up']);
  return ns;
}

/** Shaping of a peer's outgoing traffic with `tc netem`. */
export interface Shaping {
  /** Packet loss in percent. */
  lossPercent?: number;
  delayMs?: number;
  jitterMs?: number;
}

/** A peer namespace of a {@link StarNetwork}. */
export interface StarPeer extends NetNamespace {
  /** Its address on the bridge, e.g. `10.77.0.10`. */
  readonly address: string;
}

/** A hub namespace with a bridge and peers on veth pairs. */
export interface StarNetwork {
  readonly hub: NetNamespace;
  /** The hub's address on the bridge (run servers there). */
  readonly hubAddress: string;
  readonly peers: StarPeer[];
  /** Shape peer i's egress (replaces earlier shaping). */
  shape(i: number, shaping: Shaping): Promise<void>;
  /** Remove peer i's shaping. */
  unshape(i: number): Promise<void>;
  /** Cut traffic between the groups (each a list of peer indices); each group still reaches the hub. */
  partition(groups: number[][]): Promise<void>;
  /** Undo {@link partition}. */
  heal(): Promise<void>;
  close(): Promise<void>;
}

/** How a {@link StarNetwork} is built and shaped. */
export type StarKind = 'bridge+netem' | 'tun+userspace-shaper';

/**
 * Create a hub + `n` peer namespaces on 10.77.0.0/24.
 *
 * The preferred build is veth pairs on a Linux bridge shaped with `tc netem`. Kernels built without
 * `sch_netem` (this CI machine's 6.18 kernel has no CONFIG_NET_SCH_NETEM) get the same topology and
 * API from TUN devices and a small userspace shaper in the hub namespace that applies the same loss,
 * delay and jitter per peer link; partitions are blackhole routes in both builds.
 */
export async function createStarNetwork(n: number, kind?: StarKind): Promise<StarNetwork & { kind: StarKind }> {
  if (n < 1 || n > 200) throw new Error('createStarNetwork: 1..200 peers');
  const chosen = kind ?? ((await netemAvailable()) ? 'bridge+netem' : 'tun+userspace-shaper');
  const net = chosen === 'bridge+netem' ? await createBridgeStar(n) : await createTunStar(n);
  return Object.assign(net, { kind: chosen });
}

let netemProbe: Promise<boolean> | undefined;
/** Whether `tc qdisc … netem` works here (probed once, in a scratch namespace). */
export function netemAvailable(): Promise<boolean> {
  netemProbe ??= (async () => {
    const ns = await createNamespace();
    try {
      await ns.exec('tc', ['qdisc', 'add', 'dev', 'lo', 'root', 'netem', 'delay', '1ms']);
      return true;
    } catch {
      return false;
    } finally {
      await ns.close();
    }
  })();
  return netemProbe;
}

async function createBridgeStar(n: number): Promise<StarNetwork> {
  const hub = await createNamespace();
  const peers: StarPeer[] = [];
  const created: NetNamespace[] = [hub];
  try {
    await hub.exec('ip', ['link', 'add', 'br0', 'type', 'bridge']);
    await hub.exec('ip', ['addr', 'add', '10.77.0.1/24', 'dev', 'br0']);
    await hub.exec('ip', ['link', 'set', 'br0', 'up']);
    for (let i = 0; i < n; i++) {
      const ns = await createNamespace();
      created.push(ns);
      const address = `10.77.0.${10 + i}`;
      await hub.exec('ip', ['link', 'add', `vh${i}`, 'type', 'veth', 'peer', 'name', `vp${i}`]);
      await hub.exec('ip', ['link', 'set', `vp${i}`, 'netns', String(ns.pid)]);
      await hub.exec('ip', ['link', 'set', `vh${i}`, 'master', 'br0']);
      await hub.exec('ip', ['link', 'set', `vh${i}`, 'up']);
      await ns.exec('ip', ['link', 'set', `vp${i}`, 'name', 'eth0']);
      await ns.exec('ip', ['addr', 'add', `${address}/24`, 'dev', 'eth0']);
      await ns.exec('ip', ['link', 'set', 'eth0', 'up']);
      peers.push({ ...ns, address });
    }
  } catch (e) {
    await Promise.all(created.map((c) => c.close()));
    throw e;
  }
  return starControls(hub, peers, {
    async shape(i, s) {
      await peers[i]!.exec('tc', ['qdisc', 'del', 'dev', 'eth0', 'root']).catch(() => {});
      const args = ['qdisc', 'add', 'dev', 'eth0', 'root', 'netem'];
      if (s.delayMs) args.push('delay', `${s.delayMs}ms`, ...(s.jitterMs ? [`${s.jitterMs}ms`] : []));
      if (s.lossPercent) args.push('loss', `${s.lossPercent}%`);
      await peers[i]!.exec('tc', args);
    },
    async unshape(i) {
      await peers[i]!.exec('tc', ['qdisc', 'del', 'dev', 'eth0', 'root']).catch(() => {});
    },
  }, async () => {});
}

/**
 * The userspace shaper: reads IPv4 packets from one TUN device per peer (and one for the hub),
 * forwards each to the TUN of its destination address after the sending link's delay ± jitter, or
 * drops it with the link's loss probability — what netem does on a veth, in ~60 lines of Python.
 * Control: JSON lines on stdin `{"link": i, "loss": %, "delay": ms, "jitter": ms}`.
 */
const SHAPER_PY = String.raw`
import fcntl, heapq, json, os, random, select, struct, sys, time
n = int(sys.argv[1])
names = ['sshub'] + ['ssp%d' % i for i in range(n)]
fds = []
for name in names:
    fd = os.open('/dev/net/tun', os.O_RDWR)
    fcntl.ioctl(fd, 0x400454ca, struct.pack('16sH', name.encode(), 0x0001 | 0x1000))  # TUNSETIFF, IFF_TUN|IFF_NO_PI
    os.set_blocking(fd, False)
    fds.append(fd)
addr_to_fd = {bytes([10, 77, 0, 1]): fds[0]}
for i in range(n):
    addr_to_fd[bytes([10, 77, 0, 10 + i])] = fds[i + 1]
shape = {}  # link index (fd position) -> (loss, delay, jitter)
queue = []
seq = 0
print('ready', flush=True)
stdin = sys.stdin.fileno()
os.set_blocking(stdin, False)
buf = b''
while True:
    now = time.monotonic()
    timeout = max(0.0, queue[0][0] - now) if queue else 0.5
    readable, _, _ = select.select(fds + [stdin], [], [], timeout)
    for fd in readable:
        if fd == stdin:
            chunk = os.read(stdin, 65536)
            if not chunk:
                sys.exit(0)
            buf += chunk
            while b'\n' in buf:
                line, buf = buf.split(b'\n', 1)
                c = json.loads(line)
                shape[c['link']] = (c.get('loss', 0) / 100.0, c.get('delay', 0) / 1000.0, c.get('jitter', 0) / 1000.0)
            continue
        src = fds.index(fd)
        while True:
            try:
                pkt = os.read(fd, 65536)
            except BlockingIOError:
                break
            if len(pkt) < 20 or pkt[0] >> 4 != 4:
                continue
            dst = addr_to_fd.get(pkt[16:20])
            if dst is None:
                continue
            loss, delay, jitter = shape.get(src, (0, 0, 0))
            if loss and random.random() < loss:
                continue
            d = max(0.0, delay + random.uniform(-jitter, jitter)) if (delay or jitter) else 0.0
            seq += 1
            heapq.heappush(queue, (time.monotonic() + d, seq, dst, pkt))
    now = time.monotonic()
    while queue and queue[0][0] <= now:
        _, _, dst, pkt = heapq.heappop(queue)
        try:
            os.write(dst, pkt)
        except OSError:
            pass
`;

async function createTunStar(n: number): Promise<StarNetwork> {
  const hub = await createNamespace();
  const peers: StarPeer[] = [];
  const created: NetNamespace[] = [hub];
  const shaper = hub.spawn('python3', ['-c', SHAPER_PY, String(n)], { stdio: ['pipe', 'pipe', 'pipe'] });
  try {
    await new Promise<void>((resolve, reject) => {
      let err = '';
      shaper.stderr!.on('data', (d) => { err += String(d); });
      shaper.stdout!.once('data', () => resolve());
      shaper.once('exit', (code) => reject(new Error(`userspace shaper exited (${code}): ${err}`)));
    });
    await hub.exec('ip', ['addr', 'add', '10.77.0.1/24', 'dev', 'sshub']);
    await hub.exec('ip', ['link', 'set', 'sshub', 'up']);
    for (let i = 0; i < n; i++) {
      const ns = await createNamespace();
      created.push(ns);
      const address = `10.77.0.${10 + i}`;
      await hub.exec('ip', ['link', 'set', `ssp${i}`, 'netns', String(ns.pid)]);
      await ns.exec('ip', ['link', 'set', `ssp${i}`, 'name', 'eth0']);
      await ns.exec('ip', ['addr', 'add', `${address}/24`, 'dev', 'eth0']);
      await ns.exec('ip', ['link', 'set', 'eth0', 'up']);
      peers.push({ ...ns, address });
    }
  } catch (e) {
    shaper.kill('SIGKILL');
    await Promise.all(created.map((c) => c.close()));
    throw e;
  }
  const control = (msg: object) => new Promise<void>((resolve) => shaper.stdin!.write(JSON.stringify(msg) + '\n', () => resolve()));
  return starControls(hub, peers, {
    // Link i + 1 is peer i's TUN (link 0 is the hub's).
    shape: (i, s) => control({ link: i + 1, loss: s.lossPercent ?? 0, delay: s.delayMs ?? 0, jitter: s.jitterMs ?? 0 }),
    unshape: (i) => control({ link: i + 1 }),
  }, async () => { shaper.kill('SIGKILL'); });
}

function starControls(
  hub: NetNamespace,
  peers: StarPeer[],
  shaping: Pick<StarNetwork, 'shape' | 'unshape'>,
  closeExtra: () => Promise<void>,
): StarNetwork {
  const blackholes: Array<[number, string]> = [];
  const net: StarNetwork = {
    hub,
    hubAddress: '10.77.0.1',
    peers,
    shape: shaping.shape,
    unshape: shaping.unshape,
    async partition(groups) {
      for (const a of groups) for (const b of groups) {
        if (a === b) continue;
        for (const i of a) for (const j of b) {
          await peers[i]!.exec('ip', ['route', 'add', 'blackhole', `${peers[j]!.address}/32`]);
          blackholes.push([i, peers[j]!.address]);
        }
      }
    },
    async heal() {
      for (const [i, addr] of blackholes.splice(0)) {
        await peers[i]!.exec('ip', ['route', 'del', 'blackhole', `${addr}/32`]).catch(() => {});
      }
    },
    async close() {
      await Promise.all(peers.map((p) => p.close()));
      await closeExtra();
      await hub.close();
    },
  };
  return net;
}

function killAndWait(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
