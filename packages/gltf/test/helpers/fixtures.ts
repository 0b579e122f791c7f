import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { importTscnFile } from '@scenesync/godot-bridge';
import type { SceneTree } from '../../src/scene-types.js';

/** The real Godot demo scenes shared by the team. */
export const FIXTURE_DIR = '/work/shared/fixtures/godot-demo-projects/3d';

/** Every .tscn under the fixture directory, as `project/file.tscn`. */
export function fixtureScenes(): string[] {
  const out: string[] = [];
  for (const dir of readdirSync(FIXTURE_DIR).sort()) {
    for (const f of readdirSync(join(FIXTURE_DIR, dir)).sort()) if (f.endsWith('.tscn')) out.push(`${dir}/${f}`);
  }
  return out;
}

/** A fixture imported with @scenesync/godot-bridge's .tscn importer (the real Godot scene, as a tree). */
export function loadFixture(rel: string): SceneTree {
  return importTscnFile(join(FIXTURE_DIR, rel)).tree as unknown as SceneTree;
}
