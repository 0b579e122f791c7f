import { describe, expect, it } from 'vitest';
import type { NodeId, SceneDoc } from '../src/index.js';
import { ROOT, expectConverged, expectRefused, makePeers, nid, syncAll } from './support/peers.js';

const PARENT = nid('PARENT0000');
// ids in a known lexicographic order, for the (lamport, nodeId) tie-break of R-NAME-1
const ID_A = nid('AAAAAAAAAA');
const ID_B = nid('BBBBBBBBBB');
const ID_C = nid('CCCCCCCCCC');

function withParent(n: number): SceneDoc[] {
  const peers = makePeers(n);
  peers[0]!.addNode({ parent: ROOT, name: 'Parent', type: 'Node3D', id: PARENT });
  syncAll(peers);
  return peers;
}

const nameOf = (s: SceneDoc, id: NodeId) => s.getNode(id)?.name;

describe('R-NAME-1 unique sibling names', () => {
  it('R-NAME-1: concurrent adds of same-named children end with the same unique names everywhere', () => {
    const peers = withParent(3);
    const ids = [ID_C, ID_A, ID_B];
    // peer i adds ids[i]: equal lamports, so the lowest node id keeps the name
    peers.forEach((p, i) => p.addNode({ parent: PARENT, name: 'Box', type: 'MeshInstance3D', id: ids[i] }));
    syncAll(peers);
    expectConverged(peers, ids);
    for (const s of peers) {
      expect(nameOf(s, ID_A)).toBe('Box');
      expect(new Set([nameOf(s, ID_B), nameOf(s, ID_C)])).toEqual(new Set(['Box2', 'Box3']));
      for (const id of ids) expect(s.getNode(id)?.requestedName).toBe('Box');
    }
  });

  it('R-NAME-1: concurrent renames to the same name: the earlier (lamport, id) keeps it, the other gets a serial name', () => {
    const peers = withParent(2);
    const [a, b] = peers;
    a!.addNode({ parent: PARENT, name: 'One', type: 'Node3D', id: ID_A });
    a!.addNode({ parent: PARENT, name: 'Two', type: 'Node3D', id: ID_B });
    syncAll(peers);
    a!.renameNode(ID_B, 'Hero');
    b!.renameNode(ID_A, 'Hero');
    syncAll(peers);
    expectConverged(peers, [ID_A, ID_B]);
    for (const s of peers) {
      expect(nameOf(s, ID_A)).toBe('Hero'); // equal lamports: lower id
      expect(nameOf(s, ID_B)).toBe('Hero2');
    }
  });

  it('R-NAME-1: a rename with a higher lamport loses the name to a sibling that held it earlier', () => {
    const peers = withParent(2);
    const [a, b] = peers;
    a!.addNode({ parent: PARENT, name: 'One', type: 'Node3D', id: ID_A });
    a!.addNode({ parent: PARENT, name: 'Two', type: 'Node3D', id: ID_B });
    syncAll(peers);
    a!.renameNode(ID_A, 'Tmp');
    a!.renameNode(ID_A, 'Hero'); // higher lamport than b's rename
    b!.renameNode(ID_B, 'Hero');
    syncAll(peers);
    expectConverged(peers, [ID_A, ID_B]);
    expect(nameOf(a!, ID_B)).toBe('Hero');
    expect(nameOf(a!, ID_A)).toBe('Hero2');
  });

  it('R-NAME-1: locally, adding a second "Box" under one parent materialises as Box2 (Godot style)', () => {
    const [s] = withParent(1);
    const first = s!.addNode({ parent: PARENT, name: 'Box', type: 'Node3D' });
    const second = s!.addNode({ parent: PARENT, name: 'Box', type: 'Node3D' });
    expect(nameOf(s!, first)).toBe('Box');
    expect(nameOf(s!, second)).toBe('Box2');
    expect(s!.getNode(second)?.requestedName).toBe('Box');
    expect(s!.pathOf(second)).toBe('Parent/Box2');
    expect(s!.findByPath('Parent/Box2')).toBe(second);
  });

  it('R-NAME-1: serial names skip names that a sibling requests or holds', () => {
    const [s] = withParent(1);
    const box = s!.addNode({ parent: PARENT, name: 'Box', type: 'Node3D' });
    const box2 = s!.addNode({ parent: PARENT, name: 'Box2', type: 'Node3D' });
    const again = s!.addNode({ parent: PARENT, name: 'Box', type: 'Node3D' });
    expect(nameOf(s!, box)).toBe('Box');
    expect(nameOf(s!, box2)).toBe('Box2');
    expect(nameOf(s!, again)).toBe('Box3');
  });

  it('R-NAME-1: a name with a trailing number continues from it (Box7 → Box8)', () => {
    const [s] = withParent(1);
    const first = s!.addNode({ parent: PARENT, name: 'Box7', type: 'Node3D' });
    const second = s!.addNode({ parent: PARENT, name: 'Box7', type: 'Node3D' });
    expect(nameOf(s!, first)).toBe('Box7');
    expect(nameOf(s!, second)).toBe('Box8');
  });

  it('R-NAME-1: when the holder of a name is removed or renamed, the serial-named sibling gets its requested name back', () => {
    const [s] = withParent(1);
    const first = s!.addNode({ parent: PARENT, name: 'Box', type: 'Node3D' });
    const second = s!.addNode({ parent: PARENT, name: 'Box', type: 'Node3D' });
    expect(nameOf(s!, second)).toBe('Box2');
    s!.renameNode(first, 'Crate');
    expect(nameOf(s!, second)).toBe('Box');
    expectConverged([s!], [first, second]);
  });

  it('R-NAME-1: a node moved next to a same-named sibling is disambiguated, the same way on every peer', () => {
    const peers = withParent(2);
    const [a, b] = peers;
    const other = nid('OTHER00000');
    a!.addNode({ parent: ROOT, name: 'Other', type: 'Node3D', id: other });
    a!.addNode({ parent: PARENT, name: 'Lamp', type: 'Node3D', id: ID_B });
    a!.addNode({ parent: other, name: 'Lamp', type: 'Node3D', id: ID_A });
    syncAll(peers);
    b!.moveNode(ID_A, PARENT);
    syncAll(peers);
    expectConverged(peers, [other, ID_A, ID_B]);
    // ID_B's name was written first (lower lamport): it keeps "Lamp"
    expect(nameOf(a!, ID_B)).toBe('Lamp');
    expect(nameOf(a!, ID_A)).toBe('Lamp2');
  });
});

describe('R-NAME-2 valid Godot names', () => {
  it('R-NAME-2: the characters . : @ / " % are replaced with _', () => {
    const [s] = withParent(1);
    const id = s!.addNode({ parent: PARENT, name: 'a.b:c@d/e"f%g', type: 'Node3D' });
    expect(nameOf(s!, id)).toBe('a_b_c_d_e_f_g');
    s!.renameNode(id, '../up');
    expect(nameOf(s!, id)).toBe('___up');
  });

  it('R-NAME-2: the API refuses an empty name; an empty name written by a raw peer materialises as the type name', () => {
    const [s, raw] = withParent(2);
    expectRefused(s!, 'INVALID_ARGUMENT', () => s!.addNode({ parent: PARENT, name: '', type: 'MeshInstance3D' }));
    const id = s!.addNode({ parent: PARENT, name: 'Named', type: 'MeshInstance3D' });
    const id2 = s!.addNode({ parent: PARENT, name: 'MeshInstance3D', type: 'MeshInstance3D' });
    syncAll([s!, raw!]);
    // a peer bypassing the API writes an empty rename with a high lamport (R-DOC names entry)
    raw!.doc.getMap('names').set(id, ['', 1e6]);
    syncAll([s!, raw!]);
    expect(nameOf(s!, id)).toBe('MeshInstance3D2');
    expect(nameOf(s!, id2)).toBe('MeshInstance3D');
    expectConverged([s!, raw!], [id, id2]);
  });

  it('R-NAME-2: cleaned names that collide are disambiguated too', () => {
    const [s] = withParent(1);
    const a = s!.addNode({ parent: PARENT, name: 'a/b', type: 'Node3D' });
    const b = s!.addNode({ parent: PARENT, name: 'a_b', type: 'Node3D' });
    expect(new Set([nameOf(s!, a), nameOf(s!, b)]).size).toBe(2);
    expectConverged([s!], [a, b]);
  });
});

describe('R-NAME-3 names depend only on the sibling set', () => {
  it('R-NAME-3: five peers adding "Box" in every delivery order get the same names', () => {
    const results = new Set<string>();
    for (let rotation = 0; rotation < 5; rotation++) {
      const peers = withParent(5);
      const ids = peers.map((_, i) => nid(`BOX${i}000000`));
      peers.forEach((p, i) => p.addNode({ parent: PARENT, name: 'Box', type: 'Node3D', id: ids[i] }));
      // deliver to a fresh observer peer in a rotated order
      const [observer] = makePeers(1, 50);
      for (let k = 0; k < peers.length; k++) syncAll([peers[(k + rotation) % peers.length]!, observer!]);
      syncAll([...peers, observer!]);
      expectConverged([...peers, observer!], ids);
      results.add(ids.map((id) => nameOf(observer!, id)).join());
    }
    expect(results.size).toBe(1);
    expect([...results][0]).toBe('Box,Box2,Box3,Box4,Box5');
  });
});
