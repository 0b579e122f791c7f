import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { SceneDoc, type ChangeInfo, type SceneChange } from '../src/index.js';
import { canon } from './support/canon.js';
import { SimNetwork } from './support/network.js';
import { ROOT, attachMirror, captureUpdate, deliver, makePeers, nid, syncAll } from './support/peers.js';
import { OracleError, randomOp, type OpWorld } from './support/random-ops.js';
import { Rng, envInt } from './support/rng.js';

const P = nid('PPPPPPPPPP');
const C1 = nid('C1C1C1C1C1');
const C2 = nid('C2C2C2C2C2');
const Q = nid('QQQQQQQQQQ');

function base(n = 2) {
  const peers = makePeers(n);
  const a = peers[0]!;
  a.addNode({ parent: ROOT, name: 'P', type: 'Node3D', id: P });
  a.addNode({ parent: P, name: 'C1', type: 'Node3D', id: C1, props: { visible: true } });
  a.addNode({ parent: P, name: 'C2', type: 'Node3D', id: C2 });
  a.addNode({ parent: ROOT, name: 'Q', type: 'Node3D', id: Q });
  syncAll(peers);
  return peers;
}

/** Records every observe() call of a scene. */
function record(scene: SceneDoc) {
  const calls: { changes: SceneChange[]; info: ChangeInfo }[] = [];
  const off = scene.observe((changes, info) => calls.push({ changes: [...changes], info }));
  return { calls, off, all: () => calls.flatMap((c) => c.changes) };
}

describe('R-EVENT change lists for local edits', () => {
  it('R-EVENT: each local edit is reported as exactly one minimal change, with info.local', () => {
    const [a] = base(1);
    const rec = record(a!);
    const id = a!.addNode({ parent: P, name: 'New', type: 'Camera3D', index: 1, props: { fov: 70 } });
    a!.setProperty(id, 'fov', 60);
    a!.deleteProperty(id, 'fov');
    a!.renameNode(id, 'Cam');
    a!.moveNode(id, Q, 0);
    a!.removeNode(P);
    const res = a!.addResource({ type: 'BoxMesh', props: { size: { type: 'Vector3', value: [1, 2, 3] } } });
    a!.setResourceProperty(res, 'size', { type: 'Vector3', value: [2, 2, 2] });
    a!.removeResource(res);
    expect(rec.calls.map((c) => c.changes.length)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(rec.calls.every((c) => c.info.local)).toBe(true);
    expect(canon(rec.all())).toBe(
      canon([
        { kind: 'added', id, parent: P, index: 1, name: 'New', type: 'Camera3D', props: { fov: 70 } },
        { kind: 'property', id, key: 'fov', value: 60 },
        { kind: 'property', id, key: 'fov', value: undefined },
        { kind: 'renamed', id, name: 'Cam', oldName: 'New' },
        { kind: 'moved', id, parent: Q, index: 0, oldParent: P },
        { kind: 'removed', id: P, parent: ROOT },
        { kind: 'resourceAdded', id: res, type: 'BoxMesh', props: { size: { type: 'Vector3', value: [1, 2, 3] } } },
        { kind: 'resourceProperty', id: res, key: 'size', value: { type: 'Vector3', value: [2, 2, 2] } },
        { kind: 'resourceRemoved', id: res },
      ]),
    );
  });

  it('R-EVENT: a transaction is reported once, with its origin, and the listener can be removed', () => {
    const [a] = base(1);
    const rec = record(a!);
    const origin = { tool: 'test' };
    a!.transact(() => {
      a!.setProperty(C1, 'a', 1);
      a!.setProperty(C2, 'b', 2);
      a!.renameNode(Q, 'Q2');
    }, origin);
    expect(rec.calls).toHaveLength(1);
    expect(rec.calls[0]!.changes).toHaveLength(3);
    expect(rec.calls[0]!.info.origin).toBe(origin);
    expect(rec.calls[0]!.info.local).toBe(true);
    rec.off();
    a!.setProperty(C1, 'a', 2);
    expect(rec.calls).toHaveLength(1);
  });

  it('R-EVENT: remote transactions are reported with local false and the provider origin', () => {
    const [a, b] = base(2);
    const rec = record(b!);
    const u = captureUpdate(a!, () => a!.setProperty(C1, 'x', 1.5));
    const origin = { provider: 'sim' };
    Y.applyUpdate(b!.doc, u, origin);
    expect(rec.calls).toHaveLength(1);
    expect(rec.calls[0]!.info.local).toBe(false);
    expect(rec.calls[0]!.info.origin).toBe(origin);
    expect(canon(rec.calls[0]!.changes)).toBe(canon([{ kind: 'property', id: C1, key: 'x', value: 1.5 }]));
  });

  it('R-EVENT-1: removing a subtree reports only its top', () => {
    const [a, b] = base(2);
    const rec = record(b!);
    deliver(b!, captureUpdate(a!, () => a!.removeNode(P)));
    expect(canon(rec.all())).toBe(canon([{ kind: 'removed', id: P, parent: ROOT }]));
  });
});

describe('R-EVENT-1, R-EVENT-2 change lists apply to a live engine tree', () => {
  it('R-EVENT-1: a remote subtree arrives parents first (one update with a 3-level tree)', () => {
    const [a, b] = base(2);
    const watch = attachMirror(b!);
    const u = captureUpdate(a!, () =>
      a!.transact(() => {
        const g = a!.addNode({ parent: C2, name: 'G', type: 'Node3D' });
        const h = a!.addNode({ parent: g, name: 'H', type: 'Node3D' });
        a!.addNode({ parent: h, name: 'I', type: 'Node3D' });
        a!.addNode({ parent: g, name: 'J', type: 'Node3D', index: 0 });
      }),
    );
    deliver(b!, u);
    watch.check();
    const adds = watch.lists.flatMap((l) => l.changes).filter((c) => c.kind === 'added');
    expect(adds).toHaveLength(4);
  });

  it('R-EVENT: a node added and given a property in one transaction arrives with that property, locally and remotely', () => {
    const [a, b] = base(2);
    const wa = attachMirror(a!);
    const wb = attachMirror(b!);
    deliver(
      b!,
      captureUpdate(a!, () =>
        a!.transact(() => {
          const g = a!.addNode({ parent: ROOT, name: 'G', type: 'Node3D', props: { a: 1 } });
          const k = a!.addNode({ parent: g, name: 'K', type: 'Node3D' });
          a!.setProperty(k, 'visible', false);
          a!.setProperty(g, 'a', 2);
          a!.renameNode(k, 'K2');
          a!.moveNode(k, ROOT, 0);
        }),
      ),
    );
    wa.check();
    wb.check();
  });

  it('R-EVENT-1: a child moved out of a subtree that is removed in the same transaction is moved first', () => {
    const [a, b] = base(2);
    const watch = attachMirror(b!);
    deliver(
      b!,
      captureUpdate(a!, () =>
        a!.transact(() => {
          a!.moveNode(C1, Q);
          a!.removeNode(P);
        }),
      ),
    );
    watch.check();
    const kinds = watch.lists.flatMap((l) => l.changes).map((c) => `${c.kind}:${c.id}`);
    expect(kinds.indexOf(`moved:${C1}`)).toBeGreaterThanOrEqual(0);
    expect(kinds.indexOf(`moved:${C1}`)).toBeLessThan(kinds.indexOf(`removed:${P}`));
  });

  it('R-EVENT-2: several inserts at the front of one parent in one transaction use indexes valid at each point', () => {
    const [a, b] = base(2);
    const watch = attachMirror(b!);
    deliver(
      b!,
      captureUpdate(a!, () =>
        a!.transact(() => {
          for (let i = 0; i < 6; i++) a!.addNode({ parent: P, name: `F${i}`, type: 'Node3D', index: i % 2 ? 0 : 2 });
          a!.moveNode(C2, P, 0);
          a!.moveNode(C1, P, 3);
        }),
      ),
    );
    watch.check();
  });

  it('R-EVENT: swapping two sibling names in one transaction reproduces the new names', () => {
    const [a, b] = base(2);
    const watch = attachMirror(b!);
    deliver(
      b!,
      captureUpdate(a!, () =>
        a!.transact(() => {
          a!.renameNode(C1, 'C2');
          a!.renameNode(C2, 'C1');
        }),
      ),
    );
    watch.check();
    expect(b!.getNode(C1)?.name).toBe('C2');
  });

  it('R-EVENT: a sibling name taken over by a remote node is reported as a rename of the local node', () => {
    const [a, b] = makePeers(2);
    const low = nid('AAAAAAAAAA');
    const high = nid('ZZZZZZZZZZ');
    a!.addNode({ parent: ROOT, name: 'Box', type: 'Node3D', id: low });
    b!.addNode({ parent: ROOT, name: 'Box', type: 'Node3D', id: high });
    const watch = attachMirror(b!);
    syncAll([a!, b!]);
    watch.check();
    expect(b!.getNode(high)?.name).toBe('Box2');
    expect(watch.lists.flatMap((l) => l.changes)).toContainEqual({ kind: 'renamed', id: high, name: 'Box2', oldName: 'Box' });
  });

  it('R-EVENT: a resolved move cycle (P→Q here, Q→P remote) is reported so the mirror follows', () => {
    const [a, b] = base(2);
    const watch = attachMirror(b!);
    a!.moveNode(P, Q);
    b!.moveNode(Q, P);
    syncAll([a!, b!]);
    watch.check();
  });

  it('R-EVENT: undoing a removal re-adds the subtree with its properties, parents first', () => {
    const [a] = base(1);
    a!.stopCapturing();
    const watch = attachMirror(a!);
    a!.removeNode(P);
    a!.stopCapturing();
    a!.undo();
    watch.check();
    expect(a!.getProperty(C1, 'visible')).toBe(true);
  });
});

describe('R-EVENT-3 the change list is proportional to what changed', () => {
  it('R-EVENT-3: one edit in a 20,000-node tree yields one change, locally and remotely', () => {
    const big = { id: 'root', name: 'Root', type: 'Node3D', props: {}, children: [] as never[], resources: {} };
    const parents: { children: unknown[] }[] = [big];
    let count = 0;
    for (let i = 0; count < 20_000; i++) {
      const parent = parents[i]!;
      for (let k = 0; k < 10 && count < 20_000; k++, count++) {
        const node = { id: `b${String(count).padStart(9, '0')}`, name: `N${count}`, type: 'Node3D', props: { v: count }, children: [] };
        parent.children.push(node);
        parents.push(node);
      }
    }
    const a = SceneDoc.fromTree(big);
    const bdoc = new Y.Doc();
    Y.applyUpdate(bdoc, Y.encodeStateAsUpdate(a.doc));
    const b = new SceneDoc(bdoc);
    const ra = record(a);
    const rb = record(b);
    const target = nid('b000019999');
    deliver(b, captureUpdate(a, () => a.setProperty(target, 'v', 1.25)));
    deliver(b, captureUpdate(a, () => a.addNode({ parent: target, name: 'Leaf', type: 'Node3D' })));
    deliver(b, captureUpdate(a, () => a.moveNode(target, ROOT, 0)));
    for (const r of [ra, rb]) {
      expect(r.calls.map((c) => c.changes.length)).toEqual([1, 1, 1]);
      expect(r.all().map((c) => c.kind)).toEqual(['property', 'added', 'moved']);
    }
  });
});

describe('R-EVENT under random remote updates (seeded)', () => {
  const SCHEDULES = envInt('SCENESYNC_EVENT_SCHEDULES', 150);
  const BASE = envInt('SCENESYNC_SEED', 5000);
  it(`R-EVENT: ${SCHEDULES} seeded schedules; after every delivery every peer's observe() mirror equals its toTree()`, () => {
    for (let seed = BASE; seed < BASE + SCHEDULES; seed++) {
      const rng = new Rng(seed);
      const net = new SimNetwork(rng, 3, { maxDelay: 3, duplicate: 0.2 });
      const world: OpWorld = { rng, everIds: [], everResources: [], stats: new Map() };
      const where = (what: string) =>
        `seed ${seed}: ${what}\nreplay: SCENESYNC_SEED=${seed} SCENESYNC_EVENT_SCHEDULES=1 npx vitest run packages/core/test/events.test.ts`;
      for (let step = 0; step < 20; step++) {
        try {
          randomOp(world, rng.pick(net.peers));
        } catch (e) {
          if (e instanceof OracleError) throw new Error(where(e.message));
          throw e;
        }
        if (rng.chance(0.1) && !net.partitioned) net.partition();
        else if (net.partitioned && rng.chance(0.3)) net.heal();
        net.tick();
        for (const p of net.peers) {
          if (p.mirrorError) throw new Error(where(`peer ${p.index}: ${p.mirrorError.message}`));
          const got = canon(p.mirror.toTree());
          const want = canon(p.scene.toTree());
          if (got !== want) throw new Error(where(`peer ${p.index} mirror differs at step ${step}:\n mirror=${got}\n tree  =${want}`));
        }
      }
      net.settle();
      for (const p of net.peers) {
        if (p.mirrorError) throw new Error(where(`peer ${p.index}: ${p.mirrorError.message}`));
        expect(canon(p.mirror.toTree()), where(`peer ${p.index} after settle`)).toBe(canon(p.scene.toTree()));
        expect(p.localFlagWrong, where('info.local wrong')).toBe(0);
      }
    }
  }, 120_000);
});
