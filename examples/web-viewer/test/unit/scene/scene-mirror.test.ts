/**
 * SceneMirror applies SceneDoc change lists incrementally; the result must always equal a mirror
 * built from scratch from `toTree()`. Seeded random edits (replay a failure with its printed seed).
 */
import { describe, expect, it } from 'vitest';
import { DirectionalLight, Mesh, MeshStandardMaterial, Object3D, type BufferGeometry } from 'three';
import { SceneDoc, color, resourceRef, transform3d, vec3, type NodeId } from '@scenesync/core';
import { SceneMirror } from '../../../src/scene/scene-mirror.js';
import { seededRandom as rng } from '../../../../../test-support/seeded-random.js';

/** A comparable description of a mirrored subtree: ids, names, poses, geometry, materials. */
function describeObject(object: Object3D): unknown {
  const r = (n: number) => Math.round(n * 1e6) / 1e6 + 0;
  const visual = object.children.find((c) => c.userData.visual);
  let look: unknown = null;
  if (visual instanceof Mesh) {
    const g = visual.geometry as BufferGeometry & { parameters?: unknown };
    const m = visual.material as MeshStandardMaterial;
    look = { geometry: g.type, vertices: g.getAttribute('position')?.count ?? 0, color: m.color.getHexString(), metal: m.metalness, rough: m.roughness };
  } else if (visual instanceof DirectionalLight) {
    look = { light: visual.color.getHexString(), intensity: visual.intensity };
  }
  return {
    id: object.userData.nodeId,
    name: object.name,
    visible: object.visible,
    pose: [...object.position.toArray(), ...object.quaternion.toArray(), ...object.scale.toArray()].map(r),
    look,
    children: object.children
      .filter((c) => typeof c.userData.nodeId === 'string')
      .map(describeObject)
      .sort((a, b) => String((a as { id: string }).id).localeCompare(String((b as { id: string }).id))),
  };
}

const MESHES = ['BoxMesh', 'SphereMesh', 'CylinderMesh', 'CapsuleMesh', 'PlaneMesh', 'QuadMesh', 'PrismMesh', 'TorusMesh'];

describe('SceneMirror', () => {
  it('draws a mesh node with its Godot mesh, material and transform', () => {
    const scene = new SceneDoc();
    const material = scene.addResource({ type: 'StandardMaterial3D', props: { albedo_color: color(1, 0, 0, 1), metallic: 0.5, roughness: 0.25 } });
    const mesh = scene.addResource({ type: 'BoxMesh', props: { size: vec3(2, 1, 1), material: resourceRef(material) } });
    const id = scene.addNode({
      parent: scene.rootId,
      name: 'Crate',
      type: 'MeshInstance3D',
      props: { mesh: resourceRef(mesh), transform: transform3d([1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 2, 3]) },
    });
    const mirror = new SceneMirror(scene.toTree());
    const object = mirror.objectOf(id)!;
    expect(object.position.toArray()).toEqual([1, 2, 3]);
    const visual = object.children.find((c) => c instanceof Mesh) as Mesh;
    expect(visual.geometry.type).toBe('BoxGeometry');
    const m = visual.material as MeshStandardMaterial;
    expect(m.color.getHex()).toBe(0xff0000);
    expect(m.metalness).toBe(0.5);
    expect(m.roughness).toBe(0.25);
    expect(mirror.idOf(visual)).toBe(id);
  });

  it('follows a material edit in place, on every mesh that shares it', () => {
    const scene = new SceneDoc();
    const material = scene.addResource({ type: 'StandardMaterial3D', props: { albedo_color: color(1, 0, 0, 1) } });
    const mesh = scene.addResource({ type: 'SphereMesh', props: { material: resourceRef(material) } });
    const a = scene.addNode({ parent: scene.rootId, name: 'A', type: 'MeshInstance3D', props: { mesh: resourceRef(mesh) } });
    const b = scene.addNode({ parent: scene.rootId, name: 'B', type: 'MeshInstance3D', props: { mesh: resourceRef(mesh) } });
    const mirror = new SceneMirror(scene.toTree());
    scene.observe((changes) => mirror.apply(changes));
    scene.setResourceProperty(material, 'albedo_color', color(0, 0, 1, 1));
    for (const id of [a, b]) {
      const visual = mirror.objectOf(id)!.children.find((c) => c instanceof Mesh) as Mesh;
      expect((visual.material as MeshStandardMaterial).color.getHex()).toBe(0x0000ff);
    }
  });

  it('applied change by change, always equals a mirror rebuilt from toTree() (seeded random edits)', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const random = rng(seed);
      const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
      const scene = new SceneDoc();
      const mirror = new SceneMirror(scene.toTree());
      scene.observe((changes) => mirror.apply(changes));
      const materials: string[] = [];
      const meshes: string[] = [];
      const nodes = (): NodeId[] => {
        const out: NodeId[] = [];
        const walk = (id: NodeId): void => {
          for (const c of scene.children(id)) {
            out.push(c);
            walk(c);
          }
        };
        walk(scene.rootId as NodeId);
        return out;
      };
      for (let step = 0; step < 60; step++) {
        const existing = nodes();
        const op = random();
        try {
          if (op < 0.25 || existing.length === 0) {
            // One transaction: the change list then carries the resources and the node together.
            scene.transact(() => {
              const mat = scene.addResource({ type: 'StandardMaterial3D', props: { albedo_color: color(random(), random(), random(), 1) } });
              const mesh = scene.addResource({ type: pick(MESHES), props: { material: resourceRef(mat) } });
              materials.push(mat);
              meshes.push(mesh);
              scene.addNode({
                parent: existing.length > 0 && random() < 0.5 ? pick(existing) : scene.rootId,
                name: pick(['Box', 'Ball', 'Thing']),
                type: random() < 0.8 ? 'MeshInstance3D' : 'DirectionalLight3D',
                props: { mesh: resourceRef(mesh), transform: transform3d([1, 0, 0, 0, 1, 0, 0, 0, 1, random() * 4, random() * 4, random() * 4]) },
              });
            });
          } else if (op < 0.4) {
            scene.moveNode(pick(existing), random() < 0.3 ? scene.rootId : pick(existing));
          } else if (op < 0.5) {
            scene.renameNode(pick(existing), pick(['Box', 'Ball', 'Other']));
          } else if (op < 0.58) {
            scene.removeNode(pick(existing));
          } else if (op < 0.72) {
            const t = random() * Math.PI;
            scene.setProperty(pick(existing), 'transform', transform3d([Math.cos(t), 0, Math.sin(t), 0, 2, 0, -Math.sin(t), 0, Math.cos(t), random(), random(), random()]));
          } else if (op < 0.8) {
            scene.setProperty(pick(existing), 'visible', random() < 0.5);
          } else if (op < 0.88 && materials.length > 0) {
            scene.setResourceProperty(pick(materials), 'albedo_color', color(random(), random(), random(), 1));
          } else if (op < 0.94 && meshes.length > 0) {
            scene.setProperty(pick(existing), 'mesh', resourceRef(pick(meshes)));
          } else {
            scene.undo();
          }
        } catch (error) {
          // Refused edits change nothing: a move into its own subtree, or a resource an undo removed.
          const code = (error as { code?: string }).code;
          if (code !== 'CYCLE' && code !== 'UNKNOWN_RESOURCE') throw new Error(`seed ${seed} step ${step}: ${String(error)}`);
        }
        scene.stopCapturing();
        const rebuilt = new SceneMirror(scene.toTree());
        expect(describeObject(mirror.root), `seed ${seed} step ${step}`).toEqual(describeObject(rebuilt.root));
      }
    }
  });
});
