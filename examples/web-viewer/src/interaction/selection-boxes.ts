/**
 * Boxes around what other people have selected, in their colour, so a person sees at a glance that
 * someone else is working on a node.
 */
import { Box3Helper, Box3, Color, type Scene } from 'three';
import type { SceneMirror } from '../scene/scene-mirror.js';
import type { Peer } from '../ui/presence-panel.js';

/** Draws one box per (peer, selected node) pair and keeps them fitted to moving nodes. */
export class SelectionBoxes {
  private readonly boxes: Array<{ id: string; box: Box3; helper: Box3Helper }> = [];
  private readonly previous = new Box3();

  constructor(private readonly scene: Scene, private readonly mirror: SceneMirror) {}

  /** Replaces the boxes with those of `peers` (self excluded). */
  show(peers: readonly Peer[]): void {
    for (const { helper } of this.boxes) {
      helper.removeFromParent();
      helper.dispose();
    }
    this.boxes.length = 0;
    for (const peer of peers) {
      if (peer.self) continue;
      for (const id of peer.selection) {
        const box = new Box3();
        const helper = new Box3Helper(box, new Color(peer.color));
        helper.userData.visual = true;
        this.scene.add(helper);
        this.boxes.push({ id, box, helper });
      }
    }
  }

  /** Refits every box to its node (call once per frame); true when a box moved or changed. */
  update(): boolean {
    let changed = false;
    for (const { id, box, helper } of this.boxes) {
      const object = this.mirror.objectOf(id);
      if (helper.visible !== Boolean(object)) changed = true;
      helper.visible = Boolean(object);
      if (!object) continue;
      this.previous.copy(box);
      box.setFromObject(object).expandByScalar(0.05);
      if (!box.equals(this.previous)) changed = true;
    }
    return changed;
  }
}
