import { describe, expect, it } from 'vitest';
import type { SceneDoc } from '../src/index.js';
import {
  ROOT,
  attachMirror,
  captureUpdate,
  deliver,
  expectConverged,
  expectRefused,
  makePeers,
  nid,
  sendTo,
  syncAll,
} from './support/peers.js';
import { parentInTree } from './support/tree-check.js';

// Fixed ids (10 characters of [0-9A-Za-z]) so the id tie-breaks of R-TREE-2 are known in advance:
// P < Q < R < X lexicographically.
const P = nid('PPPPPPPPPP');
const Q = nid('QQQQQQQQQQ');
const R = nid('RRRRRRRRRR');
const X = nid('XXXXXXXXXX');
const C1 = nid('C1C1C1C1C1');
const C2 = nid('C2C2C2C2C2');
const ALL = [P, Q, R, X, C1, C2];

/**
 * Two (or more) synced peers holding
 *   root ─ P ─ C1, C2
 *        ─ Q
 *        ─ R
 *        ─ X
 */
function base(n = 2): SceneDoc[] {
  const peers = makePeers(n);
  const a = peers[0]!;
  a.addNode({ parent: ROOT, name: 'P', type: 'Node3D', id: P });
  a.addNode({ parent: P, name: 'C1', type: 'Node3D', id: C1 });
  a.addNode({ parent: P, name: 'C2', type: 'Node3D', id: C2 });
  a.addNode({ parent: ROOT, name: 'Q', type: 'Node3D', id: Q });
  a.addNode({ parent: ROOT, name: 'R', type: 'Node3D', id: R });
  a.addNode({ parent: ROOT, name: 'X', type: 'Node3D', id: X });
  syncAll(peers);
  return peers;
}

/** One structural write that bumps a peer's Lamport clock (R-CLOCK) without touching P, Q, R, X. */
function bumpClock(s: SceneDoc, times = 1): void {
  for (let i = 0; i < times; i++) s.renameNode(C2, 'C2');
  // a rename of an unrelated node writes a lamport-stamped `names` entry
  s.addNode({ parent: C2, name: 'bump', type: 'Node3D' });
}

describe('R-TREE-1 edges and the preferred parent', () => {
  it('R-TREE-1: a move takes effect locally at once and reaches every peer', () => {
    const [a, b] = base();
    a!.moveNode(X, P);
    expect(a!.parentOf(X)).toBe(P);
    expect(a!.children(P)).toEqual([C1, C2, X]);
    syncAll([a!, b!]);
    expect(b!.parentOf(X)).toBe(P);
    expectConverged([a!, b!], ALL);
  });

  it('R-TREE-1: moving a node back to a former parent uses that parent again (edges are kept per parent)', () => {
    const [a, b] = base();
    a!.moveNode(X, P);
    a!.moveNode(X, Q);
    a!.moveNode(X, P);
    syncAll([a!, b!]);
    expect(b!.parentOf(X)).toBe(P);
    b!.moveNode(X, ROOT);
    syncAll([a!, b!]);
    expect(a!.parentOf(X)).toBe(ROOT);
    expectConverged([a!, b!], ALL);
  });

  it('R-TREE-1: concurrent moves of one node to two parents with equal lamports: the higher parent id wins on every peer', () => {
    const [a, b] = base();
    a!.moveNode(X, Q);
    b!.moveNode(X, R);
    syncAll([a!, b!]);
    // equal lamports (both peers had seen the same history): tie broken by parent id, R > Q
    expect(a!.parentOf(X)).toBe(R);
    expectConverged([a!, b!], ALL);
  });

  it('R-TREE-1, R-CLOCK: the move with the higher lamport wins even against a higher parent id and client id', () => {
    const peers = base(2);
    const [a, b] = peers; // b has the higher Yjs client id
    bumpClock(a!, 2);
    a!.moveNode(X, Q); // higher lamport than b's move below
    b!.moveNode(X, R);
    syncAll(peers);
    expect(a!.parentOf(X)).toBe(Q);
    expect(b!.parentOf(X)).toBe(Q);
    expectConverged(peers, ALL);
  });

  it('R-CLOCK: a move made after seeing another move wins, whatever the client ids', () => {
    const peers = base(2);
    const [a, b] = peers;
    b!.moveNode(X, R); // higher client id
    syncAll(peers);
    a!.moveNode(X, Q); // lower client id, but a has seen b's move: its lamport is higher
    syncAll(peers);
    expect(b!.parentOf(X)).toBe(Q);
    expectConverged(peers, ALL);
  });
});

describe('R-TREE-2 cycles from concurrent moves (Kleppmann et al. 2021)', () => {
  it('R-TREE-2: concurrent P→Q and Q→P with equal lamports: the higher child id falls back, the other move stays', () => {
    const peers = base(2);
    const [a, b] = peers;
    a!.moveNode(P, Q);
    b!.moveNode(Q, P);
    syncAll(peers);
    const tree = expectConverged(peers, ALL);
    // (lamport, childId): Q's edge is the higher, so Q's move is skipped
    expect(parentInTree(tree, P)).toBe(Q);
    expect(parentInTree(tree, Q)).toBe(ROOT);
  });

  it('R-TREE-2: concurrent P→Q and Q→P: the later move (higher lamport) is the one skipped', () => {
    const peers = base(2);
    const [a, b] = peers;
    bumpClock(a!, 2);
    a!.moveNode(P, Q); // later
    b!.moveNode(Q, P); // earlier
    syncAll(peers);
    const tree = expectConverged(peers, ALL);
    expect(parentInTree(tree, Q)).toBe(P);
    expect(parentInTree(tree, P)).toBe(ROOT);
  });

  it('R-TREE-2: the result does not depend on the order the updates arrive in', () => {
    for (const order of [0, 1]) {
      const peers = base(3);
      const [a, b, c] = peers;
      a!.moveNode(P, Q);
      b!.moveNode(Q, P);
      if (order === 0) {
        sendTo(a!, c!);
        sendTo(b!, c!);
      } else {
        sendTo(b!, c!);
        sendTo(a!, c!);
      }
      syncAll(peers);
      const tree = expectConverged(peers, ALL);
      expect(parentInTree(tree, P)).toBe(Q);
    }
  });

  it('R-TREE-2: a three-node cycle from three peers resolves by skipping only the highest (lamport, childId) edge', () => {
    const peers = base(3);
    const [a, b, c] = peers;
    a!.moveNode(P, Q);
    b!.moveNode(Q, R);
    c!.moveNode(R, P);
    syncAll(peers);
    const tree = expectConverged(peers, ALL);
    // all three edges have the same lamport; R's is the highest child id: R stays at the root
    expect(parentInTree(tree, R)).toBe(ROOT);
    expect(parentInTree(tree, Q)).toBe(R);
    expect(parentInTree(tree, P)).toBe(Q);
  });

  it('R-TREE-2: a long cycle through deep subtrees still yields one valid tree on every peer', () => {
    const peers = makePeers(4);
    const chains: string[][] = [];
    // four chains of depth 5 under the root, made on peer 0
    for (let c = 0; c < 4; c++) {
      let parent = ROOT as string;
      const chain: string[] = [];
      for (let d = 0; d < 5; d++) {
        const id = `chain${c}${d}xxx`.slice(0, 10);
        peers[0]!.addNode({ parent: parent as never, name: `n${d}`, type: 'Node3D', id });
        chain.push(id);
        parent = id;
      }
      chains.push(chain);
    }
    syncAll(peers);
    // each peer moves the top of one chain under the bottom of the next: a 20-node cycle
    peers.forEach((p, c) => p.moveNode(nid(chains[c]![0]!), nid(chains[(c + 1) % 4]![4]!)));
    syncAll(peers);
    const tree = expectConverged(peers, chains.flat());
    // exactly one of the four moves is skipped
    const skipped = chains.filter((ch) => parentInTree(tree, ch[0]!) === ROOT).length;
    expect(skipped).toBe(1);
  });

  it('R-TREE-2: moving the surviving node again after a resolved conflict keeps it where asked (no resurrected move)', () => {
    const peers = base(2);
    const [a, b] = peers;
    a!.moveNode(P, Q);
    b!.moveNode(Q, P);
    syncAll(peers);
    // P is under Q, Q at the root (Q's move was skipped). Now reorder P inside Q, on either peer.
    a!.addNode({ parent: Q, name: 'Sibling', type: 'Node3D', id: nid('SSSSSSSSSS') });
    a!.moveNode(P, Q, 1);
    expect(a!.parentOf(P), 'the local move did not take effect').toBe(Q);
    expect(a!.parentOf(Q)).toBe(ROOT);
    syncAll(peers);
    const tree = expectConverged(peers, [...ALL, 'SSSSSSSSSS']);
    expect(parentInTree(tree, P)).toBe(Q);
    expect(parentInTree(tree, Q)).toBe(ROOT);
  });

  it('R-TREE-2b: after a resolved conflict, moving the survivor to the root leaves the other node where it was', () => {
    const peers = base(2);
    const [a, b] = peers;
    a!.moveNode(P, Q);
    b!.moveNode(Q, P);
    syncAll(peers);
    // P under Q; Q's losing edge Q→P is still in the document
    b!.moveNode(P, ROOT);
    expect(b!.parentOf(Q), 'a local move moved another node').toBe(ROOT);
    syncAll(peers);
    const tree = expectConverged(peers, ALL);
    expect(parentInTree(tree, P)).toBe(ROOT);
    expect(parentInTree(tree, Q)).toBe(ROOT);
  });

  it('R-TREE-2b: after a three-way conflict, each peer moving nodes afterwards moves only its own node', () => {
    const peers = base(3);
    const [a, b, c] = peers;
    a!.moveNode(P, Q);
    b!.moveNode(Q, R);
    c!.moveNode(R, P);
    syncAll(peers);
    for (const [s, node, parent] of [
      [a!, P, ROOT],
      [b!, R, X],
      [c!, Q, ROOT],
    ] as const) {
      const before = ALL.filter((id) => id !== node).map((id) => `${id}<${s.parentOf(id)}`);
      s.moveNode(node, parent);
      expect(s.parentOf(node)).toBe(parent);
      expect(ALL.filter((id) => id !== node).map((id) => `${id}<${s.parentOf(id)}`)).toEqual(before);
      syncAll(peers);
    }
    expectConverged(peers, ALL);
  });

  it('R-TREE-2 (API): a move under the node itself or its own descendant throws CYCLE and changes nothing', () => {
    const [a] = base(1);
    expectRefused(a!, 'CYCLE', () => a!.moveNode(P, C1));
    expectRefused(a!, 'CYCLE', () => a!.moveNode(P, P));
    a!.moveNode(Q, C1);
    expectRefused(a!, 'CYCLE', () => a!.moveNode(P, Q));
  });
});

describe('R-TREE-3 deletion races', () => {
  it('R-TREE-3: removing a node removes its subtree, and undoing the removal brings it back', () => {
    const [a] = base(1);
    a!.stopCapturing();
    a!.removeNode(P);
    expect(a!.hasNode(P)).toBe(false);
    expect(a!.hasNode(C1)).toBe(false);
    expect(a!.hasNode(C2)).toBe(false);
    expect(a!.getNode(C1)).toBeUndefined();
    a!.undo();
    expect(a!.children(P)).toEqual([C1, C2]);
    expectConverged([a!], ALL);
  });

  it('R-TREE-3a: a child moved out of a concurrently removed parent survives where it was moved', () => {
    const peers = base(2);
    const [a, b] = peers;
    a!.removeNode(P);
    b!.moveNode(C1, Q);
    syncAll(peers);
    const tree = expectConverged(peers, ALL);
    expect(parentInTree(tree, C1)).toBe(Q);
    expect(a!.hasNode(P)).toBe(false);
    expect(a!.hasNode(C2)).toBe(false);
  });

  it('R-TREE-3b: a node moved into a concurrently removed subtree is removed with it', () => {
    const peers = base(2);
    const [a, b] = peers;
    a!.removeNode(P);
    b!.moveNode(X, C1); // into the subtree a removes
    syncAll(peers);
    expectConverged(peers, ALL);
    for (const s of peers) {
      expect(s.hasNode(X)).toBe(false);
      expect(s.hasNode(P)).toBe(false);
    }
  });

  it('R-TREE-3b: a node added under a concurrently removed node is removed with it', () => {
    const peers = base(2);
    const [a, b] = peers;
    a!.removeNode(P);
    const fresh = b!.addNode({ parent: C2, name: 'Late', type: 'Node3D' });
    syncAll(peers);
    expectConverged(peers, [...ALL, fresh]);
    expect(a!.hasNode(fresh)).toBe(false);
    expect(b!.hasNode(fresh)).toBe(false);
  });

  it('R-TREE-3: undoing a removal also brings back what a peer moved into the subtree meanwhile', () => {
    const peers = base(2);
    const [a, b] = peers;
    a!.stopCapturing();
    a!.removeNode(P);
    b!.moveNode(X, C1);
    syncAll(peers);
    a!.undo();
    syncAll(peers);
    const tree = expectConverged(peers, ALL);
    expect(parentInTree(tree, X)).toBe(C1);
    expect(parentInTree(tree, C1)).toBe(P);
  });
});

describe('R-TREE-4 edits to a node another peer removed', () => {
  it('R-TREE-4: concurrent rename, property and move of a removed node have no visible effect and converge', () => {
    const peers = base(2);
    const [a, b] = peers;
    a!.stopCapturing();
    a!.removeNode(P);
    b!.renameNode(C1, 'Renamed');
    b!.setProperty(C1, 'visible', false);
    b!.moveNode(C2, P, 0);
    b!.setProperty(P, 'visible', false);
    syncAll(peers);
    expectConverged(peers, ALL);
    for (const s of peers) for (const id of [P, C1, C2]) expect(s.hasNode(id)).toBe(false);
  });

  it('R-TREE-4: the API refuses edits to a node removed by a peer with UNKNOWN_NODE and writes nothing', () => {
    const peers = base(2);
    const [a, b] = peers;
    a!.removeNode(P);
    syncAll(peers);
    expectRefused(b!, 'UNKNOWN_NODE', () => b!.setProperty(C1, 'visible', true));
    expectRefused(b!, 'UNKNOWN_NODE', () => b!.renameNode(C1, 'Other'));
    expectRefused(b!, 'UNKNOWN_NODE', () => b!.moveNode(C1, Q));
    expectRefused(b!, 'UNKNOWN_NODE', () => b!.moveNode(Q, C1));
    expectRefused(b!, 'UNKNOWN_NODE', () => b!.removeNode(C1));
    expectRefused(b!, 'UNKNOWN_NODE', () => b!.addNode({ parent: P, name: 'n', type: 'Node3D' }));
    expectRefused(b!, 'UNKNOWN_NODE', () => b!.deleteProperty(P, 'visible'));
  });

  it('R-TREE-4: edits kept in the document show up when the removal is undone', () => {
    const peers = base(2);
    const [a, b] = peers;
    a!.stopCapturing();
    a!.removeNode(P);
    b!.renameNode(C1, 'Renamed');
    b!.setProperty(C1, 'visible', false);
    syncAll(peers);
    a!.undo();
    syncAll(peers);
    expectConverged(peers, ALL);
    expect(b!.getNode(C1)?.name).toBe('Renamed');
    expect(b!.getProperty(C1, 'visible')).toBe(false);
  });
});

describe('R-TREE-5 edges to parents whose record has not arrived', () => {
  it('R-TREE-5: a child whose parent record is missing hangs under the root until the parent arrives', () => {
    const [a, b, c] = makePeers(3);
    a!.addNode({ parent: ROOT, name: 'Late', type: 'Node3D', id: P });
    sendTo(a!, b!);
    const child = nid('KKKKKKKKKK');
    const onlyChild = captureUpdate(b!, () => b!.addNode({ parent: P, name: 'Child', type: 'Node3D', id: child }));
    const watch = attachMirror(c!);
    // c gets b's child before a's parent (b's update does not depend on a's items)
    deliver(c!, onlyChild);
    if (c!.hasNode(child)) {
      expect(c!.parentOf(child)).toBe(ROOT);
    }
    expectConverged([c!], [P, child]);
    watch.check();
    sendTo(a!, c!);
    expect(c!.parentOf(child)).toBe(P);
    watch.check();
    syncAll([a!, b!, c!]);
    expectConverged([a!, b!, c!], [P, child]);
  });

  it('R-TREE-5: a moved node whose new parent has not arrived stays at its previous parent', () => {
    const peers = base(3);
    const [a, b, c] = peers;
    const fresh = nid('FFFFFFFFFF');
    a!.addNode({ parent: ROOT, name: 'Fresh', type: 'Node3D', id: fresh });
    sendTo(a!, b!);
    const onlyMove = captureUpdate(b!, () => b!.moveNode(X, fresh));
    deliver(c!, onlyMove); // c sees the move, not the new parent
    expect(c!.parentOf(X)).toBe(ROOT);
    expectConverged([c!], ALL);
    sendTo(a!, c!);
    expect(c!.parentOf(X)).toBe(fresh);
    syncAll(peers);
    expectConverged(peers, [...ALL, fresh]);
  });
});

describe('R-ROOT the root', () => {
  it('R-ROOT: two fresh peers share the root; both sides of its children and properties merge', () => {
    const [a, b] = makePeers(2);
    expect(a!.rootId).toBe('root');
    a!.setProperty(ROOT, 'a', 1);
    b!.setProperty(ROOT, 'b', 2);
    const ka = a!.addNode({ parent: ROOT, name: 'FromA', type: 'Node3D' });
    const kb = b!.addNode({ parent: ROOT, name: 'FromB', type: 'Node3D' });
    syncAll([a!, b!]);
    const tree = expectConverged([a!, b!], [ka, kb]);
    expect(tree.id).toBe('root');
    expect(tree.props).toEqual({ a: 1, b: 2 });
    expect(tree.children.map((c) => c.id).sort()).toEqual([ka, kb].sort());
  });

  it('R-ROOT: the root cannot be removed or moved (ROOT), and nothing is written', () => {
    const [a] = base(1);
    expectRefused(a!, 'ROOT', () => a!.removeNode(ROOT));
    expectRefused(a!, 'ROOT', () => a!.moveNode(ROOT, P));
  });

  it('R-ROOT: setRootInfo sets the root class and name, defaults Node3D and Root', () => {
    const [a, b] = makePeers(2);
    expect(a!.toTree().type).toBe('Node3D');
    expect(a!.toTree().name).toBe('Root');
    a!.setRootInfo({ type: 'Node2D', name: 'Level' });
    syncAll([a!, b!]);
    expect(b!.toTree().type).toBe('Node2D');
    expect(b!.toTree().name).toBe('Level');
    expect(b!.getNode(ROOT)?.parent).toBeNull();
  });
});

describe('R-ROOT concurrent root edits', () => {
  it('R-ROOT: concurrent setRootInfo calls converge to one root class and name on every peer', () => {
    const peers = makePeers(3);
    peers[0]!.setRootInfo({ name: 'Level' });
    peers[1]!.setRootInfo({ name: 'World', type: 'Node2D' });
    peers[2]!.setRootInfo({ type: 'Control' });
    syncAll(peers);
    const tree = expectConverged(peers);
    expect(['Level', 'World']).toContain(tree.name);
    expect(['Node2D', 'Control']).toContain(tree.type);
  });
});

describe('R-TREE-6 validity', () => {
  it('R-TREE-6: after every adversarial race at once, all peers hold one valid tree', () => {
    const peers = base(4);
    const [a, b, c, d] = peers;
    a!.moveNode(P, Q);
    b!.moveNode(Q, P);
    c!.removeNode(Q);
    d!.moveNode(X, C1);
    d!.moveNode(R, X);
    a!.renameNode(C1, 'C2');
    b!.moveNode(C2, R);
    syncAll(peers);
    expectConverged(peers, ALL);
  });
});
