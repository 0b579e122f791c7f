/**
 * Proof: read back with glTF-Transform's NodeIO, the GLB has the source's names, hierarchy (parents
 * and child order) and world transforms within 1e-5.
 */
import { describe, expect, it } from 'vitest';
import { glbFromTree } from '../../src/export/glb-from-tree.js';
import { compareWithTree, expectedFromTree } from '../helpers/compare.js';
import { fixtureScenes, loadFixture } from '../helpers/fixtures.js';
import { readGlb } from '../helpers/glb.js';
import { rng, seeds } from '../helpers/random.js';
import { randomScene } from '../helpers/random-scene.js';
import { everyTypeScene } from '../helpers/scenes.js';

describe('round trip through NodeIO', () => {
  it('every-type scene: names, hierarchy, world transforms within 1e-5', async () => {
    const t = everyTypeScene();
    expect(compareWithTree(await readGlb(glbFromTree(t)), expectedFromTree(t), 1e-5)).toEqual([]);
  });

  for (const seed of seeds(3)) {
    it(`random 500-node scenes, mirrored bases included (seed ${seed})`, async () => {
      const t = randomScene(rng(seed), 500);
      const glb = glbFromTree(t);
      expect(glb.report.issues.filter((i) => i.code === 'SHEAR'), `seed ${seed}`).toEqual([]);
      expect(compareWithTree(await readGlb(glb), expectedFromTree(t), 1e-5), `seed ${seed}`).toEqual([]);
      const excluded = glbFromTree(t, { hiddenNodes: 'exclude' });
      expect(compareWithTree(await readGlb(excluded), expectedFromTree(t, true), 1e-5), `seed ${seed}`).toEqual([]);
    });
  }

  for (const scene of fixtureScenes()) {
    it(`real Godot demo scene ${scene}`, async () => {
      const t = loadFixture(scene);
      const glb = glbFromTree(t);
      expect(glb.report.issues.filter((i) => i.code === 'SHEAR')).toEqual([]);
      expect(compareWithTree(await readGlb(glb), expectedFromTree(t), 1e-5)).toEqual([]);
    });
  }
});
