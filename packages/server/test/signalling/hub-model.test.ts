// Seeded randomised check of the fan-out rules [SIG-1][SIG-2][SIG-4] against a model: many clients
// subscribe, unsubscribe and publish in random order; every publish must reach exactly the
// clients subscribed to its room at that moment (with their number as `clients`), and publishes
// by non-members reach nobody. A failure names its seed: replay with SCENESYNC_SEED=<n>.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type ScenesyncServer } from '../../src/index.js';
import { SignalClient } from '../support/ws-client.js';
import { SeededRandom, testSeed } from '../support/random.js';

const seed = testSeed();
const tag = `SCENESYNC_SEED=${seed}`;

describe(`fan-out against a model (${tag})`, () => {
  let server: ScenesyncServer;
  let url: string;

  beforeAll(async () => {
    server = createServer({ port: 0, dataDir: mkdtempSync(join(tmpdir(), 'ss-model-')), log: () => {} });
    url = `ws://127.0.0.1:${(await server.listen()).port}`;
  });

  afterAll(async () => {
    await server?.close();
  });

  it('delivers every publish to exactly the current members of its room', async () => {
    const rnd = new SeededRandom(seed);
    const rooms = ['r0', 'r1', 'r2', 'r3'];
    const clients = await Promise.all(Array.from({ length: 10 }, () => SignalClient.connect(url)));
    const members = new Map(rooms.map((r) => [r, new Set<number>()]));
    const expected = new Map<string, { room: string; receivers: Set<number> }>();
    for (let op = 0; op < 400; op++) {
      const who = rnd.int(clients.length);
      const client = clients[who]!;
      const room = rnd.pick(rooms);
      const kind = rnd.int(10);
      if (kind < 3) {
        client.send({ type: 'subscribe', topics: [room] });
        members.get(room)!.add(who);
        await client.sync();
      } else if (kind < 5) {
        client.send({ type: 'unsubscribe', topics: [room] });
        members.get(room)!.delete(who);
        await client.sync();
      } else {
        const id = `m${op}`;
        const receivers = members.get(room)!.has(who) ? new Set(members.get(room)) : new Set<number>();
        expected.set(id, { room, receivers });
        client.send({ type: 'publish', topic: room, data: { id } });
        for (const r of receivers) {
          const got = await clients[r]!.next((m) => m.type === 'publish' && m.data?.id === id);
          expect(got, `${tag} op ${op}`).toEqual({ type: 'publish', topic: room, data: { id }, clients: receivers.size });
        }
        await client.sync();
      }
    }
    await Promise.all(clients.map((c) => c.sync()));
    for (const [i, c] of clients.entries()) {
      const got = c.messages.filter((m) => m.type === 'publish').map((m) => m.data.id as string);
      const want = [...expected].filter(([, e]) => e.receivers.has(i)).map(([id]) => id);
      expect(got, `${tag}: client ${i} received exactly its rooms' publishes, in order`).toEqual(want);
    }
    expect(expected.size, tag).toBeGreaterThan(100);
    for (const c of clients) c.close();
  });
});
