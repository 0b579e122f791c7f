import { describe, expect, it } from 'vitest';
import { ROOT, expectConverged, makePeers, nid, syncAll } from './support/peers.js';

const P = nid('PPPPPPPPPP');
const Q = nid('QQQQQQQQQQ');

/** Peers a and b share P and Q, made by a third peer (so neither can undo their creation). */
function base() {
  const [author, a, b] = makePeers(3);
  author!.addNode({ parent: ROOT, name: 'P', type: 'Node3D', id: P });
  author!.addNode({ parent: ROOT, name: 'Q', type: 'Node3D', id: Q });
  syncAll([author!, a!, b!]);
  a!.stopCapturing();
  b!.stopCapturing();
  return [a!, b!] as const;
}

describe('R-UNDO undo and redo of local edits only', () => {
  it('R-UNDO: undo reverts a property set, redo replays it', () => {
    const [a] = base();
    a.setProperty(P, 'v', 1.5);
    a.stopCapturing();
    a.undo();
    expect(a.getProperty(P, 'v')).toBeUndefined();
    a.redo();
    expect(a.getProperty(P, 'v')).toBe(1.5);
  });

  it('R-UNDO: undo reverts an add, a move, a rename and a removal, one step each', () => {
    const [a] = base();
    const id = a.addNode({ parent: P, name: 'Kid', type: 'Node3D' });
    a.stopCapturing();
    a.moveNode(id, Q);
    a.stopCapturing();
    a.renameNode(id, 'Renamed');
    a.stopCapturing();
    a.removeNode(Q);
    a.stopCapturing();
    expect(a.hasNode(id)).toBe(false);
    a.undo();
    expect(a.getNode(id)).toMatchObject({ parent: Q, name: 'Renamed' });
    a.undo();
    expect(a.getNode(id)?.name).toBe('Kid');
    a.undo();
    expect(a.parentOf(id)).toBe(P);
    a.undo();
    expect(a.hasNode(id)).toBe(false);
    a.redo();
    a.redo();
    expect(a.getNode(id)).toMatchObject({ parent: Q, name: 'Kid' });
    expectConverged([a], [P, Q, id]);
  });

  it('R-UNDO: edits within one capture window merge into one step; stopCapturing() separates steps', () => {
    const [a] = base();
    a.setProperty(P, 'x', 1);
    a.setProperty(P, 'y', 2);
    a.stopCapturing();
    a.setProperty(P, 'z', 3);
    a.stopCapturing();
    a.undo();
    expect(a.getProperty(P, 'z')).toBeUndefined();
    expect(a.getProperty(P, 'y')).toBe(2);
    a.undo();
    expect(a.getProperty(P, 'x')).toBeUndefined();
    expect(a.getProperty(P, 'y')).toBeUndefined();
  });

  it("R-UNDO: undo never reverts another peer's edits", () => {
    const [a, b] = base();
    a.setProperty(P, 'mine', 1);
    a.stopCapturing();
    b.setProperty(P, 'theirs', 2);
    const theirs = b.addNode({ parent: Q, name: 'Theirs', type: 'Node3D' });
    b.renameNode(Q, 'QQ');
    syncAll([a, b]);
    a.undo();
    a.undo(); // nothing more of a's own to undo: must not touch b's work
    syncAll([a, b]);
    expectConverged([a, b], [P, Q, theirs]);
    for (const s of [a, b]) {
      expect(s.getProperty(P, 'mine')).toBeUndefined();
      expect(s.getProperty(P, 'theirs')).toBe(2);
      expect(s.hasNode(theirs)).toBe(true);
      expect(s.getNode(Q)?.name).toBe('QQ');
    }
  });

  it("R-UNDO: undoing a property set that a peer has since overwritten leaves the peer's value", () => {
    const [a, b] = base();
    a.setProperty(P, 'v', 1);
    a.stopCapturing();
    syncAll([a, b]);
    b.setProperty(P, 'v', 2);
    syncAll([a, b]);
    a.undo();
    syncAll([a, b]);
    expect(a.getProperty(P, 'v')).toBe(2);
    expect(b.getProperty(P, 'v')).toBe(2);
  });

  it("R-UNDO: undoing a move that a peer has since overridden keeps the peer's move", () => {
    const [a, b] = base();
    const kid = a.addNode({ parent: P, name: 'Kid', type: 'Node3D' });
    a.stopCapturing();
    syncAll([a, b]);
    a.moveNode(kid, Q);
    a.stopCapturing();
    syncAll([a, b]);
    b.moveNode(kid, ROOT);
    syncAll([a, b]);
    a.undo();
    syncAll([a, b]);
    expectConverged([a, b], [P, Q, kid]);
    expect(a.parentOf(kid)).toBe(ROOT);
  });

  it("R-UNDO: undoing the add of a node a peer has since built under keeps the peer's node alive", () => {
    const [a, b] = base();
    const mine = a.addNode({ parent: P, name: 'Mine', type: 'Node3D' });
    a.stopCapturing();
    syncAll([a, b]);
    const theirs = b.addNode({ parent: mine, name: 'Theirs', type: 'Node3D' });
    syncAll([a, b]);
    a.undo();
    syncAll([a, b]);
    expectConverged([a, b], [P, Q, mine, theirs]);
    expect(a.hasNode(mine)).toBe(false);
    expect(a.hasNode(theirs)).toBe(true);
  });

  it('R-UNDO: undo with nothing to undo changes nothing', () => {
    const [, b] = base();
    const before = b.toTree();
    b.undo();
    b.redo();
    expect(b.toTree()).toEqual(before);
  });
});
