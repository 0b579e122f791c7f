/**
 * `Outliner`: the scene tree as a list, as Godot's Scene dock shows it. Click selects, double-click
 * renames, dragging a row onto another row reparents it there; dots beside a row show which peers
 * have that node selected. The list is redrawn (at most once a frame) from the SceneDoc's plain
 * read API after each change; it never reads Yjs types.
 */
import type { NodeId, SceneDoc } from '@scenesync/core';
import type { Selection } from '../interaction/selection.js';
import type { SceneEdits } from '../scene/scene-edits.js';

/** A peer's mark on a node: whose selection it is. */
export interface PresenceMark {
  name: string;
  color: string;
}

/** The tree list of the page. */
export class Outliner {
  private scheduled = false;
  private marks = new Map<string, PresenceMark[]>();
  private editing = false;
  private dragged: string | null = null;
  private pendingRedraw = false;

  constructor(
    private readonly container: HTMLElement,
    private readonly scene: SceneDoc,
    private readonly selection: Selection,
    private readonly edits: SceneEdits,
    private readonly reportError: (error: unknown) => void,
  ) {
    // Selecting only moves the highlight: rebuilding the rows between the two clicks of a
    // double-click (rename) would hand the second click to a new element.
    selection.onChange((id) => this.markSelected(id));
    this.refresh();
  }

  /** Redraws on the next frame (many changes in one frame redraw once). */
  refresh(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      // Never pull the rename field or a dragged row out from under the person; redraw once done.
      if (this.editing || this.dragged) {
        this.pendingRedraw = true;
        return;
      }
      this.render();
    });
  }

  /** Which peers select which nodes (node id → marks). */
  setPresenceMarks(marks: Map<string, PresenceMark[]>): void {
    this.marks = marks;
    this.refresh();
  }

  private markSelected(id: string | null): void {
    for (const row of this.container.querySelectorAll<HTMLElement>('.row')) {
      row.classList.toggle('selected', row.dataset.nodeId === id);
    }
  }

  private redrawIfPending(): void {
    if (!this.pendingRedraw) return;
    this.pendingRedraw = false;
    this.refresh();
  }

  private render(): void {
    this.pendingRedraw = false;
    const list = document.createElement('ul');
    list.className = 'tree';
    list.appendChild(this.renderNode(this.scene.rootId));
    this.container.replaceChildren(list);
  }

  private renderNode(id: NodeId): HTMLLIElement {
    const node = this.scene.getNode(id);
    const item = document.createElement('li');
    const row = document.createElement('div');
    row.className = 'row';
    row.dataset.nodeId = id;
    row.dataset.testid = 'outliner-row';
    if (this.selection.id === id) row.classList.add('selected');
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = node?.name ?? '?';
    const type = document.createElement('span');
    type.className = 'type';
    type.textContent = node?.type ?? '';
    row.append(name, type);
    for (const mark of this.marks.get(id) ?? []) {
      const dot = document.createElement('span');
      dot.className = 'presence-dot';
      dot.style.background = mark.color;
      dot.title = `${mark.name} has this selected`;
      row.appendChild(dot);
    }
    row.addEventListener('click', () => this.selection.set(id));
    row.addEventListener('dblclick', () => this.startRename(row, name, id));
    this.wireDrag(row, id);
    item.appendChild(row);
    const children = this.scene.children(id);
    if (children.length > 0) {
      const list = document.createElement('ul');
      for (const child of children) list.appendChild(this.renderNode(child));
      item.appendChild(list);
    }
    return item;
  }

  private startRename(row: HTMLElement, label: HTMLElement, id: NodeId): void {
    if (id === this.scene.rootId) return;
    this.editing = true;
    const input = document.createElement('input');
    input.className = 'rename';
    input.value = label.textContent ?? '';
    label.replaceWith(input);
    input.focus();
    input.select();
    let done = false;
    const finish = (commit: boolean): void => {
      if (done) return;
      done = true;
      this.editing = false;
      const value = input.value.trim();
      if (commit && value && value !== label.textContent) {
        try {
          this.edits.rename(id, value);
        } catch (error) {
          this.reportError(error);
        }
      }
      this.render();
    };
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') finish(true);
      else if (event.key === 'Escape') finish(false);
      event.stopPropagation();
    });
    input.addEventListener('blur', () => finish(true));
    row.draggable = false;
  }

  private wireDrag(row: HTMLElement, id: NodeId): void {
    row.draggable = id !== this.scene.rootId;
    row.addEventListener('dragstart', (event) => {
      this.dragged = id;
      event.dataTransfer?.setData('text/plain', id);
      if (event.dataTransfer) event.dataTransfer.effectAllowed = 'move';
    });
    row.addEventListener('dragend', () => {
      this.dragged = null;
      this.redrawIfPending();
    });
    row.addEventListener('dragover', (event) => {
      if (this.dragged && this.dragged !== id) {
        event.preventDefault();
        row.classList.add('drop-target');
      }
    });
    row.addEventListener('dragleave', () => row.classList.remove('drop-target'));
    row.addEventListener('drop', (event) => {
      event.preventDefault();
      row.classList.remove('drop-target');
      const dragged = this.dragged ?? event.dataTransfer?.getData('text/plain');
      this.dragged = null;
      this.redrawIfPending();
      if (!dragged || dragged === id) return;
      try {
        this.edits.reparent(dragged, id);
      } catch (error) {
        this.reportError(error);
      }
    });
  }
}
