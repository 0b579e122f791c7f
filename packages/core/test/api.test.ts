import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { SceneDoc, SceneError, type NodeId } from '../src/index.js';
import { canon } from './support/canon.js';
import { ROOT, expectConverged, expectRefused, makePeers, nid, syncAll } from './support/peers.js';

const P = nid('PPPPPPPPPP');
const C = nid('CCCCCCCCCC');
const MISSING = nid('MISSING000');

function scene() {
  const [s] = makePeers(1);
  s!.addNode({ parent: ROOT, name: 'Player', type: 'CharacterBody3D', id: P, props: { speed: 5.5 } });
  s!.addNode({ parent: P, name: 'Camera', type: 'Camera3D', id: C });
  return s!;
}

describe('SceneDoc basics (R-DOC ids, reads)', () => {
  it('R-DOC: fresh node ids are 9 characters of [0-9A-Za-z]; the root id is "root"', () => {
    const s = scene();
    const id = s.addNode({ parent: ROOT, name: 'x', type: 'Node3D' });
    expect(id).toMatch(/^[0-9A-Za-z]{9}$/);
    expect(s.rootId).toBe('root');
    expect(s.doc).toBeInstanceOf(Y.Doc);
  });

  it('R-DOC: getNode returns a plain snapshot; hasNode, children, parentOf, pathOf and findByPath agree', () => {
    const s = scene();
    expect(s.getNode(C)).toEqual({ id: C, type: 'Camera3D', name: 'Camera', requestedName: 'Camera', parent: P, index: 0, props: {} });
    expect(s.getNode(P)!.props).toEqual({ speed: 5.5 });
    expect(s.getNode(MISSING)).toBeUndefined();
    expect(s.hasNode(C)).toBe(true);
    expect(s.hasNode(MISSING)).toBe(false);
    expect(s.children(ROOT)).toEqual([P]);
    expect(s.parentOf(C)).toBe(P);
    expect(s.pathOf(C)).toBe('Player/Camera');
    expect(s.findByPath('Player/Camera')).toBe(C);
    expect(s.findByPath('Player/Nope')).toBeUndefined();
    s.renameNode(P, 'Hero');
    expect(s.pathOf(C)).toBe('Hero/Camera');
    expect(s.findByPath('Hero/Camera')).toBe(C);
  });

  it('R-DOC: SceneDoc.fromTree keeps ids, names, types, props and order; toTree gives it back', () => {
    const tree = {
      id: 'root',
      name: 'Main',
      type: 'Node3D',
      props: { gravity: 9.8 },
      children: [
        { id: 'AAAAAAAAA1', name: 'B', type: 'Node3D', props: {}, children: [] },
        {
          id: 'AAAAAAAAA2',
          name: 'A',
          type: 'MeshInstance3D',
          props: { transform: { type: 'Transform3D', value: [1, 0, 0, 0, 1, 0, 0, 0, 1, 0.25, 0.5, -1] } },
          children: [{ id: 'AAAAAAAAA3', name: 'Leaf', type: 'Node3D', props: { n: 7n }, children: [] }],
        },
      ],
      resources: {},
    };
    const s = SceneDoc.fromTree(tree as never);
    expect(canon(s.toTree())).toBe(canon(tree));
    const doc = new Y.Doc();
    const s2 = SceneDoc.fromTree(tree as never, doc);
    expect(s2.doc).toBe(doc);
    expect(canon(new SceneDoc(doc).toTree())).toBe(canon(tree));
  });

  it('R-DOC: a freshly imported scene is one Yjs item per node (no edge, name or property overlays)', () => {
    const children = Array.from({ length: 100 }, (_, i) => ({
      id: `IMPORT${String(i).padStart(4, '0')}`,
      name: `N${i}`,
      type: 'Node3D',
      props: { transform: { type: 'Transform3D', value: [1, 0, 0, 0, 1, 0, 0, 0, 1, i * 0.25, 0, 0] } },
      children: [],
    }));
    const s = SceneDoc.fromTree({ id: 'root', name: 'Root', type: 'Node3D', props: {}, children } as never);
    expect(s.doc.getMap('nodes').size).toBe(100);
    expect(s.doc.getMap('edges').size).toBe(0);
    expect(s.doc.getMap('names').size).toBe(0);
    expect(s.doc.getMap('props').size).toBe(0);
    expect(s.doc.getMap('nodes').get('IMPORT0000')).toBeInstanceOf(Uint8Array);
  });

  it('R-DOC: overlays use the documented keys: props "id\\u0001key", edges "child\\u0001parent" = [lamport, orderKey], one tombstone per removal', () => {
    const s = scene();
    s.setProperty(C, 'fov', 70);
    expect(s.doc.getMap('props').get(`${C}\u0001fov`)).toBeInstanceOf(Uint8Array);
    s.moveNode(C, ROOT);
    const edge = s.doc.getMap('edges').get(`${C}\u0001root`) as unknown[];
    expect(Array.isArray(edge)).toBe(true);
    expect(typeof edge[0]).toBe('number');
    expect(edge[1]).toMatch(/^[0-9A-Za-z]+$/);
    s.moveNode(C, P);
    s.removeNode(P);
    expect([...s.doc.getMap('deleted').keys()]).toEqual([P]);
  });
});

describe('R-API wrong arguments throw a typed SceneError and change nothing', () => {
  const CASES: [string, SceneError['code'] | SceneError['code'][], (s: SceneDoc) => unknown][] = [
    ['addNode under an unknown parent', 'UNKNOWN_NODE', (s) => s.addNode({ parent: MISSING, name: 'x', type: 'Node3D' })],
    ['addNode with an id that exists', 'DUPLICATE_ID', (s) => s.addNode({ parent: ROOT, name: 'x', type: 'Node3D', id: C })],
    ['addNode with the root id (reserved)', ['DUPLICATE_ID', 'INVALID_ARGUMENT'], (s) => s.addNode({ parent: ROOT, name: 'x', type: 'Node3D', id: 'root' })],
    ['addNode with a negative index', 'INVALID_ARGUMENT', (s) => s.addNode({ parent: ROOT, name: 'x', type: 'Node3D', index: -1 })],
    ['addNode with a fractional index', 'INVALID_ARGUMENT', (s) => s.addNode({ parent: ROOT, name: 'x', type: 'Node3D', index: 0.5 })],
    ['addNode with an index past the end', 'INVALID_ARGUMENT', (s) => s.addNode({ parent: ROOT, name: 'x', type: 'Node3D', index: 5 })],
    ['addNode with a non-string name', 'INVALID_ARGUMENT', (s) => s.addNode({ parent: ROOT, name: 5 as never, type: 'Node3D' })],
    ['addNode without a type', 'INVALID_ARGUMENT', (s) => s.addNode({ parent: ROOT, name: 'x', type: undefined as never })],
    ['addNode with an empty type', 'INVALID_ARGUMENT', (s) => s.addNode({ parent: ROOT, name: 'x', type: '' })],
    ['moveNode of an unknown node', 'UNKNOWN_NODE', (s) => s.moveNode(MISSING, ROOT)],
    ['moveNode to an unknown parent', 'UNKNOWN_NODE', (s) => s.moveNode(C, MISSING)],
    ['moveNode under its own child', 'CYCLE', (s) => s.moveNode(P, C)],
    ['moveNode under itself', 'CYCLE', (s) => s.moveNode(P, P)],
    ['moveNode of the root', 'ROOT', (s) => s.moveNode(ROOT, P)],
    ['moveNode with a NaN index', 'INVALID_ARGUMENT', (s) => s.moveNode(C, ROOT, NaN)],
    ['moveNode with an index past the end', 'INVALID_ARGUMENT', (s) => s.moveNode(C, ROOT, 9)],
    ['renameNode of an unknown node', 'UNKNOWN_NODE', (s) => s.renameNode(MISSING, 'x')],
    ['renameNode to a non-string', 'INVALID_ARGUMENT', (s) => s.renameNode(C, null as never)],
    ['removeNode of an unknown node', 'UNKNOWN_NODE', (s) => s.removeNode(MISSING)],
    ['removeNode of the root', 'ROOT', (s) => s.removeNode(ROOT)],
    ['setProperty on an unknown node', 'UNKNOWN_NODE', (s) => s.setProperty(MISSING, 'k', 1)],
    ['setProperty with an empty key', 'INVALID_ARGUMENT', (s) => s.setProperty(C, '', 1)],
    ['setProperty with a non-string key', 'INVALID_ARGUMENT', (s) => s.setProperty(C, 7 as never, 1)],
    ['setProperty with a function value', 'INVALID_VALUE', (s) => s.setProperty(C, 'k', (() => 1) as never)],
    ['deleteProperty on an unknown node', 'UNKNOWN_NODE', (s) => s.deleteProperty(MISSING, 'k')],
    ['claimOwnership of an unknown node', 'UNKNOWN_NODE', (s) => s.claimOwnership(MISSING)],
    ['setResourceProperty of an unknown resource', 'UNKNOWN_RESOURCE', (s) => s.setResourceProperty('NORES00000' as never, 'k', 1)],
    ['removeResource of an unknown resource', 'UNKNOWN_RESOURCE', (s) => s.removeResource('NORES00000' as never)],
    ['addResource without a type', 'INVALID_ARGUMENT', (s) => s.addResource({ type: undefined as never })],
  ];
  for (const [what, code, call] of CASES) {
    it(`R-API: ${what} throws ${[code].flat().join(' or ')} and changes nothing`, () => {
      const s = scene();
      expectRefused(s, code, () => call(s));
    });
  }

  it('R-API: SceneError is an Error with name SceneError and a code', () => {
    const s = scene();
    try {
      s.removeNode(MISSING);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(Error);
      expect((e as SceneError).name).toBe('SceneError');
      expect((e as SceneError).code).toBe('UNKNOWN_NODE');
      expect((e as Error).message).toContain(MISSING);
    }
  });
});

describe('ownership (owners map, R-CLOCK)', () => {
  it('R-CLOCK: claimOwnership makes this peer the owner everywhere; release clears it', () => {
    const [a, b] = makePeers(2);
    const n = a!.addNode({ parent: ROOT, name: 'Streamed', type: 'Node3D' });
    expect(a!.ownerOf(n)).toBeNull();
    a!.claimOwnership(n);
    syncAll([a!, b!]);
    expect(b!.ownerOf(n)).toBe(a!.doc.clientID);
    a!.releaseOwnership(n);
    syncAll([a!, b!]);
    expect(b!.ownerOf(n)).toBeNull();
  });

  it('R-CLOCK: concurrent claims resolve to the same owner on every peer; a later claim wins', () => {
    const peers = makePeers(3);
    const n = peers[0]!.addNode({ parent: ROOT, name: 'Streamed', type: 'Node3D' });
    syncAll(peers);
    peers.forEach((p) => p.claimOwnership(n));
    syncAll(peers);
    const owner = peers[0]!.ownerOf(n);
    expect(peers.map((p) => p.doc.clientID)).toContain(owner);
    for (const p of peers) expect(p.ownerOf(n)).toBe(owner);
    const other = peers.find((p) => p.doc.clientID !== owner)!;
    other.claimOwnership(n as NodeId);
    syncAll(peers);
    for (const p of peers) expect(p.ownerOf(n)).toBe(other.doc.clientID);
    expectConverged(peers, [n]);
  });
});
