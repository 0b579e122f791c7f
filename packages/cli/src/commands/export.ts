/**
 * `scenesync export <room> -o out.glb [--upload]`: joins the room, waits until a peer has sent the
 * document, exports it to GLB (in a worker thread) and writes the file; `--upload` also stores it on
 * the server.
 */
import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { SceneDoc } from '@scenesync/core';
import { exportGlb, uploadGlb, type GlbBytes } from '@scenesync/gltf';
import { CliError } from '../errors.js';
import { reportSummary, writeReport } from './glb-report.js';
import type { Progress } from '../progress.js';
import { ROOM_DEFAULTS, joinFromCli, waitForSync, type CliRoomOptions } from '../room/room-session.js';

/** Options of {@link runExport}. */
export interface ExportOptions extends Omit<CliRoomOptions, 'room'> {
  output: string;
  upload: boolean;
  /** Upload token; `SCENESYNC_TOKEN` when not given. */
  token?: string;
  /** Snapshot name for the upload; the output file's name without `.glb` when omitted. */
  snapshotName?: string;
  /** How long to wait for a peer, ms. */
  timeoutMs: number;
  /** Godot project directory whose `res://` texture files are embedded (`@scenesync/gltf` `projectDir`). */
  projectDir?: string;
  /** Where to write the export report as JSON. */
  reportFile?: string;
}

/** Defaults of the `export` flags. */
export const EXPORT_DEFAULTS = { timeoutMs: ROOM_DEFAULTS.syncTimeoutMs, upload: false };

/** What `export` did. */
export interface ExportResult {
  bytes: number;
  nodes: number;
  /** The stored snapshot's name when uploaded. */
  uploaded?: string;
}

/** Runs the export; see the module comment. @throws CliError */
export async function runExport(roomName: string, options: ExportOptions, progress: Progress, warn: (line: string) => void = () => {}): Promise<ExportResult> {
  const token = options.token ?? process.env.SCENESYNC_TOKEN;
  if (options.upload && !token) {
    throw new CliError('BAD_ARGUMENT', '--upload needs the server\'s upload token: pass --token or set SCENESYNC_TOKEN');
  }
  const scene = new SceneDoc();
  progress.step(`joining room "${roomName}"…`);
  const room = await joinFromCli(scene, { ...options, room: roomName });
  let glb: GlbBytes;
  try {
    progress.step(`waiting for a peer of "${roomName}" to send the scene…`);
    await waitForSync(room, options.timeoutMs);
    progress.step('exporting GLB…');
    try {
      glb = await exportGlb(scene, options.projectDir === undefined ? {} : { projectDir: options.projectDir });
    } catch (error) {
      throw new CliError('EXPORT_FAILED', `the export failed: ${(error as Error).message}`);
    }
  } finally {
    await room.leave();
  }
  progress.step(`writing ${options.output}…`);
  try {
    await writeFile(options.output, glb);
  } catch (error) {
    throw new CliError('FILE', `cannot write ${options.output}: ${(error as Error).message}`);
  }
  const summary = reportSummary(glb.report);
  if (summary) warn(summary);
  if (options.reportFile !== undefined) await writeReport(options.reportFile, glb.report);
  const result: ExportResult = { bytes: glb.byteLength, nodes: countNodes(scene) };
  if (options.upload) {
    progress.step('uploading…');
    const name = options.snapshotName ?? basename(options.output).replace(/\.glb$/i, '');
    try {
      const stored = await uploadGlb(glb, { server: options.server, room: roomName, name, token: token! });
      result.uploaded = typeof stored.stored?.name === 'string' ? stored.stored.name : `${name}.glb`;
    } catch (error) {
      throw new CliError('UPLOAD_FAILED', `the GLB was written to ${options.output} but the upload failed: ${(error as Error).message}`);
    }
  }
  return result;
}

function countNodes(scene: SceneDoc): number {
  let n = 0;
  const walk = (id: string): void => {
    n++;
    for (const child of scene.children(id as never)) walk(child);
  };
  walk(scene.rootId);
  return n;
}
