import * as Y from 'yjs';
import { SceneError } from './errors.js';
import { structuralChanges } from './events/change-list.js';
import { asNodeId, asResourceId, isValidId, joinKey, randomId, ROOT_ID, splitKey } from './model/ids.js';
import {
  DELETED_PROPERTY,
  decodeProps,
  decodeResourceRecord,
  encodeNodeRecord,
  encodeResourceRecord,
  isDeletedMarker,
  readLamport,
  readOwnerValue,
  SCHEMA_VERSION,
  type SceneMaps,
  sceneMaps,
} from './model/schema.js';
import type {
  AddNodeInput,
  AddResourceInput,
  ChangeListener,
  InvalidEntry,
  InvalidListener,
  Props,
  ResourceRecord,
  SceneChange,
  SceneNode,
  SceneTree,
  TreeInput,
  TreeNode,
} from './model/types.js';
import { OrderKeyGenerator, peerTag } from './order/order-key.js';
import { Materializer } from './tree/materializer.js';
import type { BeforeState, NodeState } from './tree/node-state.js';
import { decodeValue, encodeUnchecked, MAX_ENCODED_VALUE_BYTES } from './values/codec.js';
import type { GodotValue, NodeId, ResourceId } from './values/types.js';
import { assertGodotValue } from './values/validate.js';

/** Ids of every `{ type: 'Resource' }` reference inside a value. */
function resourceRefs(value: GodotValue | undefined, out: string[] = []): string[] {
  if (typeof value !== 'object' || value === null) return out;
  if (Array.isArray(value)) for (const item of value) resourceRefs(item, out);
  else if (value.type === 'Resource') out.push(value.id);
  else if (value.type === 'Dictionary') for (const [k, v] of value.entries) resourceRefs(v, resourceRefs(k, out));
  return out;
}

/** Every `InvalidEntry.where` this package reports. */
const REPORT_KINDS = ['node', 'edge', 'name', 'deleted', 'property', 'resource', 'resourceProperty', 'owner', 'meta'];

/**
 * Overlay keys in one order whatever the order edits arrived in, so every peer (and a fresh load)
 * builds a node's properties with the same key order (R-PROP-ORDER).
 */
function sortedKeys(keys: Set<string> | undefined): readonly string[] {
  if (!keys || keys.size === 0) return NO_KEYS;
  const out = [...keys];
  if (out.length > 1) out.sort();
  return out;
}
const NO_KEYS: readonly string[] = [];

/** "This property has no overlay entry" (distinct from a Godot `null`). */
const NO_OVERLAY = Symbol('no overlay');

/** Options of `new SceneDoc`. */
export interface SceneDocOptions {
  /** Milliseconds within which local edits merge into one undo step. */
  captureTimeout?: number;
}

/** Defaults of {@link SceneDocOptions}. */
export const SCENE_DOC_DEFAULTS: Required<SceneDocOptions> = {
  captureTimeout: 500,
};

/** An ownership change seen by `observeOwnership`. */
export interface OwnershipChange {
  readonly id: NodeId;
  /** The owner's Y.Doc clientID, or null when released. */
  readonly owner: number | null;
}

/**
 * A Godot scene tree held in a Yjs document (docs/scene-model.md). Any number of peers edit their own
 * `SceneDoc`; exchanging Yjs updates in any order makes them materialise the same valid tree.
 *
 * @example
 * const scene = new SceneDoc();
 * const box = scene.addNode({ parent: scene.rootId, name: 'Box', type: 'MeshInstance3D' });
 * scene.setProperty(box, 'transform', translation3d(0, 1, 0));
 * scene.observe((changes) => console.log(changes));
 */
export class SceneDoc {
  /** The schema version this build reads and writes. */
  static readonly SCHEMA_VERSION = SCHEMA_VERSION;

  /** The Yjs document; hand it to a provider (y-webrtc, y-websocket...) to sync. */
  readonly doc: Y.Doc;
  /** The root node's id (the constant `"root"`). */
  readonly rootId: NodeId = ROOT_ID;
  /** Reverts and replays this peer's own edits. */
  readonly undoManager: Y.UndoManager;

  private readonly maps: SceneMaps;
  private readonly tree: Materializer;
  private readonly keys: OrderKeyGenerator;
  /** Origin of every transaction this SceneDoc makes itself. */
  private readonly localOrigin = { scenesync: 'local' };
  private readonly listeners = new Set<ChangeListener>();
  private readonly invalidListeners = new Set<InvalidListener>();
  private readonly ownershipListeners = new Set<(changes: readonly OwnershipChange[]) => void>();
  /** Overlay property keys by record id (nodes and resources have separate maps). */
  private readonly nodePropKeys = new Map<string, Set<string>>();
  private readonly resourcePropKeys = new Map<string, Set<string>>();
  private readonly resourceTypes = new Map<string, { type: string; props: Uint8Array }>();
  private readonly liveResources = new Set<string>();
  private txBefore: Map<string, BeforeState> | null = null;
  private savedCaptureTimeout: number | null = null;
  /** Ids `fromTree` is about to add, accepted as references meanwhile. */
  private resourcesBeingAdded: Set<string> | null = null;
  /** Malformed entries already reported (`where` U+0001 key). */
  private readonly reported = new Set<string>();
  private unheardInvalid: InvalidEntry[] = [];
  /** Liveness of resources before the running transaction, for those changed eagerly in it. */
  private txResourceBefore: Map<string, boolean> | null = null;
  private schemaProblem: string | null = null;
  private readonly onAfterTransaction = (tr: Y.Transaction): void => this.afterTransaction(tr);

  /**
   * @param doc an existing Y.Doc (with or without content); a fresh one when omitted.
   * @throws SceneError `INVALID_ARGUMENT` when `doc` is not a Y.Doc.
   */
  constructor(doc: Y.Doc = new Y.Doc(), options: SceneDocOptions = {}) {
    if (!(doc instanceof Y.Doc)) throw new SceneError('INVALID_ARGUMENT', 'new SceneDoc(doc): doc must be a Y.Doc (or omitted)');
    const opts = { ...SCENE_DOC_DEFAULTS, ...options };
    this.doc = doc;
    this.maps = sceneMaps(doc);
    this.tree = new Materializer(this.maps);
    this.keys = new OrderKeyGenerator(peerTag(doc.clientID));
    this.tree.loadAll();
    for (const key of this.maps.props.keys()) this.indexPropKey(this.nodePropKeys, key);
    for (const key of this.maps.resourceProps.keys()) this.indexPropKey(this.resourcePropKeys, key);
    for (const id of this.maps.resources.keys()) this.readResource(id);
    this.checkSchema();
    this.emitInvalid(this.tree.takeInvalid());
    for (const id of this.maps.owners.keys()) this.checkOwner(id);
    // Claims to stream a node are not edits: undo never takes or gives back ownership.
    const undoable = Object.values(this.maps).filter((m) => m !== this.maps.meta && m !== this.maps.owners);
    this.undoManager = new Y.UndoManager(undoable, {
      trackedOrigins: new Set([this.localOrigin]),
      captureTimeout: opts.captureTimeout,
    });
    doc.on('afterTransaction', this.onAfterTransaction);
  }

  /**
   * Builds a new SceneDoc from a plain tree (the shape `toTree()` returns), keeping the ids it carries.
   * @throws SceneError on invalid values, names or duplicate ids.
   */
  static fromTree(tree: TreeInput, doc?: Y.Doc): SceneDoc {
    const scene = new SceneDoc(doc);
    scene.transact(() => {
      scene.setRootInfo({ type: tree.type, name: tree.name });
      // Resources may refer to each other in any order (object keys that look like numbers even come
      // first in JavaScript): treat every resource of the input as known while adding them.
      const entries = Object.entries(tree.resources ?? {});
      scene.resourcesBeingAdded = new Set(entries.map(([key, res]) => res.id ?? key));
      try {
        for (const [key, res] of entries) scene.addResource({ type: res.type, props: res.props ?? {}, id: res.id ?? key });
      } finally {
        scene.resourcesBeingAdded = null;
      }
      for (const [key, value] of Object.entries(tree.props ?? {})) scene.setProperty(scene.rootId, key, value);
      const stack: { parent: NodeId; node: TreeInput }[] = [...(tree.children ?? [])]
        .reverse()
        .map((node) => ({ parent: scene.rootId, node }));
      while (stack.length > 0) {
        const { parent, node } = stack.pop()!;
        const input: AddNodeInput = { parent, name: node.name, type: node.type, props: node.props ?? {} };
        if (node.id !== undefined) input.id = node.id;
        const id = scene.addNode(input);
        for (let i = (node.children?.length ?? 0) - 1; i >= 0; i--) stack.push({ parent: id, node: node.children![i]! });
      }
    });
    return scene;
  }

  // ---------------------------------------------------------------- reading

  /** True when this peer may not write (a newer schema was met); `readOnlyReason` says why. */
  get readOnly(): boolean {
    return this.schemaProblem !== null;
  }

  /** Why this peer is read-only, or null. */
  get readOnlyReason(): string | null {
    return this.schemaProblem;
  }

  /** Number of live nodes, root included. */
  get nodeCount(): number {
    let count = 0;
    for (const state of this.tree.nodes.values()) if (state.visible) count++;
    return count;
  }

  /** True when `id` is a live node. */
  hasNode(id: string): boolean {
    return this.tree.nodes.get(id)?.visible === true;
  }

  /** A plain snapshot of a live node, or undefined. */
  getNode(id: string): SceneNode | undefined {
    const state = this.tree.nodes.get(id);
    if (!state?.visible) return undefined;
    return {
      id: state.id as NodeId,
      type: state.type,
      name: state.name,
      requestedName: state.requestedName,
      parent: state.parent === '' ? null : (state.parent as NodeId),
      index: state.id === ROOT_ID ? 0 : this.tree.indexOf(state),
      props: this.propsOf(state),
    };
  }

  /** Ids of a live node's children, in order. @throws SceneError `UNKNOWN_NODE`. */
  children(id: string): NodeId[] {
    return [...this.live(id).liveChildren] as NodeId[];
  }

  /** The parent of a live node (null for the root). @throws SceneError `UNKNOWN_NODE`. */
  parentOf(id: string): NodeId | null {
    const state = this.live(id);
    return state.parent === '' ? null : (state.parent as NodeId);
  }

  /**
   * A property of a live node (or, given a resource id, of a live resource), or undefined.
   * @throws SceneError `UNKNOWN_NODE`.
   */
  getProperty(id: string, key: string): GodotValue | undefined {
    if (this.isResourceId(id)) return this.resourceProp(id, key);
    return this.readProp(this.live(id), key);
  }

  /** Path of a live node from the root, by names (`"Player/Camera"`; `""` for the root). */
  pathOf(id: string): string {
    const names: string[] = [];
    for (let state = this.live(id); state.parent !== ''; state = this.tree.nodes.get(state.parent)!) names.push(state.name);
    return names.reverse().join('/');
  }

  /** The live node at a path of names from the root (`"Player/Camera"`), or undefined. */
  findByPath(path: string): NodeId | undefined {
    let state: NodeState | undefined = this.tree.root;
    for (const part of path.split('/').filter((p) => p !== '' && p !== '.')) {
      const next: string | undefined = state.liveChildren.find((c) => this.tree.nodes.get(c)!.name === part);
      if (next === undefined) return undefined;
      state = this.tree.nodes.get(next)!;
    }
    return state.id as NodeId;
  }

  /** A live resource, or undefined. */
  getResource(id: string): ResourceRecord | undefined {
    if (!this.liveResources.has(id)) return undefined;
    return { id: id as ResourceId, type: this.resourceTypes.get(id)!.type, props: this.resourcePropsOf(id) };
  }

  /** Ids of every live resource. */
  resourceIds(): ResourceId[] {
    return [...this.liveResources] as ResourceId[];
  }

  /** The Y.Doc clientID allowed to stream a node, or null. */
  ownerOf(id: string): number | null {
    return readOwnerValue(this.maps.owners.get(id))?.client ?? null;
  }

  /**
   * The materialised tree as plain values: the root node with nested `children`, plus `resources`.
   * Iterative, so a 100,000-deep chain does not overflow the stack.
   */
  toTree(): SceneTree {
    const rootState = this.tree.root;
    const root: SceneTree = { ...this.treeNode(rootState), resources: {} };
    const stack: [NodeState, TreeNode][] = [[rootState, root]];
    while (stack.length > 0) {
      const [state, out] = stack.pop()!;
      for (const childId of state.liveChildren) {
        const child = this.tree.nodes.get(childId)!;
        const node = this.treeNode(child);
        out.children.push(node);
        if (child.liveChildren.length > 0) stack.push([child, node]);
      }
    }
    for (const id of this.liveResources) root.resources[id] = this.getResource(id)!;
    return root;
  }

  // ---------------------------------------------------------------- writing

  /**
   * Runs `fn` in one Yjs transaction: observers see one change list, undo sees one step.
   * @param origin transaction origin handed to listeners; edits under it are undoable too.
   */
  transact<T>(fn: () => T, origin?: unknown): T {
    if (origin !== undefined && origin !== null) this.undoManager.addTrackedOrigin(origin);
    let result!: T;
    this.doc.transact(() => {
      result = fn();
    }, origin ?? this.localOrigin);
    return result;
  }

  /** Sets the root node's class and name. */
  setRootInfo(info: { type?: string; name?: string }): void {
    this.writable();
    if (info.type !== undefined && (typeof info.type !== 'string' || info.type === '')) this.badArg('root type must be a non-empty string');
    if (info.name !== undefined && (typeof info.name !== 'string' || info.name === '')) this.badArg('root name must be a non-empty string');
    this.write(() => {
      if (info.type !== undefined && this.maps.root.get('type') !== info.type) this.maps.root.set('type', info.type);
      if (info.name !== undefined && this.maps.root.get('name') !== info.name) this.maps.root.set('name', info.name);
    }, { root: true });
  }

  /**
   * Adds a node under a live parent and returns its id.
   * @throws SceneError `UNKNOWN_NODE` (parent), `INVALID_ARGUMENT` (name, type, index, id),
   *   `DUPLICATE_ID`, `INVALID_VALUE` (props).
   */
  addNode(input: AddNodeInput): NodeId {
    this.writable();
    if (typeof input !== 'object' || input === null) this.badArg('addNode takes { parent, name, type, props?, index?, id? }');
    const parent = this.live(input.parent);
    if (typeof input.type !== 'string' || input.type === '') this.badArg('addNode: type must be a Godot class name, e.g. "Node3D"');
    if (typeof input.name !== 'string' || input.name === '') this.badArg('addNode: name must be a non-empty string');
    const props = this.checkProps(input.props ?? {}, 'addNode props');
    let id: string;
    if (input.id !== undefined) {
      if (!isValidId(input.id) || input.id === ROOT_ID) this.badArg(`addNode: id ${JSON.stringify(input.id)} is not a valid id`);
      if (this.maps.nodes.has(input.id)) throw new SceneError('DUPLICATE_ID', `addNode: a node with id ${input.id} already exists`);
      id = input.id;
    } else {
      do id = randomId();
      while (this.maps.nodes.has(id));
    }
    const key = this.keyAt(parent, input.index, null);
    const lamport = this.nextLamport();
    const record = encodeNodeRecord({ type: input.type, name: input.name, lamport, parent: parent.id, key }, props);
    this.write(() => this.maps.nodes.set(id, record), { nodes: [id] });
    return asNodeId(id);
  }

  /**
   * Moves a live node under a live parent at `index` (appended when omitted); within the same parent
   * it reorders.
   * @throws SceneError `UNKNOWN_NODE`, `ROOT`, `CYCLE` (new parent inside the node's subtree), `INVALID_ARGUMENT`.
   */
  moveNode(id: string, newParent: string, index?: number): void {
    this.writable();
    const state = this.live(id);
    if (state.id === ROOT_ID) throw new SceneError('ROOT', 'moveNode: the root cannot be moved');
    const parent = this.live(newParent);
    for (let at: NodeState | undefined = parent; at; at = this.tree.nodes.get(at.parent)) {
      if (at.id === state.id) {
        throw new SceneError('CYCLE', `moveNode: ${newParent} is ${id} itself or inside its subtree; move it elsewhere first`);
      }
    }
    const key = this.keyAt(parent, index, state.id);
    const edgeKey = joinKey(state.id, parent.id);
    // A node that hangs on a fallback edge (its latest move lost a cycle conflict) keeps its losing edge,
    // which this move could make valid again: confirm where each such node is now, with a fresh
    // timestamp, so skipped moves stay skipped and this move has no other effect (R-TREE-2b). The set
    // is empty unless concurrent moves conflicted.
    const confirmed: [string, [number, string]][] = [];
    for (const demotedId of this.tree.demotedNodes()) {
      const at = this.tree.nodes.get(demotedId)!;
      if (at.record && at.parent !== '') confirmed.push([joinKey(at.id, at.parent), [0, at.key]]);
    }
    this.write(
      () => {
        for (const entry of confirmed) {
          entry[1][0] = this.nextLamport();
          this.maps.edges.set(entry[0], entry[1]);
        }
        this.maps.edges.set(edgeKey, [this.nextLamport(), key]);
      },
      { edges: [...confirmed.map(([k]) => k), edgeKey] },
    );
  }

  /** Renames a live node (the materialised name may get a serial suffix, R-NAME). */
  renameNode(id: string, name: string): void {
    this.writable();
    const state = this.live(id);
    if (typeof name !== 'string' || name === '') this.badArg('renameNode: name must be a non-empty string');
    if (state.id === ROOT_ID) {
      this.setRootInfo({ name });
      return;
    }
    this.write(() => this.maps.names.set(state.id, [name, this.nextLamport()]), { names: [state.id] });
  }

  /** Removes a live node and its subtree (R-TREE-3). @throws SceneError `UNKNOWN_NODE`, `ROOT`. */
  removeNode(id: string): void {
    this.writable();
    const state = this.live(id);
    if (state.id === ROOT_ID) throw new SceneError('ROOT', 'removeNode: the root cannot be removed');
    this.write(() => this.maps.deleted.set(state.id, this.nextLamport()), { deleted: [state.id] });
  }

  /**
   * Sets a property of a live node (or, given a resource id, of a live resource).
   * @throws SceneError `UNKNOWN_NODE`, `INVALID_ARGUMENT` (key), `INVALID_VALUE`, `UNKNOWN_RESOURCE`.
   */
  setProperty(id: string, key: string, value: GodotValue): void {
    this.writable();
    if (this.isResourceId(id)) return this.setResourceProperty(id, key, value);
    const state = this.live(id);
    this.checkKey(key);
    const bytes = this.encodeChecked(this.checkValue(value, `setProperty ${key}`), key);
    this.write(() => this.maps.props.set(joinKey(state.id, key), bytes));
  }

  /** Sets several properties of a live node in one transaction. */
  setProperties(id: string, props: Props): void {
    const checked = this.checkProps(props, 'setProperties');
    this.transact(() => {
      for (const [key, value] of Object.entries(checked)) this.setProperty(id, key, value);
    });
  }

  /** Removes a property of a live node (a no-op when absent). */
  deleteProperty(id: string, key: string): void {
    this.writable();
    if (this.isResourceId(id)) return this.deleteResourceProperty(id, key);
    const state = this.live(id);
    this.checkKey(key);
    if (this.readProp(state, key) === undefined) return;
    const full = joinKey(state.id, key);
    this.write(() => {
      if (this.initialProps(state).has(key)) this.maps.props.set(full, DELETED_PROPERTY);
      else this.maps.props.delete(full);
    });
  }

  /** Adds a resource record and returns its id. */
  addResource(input: AddResourceInput): ResourceId {
    this.writable();
    if (typeof input !== 'object' || input === null) this.badArg('addResource takes { type, props?, id? }');
    if (typeof input.type !== 'string' || input.type === '') this.badArg('addResource: type must be a Godot class name, e.g. "BoxMesh"');
    let id: string;
    if (input.id !== undefined) {
      if (!isValidId(input.id)) this.badArg(`addResource: id ${JSON.stringify(input.id)} is not a valid id`);
      if (this.maps.resources.has(input.id)) throw new SceneError('DUPLICATE_ID', `addResource: a resource with id ${input.id} already exists`);
      id = input.id;
    } else {
      do id = randomId();
      while (this.maps.resources.has(id));
    }
    // Resource props may refer to resources created in the same call sequence, so register first.
    const props = this.checkProps(input.props ?? {}, 'addResource props', id);
    const record = encodeResourceRecord(input.type, props);
    this.write(() => {
      this.maps.resources.set(id, record);
      this.refreshResourceNow(id);
    });
    return asResourceId(id);
  }

  /** Sets a property of a live resource. */
  setResourceProperty(id: string, key: string, value: GodotValue): void {
    this.writable();
    this.liveResource(id);
    this.checkKey(key);
    const bytes = this.encodeChecked(this.checkValue(value, `setResourceProperty ${key}`, id), key);
    this.write(() => this.maps.resourceProps.set(joinKey(id, key), bytes));
  }

  /** Removes a property of a live resource. */
  deleteResourceProperty(id: string, key: string): void {
    this.writable();
    this.liveResource(id);
    this.checkKey(key);
    const full = joinKey(id, key);
    this.write(() => this.maps.resourceProps.set(full, DELETED_PROPERTY));
  }

  /** Removes a resource; references to it dangle (R-RES). */
  removeResource(id: string): void {
    this.writable();
    this.liveResource(id);
    this.write(() => {
      this.maps.resourcesDeleted.set(id, this.nextLamport());
      this.refreshResourceNow(id);
    });
  }

  /** Makes a resource written in the running transaction usable by the next call of the same transaction. */
  private refreshResourceNow(id: string): void {
    this.txResourceBefore ??= new Map();
    if (!this.txResourceBefore.has(id)) this.txResourceBefore.set(id, this.liveResources.has(id));
    this.resourceInitialCache.delete(id);
    this.readResource(id);
  }

  /** Claims the right to stream a live node; concurrent claims resolve the same way on every peer. */
  claimOwnership(id: string): void {
    this.writable();
    const state = this.live(id);
    this.write(() => this.maps.owners.set(state.id, [this.doc.clientID, this.nextLamport()]));
  }

  /** Releases a claim this peer holds (a no-op when another peer owns the node). */
  releaseOwnership(id: string): void {
    this.writable();
    if (this.ownerOf(id) !== this.doc.clientID) return;
    this.write(() => this.maps.owners.delete(id));
  }

  // ---------------------------------------------------------------- undo

  /**
   * Reverts this peer's last edit step (never another peer's). Returns false when there is none.
   * @throws SceneError `SCHEMA_NEWER` on a read-only peer.
   */
  undo(): boolean {
    this.writable();
    return this.undoManager.undo() !== null;
  }

  /** Replays the last undone step. Returns false when there is none. */
  redo(): boolean {
    this.writable();
    return this.undoManager.redo() !== null;
  }

  /** Ends the current undo step: the next edit starts a new one. */
  stopCapturing(): void {
    this.undoManager.stopCapturing();
  }

  /**
   * Starts an undo step that lasts until `endUndoStep()`, however long it takes (a gizmo drag, a
   * scripted batch): every local edit in between is undone and redone as one.
   */
  beginUndoStep(): void {
    if (this.savedCaptureTimeout !== null) return;
    this.undoManager.stopCapturing();
    this.savedCaptureTimeout = this.undoManager.captureTimeout;
    this.undoManager.captureTimeout = Number.POSITIVE_INFINITY;
  }

  /** Ends the step begun by `beginUndoStep()`. */
  endUndoStep(): void {
    if (this.savedCaptureTimeout === null) return;
    this.undoManager.captureTimeout = this.savedCaptureTimeout;
    this.savedCaptureTimeout = null;
    this.undoManager.stopCapturing();
  }

  // ---------------------------------------------------------------- events

  /**
   * Calls `listener` after every transaction that changed the materialised scene, local or remote,
   * with the ordered change list of R-EVENT. Returns a function that stops listening.
   */
  observe(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Calls `listener` with document entries that were ignored as malformed (R-HOSTILE), each once.
   * Entries found before the first listener subscribed (e.g. while loading) are delivered to it at once.
   */
  observeInvalid(listener: InvalidListener): () => void {
    this.invalidListeners.add(listener);
    if (this.unheardInvalid.length > 0) {
      const entries = this.unheardInvalid;
      this.unheardInvalid = [];
      listener(entries);
    }
    return () => this.invalidListeners.delete(listener);
  }

  /** Calls `listener` when nodes are claimed or released for streaming. */
  observeOwnership(listener: (changes: readonly OwnershipChange[]) => void): () => void {
    this.ownershipListeners.add(listener);
    return () => this.ownershipListeners.delete(listener);
  }

  /** Stops listening to the Y.Doc; the SceneDoc must not be used afterwards. */
  destroy(): void {
    this.doc.off('afterTransaction', this.onAfterTransaction);
    this.undoManager.destroy();
    this.listeners.clear();
    this.invalidListeners.clear();
    this.ownershipListeners.clear();
  }

  // ---------------------------------------------------------------- internals

  private badArg(message: string): never {
    throw new SceneError('INVALID_ARGUMENT', message);
  }

  private writable(): void {
    if (this.schemaProblem !== null) throw new SceneError('SCHEMA_NEWER', this.schemaProblem);
  }

  private live(id: unknown): NodeState {
    const state = typeof id === 'string' ? this.tree.nodes.get(id) : undefined;
    if (!state?.visible) {
      throw new SceneError('UNKNOWN_NODE', `no live node with id ${JSON.stringify(id)} (never added, or removed)`);
    }
    return state;
  }

  /** True for the id of a live resource that is not also a node id. */
  private isResourceId(id: unknown): id is string {
    return typeof id === 'string' && this.liveResources.has(id) && !this.tree.nodes.get(id)?.visible;
  }

  private liveResource(id: unknown): void {
    if (typeof id !== 'string' || !this.liveResources.has(id)) {
      throw new SceneError('UNKNOWN_RESOURCE', `no live resource with id ${JSON.stringify(id)}`);
    }
  }

  private checkKey(key: unknown): void {
    if (typeof key !== 'string' || key === '' || key.length > 1024) this.badArg('property names are non-empty strings');
  }

  private checkValue(value: unknown, where: string, selfResource?: string): GodotValue {
    const checked = assertGodotValue(value, where);
    if (typeof checked === 'object' && checked !== null && !Array.isArray(checked) && checked.type === 'Resource') {
      if (checked.id !== selfResource && !this.liveResources.has(checked.id) && !this.resourcesBeingAdded?.has(checked.id)) {
        throw new SceneError('UNKNOWN_RESOURCE', `${where}: no live resource with id ${checked.id}; add it first`);
      }
    }
    return checked;
  }

  private checkProps(props: unknown, where: string, selfResource?: string): Props {
    if (typeof props !== 'object' || props === null || Array.isArray(props)) this.badArg(`${where} must be an object`);
    const out: Props = {};
    for (const [key, value] of Object.entries(props)) {
      this.checkKey(key);
      out[key] = this.checkValue(value, `${where}.${key}`, selfResource);
    }
    return out;
  }

  /** Encodes a checked value, refusing one larger than peers accept (R-VAL-4). */
  private encodeChecked(value: GodotValue, key: string): Uint8Array {
    const bytes = encodeUnchecked(value);
    if (bytes.length > MAX_ENCODED_VALUE_BYTES) {
      throw new SceneError('INVALID_VALUE', `${key}: the value encodes to ${bytes.length} bytes, more than the ${MAX_ENCODED_VALUE_BYTES} peers accept`);
    }
    return bytes;
  }

  private nextLamport(): number {
    return ++this.tree.maxLamport;
  }

  /** An order key for a child of `parent` at `index` among its children other than `moving`. */
  private keyAt(parent: NodeState, index: number | undefined, moving: string | null): string {
    // The siblings as they are without the moving node, read through an index shift (no copy).
    const list = parent.liveChildren;
    const movingState = moving === null ? undefined : this.tree.nodes.get(moving);
    const skip = movingState && movingState.parent === parent.id && !movingState.tomb ? this.tree.indexOf(movingState) : -1;
    const count = list.length - (skip >= 0 ? 1 : 0);
    const sibling = (i: number): NodeState => this.tree.nodes.get(list[skip >= 0 && i >= skip ? i + 1 : i]!)!;
    const at = index ?? count;
    if (!Number.isInteger(at) || at < 0 || at > count) {
      this.badArg(`index ${index} is outside 0..${count}`);
    }
    const left = at > 0 ? sibling(at - 1).key : null;
    let right = at < count ? sibling(at).key : null;
    // Equal keys only come from a faulty peer; place after the left one then.
    if (left !== null && right !== null && left >= right) right = null;
    return this.keys.next(parent.id, left, right);
  }

  /** Writes inside a transaction and folds the written keys into the materialised tree at once. */
  private write(
    fn: () => void,
    delta?: { nodes?: string[]; edges?: string[]; names?: string[]; deleted?: string[]; root?: boolean },
  ): void {
    this.doc.transact(() => {
      if (this.maps.meta.get('schema') !== SCHEMA_VERSION) this.maps.meta.set('schema', SCHEMA_VERSION);
      fn();
      if (delta) {
        this.txBefore ??= new Map();
        this.tree.applyDelta(
          { nodes: delta.nodes ?? [], edges: delta.edges ?? [], names: delta.names ?? [], deleted: delta.deleted ?? [], root: delta.root ?? false },
          this.txBefore,
        );
      }
    }, this.localOrigin);
  }

  private checkSchema(): void {
    const schema = this.maps.meta.get('schema');
    if (schema !== undefined && !(Number.isSafeInteger(schema) && (schema as number) >= 1)) {
      this.emitInvalid([{ where: 'meta', key: 'schema', reason: `schema version ${JSON.stringify(schema)} is not a positive integer; ignored` }]);
      return;
    }
    if (typeof schema === 'number' && schema > SCHEMA_VERSION) {
      this.schemaProblem =
        `this document uses scenesync schema ${schema}, this build understands up to ${SCHEMA_VERSION}: ` +
        'it is read-only here; upgrade @scenesync/core to edit it';
    }
  }

  private indexPropKey(index: Map<string, Set<string>>, full: string): [string, string] | null {
    const parts = splitKey(full);
    if (!parts) return null;
    let keys = index.get(parts[0]);
    if (!keys) index.set(parts[0], (keys = new Set()));
    keys.add(parts[1]);
    return parts;
  }

  private initialProps(state: NodeState): Map<string, unknown> {
    if (state.initialProps === null) {
      try {
        state.initialProps = state.record && state.id !== ROOT_ID ? decodeProps(state.record.props) : new Map();
      } catch {
        state.initialProps = new Map();
        this.emitInvalid([{ where: 'node', key: state.id, reason: 'initial properties are not decodable' }]);
      }
    }
    return state.initialProps;
  }

  private readOverlay(map: Y.Map<unknown>, where: string, full: string): GodotValue | undefined | typeof NO_OVERLAY {
    const raw = map.get(full);
    if (raw === undefined) return NO_OVERLAY;
    if (isDeletedMarker(raw)) return undefined;
    if (raw instanceof Uint8Array) {
      try {
        return decodeValue(raw);
      } catch (e) {
        this.emitInvalid([{ where, key: full, reason: (e as Error).message }]);
      }
    } else this.emitInvalid([{ where, key: full, reason: 'property value is not encoded bytes' }]);
    return NO_OVERLAY; // ignored: fall back to the initial value
  }

  private readProp(state: NodeState, key: string): GodotValue | undefined {
    const overlay = this.readOverlay(this.maps.props, 'property', joinKey(state.id, key));
    if (overlay !== NO_OVERLAY) return overlay;
    return this.initialProps(state).get(key) as GodotValue | undefined;
  }

  private propsOf(state: NodeState): Props {
    const props: Props = {};
    for (const [key, value] of this.initialProps(state)) props[key] = value as GodotValue;
    for (const key of sortedKeys(this.nodePropKeys.get(state.id))) {
      const value = this.readProp(state, key);
      if (value === undefined) delete props[key];
      else props[key] = value;
    }
    return props;
  }

  private treeNode(state: NodeState): TreeNode {
    return { id: state.id as NodeId, name: state.name, type: state.type, props: this.propsOf(state), children: [] };
  }

  private readResource(id: string): boolean {
    const record = decodeResourceRecord(this.maps.resources.get(id));
    if (record) this.resourceTypes.set(id, record);
    else {
      if (this.maps.resources.has(id)) this.emitInvalid([{ where: 'resource', key: id, reason: 'resource record is not decodable' }]);
      this.resourceTypes.delete(id);
    }
    const deleted = readLamport(this.maps.resourcesDeleted.get(id)) !== null;
    const live = record !== null && !deleted && isValidId(id);
    const was = this.liveResources.has(id);
    if (live) this.liveResources.add(id);
    else this.liveResources.delete(id);
    return live !== was;
  }

  private resourceProp(id: string, key: string): GodotValue | undefined {
    const overlay = this.readOverlay(this.maps.resourceProps, 'resourceProperty', joinKey(id, key));
    if (overlay !== NO_OVERLAY) return overlay;
    return this.resourceInitialProps(id).get(key);
  }

  private readonly resourceInitialCache = new Map<string, Map<string, GodotValue>>();
  private resourceInitialProps(id: string): Map<string, GodotValue> {
    let props = this.resourceInitialCache.get(id);
    if (!props) {
      try {
        props = decodeProps(this.resourceTypes.get(id)?.props ?? new Uint8Array([0]));
      } catch {
        props = new Map();
        this.emitInvalid([{ where: 'resource', key: id, reason: 'initial properties are not decodable' }]);
      }
      this.resourceInitialCache.set(id, props);
    }
    return props;
  }

  private resourcePropsOf(id: string): Props {
    const props: Props = Object.fromEntries(this.resourceInitialProps(id));
    for (const key of sortedKeys(this.resourcePropKeys.get(id))) {
      const value = this.resourceProp(id, key);
      if (value === undefined) delete props[key];
      else props[key] = value;
    }
    return props;
  }

  private checkOwner(id: string): void {
    const raw = this.maps.owners.get(id);
    if (raw !== undefined && readOwnerValue(raw) === null) {
      this.emitInvalid([{ where: 'owner', key: id, reason: 'owner entry is not [clientId, lamport]; ignored' }]);
    }
  }

  /**
   * Reports references to resources that are not live (R-RES): in properties that just changed, and,
   * when a resource was removed, everywhere it is still referenced (a scan, only on removal).
   */
  private reportDangling(changes: readonly SceneChange[]): void {
    const found: InvalidEntry[] = [];
    const check = (value: GodotValue | undefined, where: string, key: string): void => {
      for (const id of resourceRefs(value)) {
        if (!this.liveResources.has(id)) found.push({ where, key, reason: `refers to resource ${id}, which is not live` });
      }
    };
    let removed = false;
    for (const change of changes) {
      if (change.kind === 'property') check(change.value, 'property', joinKey(change.id, change.key));
      else if (change.kind === 'resourceProperty') check(change.value, 'resourceProperty', joinKey(change.id, change.key));
      else if (change.kind === 'added') for (const [k, v] of Object.entries(change.props)) check(v, 'property', joinKey(change.id, k));
      else if (change.kind === 'resourceRemoved') removed = true;
    }
    if (removed) {
      for (const state of this.tree.nodes.values()) {
        if (!state.visible) continue;
        for (const [k, v] of Object.entries(this.propsOf(state))) check(v, 'property', joinKey(state.id, k));
      }
      for (const id of this.liveResources) {
        for (const [k, v] of Object.entries(this.resourcePropsOf(id))) check(v, 'resourceProperty', joinKey(id, k));
      }
    }
    this.emitInvalid(found);
  }

  /**
   * Reports malformed entries once each (until the entry changes). Entries met before anyone listens
   * are kept for the first listener.
   */
  private emitInvalid(entries: InvalidEntry[]): void {
    const fresh = entries.filter((e) => {
      const mark = `${e.where}\u0001${e.key}`;
      if (this.reported.has(mark)) return false;
      this.reported.add(mark);
      return true;
    });
    if (fresh.length === 0) return;
    if (this.invalidListeners.size === 0) this.unheardInvalid.push(...fresh);
    for (const listener of this.invalidListeners) listener(fresh);
  }

  /** Forgets that entries under changed keys were reported, so a new bad value is reported again. */
  private forgetReported(keys: Iterable<string>): void {
    if (this.reported.size === 0) return;
    for (const key of keys) for (const where of REPORT_KINDS) this.reported.delete(`${where}\u0001${key}`);
  }

  private afterTransaction(tr: Y.Transaction): void {
    const changed = (map: Y.Map<unknown>): string[] => [...(tr.changed.get(map as never) ?? [])].filter((k): k is string => k !== null);
    const m = this.maps;
    const nodes = changed(m.nodes);
    const edges = changed(m.edges);
    const names = changed(m.names);
    const deleted = changed(m.deleted);
    const props = changed(m.props);
    const owners = changed(m.owners);
    const resourceRecords = new Set(changed(m.resources));
    const resources = [...new Set([...resourceRecords, ...changed(m.resourcesDeleted)])];
    const resourceProps = changed(m.resourceProps);
    const root = tr.changed.has(m.root as never);
    if (tr.changed.has(m.meta as never)) {
      this.reported.delete('meta\u0001schema');
      this.checkSchema();
    }

    this.forgetReported([...nodes, ...edges, ...names, ...deleted, ...props, ...owners, ...resources, ...resourceProps]);
    if (tr.changed.has(m.meta as never)) this.forgetReported(['schema']);
    for (const id of owners) this.checkOwner(id);
    const before = this.txBefore ?? new Map<string, BeforeState>();
    this.txBefore = null;
    if (nodes.length + edges.length + names.length + deleted.length > 0 || root) {
      this.tree.applyDelta({ nodes, edges, names, deleted, root }, before);
    }
    this.emitInvalid(this.tree.takeInvalid());

    // Index overlay keys first: `added` changes read a new node's properties through this index.
    const propParts = props.map((full) => [full, this.indexPropKey(this.nodePropKeys, full)] as const);
    const resourcePropParts = resourceProps.map((full) => [full, this.indexPropKey(this.resourcePropKeys, full)] as const);

    const changes: SceneChange[] = [];
    const addedNow = new Set<string>();
    if (before.size > 0) {
      const structural = structuralChanges(this.tree, { before }, (s) => this.propsOf(s));
      for (const change of structural) if (change.kind === 'added') addedNow.add(change.id);
      changes.push(...structural);
    }
    const seenProps = new Set<string>();
    for (const [full, parts] of propParts) {
      if (!parts) {
        this.emitInvalid([{ where: 'property', key: full, reason: 'property key is not node\\u0001key' }]);
        continue;
      }
      const [id, key] = parts;
      const state = this.tree.nodes.get(id);
      if (!m.props.has(full)) this.nodePropKeys.get(id)?.delete(key);
      if (!state?.visible || addedNow.has(id) || seenProps.has(full)) continue;
      seenProps.add(full);
      changes.push({ kind: 'property', id: id as NodeId, key, value: this.readProp(state, key) });
    }
    const resourceBefore = this.txResourceBefore;
    this.txResourceBefore = null;
    for (const id of resources) {
      const wasLive = resourceBefore?.get(id) ?? this.liveResources.has(id);
      this.resourceInitialCache.delete(id);
      this.readResource(id);
      const isLive = this.liveResources.has(id);
      // A record is written once, when its resource is made; a new record under a live id means the
      // resource was made again (an undone add followed by a new add, merged into one update): listeners
      // see it go and come back with its new type and properties (R-EVENT-4).
      const remade = wasLive && isLive && resourceRecords.has(id);
      if (wasLive === isLive && !remade) continue;
      if (wasLive) changes.push({ kind: 'resourceRemoved', id: id as ResourceId });
      if (isLive) {
        addedNow.add(id);
        changes.push({ kind: 'resourceAdded', id: id as ResourceId, type: this.resourceTypes.get(id)!.type, props: this.resourcePropsOf(id) });
      }
    }
    for (const [full, parts] of resourcePropParts) {
      if (!parts) continue;
      const [id, key] = parts;
      if (!m.resourceProps.has(full)) this.resourcePropKeys.get(id)?.delete(key);
      if (!this.liveResources.has(id) || addedNow.has(id)) continue;
      changes.push({ kind: 'resourceProperty', id: id as ResourceId, key, value: this.resourceProp(id, key) });
    }
    if (this.invalidListeners.size > 0) this.reportDangling(changes);
    if (changes.length > 0 && this.listeners.size > 0) {
      const info = { local: tr.origin === this.localOrigin || tr.origin === this.undoManager || tr.local, origin: tr.origin };
      for (const listener of this.listeners) listener(changes, info);
    }
    if (owners.length > 0 && this.ownershipListeners.size > 0) {
      const ownership = owners.map((id) => ({ id: id as NodeId, owner: this.ownerOf(id) }));
      for (const listener of this.ownershipListeners) listener(ownership);
    }
  }
}
