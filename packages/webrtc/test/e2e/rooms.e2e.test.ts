/**
 * Rooms end to end: real processes, real WebRTC (@roamhq/wrtc), a real signalling server, inside a
 * network namespace this test creates (loopback only).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNamespace, type NetNamespace } from '../../../../test-support/netns.js';
import { PeerProcess, startSignalingServer, waitForConvergence, waitUntil, type SignalingServer } from './peer-process.js';

let ns: NetNamespace;
let server: SignalingServer;
const started: PeerProcess[] = [];

beforeAll(async () => {
  ns = await createNamespace();
  server = await startSignalingServer(ns, '127.0.0.1', 4444);
  console.log(`signalling server: ${server.kind}`);
});

afterAll(async () => {
  await Promise.all(started.map((p) => p.stop()));
  await server?.stop();
  await ns?.close();
});

function peer(name: string): PeerProcess {
  const p = PeerProcess.start(ns, name);
  started.push(p);
  return p;
}

describe('a room of five peers (one a plain y-webrtc client)', () => {
  it('converges to identical trees after concurrent seeded edits, nothing lost (R-CONV over WebRTC)', async () => {
    const baseSeed = Number(process.env.SCENESYNC_SEED ?? Date.now() % 100000);
    console.log(`seed ${baseSeed} (replay: SCENESYNC_SEED=${baseSeed})`);
    const peers = ['a', 'b', 'c', 'd'].map((n) => peer(n));
    const plain = peer('plain');
    await Promise.all([...peers, plain].map((p) => p.ready));
    await Promise.all(peers.map((p, i) => p.call('join', { room: 'five', signaling: [server.url], name: `peer-${i}` })));
    await plain.call('join', { room: 'five', signaling: [server.url], plain: true });
    await waitUntil(async () => (await Promise.all(peers.map((p) => p.call('state')))).every((s) => s.peers >= 4),
      'every scenesync peer connected to the four others');

    // Concurrent edits on all five, seeded per peer.
    const results = await Promise.all([...peers, plain].map((p, i) => p.call('edit', { seed: baseSeed + i, count: 60, tag: p.name })));
    const ms = await waitForConvergence([...peers, plain]);
    console.log(`five peers converged ${ms.toFixed(0)} ms after the last edit`);

    // No edit lost: every node any peer added exists everywhere, every peer-owned property holds its last value.
    for (const p of [...peers, plain]) {
      const ids: string[] = await p.call('added');
      for (const q of [...peers, plain]) expect(await q.call('has', { ids }), `${q.name} lacks nodes of ${p.name} (seed ${baseSeed})`).toEqual([]);
    }
    for (const [i, r] of results.entries()) {
      const seen = await peers[(i + 1) % peers.length]!.call('props', { props: r.props });
      expect(seen, `seed ${baseSeed}`).toEqual(r.props);
    }

    // Presence: each scenesync peer sees the four scenesync peers (the plain client has no scenesync state).
    await waitUntil(async () => (await Promise.all(peers.map((p) => p.call('state')))).every((s) => s.presence.length === 4),
      'presence of four scenesync peers on each');
    const names = (await peers[0]!.call('state')).presence.map((p: any) => p.name).sort();
    expect(names).toEqual(['peer-0', 'peer-1', 'peer-2', 'peer-3']);

    // A leave shows as a presence leave on the others.
    const leaving = await peers[3]!.call('state');
    await peers[3]!.call('leave');
    await waitUntil(() => peers[0]!.eventsOf('presence-leave').length > 0, 'presence leave seen');
    expect(leaving.presence.length).toBe(4);
    for (const p of [...peers, plain]) expect(p.eventsOf('unhandledRejection')).toEqual([]);
  });
});

describe('password rooms', () => {
  it('a wrong password is reported as WRONG_PASSWORD, crashes nothing and corrupts no document (G-PASS-1)', async () => {
    const [a, b, wrong] = [peer('pa'), peer('pb'), peer('pwrong')];
    await Promise.all([a, b, wrong].map((p) => p.ready));
    await a.call('join', { room: 'secret', signaling: [server.url], password: 'right horse' });
    await b.call('join', { room: 'secret', signaling: [server.url], password: 'right horse' });
    await a.call('edit', { seed: 1, count: 20, tag: 'a' });
    await waitForConvergence([a, b]);
    await wrong.call('edit', { seed: 2, count: 5, tag: 'w' });
    const before = await wrong.call('tree');
    await wrong.call('join', { room: 'secret', signaling: [server.url], password: 'wrong horse' });
    await waitUntil(() => wrong.eventsOf('error').some((e) => e.code === 'WRONG_PASSWORD'), 'wrong-password peer told');
    await waitUntil(() => a.eventsOf('error').some((e) => e.code === 'WRONG_PASSWORD'), 'right-password peer told');
    await a.call('edit', { seed: 3, count: 10, tag: 'a2' });
    await waitForConvergence([a, b]);
    // The outsider's document is exactly what it wrote itself, and nobody crashed.
    expect((await wrong.call('tree')).hash).toBe(before.hash);
    expect((await wrong.call('state')).peers).toBe(0);
    for (const p of [a, b, wrong]) {
      expect(p.child.exitCode).toBeNull();
      expect(p.eventsOf('unhandledRejection')).toEqual([]);
    }
    // A plain client with the right password shares the encrypted room (wire compatibility).
    const plain = peer('pplain');
    await plain.ready;
    await plain.call('join', { room: 'secret', signaling: [server.url], password: 'right horse', plain: true });
    await waitForConvergence([a, b, plain]);
  });
});

describe('hostile signalling (G-SHAPE)', () => {
  it('malformed publishes for the room crash no peer and stop no sync', async () => {
    const [a, b] = [peer('ha'), peer('hb')];
    await Promise.all([a.ready, b.ready]);
    await a.call('join', { room: 'hostile', signaling: [server.url] });
    await b.call('join', { room: 'hostile', signaling: [server.url] });
    await a.call('edit', { seed: 11, count: 10, tag: 'ha' });
    await waitForConvergence([a, b]);
    // A client that speaks the signalling protocol but sends data y-webrtc would dereference blindly.
    const messages = [
      { type: 'publish', topic: 'hostile', data: null },
      { type: 'publish', topic: 'hostile', data: { from: 5, type: 'announce' } },
      { type: 'publish', topic: 'hostile', data: { from: 'evil', type: 'signal', signal: 'not an object' } },
      { type: 'publish', topic: 'hostile', data: { from: 'evil', type: 'signal', signal: { type: 'answer', sdp: 'v=0' } } },
      { type: 'publish', topic: 'hostile', data: { from: 'evil', type: 'signal' } },
      { type: 'publish', topic: 'hostile', data: 'Zm9vYmFy' },
      { type: 'publish', topic: 'hostile', data: { from: 'evil', to: 42, type: 'announce' } },
    ];
    const script = `
      const { WebSocket } = await import('ws');
      const ws = new WebSocket(${JSON.stringify(server.url)});
      ws.on('open', () => {
        ws.send(JSON.stringify({ type: 'subscribe', topics: ['hostile'] }));
        for (const m of ${JSON.stringify(messages)}) ws.send(JSON.stringify(m));
        setTimeout(() => process.exit(0), 500);
      });`;
    const hostile = ns.spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'ignore', cwd: process.cwd() });
    await new Promise((r) => hostile.once('exit', r));
    await waitUntil(() => [a, b].every((p) => p.eventsOf('error').some((e) => e.code === 'BAD_SIGNAL')), 'the peers reported the malformed messages');
    await b.call('edit', { seed: 12, count: 10, tag: 'hb' });
    await waitForConvergence([a, b]);
    for (const p of [a, b]) {
      expect(p.child.exitCode).toBeNull();
      expect(p.eventsOf('unhandledRejection')).toEqual([]);
    }
  });
});

describe('large documents (C-BULK)', () => {
  it('a late joiner receives a 10,000-node scene (a sync message far above the ~256 KiB data-channel limit)', async () => {
    const [host, late] = [peer('bulk-host'), peer('bulk-late')];
    await Promise.all([host.ready, late.ready]);
    await host.call('join', { room: 'bulk', signaling: [server.url] });
    await host.call('addNodes', { count: 10_000, prefix: 'Node' });
    const size = (await host.call('docSize')).bytes;
    expect(size).toBeGreaterThan(256 * 1024);
    const joinAt = performance.now();
    await late.call('join', { room: 'bulk', signaling: [server.url] });
    const ms = await waitForConvergence([host, late], 60_000, 200, joinAt);
    console.log(`late joiner received ${(size / 1024).toFixed(0)} KiB (10,000 nodes) in ${ms.toFixed(0)} ms`);
    // And a big update made while connected (an import) travels too.
    await late.call('addNodes', { count: 8000, prefix: 'Imported' });
    await waitForConvergence([host, late], 60_000);
  });
});
