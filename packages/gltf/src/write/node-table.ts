import type { Camera, Mesh } from '@gltf-transform/core';
import type { Light } from '@gltf-transform/extensions';

/** One glTF node as the exporter builds it. Absent TRS fields mean identity. */
export interface NodeRow {
  readonly name: string;
  /** Child row indices, in order (absent for leaves). */
  children?: number[];
  translation?: [number, number, number];
  rotation?: [number, number, number, number];
  scale?: [number, number, number];
  mesh?: Mesh;
  camera?: Camera;
  light?: Light;
  /** Written as `extras.scenesync = { id, type }` (G-NODE-1) when set. */
  scenesync?: { readonly id: string; readonly type: string };
  /** Written as `KHR_node_visibility: { visible: false }`. */
  hidden?: boolean;
}

/**
 * The node hierarchy of an export, kept as plain rows instead of glTF-Transform `Node`s: a scene has
 * thousands of nodes but few meshes and materials, and a property-graph node costs ~20 µs to create
 * and link (events, edges), so nodes are written straight into the JSON at the end of
 * glTF-Transform's writer, referencing the meshes, cameras and lights it wrote (G-WRITE-1).
 */
export class NodeTable {
  readonly rows: NodeRow[] = [];
  readonly roots: number[] = [];

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
