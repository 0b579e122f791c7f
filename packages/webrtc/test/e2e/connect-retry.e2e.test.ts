/**
 * First connections that go wrong (A-2, A-4, A-5, G-STALE): two real peer processes (real WebRTC via
 * @roamhq/wrtc) and the real signalling server, in a network namespace this test makes (loopback only),
 * with a relay in between (fixtures/sabotage-relay.ts) that loses the first offer or answer, or makes
 * the two announcements cross. The room must still connect and sync, by the watchdog's retry.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { createNamespace, type NetNamespace } from '../../../../test-support/netns.js';
import { PeerProcess, startSignalingServer, waitForConvergence, waitUntil, type SignalingServer } from './peer-process.js';

const RELAY = fileURLToPath(new URL('./fixtures/sabotage-relay.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
const SERVER_PORT = 4447;

let ns: NetNamespace;
let server: SignalingServer;
let started: PeerProcess[] = [];
let nextRelayPort = 4450;

beforeAll(async () => {
  ns = await createNamespace();
  server = await startSignalingServer(ns, '127.0.0.1', SERVER_PORT);
});

afterEach(async () => {
  await Promise.all(started.map((p) => p.stop()));
  started = [];
});

afterAll(async () => {
  await server?.stop();
  await ns?.close();
});

interface Publish { kind: string; from: string; to?: string; dropped: boolean }

/** Start the relay in the namespace; resolves with its URL and the publishes it has seen so far. */
async function startRelay(args: string[]): Promise<{ url: string; seen: Publish[] }> {
  const port = nextRelayPort++;
  const child = ns.spawn(process.execPath, ['--import', 'tsx', RELAY, '--port', String(port), '--upstream', server.url, ...args],
    { stdio: ['ignore', 'pipe', 'pipe'], cwd: REPO });
  const seen: Publish[] = [];
  await new Promise<void>((resolve, reject) => {
    let stderr = '';
    child.stderr!.on('data', (d) => { stderr += String(d); });
    child.once('exit', (code) => reject(new Error(`relay exited (${code}): ${stderr}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = JSON.parse(line);
      if (m.event === 'listening') resolve();
      if (m.event === 'publish') seen.push(m);
    });
  });
  return { url: `ws://127.0.0.1:${port}`, seen };
}

async function twoPeers(room: string, url: string): Promise<[PeerProcess, PeerProcess]> {
  const a = PeerProcess.start(ns, `${room}-a`);
  const b = PeerProcess.start(ns, `${room}-b`);
  started.push(a, b);
  await Promise.all([a.ready, b.ready]);
  await Promise.all([a, b].map((p, i) => p.call('join', { room, signaling: [url], name: `p${i}` })));
  return [a, b];
}

/** Both connected to each other, and an edit on each side arrives on the other. */
async function expectConnectedAndSyncing(a: PeerProcess, b: PeerProcess): Promise<void> {
  await waitUntil(async () => (await Promise.all([a.call('state'), b.call('state')])).every((s) => s.peers === 1),
    'the two peers connected', 45_000);
  await a.call('edit', { seed: 11, count: 10, tag: 'a' });
  await b.call('edit', { seed: 12, count: 10, tag: 'b' });
  await waitForConvergence([a, b], 30_000);
  for (const [from, to] of [[a, b], [b, a]] as const) expect(await to.call('has', { ids: await from.call('added') })).toEqual([]);
  for (const p of [a, b]) expect(p.eventsOf('unhandledRejection')).toEqual([]);
}

describe('a first connection attempt that fails is retried until the room connects', () => {
  it('the first offer is lost: the offering side gives up at its deadline and the room connects (A-2)', async () => {
    const relay = await startRelay(['--drop', 'offer']);
    const [a, b] = await twoPeers('lost-offer', relay.url);
    await expectConnectedAndSyncing(a, b);
    const offers = relay.seen.filter((p) => p.kind === 'offer');
    expect(offers.filter((p) => p.dropped)).toHaveLength(1);
    expect(offers.length).toBeGreaterThanOrEqual(2); // the lost one and the retry
    const restarts = (await Promise.all([a.call('state'), b.call('state')])).map((s) => s.connectionRestarts);
    expect(restarts[0] + restarts[1]).toBeGreaterThanOrEqual(1);
  }, 90_000);

  it('the first answer is lost: both sides tear down their halves and the room connects (A-2, A-5)', async () => {
    const relay = await startRelay(['--drop', 'answer']);
    const [a, b] = await twoPeers('lost-answer', relay.url);
    await expectConnectedAndSyncing(a, b);
    const answers = relay.seen.filter((p) => p.kind === 'answer');
    expect(answers.filter((p) => p.dropped)).toHaveLength(1);
    expect(answers.length).toBeGreaterThanOrEqual(2);
  }, 90_000);

  it('crossing announcements: only the peer with the greater id offers, so there is no glare (A-4)', async () => {
    const relay = await startRelay(['--hold-announces', '2']);
    const [a, b] = await twoPeers('crossing', relay.url);
    await expectConnectedAndSyncing(a, b);
    const announces = relay.seen.filter((p) => p.kind === 'announce');
    const ids = [...new Set(announces.filter((p) => p.to === undefined).map((p) => p.from))];
    expect(ids).toHaveLength(2); // both announced to the room, and each heard the other (held, then sent together)
    const offers = relay.seen.filter((p) => p.kind === 'offer');
    expect(offers).toHaveLength(1);
    expect(offers[0]!.from > offers[0]!.to!).toBe(true);
  }, 90_000);
});
