import type {
  DictionaryValue,
  ExtResourceRefValue,
  GodotValue,
  MathValue,
  NodePathValue,
  ResourceId,
  ResourceRefValue,
  StringNameValue,
} from './types.js';

/** A Godot `int` from a JavaScript number or bigint (numbers must be whole). */
export const int = (n: number | bigint): bigint => BigInt(n);

/** Godot `Vector2`. */
export const vec2 = (x: number, y: number): MathValue<'Vector2'> => ({ type: 'Vector2', value: [x, y] });

/** Godot `Vector3`. */
export const vec3 = (x: number, y: number, z: number): MathValue<'Vector3'> => ({ type: 'Vector3', value: [x, y, z] });

/** Godot `Vector4`. */
export const vec4 = (x: number, y: number, z: number, w: number): MathValue<'Vector4'> => ({
  type: 'Vector4',
  value: [x, y, z, w],
});

/** Godot `Quaternion` (x, y, z, w). */
export const quat = (x: number, y: number, z: number, w: number): MathValue<'Quaternion'> => ({
  type: 'Quaternion',
  value: [x, y, z, w],
});

/** Godot `Color` (sRGB-encoded components as Godot stores them). */
export const color = (r: number, g: number, b: number, a = 1): MathValue<'Color'> => ({
  type: 'Color',
  value: [r, g, b, a],
});

/** The identity `Transform3D`'s twelve numbers. */
export const IDENTITY_TRANSFORM3D: readonly number[] = Object.freeze([1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0]);

/**
 * Godot `Transform3D` from its twelve numbers as .tscn writes them (basis rows, then origin), or from
 * an origin only (identity basis).
 *
 * @example transform3d([1,0,0, 0,1,0, 0,0,1, 0,2,0]) // lifted 2 m
 */
export function transform3d(values: readonly number[] = IDENTITY_TRANSFORM3D): MathValue<'Transform3D'> {
  return { type: 'Transform3D', value: [...values] };
}

/** A Transform3D with identity basis at `(x, y, z)`. */
export const translation3d = (x: number, y: number, z: number): MathValue<'Transform3D'> =>
  transform3d([1, 0, 0, 0, 1, 0, 0, 0, 1, x, y, z]);

/** Godot `StringName`. */
export const stringName = (value: string): StringNameValue => ({ type: 'StringName', value });

/** Godot `NodePath`. */
export const nodePath = (value: string): NodePathValue => ({ type: 'NodePath', value });

/** A reference to a resource record of the same document. */
export const resourceRef = (id: ResourceId | string): ResourceRefValue => ({ type: 'Resource', id: id as ResourceId });

/** A reference to a file resource by res:// path. */
export const extResource = (path: string, resourceType: string): ExtResourceRefValue => ({
  type: 'ExtResource',
  path,
  resourceType,
});

/** Godot `Dictionary` from entries or from a plain object with string keys. */
export function dictionary(
  entries: Iterable<readonly [GodotValue, GodotValue]> | Record<string, GodotValue>,
): DictionaryValue {
  const list =
    Symbol.iterator in entries
      ? [...(entries as Iterable<readonly [GodotValue, GodotValue]>)]
      : Object.entries(entries as Record<string, GodotValue>);
  return { type: 'Dictionary', entries: list.map(([k, v]) => [k, v] as const) };
}
