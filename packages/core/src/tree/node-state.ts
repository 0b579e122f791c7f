import type { NodeRecord } from '../model/schema.js';

/** One parent edge of a node (R-TREE-1). */
export interface Edge {
  readonly parent: string;
  readonly lamport: number;
  readonly key: string;
}

/** The shared child list of every leaf. */
export const NO_CHILDREN: string[] = Object.freeze([]) as unknown as string[];

/** Edges sort by `(lamport, parentId)`, highest first. */
export const compareEdgesDesc = (a: Edge, b: Edge): number =>
  b.lamport - a.lamport || (a.parent < b.parent ? 1 : a.parent > b.parent ? -1 : 0);

/** Siblings sort by `(orderKey, nodeId)` (R-ORDER-1). */
export function compareSiblings(aKey: string, aId: string, bKey: string, bId: string): number {
  if (aKey !== bKey) return aKey < bKey ? -1 : 1;
  return aId < bId ? -1 : aId > bId ? 1 : 0;
}

/** The materialiser's view of one node: its document data and its place in the materialised tree. */
export class NodeState {
  /** Edges sorted by `compareEdgesDesc`. */
  edges: Edge[] = [];
  /** Index into `edges` of the edge in force; `edges.length` means "hung under the root". */
  choice = 0;
  /** Effective parent (`''` for the root itself). */
  parent = '';
  /** Order key among the effective parent's children. */
  key = '';
  tomb = false;
  visible = false;
  /** Requested name (record or latest rename) and the lamport it was written with. */
  requestedName = '';
  nameLamport = 0;
  /** Materialised unique name. */
  name = '';
  /**
   * Children that are not tombstoned, sorted by (key, id). Visible exactly when this node is. Leaves
   * share one frozen empty list (most nodes are leaves); the materialiser swaps in a real one on attach.
   */
  liveChildren: string[] = NO_CHILDREN;
  /** Decoded initial properties; filled on first read. */
  initialProps: Map<string, unknown> | null = null;

  constructor(
    readonly id: string,
    public record: NodeRecord | null,
  ) {}

  get type(): string {
    return this.record?.type ?? 'Node';
  }

  /** The edge in force, or null when hung under the root. */
  get chosenEdge(): Edge | null {
    return this.edges[this.choice] ?? null;
  }
}

/** A copy of what a consumer saw of a node before a transaction (for the change list). */
export interface BeforeState {
  readonly existed: boolean;
  readonly visible: boolean;
  readonly parent: string;
  readonly key: string;
  readonly name: string;
}

/** Binary search for `(key, id)` in a sorted child list; returns the insertion point when absent. */
export function siblingIndex(children: readonly string[], keyOf: (id: string) => string, key: string, id: string): number {
  let lo = 0;
  let hi = children.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const other = children[mid]!;
    if (compareSiblings(keyOf(other), other, key, id) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
