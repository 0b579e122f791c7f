import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SceneTree } from '@scenesync/core';
import { exportTscn, type ExportTscnOptions } from './export.js';
import { importTscn, projectDirOf, type TscnImport } from './import.js';

/**
 * Reads a .tscn file; external files are checked against its project directory (the nearest
 * project.godot above it, else its own directory) and missing ones reported.
 */
export function importTscnFile(path: string): TscnImport {
  return importTscn(readFileSync(path, 'utf8'), { projectDir: projectDirOf(path) });
}

/**
 * Writes `tree` as a .tscn file. With `projectDir`, references to files missing from that project
 * are written as null so Godot opens the scene there (see ExportTscnOptions.fileExists).
 */
export function exportTscnFile(path: string, tree: SceneTree, projectDir?: string, options: Partial<ExportTscnOptions> = {}): void {
  const fileExists = projectDir ? (p: string) => p.startsWith('res://') && existsSync(join(projectDir, p.slice(6))) : null;
  writeFileSync(path, exportTscn(tree, { fileExists, ...options }));
}
