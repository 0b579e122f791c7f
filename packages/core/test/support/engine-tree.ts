import type { GodotValue, NodeId, SceneChange, SceneTree, TreeNode } from '../../src/index.js';

interface EngineNode {
  id: string;
  name: string;
  type: string;
  props: Map<string, GodotValue>;
  children: EngineNode[];
  parent: EngineNode | null;
}

/** A change list that a live engine tree could not apply: what Godot would have refused. */
export class EngineTreeError extends Error {
  constructor(
    message: string,
    readonly change: SceneChange,
    readonly position: number,
  ) {
    super(`${message} (change #${position}: ${JSON.stringify(change, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v))})`);
  }
}

/**
 * A small stand-in for Godot's scene tree: it applies `SceneChange` lists the way the bridge will
 * (`add_child` then `move_child(index)`, `remove_child` of a whole subtree, `move_child` with the index
 * taken *at application time*), and refuses anything Godot would refuse: a parent that does not exist
 * yet, an index out of range, a node added twice, a move under its own descendant, a removed or moved
 * node whose stated parent is not its parent, a rename whose old name is not the node's name.
 * Comparing `toTree()` after applying a change list with `SceneDoc.toTree()` proves R-EVENT.
 */
export class EngineTree {
  private readonly nodes = new Map<string, EngineNode>();
  private readonly resources = new Map<string, { id: string; type: string; props: Map<string, GodotValue> }>();
  private readonly root: EngineNode;

  constructor(tree: SceneTree) {
    this.root = this.build(tree, null);
    for (const r of Object.values(tree.resources)) {
      this.resources.set(r.id, { id: r.id, type: r.type, props: new Map(Object.entries(r.props)) });
    }
  }

  private build(t: TreeNode, parent: EngineNode | null): EngineNode {
    const node: EngineNode = {
      id: t.id,
      name: t.name,
      type: t.type,
      props: new Map(Object.entries(t.props)),
      children: [],
      parent,
    };
    this.nodes.set(t.id, node);
    for (const c of t.children) node.children.push(this.build(c, node));
    return node;
  }

  /** Applies one change list in order; throws `EngineTreeError` at the first change an engine would refuse. */
  apply(changes: readonly SceneChange[]): void {
    changes.forEach((c, i) => this.applyOne(c, i));
  }

  private need(id: string, c: SceneChange, i: number): EngineNode {
    const n = this.nodes.get(id);
    if (!n) throw new EngineTreeError(`node ${id} is not in the engine tree`, c, i);
    return n;
  }

  private applyOne(c: SceneChange, i: number): void {
    switch (c.kind) {
      case 'added': {
        if (this.nodes.has(c.id)) throw new EngineTreeError(`node ${c.id} added twice`, c, i);
        const parent = this.need(c.parent, c, i);
        if (!Number.isInteger(c.index) || c.index < 0 || c.index > parent.children.length) {
          throw new EngineTreeError(`add index ${c.index} out of 0..${parent.children.length}`, c, i);
        }
        const node: EngineNode = {
          id: c.id,
          name: c.name,
          type: c.type,
          props: new Map(Object.entries(c.props)),
          children: [],
          parent,
        };
        this.nodes.set(c.id, node);
        parent.children.splice(c.index, 0, node);
        return;
      }
      case 'removed': {
        const node = this.need(c.id, c, i);
        if (node === this.root) throw new EngineTreeError('the root was removed', c, i);
        if (node.parent!.id !== c.parent) {
          throw new EngineTreeError(`removed node's parent is ${node.parent!.id}, not ${c.parent}`, c, i);
        }
        node.parent!.children.splice(node.parent!.children.indexOf(node), 1);
        const drop = (n: EngineNode): void => {
          this.nodes.delete(n.id);
          n.children.forEach(drop);
        };
        drop(node);
        return;
      }
      case 'moved': {
        const node = this.need(c.id, c, i);
        if (node === this.root) throw new EngineTreeError('the root was moved', c, i);
        if (node.parent!.id !== c.oldParent) {
          throw new EngineTreeError(`moved node's parent is ${node.parent!.id}, not oldParent ${c.oldParent}`, c, i);
        }
        const parent = this.need(c.parent, c, i);
        for (let p: EngineNode | null = parent; p; p = p.parent) {
          if (p === node) throw new EngineTreeError('move under its own subtree', c, i);
        }
        node.parent!.children.splice(node.parent!.children.indexOf(node), 1);
        if (!Number.isInteger(c.index) || c.index < 0 || c.index > parent.children.length) {
          throw new EngineTreeError(`move index ${c.index} out of 0..${parent.children.length}`, c, i);
        }
        parent.children.splice(c.index, 0, node);
        node.parent = parent;
        return;
      }
      case 'renamed': {
        const node = this.need(c.id, c, i);
        if (node.name !== c.oldName) {
          throw new EngineTreeError(`renamed node is called ${node.name}, not oldName ${c.oldName}`, c, i);
        }
        node.name = c.name;
        return;
      }
      case 'property': {
        const node = this.need(c.id, c, i);
        if (c.value === undefined) node.props.delete(c.key);
        else node.props.set(c.key, c.value);
        return;
      }
      case 'resourceAdded': {
        if (this.resources.has(c.id)) throw new EngineTreeError(`resource ${c.id} added twice`, c, i);
        this.resources.set(c.id, { id: c.id, type: c.type, props: new Map(Object.entries(c.props)) });
        return;
      }
      case 'resourceRemoved': {
        if (!this.resources.delete(c.id)) throw new EngineTreeError(`resource ${c.id} is not there`, c, i);
        return;
      }
      case 'resourceProperty': {
        const r = this.resources.get(c.id);
        if (!r) throw new EngineTreeError(`resource ${c.id} is not there`, c, i);
        if (c.value === undefined) r.props.delete(c.key);
        else r.props.set(c.key, c.value);
        return;
      }
      default:
        throw new EngineTreeError(`unknown change kind ${(c as { kind: string }).kind}`, c, i);
    }
  }

  /** The mirror in `SceneDoc.toTree()`'s shape. */
  toTree(): SceneTree {
    const out = (n: EngineNode): TreeNode => ({
      id: n.id as NodeId,
      name: n.name,
      type: n.type,
      props: Object.fromEntries(n.props),
      children: n.children.map(out),
    });
    const resources: SceneTree['resources'] = {};
    for (const r of this.resources.values()) {
      resources[r.id] = { id: r.id as never, type: r.type, props: Object.fromEntries(r.props) };
    }
    return { ...out(this.root), resources };
  }
}
