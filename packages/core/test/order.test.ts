import { describe, expect, it } from 'vitest';
import type { NodeId, SceneDoc } from '../src/index.js';
import { ROOT, expectConverged, makePeers, nid, syncAll } from './support/peers.js';
import { Rng } from './support/rng.js';

const PARENT = nid('PARENT0000');

function withParent(n: number): SceneDoc[] {
  const peers = makePeers(n);
  peers[0]!.addNode({ parent: ROOT, name: 'Parent', type: 'Node3D', id: PARENT });
  syncAll(peers);
  return peers;
}

function addRun(s: SceneDoc, tag: string, count: number, start?: number): NodeId[] {
  const ids: NodeId[] = [];
  for (let i = 0; i < count; i++) {
    ids.push(s.addNode({ parent: PARENT, name: `${tag}${i}`, type: 'Node3D', index: start === undefined ? undefined : start + i }));
  }
  return ids;
}

/** True when `run` appears in `list` as one contiguous block, in order. */
function contiguous(list: readonly string[], run: readonly string[]): boolean {
  const at = list.indexOf(run[0]!);
  return at >= 0 && run.every((id, i) => list[at + i] === id);
}

describe('R-ORDER-1 sibling order', () => {
  it('R-ORDER-1: inserts and moves at explicit indexes match an array model (seeded, 300 steps)', () => {
    const seed = 7001;
    const rng = new Rng(seed);
    const [s] = withParent(1);
    const model: NodeId[] = [];
    for (let step = 0; step < 300; step++) {
      if (model.length < 3 || rng.chance(0.55)) {
        const index = rng.int(0, model.length);
        const id = s!.addNode({ parent: PARENT, name: `n${step}`, type: 'Node3D', index });
        model.splice(index, 0, id);
        expect(s!.getNode(id)?.index, `seed ${seed} step ${step}`).toBe(index);
      } else {
        const from = rng.int(0, model.length - 1);
        const id = model[from]!;
        const to = rng.int(0, model.length - 1);
        s!.moveNode(id, PARENT, to);
        model.splice(from, 1);
        model.splice(to, 0, id);
        expect(s!.getNode(id)?.index, `seed ${seed} step ${step}`).toBe(to);
      }
      expect(s!.children(PARENT), `seed ${seed} step ${step}`).toEqual(model);
    }
    expectConverged([s!], model);
  });

  it('R-ORDER-1: 500 inserts at the front and 500 in one middle gap keep their exact order (dense keys)', () => {
    const [s] = withParent(1);
    const model: NodeId[] = [];
    for (let i = 0; i < 500; i++) model.unshift(s!.addNode({ parent: PARENT, name: 'f', type: 'Node3D', index: 0 }));
    for (let i = 0; i < 500; i++) model.splice(250, 0, s!.addNode({ parent: PARENT, name: 'm', type: 'Node3D', index: 250 }));
    expect(s!.children(PARENT)).toEqual(model);
    const [b] = makePeers(1, 99);
    syncAll([s!, b!]);
    expect(b!.children(PARENT)).toEqual(model);
  });

  it('R-ORDER-1: concurrent inserts into the same gap converge to one order on every peer', () => {
    const peers = withParent(3);
    const [a] = peers;
    const left = a!.addNode({ parent: PARENT, name: 'L', type: 'Node3D' });
    const right = a!.addNode({ parent: PARENT, name: 'R', type: 'Node3D' });
    syncAll(peers);
    const made = peers.map((p, i) => p.addNode({ parent: PARENT, name: `c${i}`, type: 'Node3D', index: 1 }));
    syncAll(peers);
    expectConverged(peers, [left, right, ...made]);
    const kids = peers[0]!.children(PARENT);
    expect(kids[0]).toBe(left);
    expect(kids[kids.length - 1]).toBe(right);
    expect(kids.slice(1, -1).sort()).toEqual([...made].sort());
  });
});

describe('R-ORDER-1 order keys are never reused', () => {
  it('R-ORDER-1: a key reused after a peer undoes a removal still lets a node be inserted between the two siblings', () => {
    const peers = withParent(2);
    const [a, b] = peers;
    const first = a!.addNode({ parent: PARENT, name: 'First', type: 'Node3D' });
    syncAll(peers);
    b!.stopCapturing();
    b!.removeNode(first);
    b!.stopCapturing();
    syncAll(peers);
    // PARENT is empty again on a: a's next insert must not get the key `first` had
    const second = a!.addNode({ parent: PARENT, name: 'Second', type: 'Node3D' });
    syncAll(peers);
    b!.undo(); // brings `first` back
    syncAll(peers);
    expect([...a!.children(PARENT)].sort()).toEqual([first, second].sort());
    const middle = a!.addNode({ parent: PARENT, name: 'Middle', type: 'Node3D', index: 1 });
    expect(a!.getNode(middle)?.index).toBe(1);
    const moved = b!.addNode({ parent: PARENT, name: 'Moved', type: 'Node3D' });
    b!.moveNode(moved, PARENT, 1);
    expect(b!.getNode(moved)?.index).toBe(1);
  });
});

describe('R-ORDER-2 no interleaving of concurrent runs', () => {
  it('R-ORDER-2: two peers appending three children each end with a1 a2 a3 b1 b2 b3 or b1 b2 b3 a1 a2 a3', () => {
    const peers = withParent(2);
    const [a, b] = peers;
    const ra = addRun(a!, 'a', 3);
    const rb = addRun(b!, 'b', 3);
    syncAll(peers);
    expectConverged(peers, [...ra, ...rb]);
    const kids = a!.children(PARENT);
    expect([[...ra, ...rb], [...rb, ...ra]]).toContainEqual(kids);
  });

  it('R-ORDER-2: runs typed into the same middle gap by three peers do not interleave', () => {
    const peers = withParent(3);
    const [a] = peers;
    const c1 = a!.addNode({ parent: PARENT, name: 'c1', type: 'Node3D' });
    const c2 = a!.addNode({ parent: PARENT, name: 'c2', type: 'Node3D' });
    syncAll(peers);
    // each peer inserts 5 nodes one after another right after c1 (index 1, 2, 3, ...)
    const runs = peers.map((p, i) => addRun(p, `p${i}_`, 5, 1));
    syncAll(peers);
    expectConverged(peers, [c1, c2, ...runs.flat()]);
    const kids = peers[0]!.children(PARENT);
    expect(kids[0]).toBe(c1);
    expect(kids[kids.length - 1]).toBe(c2);
    for (const run of runs) expect(contiguous(kids, run), `run ${run.join()} was split: ${kids.join()}`).toBe(true);
  });

  it('R-ORDER-2: runs at the front (index 0, 1, 2 …) by two peers do not interleave', () => {
    const peers = withParent(2);
    const [a, b] = peers;
    const tail = a!.addNode({ parent: PARENT, name: 'tail', type: 'Node3D' });
    syncAll(peers);
    const ra = addRun(a!, 'a', 4, 0);
    const rb = addRun(b!, 'b', 4, 0);
    syncAll(peers);
    expectConverged(peers, [tail, ...ra, ...rb]);
    const kids = a!.children(PARENT);
    expect(contiguous(kids, ra), kids.join()).toBe(true);
    expect(contiguous(kids, rb), kids.join()).toBe(true);
    expect(kids[kids.length - 1]).toBe(tail);
  });
});

describe('R-ORDER-3 concurrent reorders', () => {
  function fiveChildren(n: number) {
    const peers = withParent(n);
    const kids = addRun(peers[0]!, 's', 5);
    syncAll(peers);
    return { peers, kids };
  }

  it('R-ORDER-3: concurrent moves of the same node within its parent: one wins everywhere, the others keep their order', () => {
    const { peers, kids } = fiveChildren(2);
    const [a, b] = peers;
    const [s0, s1, s2, s3, s4] = kids;
    a!.moveNode(s4!, PARENT, 0);
    b!.moveNode(s4!, PARENT, 2);
    syncAll(peers);
    expectConverged(peers, kids);
    const got = a!.children(PARENT);
    expect([
      [s4, s0, s1, s2, s3],
      [s0, s1, s4, s2, s3],
    ]).toContainEqual(got);
  });

  it('R-ORDER-3: two concurrent moves of one node within the same parent: the higher Yjs client id wins, whatever the lamports', () => {
    for (const swap of [false, true]) {
      const { peers, kids } = fiveChildren(2);
      // `late` makes two more structural writes first, so its move carries the higher lamport
      const [late, early] = swap ? [peers[1]!, peers[0]!] : [peers[0]!, peers[1]!];
      const [s0, s1, s2, s3, s4] = kids;
      late.renameNode(s0!, 's0');
      late.renameNode(s1!, 's1');
      late.moveNode(s4!, PARENT, 0);
      early.moveNode(s4!, PARENT, 2);
      syncAll(peers);
      expectConverged(peers, kids);
      const winner = late.doc.clientID > early.doc.clientID ? 'late' : 'early';
      expect(late.children(PARENT), `swap=${swap}, winner ${winner}`).toEqual(
        winner === 'late' ? [s4, s0, s1, s2, s3] : [s0, s1, s4, s2, s3],
      );
    }
  });

  it('R-ORDER-3: concurrent reorders of different siblings both take effect', () => {
    const { peers, kids } = fiveChildren(2);
    const [a, b] = peers;
    const [s0, s1, s2, s3, s4] = kids;
    a!.moveNode(s4!, PARENT, 0);
    b!.moveNode(s0!, PARENT, 4);
    syncAll(peers);
    expectConverged(peers, kids);
    expect(a!.children(PARENT)).toEqual([s4, s1, s2, s3, s0]);
  });

  it('R-ORDER-3: three peers reversing the same five siblings concurrently converge to one order containing each once', () => {
    const { peers, kids } = fiveChildren(3);
    peers.forEach((p, i) => {
      // each peer reverses the list in its own way
      const order = i === 0 ? [...kids].reverse() : i === 1 ? [kids[2]!, kids[0]!, kids[4]!, kids[1]!, kids[3]!] : [kids[1]!, kids[0]!, kids[3]!, kids[2]!, kids[4]!];
      order.forEach((id, index) => p.moveNode(id, PARENT, index));
      expect(p.children(PARENT)).toEqual(order);
    });
    syncAll(peers);
    expectConverged(peers, kids);
    expect([...peers[0]!.children(PARENT)].sort()).toEqual([...kids].sort());
  });
});
