/**
 * `TransformGizmo`: three's TransformControls on the selected node. While a person drags, the node's
 * object moves locally and `onDrag` fires on every change (the caller streams it to peers); on
 * release `onCommit` fires once with the final transform (the caller writes it to the document).
 */
import type { Object3D } from 'three';
import { TransformControls } from 'three/examples/jsm/controls/TransformControls.js';
import type { Viewport } from '../viewport.js';
import { composeTransform3d } from '../scene/godot-values.js';

/** The gizmo's modes, as three names them. */
export type GizmoMode = 'translate' | 'rotate' | 'scale';

/** What the gizmo reports; all times are the node's id and its twelve Transform3D numbers. */
export interface GizmoCallbacks {
  /** A drag started on `id` (claim the node so peers accept its stream). */
  onDragStart(id: string): void;
  /** The node moved during a drag (stream it). */
  onDrag(id: string, object: Object3D): void;
  /** The drag ended: the transform to write to the document. */
  onCommit(id: string, transform: number[]): void;
}

/** The move/rotate/scale gizmo. */
export class TransformGizmo {
  private readonly controls: TransformControls;
  private attachedId: string | null = null;
  private dragging = false;

  constructor(viewport: Viewport, private readonly callbacks: GizmoCallbacks) {
    this.controls = new TransformControls(viewport.camera, viewport.renderer.domElement);
    const helper = this.controls.getHelper();
    helper.userData.visual = true;
    viewport.scene.add(helper);
    // Hovering highlights a handle and dragging moves the node: both need a new frame.
    this.controls.addEventListener('change', () => viewport.invalidate());
    this.controls.addEventListener('dragging-changed', (event) => {
      const dragging = Boolean((event as unknown as { value: boolean }).value);
      viewport.orbit.enabled = !dragging;
      const id = this.attachedId;
      const object = this.controls.object;
      if (!id || !object) return;
      if (dragging) {
        this.dragging = true;
        this.callbacks.onDragStart(id);
      } else if (this.dragging) {
        this.dragging = false;
        this.callbacks.onCommit(id, composeTransform3d(object.position, object.quaternion, object.scale));
      }
    });
    this.controls.addEventListener('objectChange', () => {
      const object = this.controls.object;
      if (this.attachedId && object && this.dragging) this.callbacks.onDrag(this.attachedId, object);
    });
  }

  /** True while the pointer is over a gizmo handle (a click there is not a pick). */
  get hovering(): boolean {
    return this.controls.axis !== null;
  }

  /** True during a drag. */
  get isDragging(): boolean {
    return this.dragging;
  }

  /** Shows the gizmo on `object` (the node `id`), or hides it with `null`. */
  attach(id: string | null, object: Object3D | undefined): void {
    if (id && object) {
      this.attachedId = id;
      this.controls.attach(object);
    } else {
      this.attachedId = null;
      this.controls.detach();
    }
  }

  /** Switches between move, rotate and scale. */
  setMode(mode: GizmoMode): void {
    this.controls.setMode(mode);
  }
}
