import type { MeshArrays } from '../primitives/mesh-arrays.js';

/** One glTF vertex attribute of a primitive: its semantic, accessor type and data. */
export interface GltfAttribute {
  readonly semantic: 'POSITION' | 'NORMAL' | 'TANGENT' | 'TEXCOORD_0' | 'TEXCOORD_1' | 'COLOR_0';
  readonly type: 'VEC2' | 'VEC3' | 'VEC4';
  readonly array: Float32Array;
}

/**
 * The glTF attributes of Godot mesh arrays, in the order they are written (G-MESH-3): POSITION,
 * NORMAL, TANGENT, TEXCOORD_0, TEXCOORD_1, COLOR_0. Data is passed through unchanged (tangent w
 * needs no flip, see `MeshArrays.tangents`); TANGENT only appears with NORMAL and never on points,
 * and TEXCOORD_1 only with TEXCOORD_0 (glTF numbers sets without gaps), as the Khronos validator requires.
 * For generated (primitive and CSG) meshes the caller holds TANGENT apart and writes it only beside a
 * normal-mapped material (G-MESH-9).
 */
export function gltfAttributes(arrays: MeshArrays): GltfAttribute[] {
  const out: GltfAttribute[] = [{ semantic: 'POSITION', type: 'VEC3', array: arrays.positions }];
  if (arrays.normals) out.push({ semantic: 'NORMAL', type: 'VEC3', array: arrays.normals });
  if (arrays.tangents && arrays.normals && arrays.primitive !== 0) out.push({ semantic: 'TANGENT', type: 'VEC4', array: arrays.tangents });
  if (arrays.uvs) out.push({ semantic: 'TEXCOORD_0', type: 'VEC2', array: arrays.uvs });
  if (arrays.uv2 && arrays.uvs) out.push({ semantic: 'TEXCOORD_1', type: 'VEC2', array: arrays.uv2 });
  if (arrays.colors) out.push({ semantic: 'COLOR_0', type: 'VEC4', array: arrays.colors });
  return out;
}
