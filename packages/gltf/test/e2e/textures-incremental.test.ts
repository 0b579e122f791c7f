/**
 * G-MAT-10 with the export worker's kept copy (G-WORKER-7): encoded PNGs are kept between exports by
 * image resource id and dropped when that resource (or any image a derived one was made from) changes;
 * after every edit an incremental export through a real worker_threads worker writes exactly the bytes
 * and report of a fresh export of the same state.
 */
import type { SceneDoc } from '@scenesync/core';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { exportGlb, exportGlbSync, type GlbBytes } from '../../src/index.js';
import { convertSceneSync } from '../../src/mapping/scene-to-document.js';
import { resolveConvertOptions } from '../../src/options.js';
import type { GodotValue, ResourceRecord } from '../../src/scene-types.js';
import { SceneMirror } from '../../src/worker/scene-mirror.js';
import { nodeExportWorker } from '../../src/worker/node-export-worker.js';
import { validate } from '../helpers/glb.js';
import { sceneFromTree } from '../helpers/scene-doc.js';
import { node, ref, res, tree } from '../helpers/scenes.js';

const worker = nodeExportWorker();
afterAll(() => worker.close());

function imageData(width: number, height: number, seed: number): GodotValue {
  const bytes = new Uint8Array(width * height * 4).map((_, i) => (i * 37 + seed * 11) & 0xff);
  return { type: 'Dictionary', entries: [['data', { type: 'PackedByteArray', value: bytes }], ['format', 'RGBA8'], ['height', BigInt(height)], ['mipmaps', false], ['width', BigInt(width)]] };
}

function texturedScene(): SceneDoc {
  const resources: ResourceRecord[] = [
    res('box', 'BoxMesh'),
    res('imgA', 'Image', { data: imageData(4, 4, 1) }),
    res('imgB', 'Image', { data: imageData(2, 2, 2) }),
    res('texA', 'ImageTexture', { image: ref('imgA') }),
    res('texB', 'ImageTexture', { image: ref('imgB') }),
    res('matA', 'StandardMaterial3D', { albedo_texture: ref('texA'), roughness_texture: ref('texB') }),
    res('matB', 'StandardMaterial3D', { albedo_texture: ref('texB'), emission_enabled: true, emission_texture: ref('texA') }),
  ];
  return sceneFromTree(tree(node('Root', 'Node3D', {}, [
    node('A', 'MeshInstance3D', { mesh: ref('box'), material_override: ref('matA') }),
    node('B', 'MeshInstance3D', { mesh: ref('box'), material_override: ref('matB') }),
  ]), resources));
}

function expectSame(incremental: GlbBytes, fresh: GlbBytes, context: string): void {
  expect(Buffer.from(incremental).equals(Buffer.from(fresh)), context).toBe(true);
  expect(incremental.report.issues, context).toEqual(fresh.report.issues);
}

describe('texture images kept between exports (G-MAT-10)', () => {
  it('the worker copy keeps PNGs by image id and drops exactly the ones made from a changed resource', () => {
    const scene = texturedScene();
    let sent = Y.encodeStateVector(scene.doc);
    const mirror = new SceneMirror(Y.encodeStateAsUpdateV2(scene.doc));
    const options = resolveConvertOptions({}, (m) => { throw new Error(m); });
    const walk = mirror.walk();
    const images = walk.cache!.images;
    convertSceneSync(walk, options);
    // imgA, imgB and the packed roughness image made from imgB.
    expect(images.size).toBe(3);
    const a = images.get('imgA');
    const packedKey = 'packed-orm|-|imgB:0|-';
    expect(images.get(packedKey)).toBeDefined();

    convertSceneSync(mirror.walk(), options);
    expect(images.get('imgA')).toBe(a);

    scene.setResourceProperty('imgB' as never, 'data', imageData(2, 2, 9) as never);
    mirror.apply(Y.encodeStateAsUpdateV2(scene.doc, sent));
    sent = Y.encodeStateVector(scene.doc);
    expect(images.get('imgA')).toBe(a);
    expect(images.get('imgB')).toBeUndefined();
    expect(images.get(packedKey)).toBeUndefined();
    convertSceneSync(mirror.walk(), options);
    expect(images.size).toBe(3);
    mirror.destroy();
  });

  it('incremental exports through a real worker equal fresh exports after texture edits', async () => {
    const scene = texturedScene();
    const edits: Array<[string, () => void]> = [
      ['first export', () => {}],
      ['nothing changed', () => {}],
      ['image pixels changed', () => scene.setResourceProperty('imgA' as never, 'data', imageData(4, 4, 5) as never)],
      ['ImageTexture points at another image', () => scene.setResourceProperty('texA' as never, 'image', ref('imgB') as never)],
      ['channel changed', () => scene.setResourceProperty('matA' as never, 'roughness_texture_channel', 1n as never)],
      ['image made invalid', () => scene.setResourceProperty('imgB' as never, 'data', imageData(3, 3, 1) as never)],
      ['image size fixed', () => scene.setResourceProperty('imgB' as never, 'data', { type: 'Dictionary', entries: [['data', { type: 'PackedByteArray', value: new Uint8Array(36) }], ['format', 'RGB8'], ['height', 3n], ['mipmaps', false], ['width', 3n]] } as never)],
      ['image removed', () => scene.removeResource('imgA' as never)],
    ];
    for (const [context, edit] of edits) {
      edit();
      const incremental = await exportGlb(scene, { worker });
      const fresh = exportGlbSync(scene);
      expectSame(incremental, fresh, context);
      const v = await validate(incremental);
      expect([v.errors, v.warnings, v.messages], context).toEqual([0, 0, []]);
    }
  });
});
