import type { Document, Node } from '@gltf-transform/core';
import { isSpatialNode } from '../../src/mapping/scene-to-document.js';
import { multiplyMatrices, transformToMatrix } from '../../src/math/transform.js';
import type { TreeNode } from '../../src/scene-types.js';

const IDENTITY = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];

interface Expected {
  name: string;
  parent: string | null;
  children: string[];
  world: number[];
}

/** World matrices, names and hierarchy of a scenesync tree, keyed by node id. */
export function expectedFromTree(root: TreeNode, skipHidden = false): Map<string, Expected> {
  const out = new Map<string, Expected>();
  const stack: Array<{ n: TreeNode; parent: string | null; parentWorld: number[] }> = [{ n: root, parent: null, parentWorld: IDENTITY }];
  while (stack.length) {
    const { n, parent, parentWorld } = stack.pop()!;
    if (skipHidden && n.props.visible === false) continue;
    const t = n.props.transform as { type?: string; value?: number[] } | undefined;
    const local = isSpatialNode(n) && t?.type === 'Transform3D' ? transformToMatrix(t.value!) : IDENTITY;
    const world = multiplyMatrices(parentWorld, local);
    const visibleChildren = n.children.filter((c) => !(skipHidden && c.props.visible === false));
    out.set(n.id, { name: n.name, parent, children: visibleChildren.map((c) => c.id), world });
    for (const c of n.children) stack.push({ n: c, parent: n.id, parentWorld: world });
  }
  return out;
}

const idOf = (n: Node): string => (n.getExtras() as { scenesync: { id: string } }).scenesync.id;

/**
 * Compares a glTF document read back with NodeIO against a tree: same node set, names, parents,
 * child order, and world transforms within `eps` (absolute, per matrix element). Returns the
 * differences (empty when equal).
 */
export function compareWithTree(doc: Document, expected: Map<string, Expected>, eps: number): string[] {
  const diffs: string[] = [];
  const seen = new Set<string>();
  const scene = doc.getRoot().getDefaultScene()!;
  const visit = (n: Node, parent: string | null): void => {
    const id = idOf(n);
    seen.add(id);
    const e = expected.get(id);
    if (!e) {
      diffs.push(`unexpected node ${id} ${n.getName()}`);
      return;
    }
    if (n.getName() !== e.name) diffs.push(`${id}: name ${n.getName()} ≠ ${e.name}`);
    if (parent !== e.parent) diffs.push(`${id}: parent ${parent} ≠ ${e.parent}`);
    const kids = n.listChildren().map(idOf);
    if (kids.join() !== e.children.join()) diffs.push(`${id}: children differ`);
    const w = n.getWorldMatrix();
    const worst = Math.max(...w.map((x, i) => Math.abs(x - e.world[i]!)));
    if (!(worst <= eps)) diffs.push(`${id} ${e.name}: world transform off by ${worst}`);
    for (const c of n.listChildren()) visit(c, id);
  };
  for (const r of scene.listChildren()) visit(r, null);
  for (const id of expected.keys()) if (!seen.has(id)) diffs.push(`missing node ${id} ${expected.get(id)!.name}`);
  return diffs;
}
