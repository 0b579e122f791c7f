import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { relayRoomTransport, startSidecar, startUpdateRelay, type Sidecar, type UpdateRelay } from '../../src/index.js';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

/** Connects to a sidecar as an addon would and collects what it receives. */
async function addon(sidecar: Sidecar): Promise<{ ws: WebSocket; got: Record<string, any>[] }> {
  const ws = new WebSocket(`ws://127.0.0.1:${sidecar.server.port}`);
  const got: Record<string, any>[] = [];
  ws.on('message', (d) => got.push(JSON.parse(d.toString())));
  await new Promise((r) => ws.once('open', r));
  ws.send(JSON.stringify({ t: 'hello', v: 1, token: sidecar.server.token, name: 'test' }));
  open.push({ close: async () => ws.close() });
  return { ws, got };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
  expect(check()).toBe(true);
}

describe('the relay room transport (sidecars joined through an update relay, no WebRTC)', () => {
  it('an op sent to one sidecar reaches the other sidecar\'s addon; a sidecar that joins late gets the whole document', async () => {
    const relay: UpdateRelay = await startUpdateRelay();
    open.push(relay);
    const url = `ws://127.0.0.1:${relay.port}/room-1`;
    const a = await startSidecar({ transport: relayRoomTransport(url) });
    open.push(a);
    const b = await startSidecar({ transport: relayRoomTransport(url) });
    open.push(b);
    const addonA = await addon(a);
    const addonB = await addon(b);
    await until(() => addonA.got.some((m) => m.t === 'snapshot') && addonB.got.some((m) => m.t === 'snapshot'));
    addonA.ws.send(JSON.stringify({ t: 'ops', ops: [{ op: 'add', id: 'relayed1', parent: 'root', name: 'Relayed', type: 'Node3D', props: { visible: 'false' } }] }));
    await until(() => addonB.got.some((m) => m.t === 'changes' && m.changes.some((c: any) => c.kind === 'added' && c.id === 'relayed1')));
    const added = addonB.got.flatMap((m) => (m.t === 'changes' ? m.changes : [])).find((c: any) => c.id === 'relayed1');
    expect(added).toMatchObject({ name: 'Relayed', type: 'Node3D', props: { visible: 'false' } });
    // Streaming without a room stream falls back to the document (B-STREAM-2).
    addonA.ws.send(JSON.stringify({ t: 'stream', nodes: [['relayed1', 'Transform3D(1, 0, 0, 0, 1, 0, 0, 0, 1, 3, 0, 0)']] }));
    await until(() => (b.scene.getNode('relayed1' as never)?.props.transform as { value?: number[] } | undefined)?.value?.[9] === 3);
    const c = await startSidecar({ transport: relayRoomTransport(url) });
    open.push(c);
    const addonC = await addon(c);
    await until(() => addonC.got.some((m) => m.t === 'snapshot'));
    const snapshot = addonC.got.find((m) => m.t === 'snapshot')!;
    expect(snapshot.tree.children.map((n: any) => n.name)).toEqual(['Relayed']);
  });
});
