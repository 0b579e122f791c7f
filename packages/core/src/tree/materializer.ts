import { isValidId, ROOT_ID, splitKey } from '../model/ids.js';
import {
  decodeNodeRecord,
  readEdgeValue,
  readLamport,
  readNameValue,
  type SceneMaps,
} from '../model/schema.js';
import type { InvalidEntry } from '../model/types.js';
import { NameFamily, nameFamily, sanitizeName } from './names.js';
import { type BeforeState, compareEdgesDesc, compareSiblings, type Edge, NO_CHILDREN, NodeState, siblingIndex } from './node-state.js';

/** What one transaction changed in the document, by map. */
export interface DocDelta {
  nodes: Iterable<string>;
  edges: Iterable<string>;
  names: Iterable<string>;
  deleted: Iterable<string>;
  root: boolean;
}

/** The structural outcome of applying a delta: before-states of every node whose materialised view changed. */
export interface StructuralDiff {
  readonly before: Map<string, BeforeState>;
}

/**
 * Materialises the tree from the document's maps (docs/scene-model.md R-TREE, R-ORDER, R-NAME) and
 * keeps it up to date incrementally. Everything it computes is a pure function of the document state
 * (so every peer agrees), and an update costs what it touched, not the size of the tree.
 */
export class Materializer {
  readonly nodes = new Map<string, NodeState>();
  readonly root: NodeState;
  /** Overlay edges by child, present even before the child's record arrives. */
  private readonly overlayEdges = new Map<string, Map<string, Edge>>();
  /** Children that skipped an edge because its parent's record is missing: re-evaluated when it comes. */
  private readonly waiting = new Map<string, Set<string>>();
  /** Tombstoned nodes (not in any child list): looked at when a parent's record goes away. */
  private readonly tombstoned = new Set<string>();
  /** Nodes whose choice is not their preferred valid edge (cycle fallbacks): re-examined on each update. */
  private readonly demoted = new Set<string>();
  /** Name families by parent then family (R-NAME). */
  private readonly families = new Map<string, Map<string, NameFamily>>();
  /** Families touched by the update in progress, with the members that joined or were renamed. */
  private dirtyFamilies = new Map<string, Map<string, Set<string>>>();
  /** Attachments deferred so that a parent gaining many children sorts once instead of splicing each. */
  private pendingAttach = new Map<string, NodeState[]>();
  /** Largest lamport seen anywhere in the document. */
  maxLamport = 0;
  private invalid: InvalidEntry[] = [];

  constructor(private readonly maps: SceneMaps) {
    this.root = new NodeState(ROOT_ID, null);
    this.root.visible = true;
    this.nodes.set(ROOT_ID, this.root);
    this.readRootInfo();
  }

  /** Entries ignored since the last call (R-HOSTILE). */
  takeInvalid(): InvalidEntry[] {
    const out = this.invalid;
    this.invalid = [];
    return out;
  }

  private report(where: string, key: string, reason: string): void {
    this.invalid.push({ where, key, reason });
  }

  private readRootInfo(): void {
    const type = this.maps.root.get('type');
    const name = this.maps.root.get('name');
    this.root.record = {
      type: typeof type === 'string' && type !== '' ? type : 'Node3D',
      name: typeof name === 'string' && name !== '' ? name : 'Root',
      lamport: 0,
      parent: '',
      key: '',
      props: new Uint8Array([0]),
    };
    this.root.requestedName = this.root.record.name;
    this.root.name = sanitizeName(this.root.record.name, this.root.record.type);
  }

  /**
   * Builds everything from the maps (the first load). The same rules as `applyDelta`, in one linear
   * pass with few allocations per node, since loading 100,000 nodes must take well under a second.
   */
  loadAll(): void {
    this.maps.nodes.forEach((raw, id) => {
      const record = id === ROOT_ID ? null : decodeNodeRecord(raw);
      if (!record || !isValidId(id)) {
        this.report('node', id, id === ROOT_ID ? 'a node record may not use the root id' : 'node record is not decodable');
        return;
      }
      this.seeLamport(record.lamport);
      this.nodes.set(id, new NodeState(id, record));
    });
    const ignored = new Set<string>();
    this.maps.edges.forEach((_value, key) => this.readEdge(key, ignored));
    this.maps.deleted.forEach((value, id) => {
      const lamport = readLamport(value);
      if (lamport === null) return this.report('deleted', id, 'tombstone is not a lamport');
      this.seeLamport(lamport);
      const state = this.nodes.get(id);
      if (state && state !== this.root) {
        state.tomb = true;
        this.tombstoned.add(id);
      }
    });
    this.maps.names.forEach((value, id) => {
      const entry = readNameValue(value);
      if (entry) this.seeLamport(entry.lamport);
      else this.report('name', id, 'rename is not [name, lamport]');
    });

    // Parents: preferred valid edges, then cycle breaking over every node.
    const ids: string[] = [];
    for (const state of this.nodes.values()) {
      if (state === this.root) continue;
      ids.push(state.id);
      this.readName(state);
      this.rebuildEdges(state);
      state.choice = this.nextValidEdge(state, 0);
    }
    const demotions = new Map<string, number>();
    this.breakCycles(ids, demotions);
    for (const [id, choice] of demotions) this.nodes.get(id)!.choice = choice;

    // Child lists, sorted once per parent.
    for (const id of ids) {
      const state = this.nodes.get(id)!;
      const edge = state.edges[state.choice];
      state.parent = edge ? edge.parent : ROOT_ID;
      state.key = edge ? edge.key : (state.edges[0]?.key ?? '');
      if (state.tomb) continue;
      const parent = this.nodes.get(state.parent)!;
      if (parent.liveChildren === NO_CHILDREN) parent.liveChildren = [];
      parent.liveChildren.push(id);
    }
    for (const state of this.nodes.values()) {
      if (state.liveChildren.length > 1) state.liveChildren.sort((a, b) => compareSiblings(this.keyOf(a), a, this.keyOf(b), b));
    }

    // Names, then visibility down from the root.
    for (const state of this.nodes.values()) {
      for (const child of state.liveChildren) this.familyAdd(state.id, this.nodes.get(child)!);
    }
    const dirty = this.dirtyFamilies;
    this.dirtyFamilies = new Map();
    const noop = (): void => {};
    for (const [parent, byFamily] of dirty) {
      for (const [family, touched] of byFamily) this.resolveNames(parent, family, touched, noop);
    }
    const stack: NodeState[] = [this.root];
    while (stack.length > 0) {
      for (const child of stack.pop()!.liveChildren) {
        const state = this.nodes.get(child)!;
        state.visible = true;
        if (state.liveChildren.length > 0) stack.push(state);
      }
    }
  }

  /**
   * Applies what a transaction changed and returns the before-state of every node whose materialised
   * view (existence, visibility, parent, order key, name) may have changed.
   */
  /** Records a node's before-state on its first change in the running update; null while loading. */
  private capture: ((state: NodeState) => void) | null = null;

  /**
   * @param before where to record before-states; omit it (initial load) to record nothing.
   */
  applyDelta(delta: DocDelta, before: Map<string, BeforeState> | null = new Map()): StructuralDiff {
    const noop = (): void => {};
    const capture = before
      ? (state: NodeState): void => {
          if (!before.has(state.id)) {
            before.set(state.id, {
              existed: state.record !== null,
              visible: state.visible,
              parent: state.parent,
              key: state.key,
              name: state.name,
            });
          }
        }
      : noop;
    this.capture = capture;
    const oldRootName = this.root.name;
    if (delta.root) {
      this.readRootInfo();
      if (oldRootName !== this.root.name) before?.set(ROOT_ID, { existed: true, visible: true, parent: '', key: '', name: oldRootName });
    }

    const structural = new Set<string>(); // nodes whose edge list or existence changed
    const tombChanged = new Set<string>();
    const nameChanged = new Set<string>();

    for (const id of delta.nodes) this.readRecord(id, structural, capture);
    for (const key of delta.edges) this.readEdge(key, structural);
    for (const id of delta.deleted) {
      const state = this.nodes.get(id);
      const value = this.maps.deleted.get(id);
      const lamport = value === undefined ? null : readLamport(value);
      if (value !== undefined && lamport === null) this.report('deleted', id, 'tombstone is not a lamport');
      if (lamport !== null) this.seeLamport(lamport);
      if (state && state !== this.root) tombChanged.add(id);
    }
    for (const id of delta.names) {
      const state = this.nodes.get(id);
      if (state && state !== this.root) nameChanged.add(id);
      const entry = readNameValue(this.maps.names.get(id));
      if (entry) this.seeLamport(entry.lamport);
      else if (this.maps.names.has(id)) this.report('name', id, 'rename is not [name, lamport]');
    }

    // 1. Choose parents: reset touched and demoted nodes to their preferred edge, then break cycles.
    const candidates = new Set<string>();
    for (const id of structural) if (id !== ROOT_ID && this.nodes.get(id)?.record) candidates.add(id);
    for (const id of this.demoted) if (this.nodes.get(id)?.record) candidates.add(id);
    this.demoted.clear();
    const newChoice = new Map<string, number>();
    for (const id of candidates) {
      const state = this.nodes.get(id)!;
      this.rebuildEdges(state);
      newChoice.set(id, this.nextValidEdge(state, 0));
    }
    this.breakCycles(candidates, newChoice);

    // 2. Move nodes in the children lists where parent, key or tombstone changed.
    const moved = new Set<string>();
    for (const [id, choice] of newChoice) {
      const state = this.nodes.get(id)!;
      const edge = state.edges[choice];
      const parent = edge ? edge.parent : ROOT_ID;
      const key = edge ? edge.key : (state.edges[0]?.key ?? '');
      const attached = state.parent !== '';
      if (attached && state.choice === choice && state.parent === parent && state.key === key) continue;
      capture(state);
      if (attached && !state.tomb) this.detach(state);
      state.choice = choice;
      state.parent = parent;
      state.key = key;
      if (!state.tomb) this.attach(state);
      moved.add(id);
    }
    this.flushAttach();
    for (const id of tombChanged) {
      const state = this.nodes.get(id)!;
      const tomb = this.maps.deleted.has(id) && readLamport(this.maps.deleted.get(id)) !== null;
      if (tomb === state.tomb || !state.record) {
        state.tomb = tomb;
        continue;
      }
      capture(state);
      if (tomb) this.tombstoned.add(id);
      else this.tombstoned.delete(id);
      if (state.parent !== '') {
        if (tomb) this.detach(state);
        else {
          state.tomb = false;
          this.attach(state);
        }
      }
      state.tomb = tomb;
      moved.add(id);
    }
    this.flushAttach();
    for (const id of nameChanged) {
      const state = this.nodes.get(id)!;
      if (!state.record) continue;
      const attached = !state.tomb && state.parent !== '';
      if (attached) this.familyRemove(state.parent, state);
      this.readName(state);
      if (attached) this.familyAdd(state.parent, state);
    }

    // 3. Visibility flows down from each touched node.
    for (const id of moved) this.refreshVisibility(this.nodes.get(id)!, capture);

    // 4. Unique names in every family a node joined, left or was renamed in.
    const dirty = this.dirtyFamilies;
    this.dirtyFamilies = new Map();
    for (const [parent, byFamily] of dirty) {
      for (const [family, touched] of byFamily) this.resolveNames(parent, family, touched, capture);
    }
    this.capture = null;
    return { before: before ?? new Map() };
  }

  private seeLamport(lamport: number): void {
    if (lamport > this.maxLamport) this.maxLamport = lamport;
  }

  private readRecord(id: string, structural: Set<string>, capture: (s: NodeState) => void): void {
    if (id === ROOT_ID) {
      this.report('node', id, 'a node record may not use the root id');
      return;
    }
    const raw = this.maps.nodes.get(id);
    const record = raw === undefined ? null : decodeNodeRecord(raw);
    if (raw !== undefined && record === null) this.report('node', id, 'node record is not decodable');
    if (record && !isValidId(id)) {
      this.report('node', id, 'node id is not valid');
      return;
    }
    let state = this.nodes.get(id);
    if (!state && !record) return;
    if (state && state.record && record) return; // records are written once; a rewrite is ignored
    if (!state) {
      state = new NodeState(id, null);
      this.nodes.set(id, state);
    }
    if (record) {
      this.seeLamport(record.lamport);
      state.record = record;
      state.tomb = this.maps.deleted.has(id) && readLamport(this.maps.deleted.get(id)) !== null;
      if (state.tomb) this.tombstoned.add(id);
      this.readName(state);
    } else {
      // The record went away (an undone creation): the node leaves the tree.
      capture(state);
      if (state.parent !== '' && !state.tomb) this.detach(state);
      state.record = null;
      state.parent = '';
      this.refreshVisibility(state, capture);
      this.nodes.delete(id);
      this.demoted.delete(id);
      this.tombstoned.delete(id);
    }
    structural.add(id);
    // Children waiting for this node, or hanging from it, choose their parent again.
    const waiting = this.waiting.get(id);
    if (waiting) {
      for (const child of waiting) structural.add(child);
      this.waiting.delete(id);
    }
    if (!record) {
      for (const child of state.liveChildren) structural.add(child);
      for (const child of this.tombstoned) if (this.nodes.get(child)?.parent === id) structural.add(child);
    }
  }

  private readEdge(key: string, structural: Set<string>): void {
    const parts = splitKey(key);
    if (!parts) {
      this.report('edge', key, 'edge key is not child\\u0001parent');
      return;
    }
    const [child, parent] = parts;
    const value = this.maps.edges.get(key);
    let byParent = this.overlayEdges.get(child);
    if (value === undefined) {
      byParent?.delete(parent);
    } else {
      const edge = readEdgeValue(value);
      if (!edge || child === parent || child === ROOT_ID) {
        const reason = child === ROOT_ID ? 'the root cannot have a parent' : child === parent ? 'edge from a node to itself' : 'edge is not [lamport, key]';
        this.report('edge', key, reason);
        byParent?.delete(parent);
        if (child === ROOT_ID) return;
      } else {
        this.seeLamport(edge.lamport);
        if (!byParent) this.overlayEdges.set(child, (byParent = new Map()));
        byParent.set(parent, { parent, lamport: edge.lamport, key: edge.key });
      }
    }
    structural.add(child);
  }


  private readName(state: NodeState): void {
    if (!state.record) return;
    const entry = readNameValue(this.maps.names.get(state.id));
    const requested = entry ? entry.name : state.record.name;
    state.requestedName = sanitizeName(requested, state.record.type);
    state.nameLamport = entry ? entry.lamport : state.record.lamport;
  }

  private rebuildEdges(state: NodeState): void {
    const record = state.record!;
    const overlay = this.overlayEdges.get(state.id);
    const edges: Edge[] = [];
    if (!overlay?.has(record.parent) && record.parent !== state.id) {
      edges.push({ parent: record.parent, lamport: record.lamport, key: record.key });
    }
    if (overlay) for (const edge of overlay.values()) edges.push(edge);
    edges.sort(compareEdgesDesc);
    state.edges = edges;
  }

  /** First edge at or after `from` whose parent exists (R-TREE-5); `edges.length` when none. */
  private nextValidEdge(state: NodeState, from: number): number {
    for (let i = from; i < state.edges.length; i++) {
      const parent = state.edges[i]!.parent;
      if (parent === ROOT_ID || this.nodes.get(parent)?.record) return i;
      let waiting = this.waiting.get(parent);
      if (!waiting) this.waiting.set(parent, (waiting = new Set()));
      waiting.add(state.id);
    }
    return state.edges.length;
  }

  /**
   * R-TREE-2: while the chosen parents form cycles, the node on any cycle whose edge has the highest
   * (lamport, childId) falls back to its next valid edge. Every cycle passes through a candidate (the
   * rest of the tree was acyclic before), so walks start from candidates only.
   */
  private breakCycles(candidates: Iterable<string>, choice: Map<string, number>): void {
    const parentOf = (id: string): string | null => {
      if (id === ROOT_ID) return null;
      const state = this.nodes.get(id)!;
      const c = choice.get(id) ?? state.choice;
      const edge = state.edges[c];
      return edge ? edge.parent : ROOT_ID;
    };
    // One walk per start along chosen parents; `walkOf` remembers which walk visited a node, so a node
    // met again in the same walk closes a cycle and one met from an earlier walk is known to be fine.
    const findCycles = (starts: Iterable<string>): string[][] => {
      const cycles: string[][] = [];
      const walkOf = new Map<string, number>();
      let walk = 0;
      const path: string[] = [];
      for (const start of starts) {
        walk++;
        path.length = 0;
        let at: string | null = start;
        while (at !== null) {
          const seen = walkOf.get(at);
          if (seen !== undefined) {
            if (seen === walk) cycles.push(path.slice(path.indexOf(at)));
            break;
          }
          walkOf.set(at, walk);
          path.push(at);
          at = parentOf(at);
        }
      }
      return cycles;
    };
    let cycles = findCycles(candidates);
    while (cycles.length > 0) {
      let worst: string | null = null;
      let worstLamport = -1;
      for (const cycle of cycles) {
        for (const id of cycle) {
          const state = this.nodes.get(id)!;
          const lamport = state.edges[choice.get(id) ?? state.choice]?.lamport ?? -1;
          if (lamport > worstLamport || (lamport === worstLamport && worst !== null && id > worst)) {
            worst = id;
            worstLamport = lamport;
          }
        }
      }
      const state = this.nodes.get(worst!)!;
      choice.set(worst!, this.nextValidEdge(state, (choice.get(worst!) ?? state.choice) + 1));
      this.demoted.add(worst!);
      const rest = cycles.filter((c) => !c.includes(worst!));
      cycles = [...rest, ...findCycles([worst!])];
    }
  }

  private keyOf = (id: string): string => this.nodes.get(id)!.key;

  private detach(state: NodeState): void {
    const parent = this.nodes.get(state.parent);
    if (parent) {
      const list = parent.liveChildren;
      const at = siblingIndex(list, this.keyOf, state.key, state.id);
      if (list[at] === state.id) list.splice(at, 1);
      else {
        // Still waiting in a deferred attach batch.
        const pending = this.pendingAttach.get(state.parent);
        const i = pending?.indexOf(state) ?? -1;
        if (i >= 0) pending!.splice(i, 1);
      }
    }
    this.familyRemove(state.parent, state);
  }

  private attach(state: NodeState): void {
    let batch = this.pendingAttach.get(state.parent);
    if (!batch) this.pendingAttach.set(state.parent, (batch = []));
    batch.push(state);
    this.familyAdd(state.parent, state);
  }

  /** Inserts deferred attachments: a few by binary-search splice, many by one sort. */
  private flushAttach(): void {
    for (const [parentId, batch] of this.pendingAttach) {
      const parent = this.nodes.get(parentId)!;
      if (parent.liveChildren === NO_CHILDREN) parent.liveChildren = [];
      const list = parent.liveChildren;
      if (batch.length < 16) {
        for (const state of batch) list.splice(siblingIndex(list, this.keyOf, state.key, state.id), 0, state.id);
      } else {
        for (const state of batch) list.push(state.id);
        list.sort((a, b) => compareSiblings(this.keyOf(a), a, this.keyOf(b), b));
      }
    }
    this.pendingAttach.clear();
  }

  private familyAdd(parent: string, state: NodeState): void {
    const family = nameFamily(state.requestedName);
    let byFamily = this.families.get(parent);
    if (!byFamily) this.families.set(parent, (byFamily = new Map()));
    let fam = byFamily.get(family);
    if (!fam) byFamily.set(family, (fam = new NameFamily()));
    // The common case — no collision before or after — needs no resolution pass.
    const free = fam.isFreeFor(state.requestedName);
    fam.add(state.id, state.requestedName);
    if (free) {
      if (state.name !== state.requestedName) {
        this.capture?.(state);
        state.name = state.requestedName;
      }
    } else this.markFamily(parent, family, state.id);
  }

  private familyRemove(parent: string, state: NodeState): void {
    const family = nameFamily(state.requestedName);
    const byFamily = this.families.get(parent);
    const fam = byFamily?.get(family);
    if (!fam) return;
    const hadCollisions = fam.hasCollisions;
    fam.remove(state.id, state.requestedName);
    if (fam.size === 0) byFamily!.delete(family);
    if (byFamily!.size === 0) this.families.delete(parent);
    if (hadCollisions) this.markFamily(parent, family, null);
  }

  private markFamily(parent: string, family: string, joined: string | null): void {
    let byFamily = this.dirtyFamilies.get(parent);
    if (!byFamily) this.dirtyFamilies.set(parent, (byFamily = new Map()));
    let touched = byFamily.get(family);
    if (!touched) byFamily.set(family, (touched = new Set()));
    if (joined !== null) touched.add(joined);
  }

  private resolveNames(parent: string, family: string, touched: Set<string>, capture: (s: NodeState) => void): void {
    const fam = this.families.get(parent)?.get(family);
    if (!fam) return;
    const names = fam.resolve(touched, (id) => {
      const s = this.nodes.get(id);
      return s ? { id, requested: s.requestedName, lamport: s.nameLamport } : null;
    });
    for (const [id, name] of names) {
      const state = this.nodes.get(id);
      if (state && state.name !== name) {
        capture(state);
        state.name = name;
      }
    }
  }

  private refreshVisibility(state: NodeState, capture: (s: NodeState) => void): void {
    const stack = [state];
    while (stack.length > 0) {
      const node = stack.pop()!;
      const parent = node.parent === '' ? undefined : this.nodes.get(node.parent);
      const visible = node.record !== null && !node.tomb && parent !== undefined && parent.visible;
      if (visible === node.visible && node !== state) continue;
      if (visible !== node.visible) {
        capture(node);
        node.visible = visible;
      }
      for (const child of node.liveChildren) {
        const c = this.nodes.get(child);
        if (c && c.visible !== visible) stack.push(c);
      }
    }
  }

  /** Nodes that hang on a fallback edge because their preferred edge lost a cycle (R-TREE-2). */
  demotedNodes(): ReadonlySet<string> {
    return this.demoted;
  }

  /** Depth of a visible node (root = 0). */
  depthOf(id: string): number {
    let depth = 0;
    for (let at = this.nodes.get(id); at && at.parent !== ''; at = this.nodes.get(at.parent)) depth++;
    return depth;
  }

  /** Index of a live child in its parent's list. */
  indexOf(state: NodeState): number {
    const parent = this.nodes.get(state.parent);
    return parent ? siblingIndex(parent.liveChildren, this.keyOf, state.key, state.id) : 0;
  }

  /** Sibling comparison for before-states (used by the change list). */
  static compareBefore = compareSiblings;
}
