// Real y-webrtc WebrtcProvider peers (Node, @roamhq/wrtc) in separate processes, inside a network
// namespace of our own, meet through the real CLI and converge (issue 4, "Proof").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NetNamespace } from '../support/netns.js';
import { startCli, startPeer, startPeersInTurn, type ChildHandle } from '../support/processes.js';
import { createRoomToken } from '../../src/index.js';

describe('y-webrtc peers through scenesync-server', () => {
  let ns: NetNamespace;
  const children: ChildHandle[] = [];

  beforeAll(async () => {
    ns = await NetNamespace.create();
  });

  afterAll(async () => {
    await Promise.all(children.map((c) => c.stop(2000)));
    ns?.close();
  });

  it('three unmodified y-webrtc clients converge, and the server counts them', async () => {
    const { handle: server, port } = await startCli(['--data-dir', mkdtempSync(join(tmpdir(), 'ss-e2e-'))], ns);
    children.push(server);
    const url = `ws://127.0.0.1:${port}`;
    const names = ['alice', 'bob', 'carol'];
    const peers = await startPeersInTurn(ns, names.map((name) => ({ url, room: 'e2e-room', name })));
    children.push(...peers);
    for (const p of peers) p.send(`expect ${names.join(',')}`);
    const results = await Promise.all(peers.map((p) => p.waitFor(/converged (\S+)/, 45_000)));
    for (const r of results) expect(r[1]).toBe('alice,bob,carol');

    // A later edit also travels (over WebRTC now, the server only introduced the peers).
    peers[0]!.send('set late yes');
    peers[2]!.send('expect late');
    await peers[2]!.waitFor(/converged .*late/, 30_000);

    const metrics = await ns.runNode(`const r = await fetch('http://127.0.0.1:${port}/metrics'); process.stdout.write(await r.text());`);
    expect(metrics).toMatch(/^scenesync_connections 3$/m);
    expect(metrics).toMatch(/^scenesync_rooms 1$/m);
    expect(Number(/^scenesync_messages_out_total (\d+)$/m.exec(metrics)![1])).toBeGreaterThan(3);
  });

  it('with --room-secret, peers holding a signed room token converge and a peer without one is refused', async () => {
    const secret = 'e2e-room-secret-0123456789';
    const { handle: server, port } = await startCli(['--data-dir', mkdtempSync(join(tmpdir(), 'ss-e2e-')), '--room-secret', secret], ns);
    children.push(server);
    const token = createRoomToken(secret, 'secret-room', 600);
    const url = `ws://127.0.0.1:${port}/?room-token=${encodeURIComponent(token)}`;
    const peers = await startPeersInTurn(ns, ['p1', 'p2'].map((name) => ({ url, room: 'secret-room', name })));
    const stranger = startPeer(ns, `ws://127.0.0.1:${port}`, 'secret-room', 'stranger');
    children.push(...peers, stranger);
    for (const p of peers) p.send('expect p1,p2');
    const results = await Promise.all(peers.map((p) => p.waitFor(/converged (\S+)/, 45_000)));
    for (const r of results) expect(r[1]).toBe('p1,p2');
    // The stranger's attempts are refused (it keeps retrying); wait for the first refusal to be counted.
    const rejected = (m: string): number => Number(/^scenesync_dropped_total\{reason="auth-rejected"\} (\d+)$/m.exec(m)?.[1] ?? 0);
    let metrics = '';
    for (let tries = 0; tries < 50; tries++) {
      metrics = await ns.runNode(`const r = await fetch('http://127.0.0.1:${port}/metrics'); process.stdout.write(await r.text());`);
      if (rejected(metrics) > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(rejected(metrics)).toBeGreaterThan(0);
    expect(metrics).toMatch(/^scenesync_connections 2$/m);
  });
});
