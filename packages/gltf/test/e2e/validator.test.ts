/**
 * Proof: every GLB the exporter produces passes the Khronos glTF validator with 0 errors and
 * 0 warnings (infos, e.g. "unsupported extension KHR_node_visibility" or unused UVs, are allowed).
 */
import { describe, expect, it } from 'vitest';
import { glbFromTree } from '../../src/export/glb-from-tree.js';
import { fixtureScenes, loadFixture } from '../helpers/fixtures.js';
import { validate } from '../helpers/glb.js';
import { rng, seeds } from '../helpers/random.js';
import { randomScene } from '../helpers/random-scene.js';
import { everyTypeScene, node, tree } from '../helpers/scenes.js';

describe('Khronos glTF validator', () => {
  it('a scene using every mapped type: 0 errors, 0 warnings', async () => {
    const glb = glbFromTree(everyTypeScene());
    expect(glb.report.stats).toMatchObject({ lights: 3, cameras: 2, materials: 5 });
    expect(await validate(glb)).toEqual({ errors: 0, warnings: 0, messages: [] });
  });

  it('the same scene with hidden nodes excluded, and an empty scene', async () => {
    expect(await validate(glbFromTree(everyTypeScene(), { hiddenNodes: 'exclude' }))).toEqual({ errors: 0, warnings: 0, messages: [] });
    expect(await validate(glbFromTree(tree(node('Empty', 'Node3D'))))).toEqual({ errors: 0, warnings: 0, messages: [] });
  });

  for (const seed of seeds(3)) {
    it(`random scenes with random parameters (seed ${seed})`, async () => {
      const glb = glbFromTree(randomScene(rng(seed), 300));
      expect(await validate(glb), `seed ${seed}`).toEqual({ errors: 0, warnings: 0, messages: [] });
    });
  }

  for (const scene of fixtureScenes()) {
    it(`real Godot demo scene ${scene} (imported with the .tscn importer)`, async () => {
      const glb = glbFromTree(loadFixture(scene));
      expect(glb.report.stats.nodes).toBeGreaterThan(0);
      expect(await validate(glb)).toEqual({ errors: 0, warnings: 0, messages: [] });
    });
  }
});
