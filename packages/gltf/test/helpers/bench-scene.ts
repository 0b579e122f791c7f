import type { SceneTree, TreeNode } from '../../src/scene-types.js';

/**
 * The benchmark scene shape: `count` nodes, mixed Node3D groups and MeshInstance3D leaves sharing four
 * primitive meshes and three materials, ten children per group.
 */
export function mixedScene(count: number): SceneTree {
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
  const root: TreeNode & { children: TreeNode[] } = { id: 'root', name: 'Root', type: 'Node3D', props: {}, children: [] };
  let group: TreeNode & { children: TreeNode[] } = root;
  for (let i = 1; i < count; i++) {
    const a = i * 0.1;
    const c = Math.cos(a), s = Math.sin(a);
    const transform = { type: 'Transform3D', value: [c, 0, s, 0, 1, 0, -s, 0, c, (i % 100) * 0.5, Math.floor(i / 100) * 0.01, (i % 7) * 0.3] };
    const id = `n${i.toString(36).padStart(9, '0')}`;
    if (i % 10 === 1) {
      const g = { id, name: `Group${i}`, type: 'Node3D', props: { transform }, children: [] };
      root.children.push(g);
      group = g;
    } else {
      group.children.push({
        id,
        name: `Mesh${i}`,
        type: 'MeshInstance3D',
        props: { transform, mesh: { type: 'Resource', id: meshes[i % 4]! }, 'surface_material_override/0': { type: 'Resource', id: `m${i % 3}` } },
        children: [],
      });
    }
  }
  return { ...root, resources };
}
