/**
 * The toolbar and keyboard shortcuts: add a primitive, gizmo mode (W/E/R), delete (Del), undo
 * (Ctrl+Z), redo (Ctrl+Shift+Z or Ctrl+Y), clear the selection (Esc).
 */
import { PRIMITIVE_MESH_TYPES } from '../scene/primitive-geometry.js';
import type { SceneEdits } from '../scene/scene-edits.js';
import type { Selection } from '../interaction/selection.js';
import type { GizmoMode, TransformGizmo } from '../interaction/gizmo.js';

/** Builds the toolbar into `container` and installs the shortcuts on `window`. */
export function installToolbar(
  container: HTMLElement,
  edits: SceneEdits,
  selection: Selection,
  gizmo: TransformGizmo,
  reportError: (error: unknown) => void,
): void {
  const guarded = (action: () => void) => () => {
    try {
      action();
    } catch (error) {
      reportError(error);
    }
  };
  const button = (label: string, testId: string, action: () => void, title?: string): HTMLButtonElement => {
    const b = document.createElement('button');
    b.textContent = label;
    b.dataset.testid = testId;
    if (title) b.title = title;
    b.addEventListener('click', guarded(action));
    container.appendChild(b);
    return b;
  };

  for (const type of PRIMITIVE_MESH_TYPES) {
    button(`+ ${type.replace(/Mesh$/, '')}`, `add-${type}`, () => selection.set(edits.addPrimitive(type)), `Add a ${type}`);
  }
  const modes: Array<[GizmoMode, string, string]> = [
    ['translate', 'Move', 'w'],
    ['rotate', 'Rotate', 'e'],
    ['scale', 'Scale', 'r'],
  ];
  for (const [mode, label, key] of modes) button(label, `mode-${mode}`, () => gizmo.setMode(mode), `${label} (${key.toUpperCase()})`);
  const remove = (): void => {
    const id = selection.id;
    if (!id) return;
    edits.remove(id);
    selection.set(null);
  };
  button('Delete', 'delete', remove, 'Delete the selected node (Del)');
  button('Undo', 'undo', () => edits.undo(), 'Undo (Ctrl+Z)');
  button('Redo', 'redo', () => edits.redo(), 'Redo (Ctrl+Shift+Z)');

  window.addEventListener('keydown', (event) => {
    if (event.target instanceof HTMLInputElement) return;
    const key = event.key.toLowerCase();
    const mod = event.ctrlKey || event.metaKey;
    if (mod && key === 'z') guarded(() => (event.shiftKey ? edits.redo() : edits.undo()))();
    else if (mod && key === 'y') guarded(() => edits.redo())();
    else if (key === 'delete' || key === 'backspace') guarded(remove)();
    else if (key === 'escape') selection.set(null);
    else if (!mod) {
      const mode = modes.find(([, , k]) => k === key);
      if (mode) gizmo.setMode(mode[0]);
      else return;
    } else return;
    event.preventDefault();
  });
}
