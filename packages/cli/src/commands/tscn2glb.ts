/**
 * `scenesync tscn2glb <scene.tscn> -o out.glb [--project DIR]`: converts a Godot scene to GLB, offline
 * (no network, no room): .tscn → SceneDoc → `@scenesync/gltf` export, with the texture files the scene
 * names by `res://` path read from its Godot project.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { SceneDoc } from '@scenesync/core';
import { exportGlb, type GlbBytes } from '@scenesync/gltf';
import { CliError } from '../errors.js';
import { reportSummary, writeReport } from './glb-report.js';
import type { Progress } from '../progress.js';
import { readTscn } from './tscn-file.js';

/** Options of {@link runTscn2Glb}. */
export interface Tscn2GlbOptions {
  /** The Godot project directory `res://` paths are read from; by default the nearest folder above the scene holding project.godot. */
  projectDir?: string;
  /** Where to write the export report as JSON. */
  reportFile?: string;
}

/** The nearest folder at or above `dir` that holds a project.godot, if any. */
export function findGodotProject(dir: string): string | undefined {
  for (let at = resolve(dir); ; at = dirname(at)) {
    if (existsSync(join(at, 'project.godot'))) return at;
    if (dirname(at) === at) return undefined;
  }
}

/** Converts `file` to GLB at `output`; returns the GLB's size and where textures were read from. @throws CliError */
export async function runTscn2Glb(file: string, output: string, progress: Progress, warn: (line: string) => void, options: Tscn2GlbOptions = {}): Promise<{ bytes: number; projectDir?: string }> {
  const projectDir = options.projectDir ?? findGodotProject(dirname(file));
  if (options.projectDir !== undefined && !existsSync(join(options.projectDir, 'project.godot'))) {
    warn(`warning: ${options.projectDir} holds no project.godot; res:// files are read from it anyway`);
  }
  progress.step(`reading ${file}…`);
  const scene = SceneDoc.fromTree(readTscn(file, warn));
  progress.step('exporting GLB…');
  let glb: GlbBytes;
  try {
    glb = await exportGlb(scene, projectDir === undefined ? {} : { projectDir });
  } catch (error) {
    throw new CliError('EXPORT_FAILED', `the export of ${file} failed: ${(error as Error).message}`);
  }
  progress.step(`writing ${output}…`);
  try {
    await writeFile(output, glb);
  } catch (error) {
    throw new CliError('FILE', `cannot write ${output}: ${(error as Error).message}`);
  }
  const summary = reportSummary(glb.report);
  if (summary) warn(summary);
  if (options.reportFile !== undefined) await writeReport(options.reportFile, glb.report);
  return projectDir === undefined ? { bytes: glb.byteLength } : { bytes: glb.byteLength, projectDir };
}
