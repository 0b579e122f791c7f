import * as Y from 'yjs';
import { SceneDoc, type InvalidEntry, type SceneTree, type TreeNode } from '../../src/index.js';
import { canon } from './canon.js';
import { EngineTree } from './engine-tree.js';
import { CASES, HOSTILE_RES, type HostileCase } from './hostile-cases.js';
import { treeProblems } from './tree-check.js';

// Runs the R-HOSTILE scenarios without vitest, returning a list of problems (empty: passed), so a
// scenario that may exhaust memory can run in a child process with a small heap (hostile-child.ts).

export const HP = 'PPPPPPPPPP';
export const HC1 = 'C1C1C1C1C1';
export const HC2 = 'C2C2C2C2C2';
export const HQ = 'QQQQQQQQQQ';
export const HX = 'XXXXXXXXXX';
export const LEGIT = [HP, HC1, HC2, HQ, HX];

function peer(clientID: number): SceneDoc {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  return new SceneDoc(doc);
}

function sync(scenes: SceneDoc[]): void {
  for (const a of scenes) for (const b of scenes) if (a !== b) Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc, Y.encodeStateVector(b.doc)), 'remote');
}

/** Three synced peers: a (author), b and c (receivers, with observeInvalid recorders), and a raw Y.Doc. */
export function hostileSetup() {
  const [a, b, c] = [peer(1), peer(2), peer(3)];
  a.addNode({ parent: 'root' as never, name: 'P', type: 'Node3D', id: HP });
  a.addNode({ parent: HP as never, name: 'C1', type: 'Node3D', id: HC1 });
  a.addNode({ parent: HP as never, name: 'C2', type: 'Node3D', id: HC2 });
  a.addNode({ parent: 'root' as never, name: 'Q', type: 'Node3D', id: HQ });
  a.addNode({ parent: 'root' as never, name: 'X', type: 'Node3D', id: HX, props: { transform: { type: 'Transform3D', value: [1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 2, 3] } } });
  a.addResource({ id: HOSTILE_RES, type: 'BoxMesh', props: { size: { type: 'Vector3', value: [1, 1, 1] } } });
  a.setProperty(HX as never, 'mesh', { type: 'Resource', id: HOSTILE_RES as never });
  sync([a, b, c]);
  const raw = new Y.Doc();
  raw.clientID = 666;
  Y.applyUpdate(raw, Y.encodeStateAsUpdate(a.doc));
  const reports = new Map<SceneDoc, InvalidEntry[]>();
  for (const s of [b, c]) {
    const list: InvalidEntry[] = [];
    reports.set(s, list);
    s.observeInvalid((entries) => list.push(...entries));
  }
  return { a, b, c, raw, reports, sync };
}

/** The shape of the legit part of a tree: each legit node's parent and index (names may change). */
export function legitShape(tree: SceneTree): string {
  const out: string[] = [];
  const walk = (n: TreeNode): void => {
    n.children.forEach((c, i) => {
      if (LEGIT.includes(c.id)) out.push(`${c.id}<${n.id}#${i}`);
      walk(c);
    });
  };
  walk(tree);
  return out.sort().join(' ');
}

export function deliverRaw(raw: Y.Doc, s: SceneDoc): void {
  Y.applyUpdate(s.doc, Y.encodeStateAsUpdate(raw, Y.encodeStateVector(s.doc)), 'hostile');
}

/**
 * One hostile case: the raw peer writes, b and c (c with a concurrent legit edit) receive it; both must
 * materialise the same valid tree without throwing, keep the legit structure, follow with observe(),
 * report the entry when the case says so, and stay writable.
 */
export function runHostileCase(hc: HostileCase): string[] {
  const problems: string[] = [];
  const { a, b, c, raw, reports } = hostileSetup();
  const before = legitShape(b.toTree());
  const mirror = new EngineTree(b.toTree());
  let mirrorError: Error | undefined;
  b.observe((changes) => {
    if (mirrorError) return;
    try {
      mirror.apply(changes);
    } catch (e) {
      mirrorError = e as Error;
    }
  });
  c.setProperty(HQ as never, 'visible', false);
  raw.transact(() => hc.write(raw, (id) => a.doc.getMap('nodes').get(id) as Uint8Array));
  try {
    deliverRaw(raw, b);
    deliverRaw(raw, c);
    sync([b, c]);
  } catch (e) {
    return [`delivering the hostile update threw: ${(e as Error).stack}`];
  }
  let tb: SceneTree;
  let tc: SceneTree;
  try {
    tb = b.toTree();
    tc = c.toTree();
  } catch (e) {
    return [`toTree() threw: ${(e as Error).stack}`];
  }
  if (canon(tb) !== canon(tc)) problems.push('b and c materialise different trees');
  problems.push(...treeProblems(b, tb, [...LEGIT, 'HOSTILE001', 'HOSTILE007', 'NEVER00000']).map((p) => `b: ${p}`));
  if (!hc.mayMove && legitShape(tb) !== before) problems.push(`legit structure changed: ${before} → ${legitShape(tb)}`);
  for (const id of LEGIT) if (!b.hasNode(id as never)) problems.push(`legit node ${id} vanished`);
  if (mirrorError) problems.push(`observe() mirror failed: ${mirrorError.message}`);
  else if (canon(mirror.toTree()) !== canon(tb)) problems.push('observe() mirror differs from toTree()');
  if (hc.report) {
    const wanted = [hc.report].flat();
    for (const [s, name] of [[b, 'b'], [c, 'c']] as const) {
      const got = reports.get(s)!;
      if (!got.some((e) => wanted.includes(e.where))) {
        problems.push(`${name}: observeInvalid reported no ${wanted.join('|')} entry (got ${JSON.stringify(got.map((e) => e.where))})`);
      }
      for (const e of got) if (typeof e.key !== 'string' || !e.reason) problems.push(`${name}: malformed report ${JSON.stringify(e)}`);
    }
  }
  // the document stays writable: a new node under P shows up on both peers
  try {
    const n = b.addNode({ parent: HP as never, name: 'After', type: 'Node3D' });
    sync([b, c]);
    if (!b.hasNode(n) || b.parentOf(n) !== HP) problems.push('a node added after the hostile write is not live on its own peer');
    if (!c.hasNode(n) || c.parentOf(n) !== HP) problems.push('a node added after the hostile write did not reach the other peer');
    b.moveNode(HX as never, HP as never, 0);
    sync([b, c]);
    if (c.hasNode(HX as never) && c.parentOf(HX as never) !== HP) problems.push('a move after the hostile write did not take effect');
  } catch (e) {
    problems.push(`writing after the hostile update threw: ${(e as Error).message}`);
  }
  return problems;
}

/** All cases written at once into a Y.Doc, then a SceneDoc opened on it. */
export function runAllAtOnce(): string[] {
  const { a, raw } = hostileSetup();
  raw.transact(() => {
    for (const hc of CASES) hc.write(raw, (id) => a.doc.getMap('nodes').get(id) as Uint8Array);
  });
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(raw));
  try {
    const scene = new SceneDoc(doc);
    const tree = scene.toTree();
    const problems = treeProblems(scene, tree, LEGIT);
    for (const id of LEGIT) if (!scene.hasNode(id as never)) problems.push(`legit node ${id} vanished`);
    return problems;
  } catch (e) {
    return [`threw: ${(e as Error).stack}`];
  }
}
