/**
 * `scenesync import <scene.tscn> --room <room>`: seeds a room from a Godot scene. The scene is read
 * with `@scenesync/godot-bridge`, joined to the room, and handed to the first peer that syncs; then
 * the command exits (or, with `--stay`, keeps serving the scene until Ctrl+C).
 */
import { SceneDoc } from '@scenesync/core';
import type { Room } from '@scenesync/webrtc';
import type { Progress } from '../progress.js';
import { ROOM_DEFAULTS, joinFromCli, waitForSync, type CliRoomOptions } from '../room/room-session.js';
import { readTscn } from './tscn-file.js';

/** Options of {@link runImport}. */
export interface ImportOptions extends Omit<CliRoomOptions, 'room'> {
  room: string;
  /** Keep the scene online until Ctrl+C instead of leaving once a peer has it. */
  stay: boolean;
  /** How long to wait for a peer, ms (without `--stay`). */
  timeoutMs: number;
}

/** Defaults of the `import` flags. */
export const IMPORT_DEFAULTS = { stay: false, timeoutMs: ROOM_DEFAULTS.syncTimeoutMs };

/**
 * Time to stay after the first sync, so the peer's answer to our state (sync step 2 travels both
 * ways at once) and one anti-entropy round surely arrived before we leave.
 */
const HANDOVER_GRACE_MS = 1500;

/** Runs the import; resolves with the joined room when `stay`, after leaving otherwise. @throws CliError */
export async function runImport(
  file: string,
  options: ImportOptions,
  progress: Progress,
  warn: (line: string) => void,
): Promise<{ scene: SceneDoc; room: Room | null; nodes: number }> {
  progress.step(`reading ${file}…`);
  const tree = readTscn(file, warn);
  const scene = SceneDoc.fromTree(tree);
  const nodes = countTree(tree);
  progress.step(`joining room "${options.room}"…`);
  const room = await joinFromCli(scene, options);
  if (options.stay) return { scene, room, nodes };
  try {
    progress.step(`waiting for a peer of "${options.room}" to take the scene…`);
    await waitForSync(room, options.timeoutMs);
    await new Promise((resolve) => setTimeout(resolve, HANDOVER_GRACE_MS));
  } finally {
    await room.leave();
  }
  return { scene, room: null, nodes };
}

function countTree(node: { children: unknown[] }): number {
  return 1 + node.children.reduce<number>((n, child) => n + countTree(child as { children: unknown[] }), 0);
}
