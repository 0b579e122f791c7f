// Two server instances sharing signalling through a real redis-server and one data directory:
// y-webrtc peers connected to different instances meet and converge, and both instances list the
// same snapshots (issue 4, "Past one machine").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NetNamespace } from '../support/netns.js';
import { ChildHandle, startCli, startPeer, startPeersInTurn } from '../support/processes.js';
import { makeGlb } from '../support/glb.js';

describe('scale-out through Redis', () => {
  let ns: NetNamespace;
  const children: ChildHandle[] = [];
  let redisPort = 0;
  let redis: ChildHandle;
  let dataDir = '';
  let ports: [number, number] = [0, 0];

  async function startRedis(): Promise<ChildHandle> {
    const child = new ChildHandle(
      ns.spawn('/usr/bin/redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] }),
      'redis-server',
    );
    children.push(child);
    await child.waitFor(/Ready to accept connections/i);
    return child;
  }

  const metricsOf = (port: number) => ns.runNode(`process.stdout.write(await (await fetch('http://127.0.0.1:${port}/metrics')).text());`);

  beforeAll(async () => {
    ns = await NetNamespace.create();
    // The namespace is ours alone, so any port is free; a random one keeps runs independent.
    redisPort = 20_000 + Math.floor(Math.random() * 30_000);
    redis = await startRedis();
  });

  afterAll(async () => {
    await Promise.all(children.reverse().map((c) => c.stop(2000)));
    ns?.close();
  });

  it('peers on different instances converge; both instances list the same snapshots', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ss-redis-'));
    const common = ['--data-dir', dataDir, '--redis', `redis://127.0.0.1:${redisPort}`, '--token', 'shared-upload-token'];
    const a = await startCli(common, ns);
    const b = await startCli(common, ns);
    children.push(a.handle, b.handle);
    ports = [a.port, b.port];
    const urlA = `ws://127.0.0.1:${a.port}`;
    const urlB = `ws://127.0.0.1:${b.port}`;
    const names = ['on-a-1', 'on-a-2', 'on-b-1', 'on-b-2'];
    const peers = await startPeersInTurn(ns, names.map((name, i) => ({ url: i < 2 ? urlA : urlB, room: 'shared', name })));
    children.push(...peers);
    for (const p of peers) p.send(`expect ${names.join(',')}`);
    const results = await Promise.all(peers.map((p) => p.waitFor(/converged (\S+)/, 45_000)));
    for (const r of results) expect(r[1]).toBe([...names].sort().join(','));

    // A peer alone on instance B, in another room, sees nothing of room "shared".
    const loner = startPeer(ns, urlB, 'other-room', 'loner');
    children.push(loner);
    loner.send('expect loner');
    await loner.waitFor(/converged loner$/m);

    const glb = makeGlb().toString('base64');
    const listing = await ns.runNode(`
      const glb = Buffer.from('${glb}', 'base64');
      const put = await fetch('http://127.0.0.1:${a.port}/rooms/shared/snapshots/first.glb', { method: 'PUT', body: glb, headers: { authorization: 'Bearer shared-upload-token' } });
      if (put.status !== 201) throw new Error('upload failed ' + put.status);
      const la = await (await fetch('http://127.0.0.1:${a.port}/rooms/shared/snapshots')).json();
      const lb = await (await fetch('http://127.0.0.1:${b.port}/rooms/shared/snapshots')).json();
      const gb = await fetch('http://127.0.0.1:${b.port}/rooms/shared/snapshots/latest.glb');
      const bytes = Buffer.from(await gb.arrayBuffer());
      process.stdout.write(JSON.stringify({ la, lb, same: bytes.equals(glb), etag: gb.headers.get('etag') }));
    `);
    const { la, lb, same, etag } = JSON.parse(listing);
    expect(la).toEqual(lb);
    expect(la.snapshots.map((s: { name: string }) => s.name)).toEqual(['first.glb']);
    expect(same).toBe(true);
    expect(etag).toBe(la.snapshots[0].etag);

    // The cross-instance introductions really went through Redis.
    const busIn = await ns.runNode(`
      const m = await (await fetch('http://127.0.0.1:${b.port}/metrics')).text();
      process.stdout.write(/^scenesync_bus_messages_in_total (\\d+)$/m.exec(m)[1]);`);
    expect(Number(busIn)).toBeGreaterThan(0);
  });

  it('survives a Redis outage and shares signalling again once Redis is back', async () => {
    expect(ports[0]).toBeGreaterThan(0);
    expect(await redis.stop()).toBe(0);
    await new Promise((r) => setTimeout(r, 500));
    for (const port of ports) {
      const metrics = await metricsOf(port);
      expect(Number(/^scenesync_redis_errors_total (\d+)$/m.exec(metrics)![1])).toBeGreaterThan(0);
    }
    redis = await startRedis();
    // Peers of a new room, one per instance, meet through the reconnected Redis.
    const [x, y] = await startPeersInTurn(ns, [
      { url: `ws://127.0.0.1:${ports[0]}`, room: 'after-outage', name: 'x' },
      { url: `ws://127.0.0.1:${ports[1]}`, room: 'after-outage', name: 'y' },
    ]);
    children.push(x!, y!);
    x!.send('expect x,y');
    y!.send('expect x,y');
    expect((await x!.waitFor(/converged (\S+)/, 45_000))[1]).toBe('x,y');
    expect((await y!.waitFor(/converged (\S+)/, 45_000))[1]).toBe('x,y');
  });
});
