import type { GodotValue, NodeId, ResourceId } from '../values/types.js';

/** Properties of a node or resource: Godot property name → value. */
export type Props = Record<string, GodotValue>;

/** What `SceneDoc.getNode` returns: a plain snapshot of one live node. */
export interface SceneNode {
  readonly id: NodeId;
  /** Godot class, e.g. `Node3D`, `MeshInstance3D`. Fixed at creation. */
  readonly type: string;
  /** The node's name as materialised: unique among its siblings (see docs/scene-model.md §Names). */
  readonly name: string;
  /** The name this node asked for; differs from `name` only when a sibling holds it. */
  readonly requestedName: string;
  /** Parent id; `null` only for the root. */
  readonly parent: NodeId | null;
  /** Position among the parent's children. */
  readonly index: number;
  readonly props: Props;
}

/** One node of the materialised tree returned by `SceneDoc.toTree()`. */
export interface TreeNode {
  id: NodeId;
  name: string;
  type: string;
  props: Props;
  children: TreeNode[];
}

/** A resource record (a mesh, a material...): typed properties, shared by reference. */
export interface ResourceRecord {
  id: ResourceId;
  type: string;
  props: Props;
}

/** `SceneDoc.toTree()`: the root node, plus every live resource in `resources` keyed by id. */
export interface SceneTree extends TreeNode {
  resources: Record<string, ResourceRecord>;
}

/** The input of `SceneDoc.fromTree`: ids are kept when given, made when missing. */
export interface TreeInput {
  id?: string;
  name: string;
  type: string;
  props?: Props;
  children?: TreeInput[];
  resources?: Record<string, { id?: string; type: string; props?: Props }>;
}

/** Arguments of `SceneDoc.addNode`. */
export interface AddNodeInput {
  parent: NodeId;
  name: string;
  type: string;
  props?: Props;
  /** Position among the parent's children; appended when omitted. */
  index?: number;
  /** Use this id instead of a fresh one (e.g. when importing); must not exist yet. */
  id?: string;
}

/** Arguments of `SceneDoc.addResource`. */
export interface AddResourceInput {
  type: string;
  props?: Props;
  /** Use this id instead of a fresh one; must not exist yet. */
  id?: string;
}

/**
 * One entry of the change list that `SceneDoc.observe` delivers. Applied in order, the list turns the
 * previous materialised tree into the new one: a parent is added before its children, a node is moved
 * out of a subtree before that subtree is removed, and every `index` is the position to insert at
 * *at that point of the list* (as Godot's `add_child` + `move_child`).
 */
export type SceneChange =
  | {
      readonly kind: 'added';
      readonly id: NodeId;
      readonly parent: NodeId;
      readonly index: number;
      readonly name: string;
      readonly type: string;
      readonly props: Props;
    }
  | { readonly kind: 'removed'; readonly id: NodeId; readonly parent: NodeId }
  | {
      readonly kind: 'moved';
      readonly id: NodeId;
      readonly parent: NodeId;
      readonly index: number;
      readonly oldParent: NodeId;
    }
  | { readonly kind: 'renamed'; readonly id: NodeId; readonly name: string; readonly oldName: string }
  | {
      readonly kind: 'property';
      readonly id: NodeId;
      readonly key: string;
      /** `undefined` when the property was removed. */
      readonly value: GodotValue | undefined;
    }
  | { readonly kind: 'resourceAdded'; readonly id: ResourceId; readonly type: string; readonly props: Props }
  | { readonly kind: 'resourceRemoved'; readonly id: ResourceId }
  | {
      readonly kind: 'resourceProperty';
      readonly id: ResourceId;
      readonly key: string;
      readonly value: GodotValue | undefined;
    };

/** Context handed to `observe` listeners beside the change list. */
export interface ChangeInfo {
  /** True when the transaction was made through this SceneDoc (not received from a peer). */
  readonly local: boolean;
  /** The transaction origin (`SceneDoc.transact`'s second argument, or the provider for remote updates). */
  readonly origin: unknown;
}

/** Listener of `SceneDoc.observe`. */
export type ChangeListener = (changes: readonly SceneChange[], info: ChangeInfo) => void;

/** Something in the document that materialisation ignored because it was malformed. */
export interface InvalidEntry {
  /** Which record: `node`, `edge`, `name`, `property`, `resource`, `owner`, `meta`. */
  readonly where: string;
  /** The Yjs key of the entry. */
  readonly key: string;
  readonly reason: string;
}

/** Listener of `SceneDoc.observeInvalid`. */
export type InvalidListener = (entries: readonly InvalidEntry[]) => void;
