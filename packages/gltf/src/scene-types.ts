/**
 * The plain scene shapes this package reads: structural copies of `@scenesync/core`'s `SceneTree` and
 * value types (packages/core/src/model/types.ts and values/types.ts, specified in
 * docs/scene-model.md). They are restated here as the input contract of the pure exporter, so the
 * mapping can run on a tree built by hand, without a Y.Doc; core's own `SceneTree` is assignable to them.
 */

/** A Godot value (docs/scene-model.md §Values). */
export type GodotValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | { readonly type: string; readonly value: unknown }
  | GodotValue[]
  | readonly GodotValue[]
  | { readonly type: 'Dictionary'; readonly entries: ReadonlyArray<readonly [GodotValue, GodotValue]> }
  | { readonly type: 'Resource'; readonly id: string }
  | { readonly type: 'ExtResource'; readonly path: string; readonly resourceType: string };

/** Properties of a node or resource. */
export type Props = Record<string, GodotValue>;

/** One node of a materialised scene tree. */
export interface TreeNode {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly props: Props;
  readonly children: readonly TreeNode[];
}

/** A resource record (mesh, material...). */
export interface ResourceRecord {
  readonly id: string;
  readonly type: string;
  readonly props: Props;
}

/** `SceneDoc.toTree()`: the root node plus every live resource keyed by id. */
export interface SceneTree extends TreeNode {
  readonly resources: Readonly<Record<string, ResourceRecord>>;
}

/** `{ type: 'Resource', id }`: a reference to a resource of the same document. */
export function isResourceRef(v: unknown): v is { type: 'Resource'; id: string } {
  return typeof v === 'object' && v !== null && (v as { type?: unknown }).type === 'Resource' && typeof (v as { id?: unknown }).id === 'string';
}

/** `{ type: 'ExtResource', path, resourceType }`: a reference to a file resource. */
export function isExtResourceRef(v: unknown): v is { type: 'ExtResource'; path: string; resourceType: string } {
  return typeof v === 'object' && v !== null && (v as { type?: unknown }).type === 'ExtResource';
}
