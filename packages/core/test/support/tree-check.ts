import type { SceneDoc, SceneTree, TreeNode } from '../../src/index.js';

/** Characters Godot refuses in node names (R-NAME-2). */
const FORBIDDEN_NAME_CHARS = /[.:@/"%]/;

/**
 * Checks R-TREE-6 and R-NAME on a materialised tree and returns the problems found (empty when
 * valid): one root with id `root`, every id once (so no cycles and no node twice), unique and valid
 * sibling names, and agreement with the point queries of the same SceneDoc (`getNode`, `children`,
 * `parentOf`). `everId` lists ids that ever existed anywhere: each that `hasNode` reports live must be
 * in the tree (every live node reachable).
 */
export function treeProblems(scene: SceneDoc, tree: SceneTree, everId: Iterable<string> = []): string[] {
  const problems: string[] = [];
  if (tree.id !== 'root') problems.push(`root id is ${tree.id}`);
  const seen = new Set<string>();
  const walk = (node: TreeNode, parent: string | null, index: number): void => {
    if (seen.has(node.id)) {
      problems.push(`node ${node.id} appears twice`);
      return;
    }
    seen.add(node.id);
    if (typeof node.name !== 'string' || node.name.length === 0) problems.push(`node ${node.id} has empty name`);
    else if (FORBIDDEN_NAME_CHARS.test(node.name)) problems.push(`node ${node.id} has invalid name ${node.name}`);
    const names = new Set<string>();
    for (const c of node.children) {
      if (names.has(c.name)) problems.push(`two children of ${node.id} are called ${c.name}`);
      names.add(c.name);
    }
    const snap = scene.getNode(node.id as never);
    if (!snap) problems.push(`getNode(${node.id}) is undefined but the node is in toTree()`);
    else {
      if (snap.parent !== parent) problems.push(`getNode(${node.id}).parent ${snap.parent} != ${parent}`);
      if (parent !== null && snap.index !== index) problems.push(`getNode(${node.id}).index ${snap.index} != ${index}`);
      if (snap.name !== node.name) problems.push(`getNode(${node.id}).name ${snap.name} != ${node.name}`);
    }
    const kids = scene.children(node.id as never);
    const expected = node.children.map((c) => c.id);
    if (kids.join() !== expected.join()) problems.push(`children(${node.id}) ${kids.join()} != ${expected.join()}`);
    node.children.forEach((c, i) => walk(c, node.id, i));
  };
  walk(tree, null, 0);
  for (const id of everId) {
    if (scene.hasNode(id as never) && !seen.has(id)) problems.push(`live node ${id} is not reachable from the root`);
    if (!scene.hasNode(id as never) && seen.has(id)) problems.push(`node ${id} is in toTree() but hasNode is false`);
  }
  return problems;
}

/** All node ids of a tree, depth first. */
export function treeIds(tree: TreeNode): string[] {
  const out: string[] = [];
  const walk = (n: TreeNode): void => {
    out.push(n.id);
    n.children.forEach(walk);
  };
  walk(tree);
  return out;
}

/** Finds a node in a materialised tree by id. */
export function findInTree(tree: TreeNode, id: string): TreeNode | undefined {
  if (tree.id === id) return tree;
  for (const c of tree.children) {
    const f = findInTree(c, id);
    if (f) return f;
  }
  return undefined;
}

/** The id of the parent of `id` in a materialised tree (null for the root, undefined if absent). */
export function parentInTree(tree: TreeNode, id: string): string | null | undefined {
  if (tree.id === id) return null;
  const walk = (n: TreeNode): string | undefined => {
    for (const c of n.children) {
      if (c.id === id) return n.id;
      const f = walk(c);
      if (f !== undefined) return f;
    }
    return undefined;
  };
  return walk(tree);
}
