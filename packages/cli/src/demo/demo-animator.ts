/**
 * Moves the demo's nodes through the room's ephemeral transform stream (never through the document
 * at frame rate): the stream sends quantised frames to peers and commits the exact value to the
 * document about once a second, so late joiners and exports see a recent pose.
 */
import type { NodeId, SceneDoc } from '@scenesync/core';
import type { Room } from '@scenesync/webrtc';
import type { DemoNodes } from './demo-scene.js';

/** Options of {@link animateDemo}; defaults in `DEMO_ANIMATION_DEFAULTS`. */
export interface DemoAnimationOptions {
  /** Updates per second handed to the stream (it sends at its own rate, at most 60 Hz). */
  rateHz: number;
}

/** Defaults of {@link DemoAnimationOptions}. */
export const DEMO_ANIMATION_DEFAULTS: Readonly<DemoAnimationOptions> = { rateHz: 30 };

/** The pose of each animated node at time `t` seconds, as Transform3D's twelve numbers. */
export function demoPoses(t: number): Record<keyof DemoNodes, number[]> {
  const a = t * 0.8;
  const spin = t * 1.5;
  const c = Math.cos(spin);
  const s = Math.sin(spin);
  return {
    orbiter: [1, 0, 0, 0, 1, 0, 0, 0, 1, 2 * Math.cos(a), 1, 2 * Math.sin(a)],
    // Rotation about X (the ring stands up and turns), basis rows.
    spinner: [1, 0, 0, 0, c, -s, 0, s, c, 0, 1.5, 0],
    bobber: [1, 0, 0, 0, 1, 0, 0, 0, 1, -1, 1 + 0.5 * Math.sin(t * 2), 2],
  };
}

/**
 * Claims the demo nodes and streams their poses until the returned function is called.
 *
 * @returns stop: ends the animation (the stream commits the last pose) and releases the nodes
 */
export function animateDemo(scene: SceneDoc, room: Room, nodes: DemoNodes, options: Partial<DemoAnimationOptions> = {}): () => void {
  const { rateHz } = { ...DEMO_ANIMATION_DEFAULTS, ...options };
  const ids = Object.values(nodes) as NodeId[];
  for (const id of ids) scene.claimOwnership(id);
  const start = performance.now();
  const timer = setInterval(() => {
    const poses = demoPoses((performance.now() - start) / 1000);
    for (const [key, pose] of Object.entries(poses)) {
      const id = nodes[key as keyof DemoNodes];
      // A peer may have deleted or taken the node; the demo keeps moving the others.
      if (scene.hasNode(id) && scene.ownerOf(id) === scene.doc.clientID) room.stream.move(id, pose);
    }
  }, 1000 / rateHz);
  return () => {
    clearInterval(timer);
    for (const id of ids) if (scene.hasNode(id)) scene.releaseOwnership(id);
  };
}
