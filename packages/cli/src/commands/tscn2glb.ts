/**
 * `scenesync tscn2glb <scene.tscn> -o out.glb`: converts a Godot scene to GLB, offline (no network,
 * no room): .tscn → SceneDoc → `@scenesync/gltf` export.
 */
import { writeFile } from 'node:fs/promises';
import { SceneDoc } from '@scenesync/core';
import { exportGlb } from '@scenesync/gltf';
import { CliError } from '../errors.js';
import type { Progress } from '../progress.js';
import { readTscn } from './tscn-file.js';

/** Converts `file` to GLB at `output`; returns the GLB's size. @throws CliError */
export async function runTscn2Glb(file: string, output: string, progress: Progress, warn: (line: string) => void): Promise<{ bytes: number }> {
  progress.step(`reading ${file}…`);
  const scene = SceneDoc.fromTree(readTscn(file, warn));
  progress.step('exporting GLB…');
  let glb: Uint8Array;
  try {
    glb = await exportGlb(scene);
  } catch (error) {
    throw new CliError('EXPORT_FAILED', `the export of ${file} failed: ${(error as Error).message}`);
  }
  progress.step(`writing ${output}…`);
  try {
    await writeFile(output, glb);
  } catch (error) {
    throw new CliError('FILE', `cannot write ${output}: ${(error as Error).message}`);
  }
  return { bytes: glb.byteLength };
}
