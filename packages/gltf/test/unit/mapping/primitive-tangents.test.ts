/**
 * TANGENT on generated meshes (G-MESH-9): every primitive mesh class and CSG shape with a
 * normal-mapped material (image data in the document) gives a GLB the Khronos validator passes with no
 * error and no warning (without TANGENT it warns MESH_PRIMITIVE_GENERATED_TANGENT_SPACE); TANGENT is
 * written only where such a material uses the geometry, once per geometry; and the written frame has
 * glTF's handedness: T along ∂P/∂u, cross(N, T)·w along −∂P/∂v (up the image), after the winding flip.
 */
import type { Document, Primitive } from '@gltf-transform/core';
import { describe, expect, it } from 'vitest';
import { glbFromTree } from '../../../src/export/glb-from-tree.js';
import type { Props, ResourceRecord, TreeNode } from '../../../src/scene-types.js';
import { glbJson, readGlb, validate } from '../../helpers/glb.js';
import { node, ref, res, resetIds, tree, v2, v3 } from '../../helpers/scenes.js';

/** An ImageTexture over a 2×2 RGBA8 normal map (a slight bump), as the importer and the addon write it. */
const NORMAL_MAP: ResourceRecord[] = [
  res('nimg', 'Image', {
    data: {
      type: 'Dictionary',
      entries: [
        ['data', { type: 'PackedByteArray', value: Uint8Array.from([128, 128, 255, 255, 160, 128, 255, 255, 128, 160, 255, 255, 100, 100, 255, 255]) }],
        ['format', 'RGBA8'],
        ['height', 2n],
        ['mipmaps', false],
        ['width', 2n],
      ],
    },
  }),
  res('ntex', 'ImageTexture', { image: ref('nimg') }),
  res('bumpy', 'StandardMaterial3D', { normal_enabled: true, normal_texture: ref('ntex') }),
  res('bumpy2', 'StandardMaterial3D', { normal_enabled: true, normal_texture: ref('ntex'), roughness: 0.2 }),
  res('plain', 'StandardMaterial3D', { roughness: 0.3 }),
];

/** Every generated mesh class (some with non-default parameters and flip_faces) and CSG shape. */
const MESHES: ResourceRecord[] = [
  res('box', 'BoxMesh', { size: v3(1, 2, 0.5), subdivide_width: 1n }),
  res('sphere', 'SphereMesh', { radial_segments: 16n, rings: 8n }),
  res('hemi', 'SphereMesh', { is_hemisphere: true, radial_segments: 12n, rings: 4n }),
  res('cyl', 'CylinderMesh', { radial_segments: 12n, rings: 1n }),
  res('cone', 'CylinderMesh', { top_radius: 0, radial_segments: 9n }),
  res('capsule', 'CapsuleMesh', { radial_segments: 12n, rings: 2n }),
  res('plane', 'PlaneMesh', { size: v2(3, 1), subdivide_width: 2n }),
  res('planeX', 'PlaneMesh', { orientation: 0n }),
  res('quad', 'QuadMesh', {}),
  res('prism', 'PrismMesh', { left_to_right: 0.3, subdivide_height: 1n }),
  res('torus', 'TorusMesh', { rings: 12n, ring_segments: 6n }),
  res('torusFlip', 'TorusMesh', { rings: 10n, ring_segments: 5n, flip_faces: true }),
];
const CSG: Array<[string, Props]> = [
  ['CSGBox3D', { size: v3(1, 0.5, 2) }],
  ['CSGSphere3D', {}],
  ['CSGSphere3D', { smooth_faces: false, radial_segments: 7n, rings: 4n }],
  ['CSGCylinder3D', {}],
  ['CSGCylinder3D', { cone: true, sides: 7n, smooth_faces: false }],
  ['CSGTorus3D', { flip_faces: true }],
];

function scene(material: string | null): { nodes: TreeNode[]; resources: ResourceRecord[] } {
  resetIds();
  const mat: Props = material ? { material_override: ref(material) } : {};
  const nodes = [
    ...MESHES.map((m) => node(m.id, 'MeshInstance3D', { mesh: ref(m.id), ...mat })),
    ...CSG.map(([type, props], i) => node(`${type}${i}`, type, { ...props, ...(material ? { material: ref(material) } : {}) })),
  ];
  return { nodes, resources: [...MESHES, ...NORMAL_MAP] };
}

function glbOf(nodes: TreeNode[], resources: ResourceRecord[]) {
  return glbFromTree(tree(node('Root', 'Node3D', {}, nodes), resources));
}

const tangentOf = (p: Primitive) => p.getAttribute('TANGENT');
const primitivesOf = (doc: Document) => doc.getRoot().listMeshes().flatMap((m) => m.listPrimitives());

describe('generated meshes with a normal-mapped material (G-MESH-9)', () => {
  it('every primitive class and CSG shape gets TANGENT and the GLB passes the validator with 0 errors and 0 warnings', async () => {
    const { nodes, resources } = scene('bumpy');
    const glb = glbOf(nodes, resources);
    const v = await validate(glb);
    expect(v.messages).toEqual([]);
    expect([v.errors, v.warnings]).toEqual([0, 0]);
    const doc = await readGlb(glb);
    const prims = primitivesOf(doc);
    expect(prims).toHaveLength(MESHES.length + CSG.length);
    for (const p of prims) {
      expect(p.getMaterial()?.getNormalTexture()).not.toBeNull();
      const t = tangentOf(p)!;
      expect(t.getCount()).toBe(p.getAttribute('POSITION')!.getCount());
      for (let i = 0; i < t.getCount(); i++) expect(Math.abs(t.getElement(i, [])[3]!)).toBe(1);
    }
    expect(glb.report.issues).toEqual([]);
  });

  it('the same scene without the normal map writes no TANGENT: the same accessors minus one tangent accessor per geometry', async () => {
    const bumpy = scene('bumpy');
    const withMap = glbJson(glbOf(bumpy.nodes, bumpy.resources));
    const flat = scene(null);
    const glb = glbOf(flat.nodes, flat.resources);
    const v = await validate(glb);
    expect([v.errors, v.warnings]).toEqual([0, 0]);
    const without = glbJson(glb);
    for (const m of without.meshes) for (const p of m.primitives) expect(Object.keys(p.attributes)).not.toContain('TANGENT');
    const tangents = withMap.accessors.filter((a: { type: string }) => a.type === 'VEC4');
    expect(tangents).toHaveLength(MESHES.length + CSG.length);
    expect(without.accessors).toHaveLength(withMap.accessors.length - tangents.length);
    const strip = (list: Array<Record<string, unknown>>) => list.filter((a) => a.type !== 'VEC4').map(({ bufferView: _bv, byteOffset: _bo, ...rest }) => rest);
    expect(strip(without.accessors)).toEqual(strip(withMap.accessors));
  });

  it('a geometry shared by normal-mapped and plain materials writes one TANGENT accessor, only on the normal-mapped meshes', async () => {
    resetIds();
    const nodes = [
      node('A', 'MeshInstance3D', { mesh: ref('box'), material_override: ref('plain') }),
      node('B', 'MeshInstance3D', { mesh: ref('box'), material_override: ref('bumpy') }),
      node('C', 'MeshInstance3D', { mesh: ref('box'), material_override: ref('bumpy2') }),
      node('D', 'MeshInstance3D', { mesh: ref('box'), material_override: ref('bumpy') }),
      node('E', 'CSGSphere3D', { material: ref('plain') }),
      node('F', 'CSGSphere3D', { material: ref('bumpy') }),
    ];
    const glb = glbOf(nodes, [...MESHES, ...NORMAL_MAP]);
    const v = await validate(glb);
    expect([v.errors, v.warnings]).toEqual([0, 0]);
    const json = glbJson(glb);
    const meshOf = (name: string) => json.meshes[json.nodes.find((n: { name: string }) => n.name === name).mesh].primitives[0];
    const [a, b, c, d, e, f] = ['A', 'B', 'C', 'D', 'E', 'F'].map(meshOf);
    expect(a.attributes.TANGENT).toBeUndefined();
    expect(e.attributes.TANGENT).toBeUndefined();
    expect(b.attributes.TANGENT).toBeDefined();
    expect(c.attributes.TANGENT).toBe(b.attributes.TANGENT);
    expect(d).toEqual(b);
    expect(f.attributes.TANGENT).toBeDefined();
    // Same POSITION/NORMAL/UV accessors for all of them: the geometry is written once.
    for (const p of [b, c]) expect(p.attributes.POSITION).toBe(a.attributes.POSITION);
    expect(f.attributes.POSITION).toBe(e.attributes.POSITION);
    expect(json.accessors.filter((x: { type: string }) => x.type === 'VEC4')).toHaveLength(2);
  });
});

describe('tangent handedness after the winding flip (G-MESH-1, G-MESH-9)', () => {
  it("T follows ∂P/∂u and cross(N, T)·w follows −∂P/∂v on every generated mesh (CSG flip_faces too); PrimitiveMesh flip_faces keeps Godot's mirrored frame", async () => {
    const { nodes, resources } = scene('bumpy');
    const doc = await readGlb(glbOf(nodes, resources));
    // PrimitiveMesh.flip_faces negates normals but keeps tangents and signs, so Godot's own bitangent
    // points down the image there; written as Godot has it, the GLB shades as Godot does. CSG tangents
    // are generated from the flipped triangles, so CSGTorus3D5 (flip_faces) is not mirrored.
    const flipped = new Set(['torusFlip']);
    let checked = 0;
    for (const n of doc.getRoot().listNodes()) {
      const mesh = n.getMesh();
      if (!mesh) continue;
      for (const p of mesh.listPrimitives()) {
        const stats = handedness(p);
        checked += stats.corners;
        // A corner whose frame disagrees with its own triangle's UV directions by more than 90°.
        if (flipped.has(n.getName())) {
          expect(stats.bitangentAgainst, n.getName()).toBe(stats.corners);
          expect(stats.tangentAgainst, n.getName()).toBe(0);
        } else {
          expect([n.getName(), stats.tangentAgainst, stats.bitangentAgainst]).toEqual([n.getName(), 0, 0]);
        }
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });
});

/**
 * For each corner of each triangle (glTF order) with a usable UV parametrisation: does the tangent
 * point against ∂P/∂u, or the bitangent cross(N, T)·w against −∂P/∂v (both projected to the tangent
 * plane)? Corners where the derivative is (next to) zero in the tangent plane — poles, seams of
 * smoothed vertices — are not counted.
 */
function handedness(p: Primitive): { corners: number; tangentAgainst: number; bitangentAgainst: number } {
  const pos = p.getAttribute('POSITION')!, nrm = p.getAttribute('NORMAL')!, uv = p.getAttribute('TEXCOORD_0')!, tan = p.getAttribute('TANGENT')!;
  const idx = p.getIndices()!;
  let corners = 0, tangentAgainst = 0, bitangentAgainst = 0;
  const get = (a: typeof pos, i: number) => a.getElement(i, []);
  for (let t = 0; t + 2 < idx.getCount(); t += 3) {
    const v = [idx.getScalar(t), idx.getScalar(t + 1), idx.getScalar(t + 2)];
    const P = v.map((i) => get(pos, i)), UV = v.map((i) => get(uv, i));
    const e1 = sub(P[1]!, P[0]!), e2 = sub(P[2]!, P[0]!);
    const du1 = UV[1]![0]! - UV[0]![0]!, dv1 = UV[1]![1]! - UV[0]![1]!, du2 = UV[2]![0]! - UV[0]![0]!, dv2 = UV[2]![1]! - UV[0]![1]!;
    const det = du1 * dv2 - du2 * dv1;
    if (Math.abs(det) < 1e-9 || length(cross(e1, e2)) < 1e-9) continue;
    const dPdu = scale(sub(scale(e1, dv2), scale(e2, dv1)), 1 / det);
    const dPdv = scale(sub(scale(e2, du1), scale(e1, du2)), 1 / det);
    for (const i of v) {
      const N = get(nrm, i), T4 = get(tan, i);
      const T = T4.slice(0, 3);
      const B = scale(cross(N, T), T4[3]!);
      const u = unit(projectOut(dPdu, N)), up = unit(projectOut(scale(dPdv, -1), N));
      if (!u || !up) continue;
      corners++;
      if (dot(T, u) < 0) tangentAgainst++;
      if (dot(B, up) < 0) bitangentAgainst++;
    }
  }
  return { corners, tangentAgainst, bitangentAgainst };
}

const sub = (a: number[], b: number[]) => [a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!];
const scale = (a: number[], s: number) => a.map((x) => x * s);
const dot = (a: number[], b: number[]) => a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;
const cross = (a: number[], b: number[]) => [a[1]! * b[2]! - a[2]! * b[1]!, a[2]! * b[0]! - a[0]! * b[2]!, a[0]! * b[1]! - a[1]! * b[0]!];
const length = (a: number[]) => Math.sqrt(dot(a, a));
const projectOut = (a: number[], n: number[]) => sub(a, scale(n, dot(a, n)));
const unit = (a: number[]) => {
  const l = length(a);
  return l < 1e-6 ? undefined : scale(a, 1 / l);
};
