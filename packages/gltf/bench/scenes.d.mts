import type { SceneDoc } from '@scenesync/core';
import type { SceneTree } from '../src/scene-types.js';

/** The benchmark scene (bench/scenes.mjs): `count` nodes, Node3D groups of ten MeshInstance3D leaves. */
export function mixedTree(count: number): SceneTree;
/** A SceneDoc holding the tree (ids kept), through core's own `SceneDoc.fromTree`. */
export function sceneFromTree(tree: SceneTree): SceneDoc;
