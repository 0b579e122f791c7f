/**
 * Hand-built scene trees (the plain `SceneDoc.toTree()` shape), so the mapping is tested without Yjs.
 */
import type { GodotValue, Props, ResourceRecord, SceneTree, TreeNode } from '../../src/scene-types.js';

let serial = 0;
export function resetIds(): void {
  serial = 0;
}
function id(): string {
  return `n${(serial++).toString(36).padStart(9, '0')}`;
}

export const v3 = (x: number, y: number, z: number): GodotValue => ({ type: 'Vector3', value: [x, y, z] });
export const v2 = (x: number, y: number): GodotValue => ({ type: 'Vector2', value: [x, y] });
export const color = (r: number, g: number, b: number, a = 1): GodotValue => ({ type: 'Color', value: [r, g, b, a] });
export const ref = (rid: string): GodotValue => ({ type: 'Resource', id: rid });
export const xform = (v: number[]): GodotValue => ({ type: 'Transform3D', value: v });
export const translate = (x: number, y: number, z: number): GodotValue => xform([1, 0, 0, 0, 1, 0, 0, 0, 1, x, y, z]);

/** Basis rows of a rotation about Y by `a` radians, scaled per axis, plus an origin. */
export function rotYScale(a: number, s: [number, number, number], o: [number, number, number]): GodotValue {
  const c = Math.cos(a), sn = Math.sin(a);
  // Columns: X = (c, 0, -s)·sx, Y = (0, 1, 0)·sy, Z = (s, 0, c)·sz; written as rows.
  return xform([c * s[0], 0, sn * s[2], 0, s[1], 0, -sn * s[0], 0, c * s[2], ...o]);
}

export function node(name: string, type: string, props: Props = {}, children: TreeNode[] = []): TreeNode {
  return { id: id(), name, type, props, children };
}

export function tree(root: TreeNode, resources: ResourceRecord[] = []): SceneTree {
  return { ...root, resources: Object.fromEntries(resources.map((r) => [r.id, r])) };
}

export function res(rid: string, type: string, props: Props = {}): ResourceRecord {
  return { id: rid, type, props };
}

/** A scene using every mapped type (G-* rules), with shared meshes and materials. */
export function everyTypeScene(): SceneTree {
  resetIds();
  const resources = [
    res('matRed', 'StandardMaterial3D', { albedo_color: color(0.8, 0.1, 0.1), metallic: 0.3, roughness: 0.6, resource_name: 'Red' }),
    res('matGlow', 'StandardMaterial3D', { emission_enabled: true, emission: color(1, 0.5, 0), emission_energy_multiplier: 4 }),
    res('matGlass', 'ORMMaterial3D', { transparency: 1n, albedo_color: color(0.5, 0.7, 1, 0.4), cull_mode: 2n }),
    res('matCut', 'StandardMaterial3D', { transparency: 2n, alpha_scissor_threshold: 0.3 }),
    res('matFlat', 'StandardMaterial3D', { shading_mode: 0n, albedo_color: color(0.2, 0.9, 0.2) }),
    res('box', 'BoxMesh', { size: v3(1, 2, 1), material: ref('matRed') }),
    res('sphere', 'SphereMesh', {}),
    res('hemi', 'SphereMesh', { is_hemisphere: true, radial_segments: 16n, rings: 8n }),
    res('cyl', 'CylinderMesh', { rings: 2n }),
    res('cone', 'CylinderMesh', { top_radius: 0, radial_segments: 24n }),
    res('capsule', 'CapsuleMesh', { radius: 0.4, height: 1.6 }),
    res('plane', 'PlaneMesh', { size: v2(4, 3), subdivide_width: 2n, subdivide_depth: 1n }),
    res('quad', 'QuadMesh', {}),
    res('prism', 'PrismMesh', { left_to_right: 0.2, subdivide_height: 1n }),
    res('torus', 'TorusMesh', { rings: 24n, ring_segments: 12n }),
    res('tri', 'ArrayMesh', {
      resource_name: 'Triangle',
      _surfaces: [
        {
          type: 'Dictionary',
          entries: [
            [
              'arrays',
              [
                { type: 'PackedVector3Array', value: new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0]) },
                { type: 'PackedVector3Array', value: new Float32Array([0, 0, 1, 0, 0, 1, 0, 0, 1]) },
                null,
                null,
                { type: 'PackedVector2Array', value: new Float32Array([0, 0, 1, 0, 0, 1]) },
                null, null, null, null, null, null, null,
                { type: 'PackedInt32Array', value: new Int32Array([0, 2, 1]) },
              ],
            ],
            ['primitive', 3n],
            ['material', ref('matFlat')],
          ],
        },
      ],
    }),
  ];
  const root = node('World', 'Node3D', {}, [
    node('Boxes', 'Node3D', { transform: translate(0, 1, 0) }, [
      node('BoxA', 'MeshInstance3D', { mesh: ref('box'), transform: rotYScale(0.5, [1, 2, 1], [1, 0, 0]) }),
      node('BoxB', 'MeshInstance3D', { mesh: ref('box'), transform: translate(-1, 0, 0) }),
      node('BoxGlow', 'MeshInstance3D', { mesh: ref('box'), material_override: ref('matGlow'), transform: translate(0, 0, 2) }),
      node('Mirrored', 'MeshInstance3D', { mesh: ref('box'), transform: rotYScale(1.2, [-1, -1, -1], [0, 3, 0]) }),
    ]),
    node('Sphere', 'MeshInstance3D', { mesh: ref('sphere'), 'surface_material_override/0': ref('matGlass') }),
    node('Hemi', 'MeshInstance3D', { mesh: ref('hemi'), transform: translate(2, 0, 0) }),
    node('Cylinder', 'MeshInstance3D', { mesh: ref('cyl'), transform: translate(4, 0, 0) }),
    node('Cone', 'MeshInstance3D', { mesh: ref('cone'), transform: translate(5, 0, 0) }),
    node('Capsule', 'MeshInstance3D', { mesh: ref('capsule'), transform: translate(6, 0, 0) }),
    node('Plane', 'MeshInstance3D', { mesh: ref('plane'), material_override: ref('matCut') }),
    node('Quad', 'MeshInstance3D', { mesh: ref('quad'), transform: translate(0, 2, -3) }),
    node('Prism', 'MeshInstance3D', { mesh: ref('prism'), transform: translate(-3, 0, 0) }),
    node('Torus', 'MeshInstance3D', { mesh: ref('torus'), transform: translate(-5, 0, 0) }),
    node('Triangle', 'MeshInstance3D', { mesh: ref('tri'), transform: translate(0, 0, 5) }),
    node('CSG', 'CSGCombiner3D', { transform: translate(0, 0, -6) }, [
      node('CBox', 'CSGBox3D', { size: v3(2, 1, 1), material: ref('matRed') }),
      node('CSphere', 'CSGSphere3D', { transform: translate(2, 0, 0) }),
      node('CCyl', 'CSGCylinder3D', { transform: translate(4, 0, 0) }),
      node('CCone', 'CSGCylinder3D', { cone: true, transform: translate(6, 0, 0) }),
      node('CTorus', 'CSGTorus3D', { transform: translate(8, 0, 0) }),
    ]),
    node('Sun', 'DirectionalLight3D', { light_color: color(1, 0.95, 0.8), light_energy: 1.5, transform: rotYScale(0.3, [1, 1, 1], [0, 10, 0]) }),
    node('Lamp', 'OmniLight3D', { omni_range: 8, light_energy: 2, transform: translate(1, 3, 1) }),
    node('Spot', 'SpotLight3D', { spot_angle: 30, spot_range: 12, transform: translate(-1, 3, 1) }),
    node('Camera', 'Camera3D', { fov: 60, near: 0.1, far: 500, transform: translate(0, 2, 8) }),
    node('OrthoCam', 'Camera3D', { projection: 1n, size: 10, transform: translate(0, 20, 0) }),
    node('Hidden', 'MeshInstance3D', { mesh: ref('box'), visible: false, transform: translate(0, -3, 0) }),
    node('Logic', 'Node', {}, [node('Child3D', 'Node3D', { transform: translate(1, 1, 1) })]),
  ]);
  return tree(root, resources);
}

/**
 * A quad ArrayMesh with normals, real tangents and UVs: a normal-mapped material needs TANGENT on its
 * primitives for the validator to raise no warning (MESH_PRIMITIVE_GENERATED_TANGENT_SPACE).
 */
export function tangentQuad(): ResourceRecord {
  const arrays: GodotValue[] = new Array(13).fill(null);
  arrays[0] = { type: 'PackedVector3Array', value: Float32Array.from([0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0]) };
  arrays[1] = { type: 'PackedVector3Array', value: Float32Array.from([0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1]) };
  arrays[2] = { type: 'PackedFloat32Array', value: Float32Array.from([1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1]) };
  arrays[4] = { type: 'PackedVector2Array', value: Float32Array.from([0, 1, 1, 1, 1, 0, 0, 0]) };
  arrays[12] = { type: 'PackedInt32Array', value: Int32Array.from([0, 2, 1, 0, 3, 2]) };
  return res('quad', 'ArrayMesh', { _surfaces: [{ type: 'Dictionary', entries: [['arrays', arrays]] }] });
}
