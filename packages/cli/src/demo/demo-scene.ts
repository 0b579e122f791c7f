/**
 * The demo scene: a floor, a sun, a camera and a few coloured primitives, built with the plain
 * SceneDoc API. The ids of the nodes the demo animates are returned so the animator can move them.
 */
import { resourceRef, transform3d, vec3, type NodeId, type SceneDoc } from '@scenesync/core';

/** The nodes the demo animates. */
export interface DemoNodes {
  /** Orbits the centre. */
  orbiter: NodeId;
  /** Spins in place. */
  spinner: NodeId;
  /** Bobs up and down. */
  bobber: NodeId;
}

/** A Godot Color value (sRGB components, as Godot's inspector shows them). */
function color(r: number, g: number, b: number): { type: 'Color'; value: number[] } {
  return { type: 'Color', value: [r, g, b, 1] };
}

/** Translation-only Transform3D. */
function at(x: number, y: number, z: number): ReturnType<typeof transform3d> {
  return transform3d([1, 0, 0, 0, 1, 0, 0, 0, 1, x, y, z]);
}

/** Builds the demo scene into `scene` (one transaction) and returns the animated nodes. */
export function buildDemoScene(scene: SceneDoc): DemoNodes {
  let nodes!: DemoNodes;
  scene.transact(() => {
    scene.setRootInfo({ type: 'Node3D', name: 'Demo' });
    const root = scene.rootId as NodeId;
    const material = (r: number, g: number, b: number, extra: Record<string, unknown> = {}) =>
      scene.addResource({ type: 'StandardMaterial3D', props: { albedo_color: color(r, g, b), roughness: 0.5, ...(extra as object) } });
    const meshNode = (name: string, meshType: string, meshProps: Record<string, unknown>, mat: string, x: number, y: number, z: number) => {
      const mesh = scene.addResource({ type: meshType, props: { ...(meshProps as object), material: resourceRef(mat as never) } });
      return scene.addNode({ parent: root, name, type: 'MeshInstance3D', props: { mesh: resourceRef(mesh), transform: at(x, y, z) } });
    };
    meshNode('Floor', 'PlaneMesh', { size: { type: 'Vector2', value: [12, 12] } }, material(0.35, 0.37, 0.4), 0, 0, 0);
    // Sun: pitched down 50° (rotation about X), as Godot's default DirectionalLight3D would be aimed.
    const pitch = (-50 * Math.PI) / 180;
    scene.addNode({
      parent: root,
      name: 'Sun',
      type: 'DirectionalLight3D',
      props: {
        transform: transform3d([1, 0, 0, 0, Math.cos(pitch), -Math.sin(pitch), 0, Math.sin(pitch), Math.cos(pitch), 0, 6, 0]),
        light_energy: 1.0,
        shadow_enabled: true,
      },
    });
    scene.addNode({ parent: root, name: 'Camera3D', type: 'Camera3D', props: { transform: at(0, 2, 7), fov: 60.0 } });
    meshNode('Crate', 'BoxMesh', { size: vec3(1, 1, 1) }, material(0.9, 0.45, 0.15), -2.5, 0.5, 0);
    meshNode('Pillar', 'CylinderMesh', { height: 2.0 }, material(0.6, 0.6, 0.65, { metallic: 0.8, roughness: 0.3 }), 2.5, 1, -1.5);
    meshNode('Ramp', 'PrismMesh', {}, material(0.55, 0.4, 0.85), 0, 0.5, -2.5);
    const lamp = material(1, 0.85, 0.3, { emission_enabled: true, emission: color(1, 0.7, 0.2), emission_energy_multiplier: 1.5 });
    nodes = {
      orbiter: meshNode('Moon', 'SphereMesh', {}, material(0.2, 0.55, 0.95), 2, 1, 0),
      spinner: meshNode('Ring', 'TorusMesh', { inner_radius: 0.3, outer_radius: 0.6 }, material(0.3, 0.8, 0.4), 0, 1.5, 0),
      bobber: meshNode('Lamp', 'CapsuleMesh', { radius: 0.3, height: 1.0 }, lamp, -1, 1, 2),
    };
  });
  return nodes;
}
