import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { SceneDoc, SceneError } from '../src/index.js';
import { ROOT, encoded, expectRefused, makePeers, nid, syncAll } from './support/peers.js';

const NODE = nid('NODE000000');
const RES = 'RES0000000';

/** A synced peer `b`, then a newer peer (a raw Y.Doc) bumps meta.schema to 2 and b receives it. */
function readOnlyPeer() {
  const [a, b] = makePeers(2);
  a!.addNode({ parent: ROOT, name: 'N', type: 'Node3D', id: NODE, props: { visible: true } });
  a!.addResource({ id: RES, type: 'BoxMesh' });
  syncAll([a!, b!]);
  b!.setProperty(NODE, 'local', 1); // something b could later try to undo
  const newer = new Y.Doc();
  newer.clientID = 4000;
  Y.applyUpdate(newer, Y.encodeStateAsUpdate(b!.doc));
  newer.getMap('meta').set('schema', 2);
  Y.applyUpdate(b!.doc, Y.encodeStateAsUpdate(newer, Y.encodeStateVector(b!.doc)), 'remote');
  return { b: b!, newer };
}

describe('R-SCHEMA schema version', () => {
  it('R-SCHEMA, R-DOC: a document this peer has written to carries schema version 1 in meta.schema', () => {
    const [a] = makePeers(1);
    a!.addNode({ parent: ROOT, name: 'first', type: 'Node3D' });
    expect(a!.doc.getMap('meta').get('schema')).toBe(1);
  });

  const WRITES: [string, (s: SceneDoc) => unknown][] = [
    ['addNode', (s) => s.addNode({ parent: ROOT, name: 'x', type: 'Node3D' })],
    ['moveNode', (s) => s.moveNode(NODE, ROOT, 0)],
    ['renameNode', (s) => s.renameNode(NODE, 'y')],
    ['removeNode', (s) => s.removeNode(NODE)],
    ['setProperty', (s) => s.setProperty(NODE, 'visible', false)],
    ['deleteProperty', (s) => s.deleteProperty(NODE, 'visible')],
    ['addResource', (s) => s.addResource({ type: 'BoxMesh' })],
    ['setResourceProperty', (s) => s.setResourceProperty(RES as never, 'size', 1)],
    ['removeResource', (s) => s.removeResource(RES as never)],
    ['setRootInfo', (s) => s.setRootInfo({ name: 'Other' })],
    ['claimOwnership', (s) => s.claimOwnership(NODE)],
    ['transact', (s) => s.transact(() => s.setProperty(NODE, 'visible', false))],
  ];
  for (const [name, write] of WRITES) {
    it(`R-SCHEMA: after meeting a newer schema, ${name} throws SCHEMA_NEWER naming both versions and writes nothing`, () => {
      const { b } = readOnlyPeer();
      const err = expectRefused(b, 'SCHEMA_NEWER', () => write(b));
      expect(err.message).toMatch(/2/);
      expect(err.message).toMatch(/1/);
    });
  }

  it('R-SCHEMA: undo and redo on a read-only peer write nothing', () => {
    const { b } = readOnlyPeer();
    const before = encoded(b);
    for (const op of [() => b.undo(), () => b.redo()]) {
      try {
        op();
      } catch (e) {
        expect(e).toBeInstanceOf(SceneError);
        expect((e as SceneError).code).toBe('SCHEMA_NEWER');
      }
    }
    expect(Buffer.from(encoded(b)).equals(Buffer.from(before))).toBe(true);
    expect(b.getProperty(NODE, 'local')).toBe(1);
  });

  it('R-SCHEMA: a read-only peer keeps reading what it understands', () => {
    const { b } = readOnlyPeer();
    expect(b.getNode(NODE)?.name).toBe('N');
    expect(b.children(ROOT)).toEqual([NODE]);
    expect(b.toTree().children[0]!.props).toEqual({ visible: true, local: 1 });
  });

  it('R-SCHEMA: a SceneDoc opened on a newer document does not throw, does not write, and leaves meta.schema alone', () => {
    const doc = new Y.Doc();
    doc.getMap('meta').set('schema', 3);
    const before = Y.encodeStateAsUpdateV2(doc);
    let scene!: SceneDoc;
    expect(() => (scene = new SceneDoc(doc))).not.toThrow();
    expect(Buffer.from(Y.encodeStateAsUpdateV2(doc)).equals(Buffer.from(before))).toBe(true);
    expect(doc.getMap('meta').get('schema')).toBe(3);
    expectRefused(scene, 'SCHEMA_NEWER', () => scene.addNode({ parent: ROOT, name: 'x', type: 'Node3D' }));
  });

  it('R-SCHEMA: a read-only peer that keeps receiving updates never writes to the document itself', () => {
    const { b, newer } = readOnlyPeer();
    const mine = (): number => Y.decodeStateVector(Y.encodeStateVector(b.doc)).get(b.doc.clientID) ?? 0;
    const clock = mine();
    for (let i = 0; i < 5; i++) {
      newer.getMap('meta').set('note', i);
      Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(newer, Y.encodeStateVector(b.doc)), 'remote');
      b.toTree();
    }
    expect(mine()).toBe(clock);
  });
});
