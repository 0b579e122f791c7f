import type { Accessor, Camera } from '@gltf-transform/core';
import type { Light } from '@gltf-transform/extensions';
import { MeshTable } from './mesh-table.js';

/** One glTF node as the exporter builds it. */
export interface NodeRow {
  /** The node's own JSON members, comma-separated, no braces (name, TRS, extras). */
  readonly json: string;
  /** Written as `KHR_node_visibility: { visible: false }`. */
  readonly hidden: boolean;
  /** Child row indices, in order (absent for leaves). */
  children?: number[];
  /** Index in the export's {@link MeshTable}. */
  mesh?: number;
  camera?: Camera;
  light?: Light;
}

/** One glTF animation channel against a node row; its sampler's accessors are glTF-Transform's (G-ANIM-8). */
export interface AnimationChannelRow {
  /** Row index of the target node. */
  readonly node: number;
  readonly path: 'translation' | 'rotation' | 'scale';
  readonly interpolation: 'STEP' | 'LINEAR';
  /** Key times (SCALAR float, min/max written by the writer). */
  readonly input: Accessor;
  /** VEC3 or VEC4 float values. */
  readonly output: Accessor;
}

/** One glTF animation, written as `json.animations[i]` by the writer (node rows are not glTF-Transform nodes). */
export interface AnimationRow {
  readonly name: string;
  readonly channels: readonly AnimationChannelRow[];
  /** `extras`, when written. */
  readonly extras?: Record<string, unknown>;
}

/**
 * The node hierarchy of an export, kept as plain rows instead of glTF-Transform `Node`s: a scene has
 * thousands of nodes but few meshes and materials, and a property-graph node costs ~20 µs to create
 * and link (events, edges), so nodes are written straight into the JSON at the end of
 * glTF-Transform's writer, referencing the cameras and lights it wrote and the meshes of
 * {@link NodeTable.meshes} (G-WRITE-1, G-WRITE-3).
 */
export class NodeTable {
  readonly rows: NodeRow[] = [];
  readonly roots: number[] = [];
  /** Animations targeting these rows (G-ANIM), written after the nodes. */
  readonly animations: AnimationRow[] = [];
  /** The meshes the rows reference, written with their geometry by the writer (G-WRITE-3). */
  readonly meshes = new MeshTable();

  constructor(readonly sceneName: string) {}

  /** Adds a node under `parent` (a row index, or -1 for a scene root) and returns its index. */
  add(row: NodeRow, parent: number): number {
    const index = this.rows.length;
    this.rows.push(row);
    if (parent < 0) this.roots.push(index);
    else (this.rows[parent]!.children ??= []).push(index);
    return index;
  }
}
