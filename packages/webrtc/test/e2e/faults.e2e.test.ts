/**
 * Faults end to end: five peers, each in its own network namespace, joined by veth pairs to a bridge in
 * a hub namespace (10.77.0.0/24, inside those namespaces only) where the signalling server runs.
 * Loss and delay with `tc netem`, a 2|3 partition, a SIGKILLed peer restarted from its update log, and
 * a signalling-server restart. After each: identical trees, no edit lost; convergence times are printed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStarNetwork, type StarNetwork } from '../../../../test-support/netns.js';
import { PeerProcess, startSignalingServer, waitForConvergence, waitUntil, type SignalingServer } from './peer-process.js';

const N = 5;
const PORT = 4446;
let net: StarNetwork & { kind: string };
let server: SignalingServer;
let dir: string;
const peers: PeerProcess[] = [];
const timings: Record<string, number> = {};
const SEED = Number(process.env.SCENESYNC_SEED ?? Date.now() % 100000);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scenesync-faults-'));
  net = await createStarNetwork(N);
  server = await startSignalingServer(net.hub, net.hubAddress, PORT);
});

afterAll(async () => {
  console.log(`convergence times (ms): ${JSON.stringify(timings)}`);
  await Promise.all(peers.map((p) => p?.stop()));
  await server?.stop();
  await net?.close();
  rmSync(dir, { recursive: true, force: true });
});

function logOf(i: number): string {
  return join(dir, `peer-${i}.log`);
}

async function startPeer(i: number): Promise<PeerProcess> {
  const p = PeerProcess.start(net.peers[i]!, `p${i}`, { log: logOf(i) });
  peers[i] = p;
  await p.ready;
  return p;
}

async function joinPeer(p: PeerProcess, i: number): Promise<void> {
  await p.call('join', { room: 'faults', signaling: [server.url], name: `p${i}` });
}

/** Every id any of `sources` added is present on every one of `targets`. */
async function expectNothingLost(ids: string[], targets: PeerProcess[]): Promise<void> {
  for (const t of targets) expect(await t.call('has', { ids }), `${t.name} lost edits (seed ${SEED})`).toEqual([]);
}

let round = 0;
let lastEditAt = 0;
/** Seeded edits on the given peers; returns the ids they added. `lastEditAt` is when the last one was made. */
async function editOn(list: PeerProcess[], count = 15): Promise<string[]> {
  round++;
  await Promise.all(list.map((p, i) => p.call('edit', { seed: SEED * 100 + round * 10 + i, count, tag: `${p.name}r${round}` })));
  lastEditAt = performance.now();
  const all = await Promise.all(list.map((p) => p.call<string[]>('added')));
  return all.flat();
}

describe('faults on a bridged network of five namespaces', () => {
  it('loss and delay, partition and heal, SIGKILL and restart, signalling restart: converges, loses nothing', async () => {
    console.log(`seed ${SEED} (replay: SCENESYNC_SEED=${SEED}); signalling: ${server.kind}; network: ${net.kind}`);
    for (let i = 0; i < N; i++) await startPeer(i);
    await Promise.all(peers.map((p, i) => joinPeer(p, i)));
    await waitUntil(async () => (await Promise.all(peers.map((p) => p.call('state')))).every((s) => s.peers >= N - 1),
      'full mesh', 45_000);
    let ids = await editOn(peers);
    timings.initial = await waitForConvergence(peers, 60_000, 50, lastEditAt);

    // 1. 10% loss, 50 ± 20 ms delay on every peer's link.
    for (let i = 0; i < N; i++) await net.shape(i, { lossPercent: 10, delayMs: 50, jitterMs: 20 });
    ids = await editOn(peers);
    timings.lossAndDelay = await waitForConvergence(peers, 90_000, 50, lastEditAt);
    await expectNothingLost(ids, peers);
    for (let i = 0; i < N; i++) await net.unshape(i);

    // 2. Partition {0,1} | {2,3,4}, edits on both sides, then heal.
    await net.partition([[0, 1], [2, 3, 4]]);
    ids = await editOn(peers);
    // Hold it long enough for ICE to notice (consent checks fail, connections go "disconnected") and
    // for C-SILENT to drop the dead links.
    await new Promise((r) => setTimeout(r, 8000));
    const [left, right] = await Promise.all([peers[0]!.call('tree'), peers[2]!.call('tree')]);
    expect(left.hash).not.toBe(right.hash); // the partition really held
    await net.heal();
    timings.partitionHeal = await waitForConvergence(peers, 90_000, 50, performance.now());
    await expectNothingLost(ids, peers);

    // 3. SIGKILL peer 4, others edit, restart it from its update log with offline edits, rejoin.
    const beforeKill: string[] = await peers[4]!.call('added');
    const killedClientId = (await peers[4]!.ready).clientId;
    const killedAt = performance.now();
    await peers[4]!.kill();
    ids = await editOn(peers.slice(0, 4));
    const restarted = await startPeer(4);
    expect((await restarted.ready).restoredNodes).toBeGreaterThan(0);
    await expectNothingLost(beforeKill, [restarted]); // the log kept everything it had
    const offline = await editOn([restarted]);
    const rejoinAt = performance.now();
    await joinPeer(restarted, 4);
    timings.killRestart = await waitForConvergence(peers, 90_000, 50, rejoinAt);
    await expectNothingLost([...ids, ...offline, ...beforeKill], peers);

    // 4. Signalling server restarted mid-session: the mesh keeps syncing without it, a peer that left
    // meanwhile edits offline, and after the restart every signalling connection comes back by itself
    // (the rejoining peer can only find the others through them).
    await server.stop();
    await peers[3]!.call('leave');
    ids = await editOn(peers);
    const others = [0, 1, 2, 4].map((i) => peers[i]!);
    await waitForConvergence(others, 60_000);
    server = await startSignalingServer(net.hub, net.hubAddress, PORT);
    const restartAt = performance.now();
    await joinPeer(peers[3]!, 3);
    timings.signallingRestart = await waitForConvergence(peers, 90_000, 50, restartAt);
    await expectNothingLost(ids, peers);

    // P-2: the SIGKILLed peer said no goodbye; its presence expires on the others (awareness timeout).
    await waitUntil(() => peers[0]!.eventsOf('presence-leave').some((e) => e.clientId === killedClientId),
      'presence of the killed peer expired', 60_000);
    timings.presenceExpiryAfterKill = performance.now() - killedAt;
    for (const p of peers) expect(p.eventsOf('unhandledRejection')).toEqual([]);
  }, 150_000);
});
