import type { Material, Node } from '@gltf-transform/core';
import type { Light } from '@gltf-transform/extensions';
import { describe, expect, it } from 'vitest';
import { glbFromTree } from '../../../src/export/glb-from-tree.js';
import { srgbToLinear } from '../../../src/math/color.js';
import type { ExportIssue } from '../../../src/report.js';
import { KHR_NODE_VISIBILITY, type NodeVisibility } from '../../../src/write/node-visibility.js';
import { glbJson, readGlb, validate } from '../../helpers/glb.js';
import { color, everyTypeScene, node, ref, res, translate, tree, v3 } from '../../helpers/scenes.js';

const byName = (nodes: Node[], name: string): Node => {
  const n = nodes.find((x) => x.getName() === name);
  if (!n) throw new Error(`no node ${name}`);
  return n;
};
const issuesOf = (issues: readonly ExportIssue[], code: string) => issues.filter((i) => i.code === code);

describe('nodes (G-NODE)', () => {
  it('keeps every node, its name, order and place, with its scenesync id and class in extras (G-NODE-1)', async () => {
    const t = everyTypeScene();
    const doc = await readGlb(glbFromTree(t));
    const root = doc.getRoot().getDefaultScene()!.listChildren();
    expect(root.map((n) => n.getName())).toEqual(['World']);
    expect(root[0]!.listChildren().map((n) => n.getName())).toEqual(t.children.map((c) => c.name));
    expect(root[0]!.getExtras()).toEqual({ scenesync: { id: t.id, type: 'Node3D' } });
    const boxes = byName(doc.getRoot().listNodes(), 'Boxes');
    expect(boxes.listChildren().map((n) => n.getName())).toEqual(['BoxA', 'BoxB', 'BoxGlow', 'Mirrored']);
  });

  it('keeps non-3D nodes as empty nodes and reports the properties they lose (G-NODE-2)', async () => {
    const t = tree(node('Root', 'Node3D', {}, [node('UI', 'Control', { size: { type: 'Vector2', value: [10, 10] } }, [node('Inner', 'Node3D', { transform: translate(1, 2, 3) })]), node('Plain', 'Node')]));
    const glb = glbFromTree(t);
    const doc = await readGlb(glb);
    const ui = byName(doc.getRoot().listNodes(), 'UI');
    expect(ui.getTranslation()).toEqual([0, 0, 0]);
    expect(ui.getMesh()).toBeNull();
    expect(ui.listChildren()[0]!.getTranslation()).toEqual([1, 2, 3]);
    expect(issuesOf(glb.report.issues, 'NON_SPATIAL_NODE').map((i) => i.path)).toEqual(['UI']);
  });

  it("marks hidden nodes with KHR_node_visibility by default, or leaves them out (G-NODE-4)", async () => {
    const t = tree(node('Root', 'Node3D', {}, [node('Gone', 'Node3D', { visible: false }, [node('Under', 'Node3D')]), node('Here', 'Node3D')]));
    const marked = await readGlb(glbFromTree(t));
    const gone = byName(marked.getRoot().listNodes(), 'Gone');
    expect(gone.getExtension<NodeVisibility>(KHR_NODE_VISIBILITY)!.getVisible()).toBe(false);
    expect(gone.listChildren().length).toBe(1);
    const glbJsonDoc = glbJson(glbFromTree(t));
    expect(glbJsonDoc.extensionsUsed).toContain(KHR_NODE_VISIBILITY);
    expect(glbJsonDoc.extensionsRequired ?? []).not.toContain(KHR_NODE_VISIBILITY);

    const excluded = glbFromTree(t, { hiddenNodes: 'exclude' });
    const doc = await readGlb(excluded);
    expect(doc.getRoot().listNodes().map((n) => n.getName()).sort()).toEqual(['Here', 'Root']);
    expect(issuesOf(excluded.report.issues, 'HIDDEN_NODE_EXCLUDED').map((i) => i.path)).toEqual(['Gone']);
  });

  it('reports shear and degenerate transforms (G-XFORM-2, G-XFORM-3)', () => {
    const t = tree(node('Root', 'Node3D', {}, [
      node('Sheared', 'Node3D', { transform: { type: 'Transform3D', value: [1, 0.5, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0] } }),
      node('Flat', 'Node3D', { transform: { type: 'Transform3D', value: [1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0] } }),
    ]));
    const { issues } = glbFromTree(t).report;
    expect(issuesOf(issues, 'SHEAR').map((i) => i.path)).toEqual(['Sheared']);
    expect(issuesOf(issues, 'DEGENERATE_TRANSFORM').map((i) => i.path)).toEqual(['Flat']);
  });

  it('reports every stored property glTF cannot carry (G-PROP-1) and values of the wrong type (G-PROP-2)', () => {
    const t = tree(node('Root', 'Node3D', {}, [node('Body', 'StaticBody3D', { collision_layer: 3n, transform: translate(0, 1, 0) }), node('Bad', 'Node3D', { transform: 'not a transform' })]));
    const { issues } = glbFromTree(t).report;
    expect(issues.find((i) => i.code === 'UNEXPRESSED_PROPERTY' && i.property === 'collision_layer')?.path).toBe('Body');
    expect(issues.find((i) => i.rule === 'G-PROP-2' && i.property === 'transform')?.path).toBe('Bad');
  });
});

describe('meshes (G-MESH)', () => {
  it('writes shared meshes and materials once (G-MESH-7)', async () => {
    const glb = glbFromTree(everyTypeScene());
    const doc = await readGlb(glb);
    const nodes = doc.getRoot().listNodes();
    // BoxA, BoxB share mesh + material; BoxGlow overrides the material: a second mesh, same accessors.
    expect(byName(nodes, 'BoxA').getMesh()).toBe(byName(nodes, 'BoxB').getMesh());
    const glow = byName(nodes, 'BoxGlow').getMesh()!;
    expect(glow).not.toBe(byName(nodes, 'BoxA').getMesh());
    expect(glow.listPrimitives()[0]!.getAttribute('POSITION')).toBe(byName(nodes, 'BoxA').getMesh()!.listPrimitives()[0]!.getAttribute('POSITION'));
    const json = glbJson(glb);
    expect(json.materials.length).toBe(5);
    expect(json.meshes.length).toBe(glb.report.stats.meshes);
  });

  it('writes the arrays of generated meshes with the same parameters once, whatever resource they come from (G-MESH-10)', async () => {
    const params = { size: { type: 'Vector3', value: [1, 2, 3] } } as const;
    const resources = [res('boxA', 'BoxMesh', params), res('boxB', 'BoxMesh', params), res('other', 'BoxMesh', { size: { type: 'Vector3', value: [3, 2, 1] } }), res('ball', 'SphereMesh', {})];
    const nodes = [node('A', 'MeshInstance3D', { mesh: ref('boxA') }), node('B', 'MeshInstance3D', { mesh: ref('boxB') }), node('C', 'MeshInstance3D', { mesh: ref('other') }), node('D', 'MeshInstance3D', { mesh: ref('ball') })];
    const scene = tree(node('Root', 'Node3D', {}, nodes), resources);
    const glb = glbFromTree(scene);
    const json = glbJson(glb);
    // One glTF mesh per resource, but boxA and boxB share their accessors.
    expect(json.meshes.length).toBe(4);
    const [a, b, c] = json.meshes.map((m: { primitives: Array<{ attributes: { POSITION: number } }> }) => m.primitives[0]!.attributes.POSITION);
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    // Four attribute arrays + indices per distinct shape: three shapes.
    expect(json.accessors.length).toBe(3 * 4);
    expect(await validate(glb)).toMatchObject({ errors: 0, warnings: 0 });
    // A second export reuses the generated geometry and writes the same file.
    expect(Buffer.compare(glbFromTree(scene), glb)).toBe(0);
  });

  it('writes ArrayMesh arrays as is, with the triangle order flipped for glTF (G-MESH-3, G-MESH-1)', async () => {
    const doc = await readGlb(glbFromTree(everyTypeScene()));
    const prim = byName(doc.getRoot().listNodes(), 'Triangle').getMesh()!.listPrimitives()[0]!;
    expect(Array.from(prim.getAttribute('POSITION')!.getArray()!)).toEqual([0, 0, 0, 1, 0, 0, 0, 1, 0]);
    expect(Array.from(prim.getIndices()!.getArray()!)).toEqual([0, 1, 2]); // Godot order 0 2 1
    expect(prim.getMaterial()!.getExtension('KHR_materials_unlit')).not.toBeNull();
  });

  it('reports broken ArrayMesh data and hostile sizes without failing (G-MESH-4, G-MESH-6)', () => {
    const broken = res('broken', 'ArrayMesh', {
      _surfaces: [{ type: 'Dictionary', entries: [['arrays', [{ type: 'PackedVector3Array', value: new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0]) }, null, null, null, null, null, null, null, null, null, null, null, { type: 'PackedInt32Array', value: new Int32Array([0, 1, 7]) }]]] }],
    });
    const huge = res('huge', 'SphereMesh', { radial_segments: 4000n, rings: 4000n });
    const t = tree(node('Root', 'Node3D', {}, [node('A', 'MeshInstance3D', { mesh: ref('broken') }), node('B', 'MeshInstance3D', { mesh: ref('huge') })]), [broken, huge]);
    const glb = glbFromTree(t);
    expect(issuesOf(glb.report.issues, 'INVALID_MESH_DATA')[0]!.message).toMatch(/out of range/);
    expect(issuesOf(glb.report.issues, 'MESH_TOO_LARGE')[0]!.resourceId).toBe('huge');
    expect(glb.report.stats.meshes).toBe(0);
  });

  it('reports file meshes, dangling references and unknown mesh classes (G-RES-2, G-RES-3, G-MESH-5)', () => {
    const t = tree(node('Root', 'Node3D', {}, [
      node('File', 'MeshInstance3D', { mesh: { type: 'ExtResource', path: 'res://models/cube.mesh', resourceType: 'ArrayMesh' } }),
      node('Gone', 'MeshInstance3D', { mesh: ref('nothere') }),
      node('Text', 'MeshInstance3D', { mesh: ref('text') }),
    ]), [res('text', 'TextMesh', { text: 'hi' })]);
    const { issues } = glbFromTree(t).report;
    expect(issuesOf(issues, 'EXTERNAL_RESOURCE')[0]!.path).toBe('File');
    expect(issuesOf(issues, 'MISSING_RESOURCE')[0]!.resourceId).toBe('nothere');
    expect(issuesOf(issues, 'UNSUPPORTED_MESH')[0]!.resourceId).toBe('text');
  });

  it('writes CSG shapes as their meshes and reports boolean operations it does not evaluate (G-CSG-2)', async () => {
    const t = tree(node('Root', 'CSGCombiner3D', {}, [node('A', 'CSGBox3D'), node('Hole', 'CSGSphere3D', { operation: 2n })]));
    const glb = glbFromTree(t);
    const doc = await readGlb(glb);
    expect(byName(doc.getRoot().listNodes(), 'Hole').getMesh()).not.toBeNull();
    expect(issuesOf(glb.report.issues, 'CSG_OPERATION_IGNORED').map((i) => i.path)).toEqual(['Hole']);
  });
});

describe('materials (G-MAT)', () => {
  const materialOf = async (props: Record<string, unknown>, type = 'StandardMaterial3D'): Promise<{ m: Material; issues: readonly ExportIssue[] }> => {
    const t = tree(node('Root', 'Node3D', {}, [node('M', 'MeshInstance3D', { mesh: ref('q'), material_override: ref('mat') })]), [res('q', 'QuadMesh'), res('mat', type, props as never)]);
    const glb = glbFromTree(t);
    const doc = await readGlb(glb);
    return { m: doc.getRoot().listMaterials()[0]!, issues: glb.report.issues };
  };

  it('albedo (sRGB → linear), metallic always written, roughness (G-MAT-1)', async () => {
    const { m } = await materialOf({ albedo_color: color(0.5, 0.25, 1, 0.8), roughness: 0.4 });
    const f = m.getBaseColorFactor();
    expect(f[0]).toBeCloseTo(srgbToLinear(0.5), 6);
    expect(f[1]).toBeCloseTo(srgbToLinear(0.25), 6);
    expect(f[3]).toBeCloseTo(0.8, 6);
    expect(m.getMetallicFactor()).toBe(0);
    expect(m.getRoughnessFactor()).toBeCloseTo(0.4, 6);
    const t = tree(node('Root', 'Node3D', {}, [node('M', 'MeshInstance3D', { mesh: ref('q'), material_override: ref('mat') })]), [res('q', 'QuadMesh'), res('mat', 'StandardMaterial3D')]);
    expect(glbJson(glbFromTree(t)).materials[0].pbrMetallicRoughness.metallicFactor).toBe(0);
  });

  it('emission × energy, with KHR_materials_emissive_strength above 1', async () => {
    const { m } = await materialOf({ emission_enabled: true, emission: color(1, 0.5, 0), emission_energy_multiplier: 3 });
    expect(m.getEmissiveFactor()[0]).toBeCloseTo(1, 6);
    expect(m.getEmissiveFactor()[1]).toBeCloseTo(srgbToLinear(0.5), 6);
    expect((m.getExtension('KHR_materials_emissive_strength') as unknown as { getEmissiveStrength(): number }).getEmissiveStrength()).toBeCloseTo(3, 6);
    const off = await materialOf({ emission: color(1, 1, 1) });
    expect(off.m.getEmissiveFactor()).toEqual([0, 0, 0]);
  });

  it('transparency → alphaMode/alphaCutoff, cull_mode → doubleSided, unshaded → KHR_materials_unlit (G-MAT-3, G-MAT-4)', async () => {
    expect((await materialOf({ transparency: 1n })).m.getAlphaMode()).toBe('BLEND');
    const scissor = (await materialOf({ transparency: 2n, alpha_scissor_threshold: 0.25 })).m;
    expect([scissor.getAlphaMode(), scissor.getAlphaCutoff()]).toEqual(['MASK', 0.25]);
    expect((await materialOf({ transparency: 0n })).m.getAlphaMode()).toBe('OPAQUE');
    expect((await materialOf({ cull_mode: 2n })).m.getDoubleSided()).toBe(true);
    const front = await materialOf({ cull_mode: 1n });
    expect(front.issues.find((i) => i.property === 'cull_mode')?.rule).toBe('G-MAT-4');
    expect((await materialOf({ shading_mode: 0n })).m.getExtension('KHR_materials_unlit')).not.toBeNull();
  });

  it('reports texture references with no image data instead of inventing them (G-MAT-5)', async () => {
    const { m, issues } = await materialOf({ albedo_texture: { type: 'ExtResource', path: 'res://wood.png', resourceType: 'Texture2D' } }, 'ORMMaterial3D');
    expect(m.getBaseColorTexture()).toBeNull();
    expect(issuesOf(issues, 'TEXTURE_WITHOUT_IMAGE').map((i) => i.property)).toEqual(['albedo_texture']);
  });

  it('reports materials it cannot translate (G-MAT-6)', async () => {
    const t = tree(node('Root', 'Node3D', {}, [node('M', 'MeshInstance3D', { mesh: ref('q'), material_override: ref('sh') })]), [res('q', 'QuadMesh'), res('sh', 'ShaderMaterial')]);
    const glb = glbFromTree(t);
    expect(issuesOf(glb.report.issues, 'UNSUPPORTED_MATERIAL')[0]!.resourceId).toBe('sh');
    expect((await readGlb(glb)).getRoot().listMaterials().length).toBe(0);
  });
});

describe('lights and cameras (G-LIGHT, G-CAM)', () => {
  it("writes KHR_lights_punctual with Godot's own conversion (G-LIGHT-2)", async () => {
    const t = tree(node('Root', 'Node3D', {}, [
      node('Omni', 'OmniLight3D', { light_color: color(1, 0.5, 0.25), light_energy: 2.5, omni_range: 7 }),
      node('Spot', 'SpotLight3D', { spot_angle: 30, spot_angle_attenuation: 1, spot_range: 9 }),
      node('Sun', 'DirectionalLight3D', { light_energy: 0.7 }),
      node('Wide', 'SpotLight3D', { spot_angle: 120 }),
    ]));
    const glb = glbFromTree(t);
    const nodes = (await readGlb(glb)).getRoot().listNodes();
    const light = (n: string) => byName(nodes, n).getExtension<Light>('KHR_lights_punctual')!;
    expect(light('Omni').getType()).toBe('point');
    expect(light('Omni').getIntensity()).toBeCloseTo(2.5, 6);
    expect(light('Omni').getRange()).toBeCloseTo(7, 6);
    expect(light('Omni').getColor()[1]).toBeCloseTo(srgbToLinear(0.5), 6);
    expect(light('Spot').getOuterConeAngle()).toBeCloseTo(Math.PI / 6, 6);
    expect(light('Spot').getInnerConeAngle()).toBeCloseTo((Math.PI / 6) * (1 - 0.2 / 1.1), 6);
    expect(light('Sun').getType()).toBe('directional');
    expect(light('Sun').getRange()).toBeNull();
    expect(light('Wide').getOuterConeAngle()).toBeCloseTo(Math.PI / 2, 6);
    expect(glb.report.issues.find((i) => i.path === 'Wide')?.code).toBe('CLAMPED');
  });

  it('writes perspective (yfov = fov) and orthographic (mag = size / 2) cameras (G-CAM-1)', async () => {
    const t = tree(node('Root', 'Node3D', {}, [node('P', 'Camera3D', { fov: 60, near: 0.1, far: 100 }), node('O', 'Camera3D', { projection: 1n, size: 8 })]));
    const nodes = (await readGlb(glbFromTree(t))).getRoot().listNodes();
    const p = byName(nodes, 'P').getCamera()!;
    expect([p.getType(), p.getYFov(), p.getZNear(), p.getZFar()].map((x) => (typeof x === 'number' ? +x.toFixed(6) : x))).toEqual(['perspective', +(Math.PI / 3).toFixed(6), 0.1, 100]);
    const o = byName(nodes, 'O').getCamera()!;
    expect([o.getType(), o.getXMag(), o.getYMag(), o.getZNear(), o.getZFar()]).toEqual(['orthographic', 4, 4, 0.05, 4000]);
  });
});

describe('arguments', () => {
  it('refuses what is not a scene tree with a typed error', () => {
    expect(() => glbFromTree(null as never)).toThrowError(expect.objectContaining({ name: 'GltfExportError', code: 'INVALID_ARGUMENT' }));
    expect(() => glbFromTree({ name: 'x' } as never)).toThrowError(/SceneDoc.toTree/);
    expect(() => glbFromTree(tree(node('R', 'Node3D')), { hiddenNodes: 'maybe' as never })).toThrowError(/hiddenNodes/);
    expect(() => glbFromTree({ ...tree(node('R', 'Node3D')), children: [{ name: 'bad' }] } as never)).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('refuses a tree with a cycle instead of looping', () => {
    const a = node('A', 'Node3D') as unknown as { children: unknown[] };
    a.children.push(a);
    expect(() => glbFromTree(tree(node('R', 'Node3D', {}, [a as never])))).toThrowError(/appears twice/);
  });

  it('refuses primitive parameters that would put NaN in the file (G-MESH-4)', () => {
    const t = tree(node('R', 'Node3D', {}, [node('S', 'MeshInstance3D', { mesh: ref('s') }), node('C', 'MeshInstance3D', { mesh: ref('c') })]), [res('s', 'SphereMesh', { radius: 0 }), res('c', 'CylinderMesh', { height: 0 })]);
    const glb = glbFromTree(t);
    expect(glb.report.issues.filter((i) => i.code === 'INVALID_MESH_DATA').map((i) => i.resourceId).sort()).toEqual(['c', 's']);
    expect(glb.report.stats.meshes).toBe(0);
  });

  it('writes a parseable file for hand-made trees without ids, with odd names', async () => {
    const t = { name: 'Root "quoted"\n', type: 'Node3D', props: {}, children: [{ name: '√ünïcødé/🙂', type: 'Node3D', props: {}, children: [] }], resources: {} };
    const glb = glbFromTree(t as never);
    const json = glbJson(glb);
    expect(json.nodes.map((n: { name: string }) => n.name)).toEqual(['Root "quoted"\n', '√ünïcødé/🙂']);
    expect(json.nodes[0].extras).toEqual({ scenesync: { id: '', type: 'Node3D' } });
    expect((await readGlb(glb)).getRoot().listNodes().length).toBe(2);
  });

  it('exports an empty scene', () => {
    const glb = glbFromTree(tree(node('Empty', 'Node3D')));
    expect(glb.report.stats.nodes).toBe(1);
    expect(v3(0, 0, 0)).toBeTruthy();
  });
});
