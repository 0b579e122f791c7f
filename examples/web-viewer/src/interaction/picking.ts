/**
 * Click-to-select in the 3D view: a click (not a drag of the camera, not a press on the gizmo)
 * selects the node whose mesh is under the pointer, or clears the selection on empty space.
 */
import { Raycaster, Vector2 } from 'three';
import type { Viewport } from '../viewport.js';
import type { SceneMirror } from '../scene/scene-mirror.js';
import type { Selection } from './selection.js';
import type { TransformGizmo } from './gizmo.js';

/** Pointer travel (px) above which a press-and-release is a camera drag, not a click. */
const CLICK_TOLERANCE_PX = 4;

/** Wires picking on the viewport's canvas. */
export function installPicking(viewport: Viewport, mirror: SceneMirror, selection: Selection, gizmo: TransformGizmo): void {
  const canvas = viewport.renderer.domElement;
  const raycaster = new Raycaster();
  const pointer = new Vector2();
  let down: { x: number; y: number; onGizmo: boolean } | null = null;
  canvas.addEventListener('pointerdown', (event) => {
    down = { x: event.clientX, y: event.clientY, onGizmo: gizmo.hovering };
  });
  canvas.addEventListener('pointerup', (event) => {
    const start = down;
    down = null;
    if (!start || start.onGizmo || gizmo.isDragging) return;
    if (Math.hypot(event.clientX - start.x, event.clientY - start.y) > CLICK_TOLERANCE_PX) return;
    const rect = canvas.getBoundingClientRect();
    pointer.set(((event.clientX - rect.left) / rect.width) * 2 - 1, -((event.clientY - rect.top) / rect.height) * 2 + 1);
    raycaster.setFromCamera(pointer, viewport.camera);
    const hit = raycaster.intersectObjects(mirror.pickables(), false)[0];
    selection.set(hit ? (mirror.idOf(hit.object) ?? null) : null);
  });
}
