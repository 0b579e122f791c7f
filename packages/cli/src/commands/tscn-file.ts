/**
 * Reading a .tscn for the CLI: `@scenesync/godot-bridge`'s importer, with its report printed as
 * warnings and its errors turned into one-line CLI errors, then the scene document built from it.
 */
import { existsSync } from 'node:fs';
import { SceneDoc, type GodotValue, type SceneTree } from '@scenesync/core';
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

/** True when `value` is, or holds, a reference to a resource of the document. */
function refersToResource(value: GodotValue): boolean {
  if (Array.isArray(value)) return value.some(refersToResource);
  if (value === null || typeof value !== 'object') return false;
  const v = value as { type?: unknown; entries?: ReadonlyArray<readonly [GodotValue, GodotValue]> };
  if (v.type === 'Resource') return true;
  if (v.type === 'Dictionary' && v.entries) return v.entries.some(([k, x]) => refersToResource(k) || refersToResource(x));
  return false;
}

/**
 * The scene document of a tree read from a .tscn. Resources may refer to one another in any order
 * (the tree keeps them in an object, and JavaScript lists integer-like keys such as Godot's
 * `id="1"` first), so resource-to-resource references are set once every resource exists.
 */
export function sceneFromTree(tree: SceneTree): SceneDoc {
  const later: Array<[string, string, GodotValue]> = [];
  const resources: SceneTree['resources'] = {};
  for (const [key, resource] of Object.entries(tree.resources)) {
    const props: Record<string, GodotValue> = {};
    for (const [name, value] of Object.entries(resource.props)) {
      if (refersToResource(value)) later.push([resource.id ?? key, name, value]);
      else props[name] = value;
    }
    resources[key] = { ...resource, props };
  }
  const scene = SceneDoc.fromTree({ ...tree, resources });
  scene.transact(() => {
    for (const [id, name, value] of later) scene.setResourceProperty(id, name, value);
  });
  return scene;
}
