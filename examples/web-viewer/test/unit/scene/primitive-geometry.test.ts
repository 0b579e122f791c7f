import { describe, expect, it } from 'vitest';
import { Box3, Vector3, type BufferGeometry } from 'three';
import { PRIMITIVE_MESH_TYPES, primitiveGeometry } from '../../../src/scene/primitive-geometry.js';

function size(geometry: BufferGeometry): number[] {
  const box = new Box3().setFromBufferAttribute(geometry.getAttribute('position') as never);
  return box.getSize(new Vector3()).toArray().map((n) => Math.round(n * 1000) / 1000);
}

function centre(geometry: BufferGeometry): number[] {
  const box = new Box3().setFromBufferAttribute(geometry.getAttribute('position') as never);
  return box.getCenter(new Vector3()).toArray().map((n) => Math.round(n * 1000) / 1000 + 0);
}

describe('primitive meshes with Godot defaults (FIELD-NOTES "Primitive mesh defaults")', () => {
  it.each([
    ['BoxMesh', [1, 1, 1]],
    ['SphereMesh', [1, 1, 1]],
    ['CylinderMesh', [1, 2, 1]],
    ['CapsuleMesh', [1, 2, 1]],
    ['PlaneMesh', [2, 0, 2]], // flat, facing +Y
    ['QuadMesh', [1, 1, 0]], // facing +Z
    ['PrismMesh', [1, 1, 1]],
    ['TorusMesh', [2, 0.5, 2]], // lies in XZ around +Y, outer radius 1, tube 0.25
  ])('%s has Godot’s default size %j, centred on the origin', (type, expected) => {
    const geometry = primitiveGeometry(type, {})!;
    expect(size(geometry)).toEqual(expected);
    expect(centre(geometry)).toEqual([0, 0, 0]);
  });

  it('covers every primitive type it lists', () => {
    for (const type of PRIMITIVE_MESH_TYPES) expect(primitiveGeometry(type, {})).toBeDefined();
    expect(primitiveGeometry('ArrayMesh', {})).toBeUndefined();
  });

  it('follows the Godot parameters', () => {
    expect(size(primitiveGeometry('BoxMesh', { size: { type: 'Vector3', value: [2, 3, 4] } })!)).toEqual([2, 3, 4]);
    // An ellipsoid: height differs from the diameter.
    expect(size(primitiveGeometry('SphereMesh', { radius: 1, height: 4 })!)).toEqual([2, 4, 2]);
    expect(size(primitiveGeometry('CylinderMesh', { top_radius: 0, bottom_radius: 1, height: 3 })!)).toEqual([2, 3, 2]);
    expect(size(primitiveGeometry('CapsuleMesh', { radius: 0.25, height: 3 })!)).toEqual([0.5, 3, 0.5]);
    expect(size(primitiveGeometry('PlaneMesh', { size: { type: 'Vector2', value: [4, 6] } })!)).toEqual([4, 0, 6]);
    expect(size(primitiveGeometry('PlaneMesh', { orientation: 0n })!)).toEqual([0, 2, 2]);
    expect(size(primitiveGeometry('TorusMesh', { inner_radius: 1, outer_radius: 2 })!)).toEqual([4, 1, 4]);
    // The ridge of a prism with left_to_right 0 sits above the left edge.
    const prism = primitiveGeometry('PrismMesh', { left_to_right: 0 })!;
    const positions = prism.getAttribute('position');
    let ridgeX = Infinity;
    for (let i = 0; i < positions.count; i++) if (positions.getY(i) > 0.49) ridgeX = Math.min(ridgeX, positions.getX(i));
    expect(ridgeX).toBeCloseTo(-0.5, 6);
  });
});
