import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

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

/** A small seeded generator (mulberry32) so a failing randomised test replays from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
