/**
 * Benchmark scenes: `count` nodes, Node3D groups of ten with MeshInstance3D leaves sharing four Godot
 * primitive meshes (BoxMesh, SphereMesh, CylinderMesh, TorusMesh with Godot's defaults) and three
 * StandardMaterial3Ds. The tests use it too (test/e2e/worker.test.ts).
 */
import { SceneDoc } from '@scenesync/core';

export function mixedTree(count) {
  const resources = {
    box: { id: 'box', type: 'BoxMesh', props: {} },
    sphere: { id: 'sphere', type: 'SphereMesh', props: {} },
    cyl: { id: 'cyl', type: 'CylinderMesh', props: {} },
    torus: { id: 'torus', type: 'TorusMesh', props: {} },
    m0: { id: 'm0', type: 'StandardMaterial3D', props: { albedo_color: { type: 'Color', value: [1, 0, 0, 1] } } },
    m1: { id: 'm1', type: 'StandardMaterial3D', props: { albedo_color: { type: 'Color', value: [0, 1, 0, 1] }, metallic: 0.5 } },
    m2: { id: 'm2', type: 'StandardMaterial3D', props: { albedo_color: { type: 'Color', value: [0, 0, 1, 1] }, roughness: 0.3 } },
  };
  const meshes = ['box', 'sphere', 'cyl', 'torus'];
  const root = { id: 'root', name: 'Root', type: 'Node3D', props: {}, children: [] };
  let group = root;
  for (let i = 1; i < count; i++) {
    const a = i * 0.1;
    const c = Math.cos(a), s = Math.sin(a);
    const transform = { type: 'Transform3D', value: [c, 0, s, 0, 1, 0, -s, 0, c, (i % 100) * 0.5, Math.floor(i / 100) * 0.01, (i % 7) * 0.3] };
    const id = `n${i.toString(36).padStart(9, '0')}`;
    if (i % 10 === 1) {
      group = { id, name: `Group${i}`, type: 'Node3D', props: { transform }, children: [] };
      root.children.push(group);
    } else {
      group.children.push({
        id,
        name: `Mesh${i}`,
        type: 'MeshInstance3D',
        props: { transform, mesh: { type: 'Resource', id: meshes[i % 4] }, 'surface_material_override/0': { type: 'Resource', id: `m${i % 3}` } },
        children: [],
      });
    }
  }
  return { ...root, resources };
}

/** A SceneDoc holding the tree (ids kept), through core's own `SceneDoc.fromTree`. */
export function sceneFromTree(tree) {
  return SceneDoc.fromTree(tree);
}
