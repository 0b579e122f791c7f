import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
export { seededRandom } from '../../../test-support/seeded-random.js';

/** The shared Godot demo scenes (real .tscn files). */
export const FIXTURES_DIR = '/work/shared/fixtures/godot-demo-projects';

/** Every .tscn under the fixtures directory, sorted. */
export function fixtureScenes(dir: string = FIXTURES_DIR): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...fixtureScenes(path));
    else if (name.endsWith('.tscn')) out.push(path);
  }
  return out.sort();
}

