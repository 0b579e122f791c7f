import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GodotValue } from '../../src/scene-types.js';

/** A primitive-mesh case property as the Godot scripts read it (test/e2e/godot/mesh_cases.gd `value`). */
export type Spec = ['f', number] | ['i', number] | ['b', boolean] | ['v2', number, number] | ['v3', number, number, number];

/** The same property as a scenesync value. */
export function toGodotValue(s: Spec): GodotValue {
  switch (s[0]) {
    case 'f':
      return s[1];
    case 'i':
      return BigInt(s[1]);
    case 'b':
      return s[1];
    case 'v2':
      return { type: 'Vector2', value: [s[1], s[2]] };
    case 'v3':
      return { type: 'Vector3', value: [s[1], s[2], s[3]] };
  }
}

/** Copies mesh_cases.gd, which the primitive-mesh Godot scripts preload, into a Godot project dir. */
export function copyMeshCasesScript(projectDir: string): Promise<void> {
  return copyFile(fileURLToPath(new URL('../e2e/godot/mesh_cases.gd', import.meta.url)), join(projectDir, 'mesh_cases.gd'));
}
