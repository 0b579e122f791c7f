import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { SceneDoc } from '@scenesync/core';
import { startBridgeServer, type BridgeServer } from '../../src/index.js';
import { seededRandom } from '../helpers/fixtures.js';

let servers: BridgeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

/** A protocol client that records every message it receives. */
class TestClient {
  readonly messages: Record<string, unknown>[] = [];
  private waiters: (() => void)[] = [];
  closedWith: number | null = null;
  constructor(readonly ws: WebSocket) {
    ws.on('message', (d) => {
      this.messages.push(JSON.parse(d.toString()));
      this.waiters.splice(0).forEach((w) => w());
    });
    ws.on('close', (code) => {
      this.closedWith = code;
      this.waiters.splice(0).forEach((w) => w());
    });
  }
  static async open(server: BridgeServer): Promise<TestClient> {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}`);
    await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
    return new TestClient(ws);
  }
  send(m: unknown): void {
    this.ws.send(typeof m === 'string' ? m : JSON.stringify(m));
  }
  async next(t: string, after = 0): Promise<Record<string, unknown>> {
    for (;;) {
      const found = this.messages.slice(after).find((m) => m.t === t);
      if (found) return found;
      if (this.closedWith !== null) throw new Error(`closed (${this.closedWith}) before a "${t}"`);
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }
  async hello(token: string): Promise<void> {
    this.send({ t: 'hello', v: 1, token, name: 'test' });
    await this.next('snapshot');
  }
}

async function serve(scene = new SceneDoc(new Y.Doc()), onSelect: ((ids: readonly string[]) => void) | null = null): Promise<{ scene: SceneDoc; server: BridgeServer }> {
  const server = await startBridgeServer(scene, { token: 'secret', onSelect });
  servers.push(server);
  return { scene, server };
}

describe('sidecar protocol (docs/bridge-protocol.md)', () => {
  it('B-HELLO: wrong token and wrong version are refused and closed; messages before hello get HELLO_FIRST', async () => {
    const { server } = await serve();
    const early = await TestClient.open(server);
    early.send({ t: 'ping', n: 1 });
    expect(await early.next('error')).toMatchObject({ code: 'HELLO_FIRST' });
    early.send({ t: 'hello', v: 1, token: 'wrong' });
    expect((await early.next('error', 1)).code).toBe('BAD_TOKEN');
    await expect(early.next('never')).rejects.toThrow(/closed \(4001\)/);
    const old = await TestClient.open(server);
    old.send({ t: 'hello', v: 99, token: 'secret' });
    expect(await old.next('error')).toMatchObject({ code: 'BAD_VERSION', supported: [1] });
    await expect(old.next('never')).rejects.toThrow(/closed \(4002\)/);
  });

  it('B-NET-1: listens on 127.0.0.1 only', async () => {
    const { server } = await serve();
    const other = new WebSocket(`ws://[::1]:${server.port}`);
    await expect(new Promise((r, j) => (other.once('open', r), other.once('error', j)))).rejects.toThrow();
  });

  it('B-HELLO-3 / B-OPS: welcome + snapshot, ops apply in order, changes reach other sessions but not the sender (B-ECHO)', async () => {
    const { scene, server } = await serve();
    scene.addNode({ parent: scene.rootId, name: 'Existing', type: 'Node3D' });
    const a = await TestClient.open(server);
    a.send({ t: 'hello', v: 1, token: 'secret', name: 'A' });
    expect(await a.next('welcome')).toMatchObject({ v: 1, peer: scene.doc.clientID });
    const snap = await a.next('snapshot');
    expect((snap.tree as { children: { name: string }[] }).children.map((c) => c.name)).toEqual(['Existing']);
    const b = await TestClient.open(server);
    await b.hello('secret');
    const bBefore = b.messages.length;
    a.send({ t: 'ops', ops: [
      { op: 'res_add', id: 'mesh1', type: 'BoxMesh', props: { size: 'Vector3(1, 2, 3)' } },
      { op: 'add', id: 'n1', parent: 'root', name: 'Box', type: 'MeshInstance3D', props: { mesh: { res: 'mesh1' }, transform: 'Transform3D(1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 2, 0)' } },
      { op: 'set', id: 'n1', key: 'visible', value: 'false' },
      { op: 'rename', id: 'n1', name: 'Crate' },
      { op: 'add', id: 'n2', parent: 'n1', name: 'Child', type: 'Node3D' },
      { op: 'move', id: 'n2', parent: 'root', index: 0 },
      { op: 'set', id: 'n1', key: 'script', value: { ext: 'res://crate.gd', type: 'Script' } },
    ] });
    const changes = await b.next('changes', bBefore);
    expect(changes.changes).toBeInstanceOf(Array);
    await new Promise((r) => setTimeout(r, 100));
    const node = scene.getNode('n1' as never)!;
    expect(node).toMatchObject({ name: 'Crate', type: 'MeshInstance3D' });
    expect(node.props).toMatchObject({ visible: false, mesh: { type: 'Resource', id: 'mesh1' }, script: { type: 'ExtResource', path: 'res://crate.gd', resourceType: 'Script' } });
    expect(node.props.transform).toEqual({ type: 'Transform3D', value: [1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 2, 0] });
    expect(scene.children(scene.rootId).map((id) => scene.getNode(id)!.name)).toEqual(['Child', 'Existing', 'Crate']);
    expect(scene.getResource('mesh1' as never)?.props.size).toEqual({ type: 'Vector3', value: [1, 2, 3] });
    // B-ECHO: A gets none of its own edits back, only the document's sibling order (B-ORDER).
    const toA = a.messages.filter((m) => m.t === 'changes').flatMap((m) => m.changes as { kind: string; parent?: string; children?: string[] }[]);
    expect(toA.every((c) => c.kind === 'order')).toBe(true);
    expect(toA.find((c) => c.parent === 'root')).toEqual({ kind: 'order', parent: 'root', children: scene.children(scene.rootId) });
    // Changes carry WireValues: B sees the transform as Variant text and the mesh as a ref.
    const all = b.messages.filter((m) => m.t === 'changes').flatMap((m) => m.changes as Record<string, unknown>[]);
    const added = all.find((c) => c.kind === 'added' && c.id === 'n1')!;
    expect((added.props as Record<string, unknown>).mesh).toEqual({ res: 'mesh1' });
    // A change made on the document directly (a remote peer) reaches both sessions.
    const aBefore = a.messages.length;
    scene.setProperty('n1' as never, 'visible', true);
    const remote = await a.next('changes', aBefore);
    expect(remote.changes).toEqual([{ kind: 'property', id: 'n1', key: 'visible', value: 'true' }]);
  });

  it('B-NAME: a name the document changes is reported back to the session that asked for it', async () => {
    const { server } = await serve();
    const a = await TestClient.open(server);
    await a.hello('secret');
    a.send({ t: 'ops', ops: [
      { op: 'add', id: 'x1', parent: 'root', name: 'Twin', type: 'Node3D' },
      { op: 'add', id: 'x2', parent: 'root', name: '@Node3D@2', type: 'Node3D' },
    ] });
    const changes = ((await a.next('changes')).changes as { kind: string; id: string; name: string }[]).filter((c) => c.kind !== 'order');
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ kind: 'renamed', id: 'x2', oldName: '@Node3D@2' });
    expect(changes[0]!.name).not.toContain('@');
  });

  it('B-OPS-2: refused ops are reported with their index; the rest of the batch applies', async () => {
    const { scene, server } = await serve();
    const a = await TestClient.open(server);
    await a.hello('secret');
    a.send({ t: 'ops', ops: [
      { op: 'remove', id: 'ghost' },
      { op: 'add', id: 'ok1', parent: 'root', name: 'Fine', type: 'Node3D' },
      { op: 'move', id: 'ok1', parent: 'ok1' },
    ] });
    const first = await a.next('error');
    expect(first).toMatchObject({ code: 'OP_REFUSED', op: 0 });
    await new Promise((r) => setTimeout(r, 50));
    expect(a.messages.filter((m) => m.t === 'error').map((m) => m.op)).toEqual([0, 2]);
    expect(scene.getNode('ok1' as never)?.name).toBe('Fine');
  });

  it('B-PRESENCE-1: the addon\'s selection goes to the room\'s presence, as given', async () => {
    const selections: Array<readonly string[]> = [];
    const { server } = await serve(undefined, (ids) => selections.push(ids));
    const a = await TestClient.open(server);
    await a.hello('secret');
    a.send({ t: 'select', ids: ['n1', 'n2'] });
    a.send({ t: 'select', ids: [] });
    a.send({ t: 'ping', n: 1 });
    await a.next('pong');
    expect(selections).toEqual([['n1', 'n2'], []]);
    expect(a.messages.filter((m) => m.t === 'error')).toEqual([]);
  });

  it('B-ERR-1: every malformed message gets an error reply, changes nothing and the server keeps serving (seeded fuzz)', async () => {
    const { scene, server } = await serve();
    const a = await TestClient.open(server);
    await a.hello('secret');
    const before = JSON.stringify(scene.toTree(), (_k, v) => (typeof v === 'bigint' ? String(v) : v));
    const fixed: unknown[] = [
      'not json', '[]', 'null', '5', '{"t":5}', '{"t":"nope"}', '{}', { t: 'ops' }, { t: 'ops', ops: 'x' },
      { t: 'ops', ops: [5] }, { t: 'ops', ops: [{ op: 'add' }] }, { t: 'ops', ops: [{ op: 'add', id: 'x', parent: 'root', name: 'n', type: 'Node3D', props: { p: 'Vector3(1, 2' } }] },
      { t: 'ops', ops: [{ op: 'set', id: 'root', key: 'k', value: 'Object(Node,"a":1)' }] },
      { t: 'ops', ops: [{ op: 'set', id: 'root', key: 'k', value: { res: 1 } }] },
      { t: 'ops', ops: [{ op: 'move', id: 'root', parent: 'root', index: -1 }] },
      { t: 'ops', ops: [{ op: 'set', id: 'root', key: 'k', value: 'Vector3(1, 2, 3) trailing' }] },
      { t: 'select' }, { t: 'select', ids: 'n1' }, { t: 'select', ids: [5] }, { t: 'select', ids: [''] },
      { t: 'select', ids: ['x'.repeat(65)] }, { t: 'select', ids: Array.from({ length: 1025 }, (_, i) => `n${i}`) },
    ];
    const seed = 4242;
    const rnd = seededRandom(seed);
    const alphabet = '{}[]":,tops01 \\xaddVector3()&^';
    for (let i = 0; i < 200; i++) {
      fixed.push(Array.from({ length: 1 + Math.floor(rnd() * 40) }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join(''));
    }
    for (const [i, m] of fixed.entries()) {
      const n = a.messages.length;
      a.send(m);
      const reply = await a.next('error', n);
      expect(reply.code, `message #${i} (seed ${seed}): ${JSON.stringify(m)}`).toBe('BAD_MESSAGE');
      expect(typeof reply.message).toBe('string');
    }
    expect(JSON.stringify(scene.toTree(), (_k, v) => (typeof v === 'bigint' ? String(v) : v))).toBe(before);
    a.send({ t: 'ping', n: 7 });
    expect(await a.next('pong')).toEqual({ t: 'pong', n: 7 });
  });
});
