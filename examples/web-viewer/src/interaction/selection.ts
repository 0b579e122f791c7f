/**
 * `Selection`: which node this page has selected. One source of truth that the outliner, the gizmo,
 * the presence broadcast and the toolbar listen to.
 */

/** Called with the newly selected node id (or null) whenever the selection changes. */
export type SelectionListener = (id: string | null) => void;

/** The page's selected node. */
export class Selection {
  private current: string | null = null;
  private readonly listeners = new Set<SelectionListener>();

  /** The selected node id, or null. */
  get id(): string | null {
    return this.current;
  }

  /** Selects a node (null clears); listeners run only when the selection actually changes. */
  set(id: string | null): void {
    if (id === this.current) return;
    this.current = id;
    for (const listener of this.listeners) listener(id);
  }

  /** Subscribes to changes; returns the unsubscribe function. */
  onChange(listener: SelectionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
