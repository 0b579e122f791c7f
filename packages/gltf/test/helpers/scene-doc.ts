import { SceneDoc } from '@scenesync/core';
import type { SceneTree } from '../../src/scene-types.js';

/** A real SceneDoc holding `tree` (ids kept), through core's own `SceneDoc.fromTree`. */
export function sceneFromTree(tree: SceneTree): SceneDoc {
  return SceneDoc.fromTree(tree as never);
}
