/**
 * G-MESH-9 with the export worker's kept copy (G-WORKER-7): the TANGENT accessor of a generated mesh
 * is made in the export the first time a normal-mapped material uses that geometry; after every edit
 * (normal map switched on and off, materials swapped between nodes, geometry changed, CSG shapes added
 * and removed) an incremental export through a real worker_threads worker writes exactly the bytes of
 * a fresh export of the same state, and the validator reports nothing.
 */
import type { SceneDoc } from '@scenesync/core';
import { afterAll, describe, expect, it } from 'vitest';
import { exportGlb, exportGlbSync } from '../../src/index.js';
import type { GodotValue, ResourceRecord } from '../../src/scene-types.js';
import { nodeExportWorker } from '../../src/worker/node-export-worker.js';
import { glbJson, validate } from '../helpers/glb.js';
import { sceneFromTree } from '../helpers/scene-doc.js';
import { node, ref, res, tree, v3 } from '../helpers/scenes.js';

const worker = nodeExportWorker();
afterAll(() => worker.close());

const normalImage: GodotValue = {
  type: 'Dictionary',
  entries: [['data', { type: 'PackedByteArray', value: Uint8Array.from([128, 128, 255, 255, 150, 120, 255, 255, 120, 150, 255, 255, 128, 128, 255, 255]) }], ['format', 'RGBA8'], ['height', 2n], ['mipmaps', false], ['width', 2n]],
};

function scene(): SceneDoc {
  const resources: ResourceRecord[] = [
    res('box', 'BoxMesh'),
    res('torus', 'TorusMesh', { rings: 8n, ring_segments: 5n }),
    res('img', 'Image', { data: normalImage }),
    res('tex', 'ImageTexture', { image: ref('img') }),
    res('bumpy', 'StandardMaterial3D', { normal_enabled: true, normal_texture: ref('tex') }),
    res('plain', 'StandardMaterial3D', { roughness: 0.4 }),
  ];
  return sceneFromTree(tree(node('Root', 'Node3D', {}, [
    node('A', 'MeshInstance3D', { mesh: ref('box'), material_override: ref('plain') }),
    node('B', 'MeshInstance3D', { mesh: ref('torus'), material_override: ref('plain') }),
    node('C', 'MeshInstance3D', { mesh: ref('box') }),
  ]), resources));
}

const tangentCount = (glb: Uint8Array): number => {
  const json = glbJson(glb);
  return (json.accessors ?? []).filter((a: { type: string }) => a.type === 'VEC4').length;
};

describe('TANGENT written on demand stays byte-identical between incremental and fresh exports (G-MESH-9)', () => {
  it('normal maps switched on and off, materials swapped, geometry changed, CSG shapes added and removed', async () => {
    const s = scene();
    const id = (path: string) => s.findByPath(path)!;
    const set = (path: string, key: string, value: GodotValue) => s.setProperty(id(path), key, value as never);
    const edits: Array<[string, number, () => void]> = [
      ['no normal map anywhere', 0, () => {}],
      ['box gets the normal-mapped material on A', 1, () => set('A', 'material_override', ref('bumpy'))],
      ['C (same box, mesh material) stays plain', 1, () => s.setResourceProperty('box' as never, 'material', ref('plain') as never)],
      ['box mesh material becomes normal-mapped: C shares the one tangent accessor', 1, () => s.setResourceProperty('box' as never, 'material', ref('bumpy') as never)],
      ['torus too', 2, () => set('B', 'material_override', ref('bumpy'))],
      ['box size changed (geometry made again)', 2, () => s.setResourceProperty('box' as never, 'size', v3(1, 2, 3) as never)],
      ['a normal-mapped CSG sphere added', 3, () => void s.addNode({ parent: s.rootId, name: 'D', type: 'CSGSphere3D', props: { material: ref('bumpy') as never } })],
      ['normal map switched off on the material', 0, () => s.setResourceProperty('bumpy' as never, 'normal_enabled', false as never)],
      ['and on again', 3, () => s.setResourceProperty('bumpy' as never, 'normal_enabled', true as never)],
      ['CSG sphere removed', 2, () => s.removeNode(id('D'))],
      ['A back to plain', 2, () => set('A', 'material_override', ref('plain'))],
    ];
    for (const [context, tangents, edit] of edits) {
      edit();
      const incremental = await exportGlb(s, { worker });
      const fresh = exportGlbSync(s);
      expect(Buffer.from(incremental).equals(Buffer.from(fresh)), context).toBe(true);
      expect(incremental.report.issues, context).toEqual(fresh.report.issues);
      expect(tangentCount(fresh), context).toBe(tangents);
      const v = await validate(incremental);
      expect([v.errors, v.warnings, v.messages], context).toEqual([0, 0, []]);
    }
  });
});
