import type { Props, ResourceRecord, SceneTree, TreeNode } from '../../src/scene-types.js';
import { randomTransform } from './random.js';
import { color, ref, v2, v3 } from './scenes.js';

/** A random resource pool: every primitive type with random parameters, plus materials. */
function resources(r: () => number): ResourceRecord[] {
  const out: ResourceRecord[] = [];
  const mats = ['m0', 'm1', 'm2', 'm3'];
  out.push({ id: 'm0', type: 'StandardMaterial3D', props: { albedo_color: color(r(), r(), r()), metallic: r(), roughness: r() } });
  out.push({ id: 'm1', type: 'StandardMaterial3D', props: { emission_enabled: true, emission: color(r(), r(), r()), emission_energy_multiplier: r() * 5 } });
  out.push({ id: 'm2', type: 'ORMMaterial3D', props: { transparency: BigInt(Math.floor(r() * 5)), albedo_color: color(r(), r(), r(), r()), cull_mode: BigInt(Math.floor(r() * 3)) } });
  out.push({ id: 'm3', type: 'StandardMaterial3D', props: { shading_mode: 0n } });
  const mat = (): Props => (r() < 0.5 ? { material: ref(mats[Math.floor(r() * mats.length)]!) } : {});
  const seg = (lo: number, hi: number) => BigInt(lo + Math.floor(r() * (hi - lo)));
  out.push({ id: 'box', type: 'BoxMesh', props: { size: v3(0.2 + r(), 0.2 + r(), 0.2 + r()), subdivide_width: seg(0, 3), ...mat() } });
  out.push({ id: 'sphere', type: 'SphereMesh', props: { radius: 0.2 + r(), height: 0.4 + r(), radial_segments: seg(4, 40), rings: seg(1, 20), is_hemisphere: r() < 0.3, ...mat() } });
  out.push({ id: 'cyl', type: 'CylinderMesh', props: { top_radius: r() < 0.3 ? 0 : 0.1 + r(), bottom_radius: 0.1 + r(), radial_segments: seg(4, 40), rings: seg(0, 5), ...mat() } });
  out.push({ id: 'capsule', type: 'CapsuleMesh', props: { radius: 0.1 + r() * 0.4, height: 1 + r(), radial_segments: seg(4, 40), rings: seg(0, 8), ...mat() } });
  out.push({ id: 'plane', type: 'PlaneMesh', props: { size: v2(0.5 + r(), 0.5 + r()), orientation: seg(0, 3), subdivide_depth: seg(0, 3), flip_faces: r() < 0.3, ...mat() } });
  out.push({ id: 'quad', type: 'QuadMesh', props: { ...mat() } });
  out.push({ id: 'prism', type: 'PrismMesh', props: { left_to_right: r() * 2 - 0.5, subdivide_height: seg(0, 3), ...mat() } });
  out.push({ id: 'torus', type: 'TorusMesh', props: { inner_radius: 0.2 + r() * 0.3, outer_radius: 0.6 + r(), rings: seg(3, 40), ring_segments: seg(3, 20), ...mat() } });
  return out;
}

const MESHES = ['box', 'sphere', 'cyl', 'capsule', 'plane', 'quad', 'prism', 'torus'];
const CSG = ['CSGBox3D', 'CSGSphere3D', 'CSGCylinder3D', 'CSGTorus3D'];
const LIGHTS = ['OmniLight3D', 'SpotLight3D', 'DirectionalLight3D'];

/**
 * A random scene of `count` nodes: random hierarchy (depth up to ~8), rotation × scale transforms
 * (some mirrored), every mapped node type, shared resources, a few hidden and non-3D nodes.
 */
export function randomScene(r: () => number, count: number): SceneTree {
  let serial = 0;
  const make = (depth: number): TreeNode => {
    const kind = r();
    const props: Props = {};
    let type = 'Node3D';
    if (kind < 0.35) {
      type = 'MeshInstance3D';
      props.mesh = ref(MESHES[Math.floor(r() * MESHES.length)]!);
      if (r() < 0.2) props.material_override = ref(`m${Math.floor(r() * 4)}`);
    } else if (kind < 0.45) {
      type = CSG[Math.floor(r() * CSG.length)]!;
      if (r() < 0.5) props.smooth_faces = false;
    } else if (kind < 0.5) {
      type = LIGHTS[Math.floor(r() * LIGHTS.length)]!;
      props.light_energy = r() * 4;
      props.light_color = color(r(), r(), r());
      if (type === 'SpotLight3D') props.spot_angle = 5 + r() * 80;
    } else if (kind < 0.53) {
      type = 'Camera3D';
      if (r() < 0.5) props.projection = 1n;
    } else if (kind < 0.56 && depth > 0) {
      type = 'Node';
    }
    if (type !== 'Node') props.transform = { type: 'Transform3D', value: randomTransform(r, r() < 0.1) };
    if (r() < 0.05) props.visible = false;
    const id = `r${(serial++).toString(36).padStart(9, '0')}`;
    return { id, name: `${type}_${serial}`, type, props, children: [] };
  };
  const root = make(0) as TreeNode & { children: TreeNode[] };
  const all: Array<{ n: TreeNode & { children: TreeNode[] }; depth: number }> = [{ n: root, depth: 0 }];
  for (let i = 1; i < count; i++) {
    const parent = all[Math.floor(r() * all.length)]!;
    if (parent.depth >= 8) {
      i--;
      continue;
    }
    const child = make(parent.depth + 1) as TreeNode & { children: TreeNode[] };
    parent.n.children.push(child);
    all.push({ n: child, depth: parent.depth + 1 });
  }
  return { ...root, resources: Object.fromEntries(resources(r).map((x) => [x.id, x])) };
}
