/**
 * Streamed transforms on screen: while a peer drags or animates a node, its transform arrives on the
 * room's ephemeral stream (never through the document). Each frame, every node with a live stream
 * is posed from the stream's interpolation buffer (smooth, about three send intervals behind); when
 * the stream goes quiet the node returns to its committed document value.
 */
import { Quaternion, Vector3 } from 'three';
import type { SceneMirror } from '../scene/scene-mirror.js';

/** The part of `@scenesync/webrtc`'s `TransformStream` used here. */
export interface TransformStreamLike {
  partsOf(node: string): { position: number[]; rotation: number[]; scale: number[] } | undefined;
  on(event: 'received', listener: (nodes: string[]) => void): void;
}

/** Poses streamed nodes every frame; see the module comment. */
export class StreamedTransforms {
  private readonly live = new Set<string>();
  private readonly q = new Quaternion();
  private readonly p = new Vector3();
  private readonly s = new Vector3();

  constructor(
    private readonly stream: TransformStreamLike,
    private readonly mirror: SceneMirror,
    /** The node this page is dragging: its own gizmo poses it, the stream must not. */
    private readonly draggedId: () => string | null,
  ) {
    stream.on('received', (nodes) => {
      for (const id of nodes) this.live.add(id);
    });
  }

  /** Poses every live node for the frame about to be drawn; true when any node was posed. */
  update(): boolean {
    const posed = this.live.size > 0;
    for (const id of this.live) {
      if (id === this.draggedId()) continue;
      const parts = this.stream.partsOf(id);
      if (!parts) {
        this.live.delete(id);
        this.mirror.resetTransform(id);
        continue;
      }
      const object = this.mirror.objectOf(id);
      if (!object) continue;
      this.p.fromArray(parts.position);
      this.q.fromArray(parts.rotation);
      this.s.fromArray(parts.scale);
      object.position.copy(this.p);
      object.quaternion.copy(this.q);
      object.scale.copy(this.s);
    }
    return posed;
  }
}
