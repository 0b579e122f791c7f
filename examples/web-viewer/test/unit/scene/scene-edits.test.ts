import { describe, expect, it } from 'vitest';
import { SceneDoc, type GodotValue } from '@scenesync/core';
import { PRIMITIVE_PALETTE, SceneEdits } from '../../../src/scene/scene-edits.js';
import { PRIMITIVE_MESH_TYPES } from '../../../src/scene/primitive-geometry.js';

/** The twelve numbers of a Transform3D (or a Color's four) property value. */
function numbers(value: GodotValue | undefined): number[] {
  return [...(value as { value: readonly number[] }).value];
}

describe('SceneEdits', () => {
  it('adds each primitive as a MeshInstance3D with its own mesh and StandardMaterial3D', () => {
    const scene = new SceneDoc();
    const edits = new SceneEdits(scene);
    for (const type of PRIMITIVE_MESH_TYPES) {
      const id = edits.addPrimitive(type);
      const node = scene.getNode(id)!;
      expect(node.type).toBe('MeshInstance3D');
      const mesh = scene.getResource((node.props.mesh as { id: string }).id)!;
      expect(mesh.type).toBe(type);
      const material = scene.getResource((mesh.props.material as { id: string }).id)!;
      expect(material.type).toBe('StandardMaterial3D');
    }
    const first = scene.getNode(scene.children(scene.rootId)[0]!)!;
    const mesh = scene.getResource((first.props.mesh as { id: string }).id)!;
    const albedo = scene.getResource((mesh.props.material as { id: string }).id)!.props.albedo_color;
    expect(numbers(albedo)).toEqual([...PRIMITIVE_PALETTE[0]!, 1]);
  });

  it('undoes an added primitive in one step, and a drag in one step', () => {
    const scene = new SceneDoc();
    const edits = new SceneEdits(scene);
    const id = edits.addPrimitive('BoxMesh', { position: [0, 0, 0] });
    edits.beginDrag(id);
    expect(scene.ownerOf(id)).toBe(scene.doc.clientID);
    edits.endDrag(id, [1, 0, 0, 0, 1, 0, 0, 0, 1, 4, 5, 6]);
    expect(scene.ownerOf(id)).toBeNull();
    expect(numbers(scene.getProperty(id, 'transform')).slice(9)).toEqual([4, 5, 6]);
    edits.undo();
    expect(numbers(scene.getProperty(id, 'transform')).slice(9)).toEqual([0, 0, 0]);
    expect(scene.hasNode(id)).toBe(true);
    edits.undo();
    expect(scene.hasNode(id)).toBe(false);
    edits.redo();
    expect(scene.hasNode(id)).toBe(true);
  });

  it('keeps a drag one undo step even when writes during it are far apart in time', async () => {
    const scene = new SceneDoc();
    const edits = new SceneEdits(scene);
    const id = edits.addPrimitive('BoxMesh', { position: [0, 0, 0] });
    edits.beginDrag(id);
    // What the transform stream does when the pointer rests mid-drag: a settle commit.
    scene.setProperty(id, 'transform', { type: 'Transform3D', value: [1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0] });
    await new Promise((r) => setTimeout(r, 700)); // longer than the 500 ms capture timeout
    edits.endDrag(id, [1, 0, 0, 0, 1, 0, 0, 0, 1, 2, 0, 0]);
    edits.undo();
    expect(numbers(scene.getProperty(id, 'transform')).slice(9)).toEqual([0, 0, 0]);
    expect(scene.hasNode(id)).toBe(true);
  });

  it('refuses to delete the root and to move a node under itself, changing nothing', () => {
    const scene = new SceneDoc();
    const edits = new SceneEdits(scene);
    const a = edits.addPrimitive('BoxMesh');
    const b = edits.addPrimitive('SphereMesh', { parent: a });
    expect(() => edits.remove(scene.rootId)).toThrow(/root node cannot be deleted/);
    expect(() => edits.reparent(a, b)).toThrow();
    expect(scene.parentOf(b)).toBe(a);
    expect(scene.parentOf(a)).toBe(scene.rootId);
  });
});
