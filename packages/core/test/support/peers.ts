import { expect } from 'vitest';
import * as Y from 'yjs';
import { SceneDoc, SceneError, type NodeId, type SceneChange, type SceneErrorCode } from '../../src/index.js';
import { canon } from './canon.js';
import { EngineTree } from './engine-tree.js';
import { treeProblems } from './tree-check.js';

/** `n` fresh peers with fixed, increasing Yjs client ids (Yjs breaks same-key ties by client id). */
export function makePeers(n: number, firstClientId = 1): SceneDoc[] {
  return Array.from({ length: n }, (_, i) => {
    const doc = new Y.Doc();
    doc.clientID = firstClientId + i;
    return new SceneDoc(doc);
  });
}

/** Sends everything `from` has that `to` lacks (one Yjs sync step). */
export function sendTo(from: SceneDoc, to: SceneDoc, origin: unknown = 'remote'): void {
  Y.applyUpdate(to.doc, Y.encodeStateAsUpdate(from.doc, Y.encodeStateVector(to.doc)), origin);
}

/** Full exchange between all peers, in both directions. */
export function syncAll(scenes: readonly SceneDoc[]): void {
  for (const a of scenes) for (const b of scenes) if (a !== b) sendTo(a, b);
}

/** The whole document state (V2), to prove that a refused call wrote nothing. */
export function encoded(scene: SceneDoc): Uint8Array {
  return Y.encodeStateAsUpdateV2(scene.doc);
}

/** Asserts all peers materialise the same valid tree, and returns peer 0's. */
export function expectConverged(scenes: readonly SceneDoc[], ids: readonly string[] = []) {
  const trees = scenes.map((s) => s.toTree());
  for (let i = 1; i < trees.length; i++) expect(canon(trees[i]), `peer ${i} differs from peer 0`).toBe(canon(trees[0]));
  scenes.forEach((s, i) => expect(treeProblems(s, trees[i]!, ids), `peer ${i} tree is invalid`).toEqual([]));
  return trees[0]!;
}

/**
 * Asserts that `fn` throws a SceneError with `code`, that the document is byte-for-byte unchanged,
 * and that no observe() listener fired.
 */
export function expectRefused(scene: SceneDoc, code: SceneErrorCode | SceneErrorCode[], fn: () => unknown): SceneError {
  const codes = Array.isArray(code) ? code : [code];
  const before = encoded(scene);
  let fired = 0;
  const off = scene.observe(() => fired++);
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  off();
  expect(caught, `expected SceneError ${code}, nothing was thrown`).toBeInstanceOf(SceneError);
  const err = caught as SceneError;
  expect(codes, `got ${err.code}: ${err.message}`).toContain(err.code);
  expect(err.message.length).toBeGreaterThan(10);
  expect(Buffer.from(encoded(scene)).equals(Buffer.from(before)), 'a refused call changed the document').toBe(true);
  expect(fired, 'a refused call fired observe()').toBe(0);
  return err;
}

/** Attaches an engine-tree mirror to a scene; `check()` asserts the mirror equals toTree(). */
export function attachMirror(scene: SceneDoc) {
  const mirror = new EngineTree(scene.toTree());
  const lists: { changes: SceneChange[]; local: boolean }[] = [];
  let failure: Error | undefined;
  const off = scene.observe((changes, info) => {
    lists.push({ changes: [...changes], local: info.local });
    // never throw into SceneDoc's dispatch: keep the first failure for check()
    if (failure) return;
    try {
      mirror.apply(changes);
    } catch (e) {
      failure = e as Error;
    }
  });
  return {
    mirror,
    lists,
    off,
    check(): void {
      if (failure) throw failure;
      expect(canon(mirror.toTree()), 'observe() mirror differs from toTree()').toBe(canon(scene.toTree()));
    },
  };
}

export const ROOT = 'root' as NodeId;
/** Brands a literal id. */
export const nid = (s: string): NodeId => s as NodeId;

/** The Yjs update(s) that `fn` makes `scene` emit, merged into one (to deliver one edit alone). */
export function captureUpdate(scene: SceneDoc, fn: () => unknown): Uint8Array {
  const updates: Uint8Array[] = [];
  const h = (u: Uint8Array): void => void updates.push(u);
  scene.doc.on('update', h);
  try {
    fn();
  } finally {
    scene.doc.off('update', h);
  }
  return Y.mergeUpdates(updates);
}

/** Applies one update to a peer as a remote one. */
export function deliver(to: SceneDoc, update: Uint8Array, origin: unknown = 'remote'): void {
  Y.applyUpdate(to.doc, update, origin);
}
