/**
 * Reading a .tscn for the CLI: `@scenesync/godot-bridge`'s importer, with its report printed as
 * warnings and its errors turned into one-line CLI errors. `SceneDoc.fromTree` builds the document.
 */
import { existsSync } from 'node:fs';
import type { SceneTree } from '@scenesync/core';
import { importTscnFile } from '@scenesync/godot-bridge';
import { CliError } from '../errors.js';

/**
 * Reads a Godot text scene into a scenesync tree; every report entry (a missing file, an unknown
 * value) goes to `warn` as `file:line: CODE: message`.
 *
 * @throws CliError `FILE` when the file is missing or not a readable scene
 */
export function readTscn(file: string, warn: (line: string) => void): SceneTree {
  if (!existsSync(file)) throw new CliError('FILE', `${file} does not exist; pass the path of a Godot .tscn scene`);
  let result;
  try {
    result = importTscnFile(file);
  } catch (error) {
    throw new CliError('FILE', `${file} is not a Godot 4 text scene: ${(error as Error).message}`);
  }
  for (const entry of result.report) warn(`${file}:${entry.line}: ${entry.code}: ${entry.message}`);
  return result.tree;
}
