/**
 * The demo peer: a headless Node peer that joins a room, builds the demo scene and animates it, so a
 * viewer opened on the room shows motion at once.
 */
import { SceneDoc } from '@scenesync/core';
import type { Room } from '@scenesync/webrtc';
import { joinFromCli } from '../room/room-session.js';
import { buildDemoScene } from './demo-scene.js';
import { animateDemo } from './demo-animator.js';

/** Options of {@link startDemoPeer}. */
export interface DemoPeerOptions {
  room: string;
  /** HTTP base of the scenesync server. */
  server: string;
  name: string;
}

/** Defaults of {@link DemoPeerOptions} (the server default matches `scenesync serve`). */
export const DEMO_PEER_DEFAULTS: Readonly<DemoPeerOptions> = { room: 'demo', server: 'http://localhost:4444', name: 'demo peer' };

/** A running demo peer. */
export interface DemoPeer {
  readonly scene: SceneDoc;
  readonly room: Room;
  /** Stops the animation and leaves the room. */
  stop(): Promise<void>;
}

/** Builds the scene, joins the room and starts animating. */
export async function startDemoPeer(options: Partial<DemoPeerOptions> = {}): Promise<DemoPeer> {
  const o = { ...DEMO_PEER_DEFAULTS, ...options };
  const scene = new SceneDoc();
  const nodes = buildDemoScene(scene);
  const room = await joinFromCli(scene, { room: o.room, server: o.server, name: o.name, kind: 'tool' });
  const stopAnimation = animateDemo(scene, room, nodes);
  return {
    scene,
    room,
    async stop() {
      stopAnimation();
      await room.leave();
    },
  };
}
