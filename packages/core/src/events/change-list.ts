import type { Props, SceneChange } from '../model/types.js';
import type { NodeId } from '../values/types.js';
import type { Materializer, StructuralDiff } from '../tree/materializer.js';
import { type BeforeState, compareSiblings, type NodeState } from '../tree/node-state.js';

/**
 * Turns a structural diff into the ordered change list of R-EVENT: additions and moves top-down (a
 * parent before its children, siblings in ascending final order), then removals of subtree tops, then
 * renames. Each `index` is the insertion point at that moment of the list, computed without copying any
 * child list: the cost follows the number of touched nodes.
 */
export function structuralChanges(
  tree: Materializer,
  diff: StructuralDiff,
  propsOf: (state: NodeState) => Props,
): SceneChange[] {
  const { before } = diff;
  const nodes = tree.nodes;
  const isVisibleBefore = (id: string): boolean => before.get(id)?.visible ?? nodes.get(id)?.visible ?? false;

  // Nodes that get an `added` or `moved`: moved ones and appearing subtrees.
  const placed = new Map<string, 'added' | 'moved'>();
  const appearRoots: NodeState[] = [];
  for (const [id, old] of before) {
    const state = nodes.get(id);
    if (!state?.visible || id === tree.root.id) continue;
    if (!old.visible) appearRoots.push(state);
    else if (old.parent !== state.parent || old.key !== state.key) placed.set(id, 'moved');
  }
  for (const top of appearRoots) {
    if (placed.has(top.id)) continue;
    const stack = [top];
    while (stack.length > 0) {
      const state = stack.pop()!;
      if (placed.has(state.id)) continue;
      placed.set(state.id, 'added');
      for (const childId of state.liveChildren) {
        // A child that was visible before came here by a move of its own: it is listed as moved.
        if (before.get(childId)?.visible) continue;
        stack.push(nodes.get(childId)!);
      }
    }
  }

  const order = [...placed.keys()].map((id) => {
    const state = nodes.get(id)!;
    return { state, depth: tree.depthOf(id), index: tree.indexOf(state) };
  });
  order.sort((a, b) => a.depth - b.depth || (a.state.parent < b.state.parent ? -1 : a.state.parent > b.state.parent ? 1 : 0) || a.index - b.index);

  // Nodes each parent held before that leave its list at some point of the list (moved or removed),
  // sorted by their old place, with a counter of those not yet processed.
  const leaving = new Map<string, LeaverIndex>();
  for (const [id, old] of before) {
    if (!old.visible || old.parent === '') continue;
    const state = nodes.get(id);
    const stays = state?.visible && state.parent === old.parent && state.key === old.key;
    if (stays) continue;
    let index = leaving.get(old.parent);
    if (!index) leaving.set(old.parent, (index = new LeaverIndex()));
    index.add(id, old.key);
  }
  for (const index of leaving.values()) index.seal();
  // Per parent: how far back we have scanned for the anchor, and the anchor found.
  const scans = new Map<string, { scannedTo: number; anchor: number }>();

  const changes: SceneChange[] = [];
  for (const { state, index: finalIndex } of order) {
    // Our own old slot is vacated before we are inserted (Godot's move_child semantics).
    const oldParent = before.get(state.id)?.parent;
    if (oldParent !== undefined) leaving.get(oldParent)?.markProcessed(state.id);
    const parent = nodes.get(state.parent)!;
    const siblings = parent.liveChildren;
    let index = 0;
    if (finalIndex > 0) {
      // Everything before us in final order is in place; add the leavers still sitting before the
      // nearest untouched sibling (the anchor of the run we are part of). Siblings come in ascending
      // order, so each parent's list is scanned once.
      let scan = scans.get(parent.id);
      if (!scan) scans.set(parent.id, (scan = { scannedTo: -1, anchor: -1 }));
      for (let at = finalIndex - 1; at > scan.scannedTo; at--) {
        if (!placed.has(siblings[at]!)) {
          scan.anchor = at;
          break;
        }
      }
      scan.scannedTo = finalIndex - 1;
      index = finalIndex;
      const leavers = leaving.get(parent.id);
      if (scan.anchor >= 0 && leavers) {
        const anchorId = siblings[scan.anchor]!;
        index += leavers.pendingBefore(nodes.get(anchorId)!.key, anchorId);
      }
    }
    const kind = placed.get(state.id)!;
    if (kind === 'added') {
      changes.push({
        kind: 'added',
        id: state.id as NodeId,
        parent: parent.id as NodeId,
        index,
        name: state.name,
        type: state.type,
        props: propsOf(state),
      });
    } else {
      changes.push({
        kind: 'moved',
        id: state.id as NodeId,
        parent: parent.id as NodeId,
        index,
        oldParent: oldParent as NodeId,
      });
    }
  }

  // Removals: the top of each subtree that was visible and is not any more.
  for (const [id, old] of before) {
    if (!old.visible || id === tree.root.id) continue;
    if (nodes.get(id)?.visible) continue;
    if (!isVisibleBefore(old.parent) || !stillThere(old.parent, nodes, before)) continue;
    changes.push({ kind: 'removed', id: id as NodeId, parent: old.parent as NodeId });
  }

  // Renames of nodes that stayed visible (added nodes carry their name).
  for (const [id, old] of before) {
    const state = nodes.get(id);
    if (!state?.visible || !old.visible || placed.get(id) === 'added') continue;
    if (state.name !== old.name) changes.push({ kind: 'renamed', id: id as NodeId, name: state.name, oldName: old.name });
  }
  return changes;
}

/**
 * The nodes leaving one parent's child list, in their old order, with a Fenwick tree counting those
 * not processed yet: "how many pending leavers sit before this key" in O(log n).
 */
class LeaverIndex {
  private entries: { id: string; key: string }[] = [];
  private position = new Map<string, number>();
  private tree: Int32Array = new Int32Array(0);

  add(id: string, key: string): void {
    this.entries.push({ id, key });
  }

  seal(): void {
    this.entries.sort((a, b) => compareSiblings(a.key, a.id, b.key, b.id));
    this.tree = new Int32Array(this.entries.length + 1);
    this.entries.forEach((e, i) => {
      this.position.set(e.id, i);
      this.update(i, 1);
    });
  }

  markProcessed(id: string): void {
    const at = this.position.get(id);
    if (at === undefined) return;
    this.position.delete(id);
    this.update(at, -1);
  }

  /** Pending leavers whose old place sorts before `(key, id)`. */
  pendingBefore(key: string, id: string): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const e = this.entries[mid]!;
      if (compareSiblings(e.key, e.id, key, id) < 0) lo = mid + 1;
      else hi = mid;
    }
    let sum = 0;
    for (let i = lo; i > 0; i -= i & -i) sum += this.tree[i]!;
    return sum;
  }

  private update(at: number, delta: number): void {
    for (let i = at + 1; i < this.tree.length; i += i & -i) this.tree[i]! += delta;
  }
}

/** True when a node that was visible before is still visible (so removing a child from it makes sense). */
function stillThere(id: string, nodes: Map<string, NodeState>, before: Map<string, BeforeState>): boolean {
  const state = nodes.get(id);
  if (state?.visible) return true;
  // The parent itself disappears: its own removal (or its ancestor's) takes the child with it.
  return !before.get(id)?.visible;
}
