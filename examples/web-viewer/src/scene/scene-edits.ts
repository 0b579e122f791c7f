/**
 * `SceneEdits`: the edits a person makes in the viewer, written to the `SceneDoc` in one transaction
 * each (so one undo step each). The viewer never changes its three.js objects directly for an edit:
 * the edit comes back through `SceneDoc.observe` like a peer's would.
 */
import { SceneError, resourceRef, transform3d, type NodeId, type SceneDoc } from '@scenesync/core';
import type { PrimitiveMeshType } from './primitive-geometry.js';

/** Node names the viewer gives new primitives (Godot's own editor names are the class names). */
const PRIMITIVE_NAMES: Record<PrimitiveMeshType, string> = {
  BoxMesh: 'Box',
  SphereMesh: 'Sphere',
  CylinderMesh: 'Cylinder',
  CapsuleMesh: 'Capsule',
  PlaneMesh: 'Plane',
  QuadMesh: 'Quad',
  PrismMesh: 'Prism',
  TorusMesh: 'Torus',
};

/** Albedo colours (sRGB) handed to new primitives in turn, so neighbours are told apart at a glance. */
export const PRIMITIVE_PALETTE: ReadonlyArray<readonly [number, number, number]> = [
  [0.9, 0.35, 0.2],
  [0.25, 0.6, 0.95],
  [0.35, 0.8, 0.35],
  [0.95, 0.8, 0.2],
  [0.7, 0.4, 0.9],
];

/** Options of {@link SceneEdits.addPrimitive}. */
export interface AddPrimitiveOptions {
  /** Parent node; the root when omitted. */
  parent?: string;
  /** Albedo colour (sRGB, 0..1); the next palette colour when omitted. */
  color?: readonly [number, number, number];
  /** Where to put it; placed in a row beside earlier ones when omitted. */
  position?: readonly [number, number, number];
  /** Node name; the primitive's name ("Box", "Sphere", ...) when omitted. */
  name?: string;
}

/** Edits on a scene, one undo step each. */
export class SceneEdits {
  private added = 0;
  /** The undo manager's own capture timeout while a drag holds it open. */
  private captureTimeout: number | undefined;

  constructor(private readonly scene: SceneDoc) {}

  /**
   * Adds a MeshInstance3D drawing a new primitive mesh with its own StandardMaterial3D.
   *
   * @returns the new node's id
   */
  addPrimitive(type: PrimitiveMeshType, options: AddPrimitiveOptions = {}): NodeId {
    const color = options.color ?? PRIMITIVE_PALETTE[this.added % PRIMITIVE_PALETTE.length]!;
    const slot = this.added++;
    const position = options.position ?? [((slot % 5) - 2) * 1.6, 0.5, Math.floor(slot / 5) * 1.6 - 1.6];
    this.scene.stopCapturing();
    const id = this.scene.transact(() => {
      const material = this.scene.addResource({
        type: 'StandardMaterial3D',
        props: { albedo_color: { type: 'Color', value: [color[0], color[1], color[2], 1] }, roughness: 0.6 },
      });
      const mesh = this.scene.addResource({ type, props: { material: resourceRef(material) } });
      return this.scene.addNode({
        parent: (options.parent ?? this.scene.rootId) as NodeId,
        name: options.name ?? PRIMITIVE_NAMES[type],
        type: 'MeshInstance3D',
        props: {
          mesh: resourceRef(mesh),
          transform: transform3d([1, 0, 0, 0, 1, 0, 0, 0, 1, position[0], position[1], position[2]]),
        },
      });
    });
    this.scene.stopCapturing();
    return id;
  }

  /**
   * A gizmo drag starts: this peer claims the node (peers accept stream frames of a node only from
   * its owner), and everything until {@link endDrag} becomes one undo step, including the settle
   * commits the transform stream writes whenever the pointer pauses.
   */
  beginDrag(id: string): void {
    this.scene.stopCapturing();
    // The undo manager merges writes closer than captureTimeout into one step; a drag has no limit.
    // (SceneDoc exposes its Y.UndoManager; an undo-group API in core would be the cleaner hook.)
    this.captureTimeout ??= this.scene.undoManager.captureTimeout;
    this.scene.undoManager.captureTimeout = Number.POSITIVE_INFINITY;
    this.scene.claimOwnership(id as NodeId);
  }

  /**
   * A gizmo drag ends: writes the final transform (twelve Transform3D numbers) and releases the
   * node in the same undo step, so an undo gives back the node's place and does not re-take it.
   */
  endDrag(id: string, twelve: readonly number[]): void {
    try {
      this.scene.setProperty(id as NodeId, 'transform', transform3d([...twelve]));
    } finally {
      this.scene.releaseOwnership(id as NodeId);
      if (this.captureTimeout !== undefined) this.scene.undoManager.captureTimeout = this.captureTimeout;
      this.captureTimeout = undefined;
      this.scene.stopCapturing();
    }
  }

  /** Renames a node; an empty name is refused by the scene model (Godot would refuse it too). */
  rename(id: string, name: string): void {
    this.scene.renameNode(id as NodeId, name);
    this.scene.stopCapturing();
  }

  /**
   * Moves a node under a new parent (appended). A move under its own subtree throws
   * `SceneError('CYCLE')`, which the caller shows.
   */
  reparent(id: string, parent: string): void {
    this.scene.moveNode(id as NodeId, parent as NodeId);
    this.scene.stopCapturing();
  }

  /** Removes a node and its subtree (the root cannot be removed). */
  remove(id: string): void {
    if (id === this.scene.rootId) throw new SceneError('ROOT', 'The root node cannot be deleted; select a child node.');
    this.scene.removeNode(id as NodeId);
    this.scene.stopCapturing();
  }

  /** Undoes this page's last edit (peers' edits are never undone). */
  undo(): void {
    this.scene.undo();
  }

  /** Redoes the last undone edit. */
  redo(): void {
    this.scene.redo();
  }
}
