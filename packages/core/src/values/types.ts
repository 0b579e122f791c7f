/**
 * Godot values as scenesync carries them: plain JavaScript values with a `type` tag where JavaScript
 * has no type of its own. The representation is the contract between every package (core, glTF,
 * bridge, viewer); docs/scene-model.md §Values is its specification.
 *
 * - `null` is Godot's `null` (Nil); `boolean` is `bool`.
 * - `number` is always Godot `float` (float64, NaN and ±Infinity included).
 * - `bigint` is always Godot `int` (signed 64-bit). Use {@link int} to write one from a number.
 * - `string` is Godot `String`.
 * - Math types carry their components in `value`, in the order Godot's text format writes their
 *   constructor arguments (`Vector3(x, y, z)`, `Transform3D(xx, xy, xz, yx, yy, yz, zx, zy, zz, ox, oy, oz)`,
 *   `Color(r, g, b, a)` ...), so a .tscn value maps to and from them one to one.
 * - Packed arrays carry typed arrays (`PackedVector3Array` is a flat `Float32Array` of x, y, z triples).
 * - `Array` is a JavaScript array of values; `Dictionary` keeps its entries in order, keys of any type.
 * - Resources are referenced, never embedded: `{ type: 'Resource', id }` points at a resource record in
 *   the same document, `{ type: 'ExtResource', path, resourceType }` at a file (res:// path).
 */
export type GodotValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | StringNameValue
  | NodePathValue
  | MathValue
  | PackedArrayValue
  | GodotValue[]
  | DictionaryValue
  | ResourceRefValue
  | ExtResourceRefValue;

/** Godot `StringName`. */
export interface StringNameValue {
  readonly type: 'StringName';
  readonly value: string;
}

/** Godot `NodePath` in its text form (`"../Player:position:x"`). */
export interface NodePathValue {
  readonly type: 'NodePath';
  readonly value: string;
}

/** The number of components of each math type, in Godot's constructor order. */
export const MATH_TYPE_SIZES = {
  Vector2: 2,
  Vector2i: 2,
  Vector3: 3,
  Vector3i: 3,
  Vector4: 4,
  Vector4i: 4,
  Rect2: 4,
  Rect2i: 4,
  Quaternion: 4,
  Plane: 4,
  Color: 4,
  AABB: 6,
  Transform2D: 6,
  Basis: 9,
  Transform3D: 12,
  Projection: 16,
} as const;

/** Name of a Godot math type (vectors, matrices, colours...). */
export type MathTypeName = keyof typeof MATH_TYPE_SIZES;

/** Math types whose components are 32-bit integers in Godot. */
export const INTEGER_MATH_TYPES: ReadonlySet<MathTypeName> = new Set(['Vector2i', 'Vector3i', 'Vector4i', 'Rect2i']);

/**
 * A Godot math value. `value.length` is `MATH_TYPE_SIZES[type]`; integer types hold 32-bit integers.
 * Transform3D: the nine basis numbers exactly as Godot's text format writes them, then the origin.
 */
export interface MathValue<T extends MathTypeName = MathTypeName> {
  readonly type: T;
  readonly value: readonly number[];
}

/** The typed array each packed array type holds. */
export interface PackedArrayTypes {
  PackedByteArray: Uint8Array;
  PackedInt32Array: Int32Array;
  PackedInt64Array: BigInt64Array;
  PackedFloat32Array: Float32Array;
  PackedFloat64Array: Float64Array;
  PackedStringArray: readonly string[];
  /** Flat x, y pairs. */
  PackedVector2Array: Float32Array;
  /** Flat x, y, z triples. */
  PackedVector3Array: Float32Array;
  /** Flat x, y, z, w quadruples. */
  PackedVector4Array: Float32Array;
  /** Flat r, g, b, a quadruples. */
  PackedColorArray: Float32Array;
}

/** Name of a Godot packed array type. */
export type PackedArrayTypeName = keyof PackedArrayTypes;

/** A Godot packed array. */
export interface PackedArrayValue<T extends PackedArrayTypeName = PackedArrayTypeName> {
  readonly type: T;
  readonly value: PackedArrayTypes[T];
}

/** Godot `Dictionary`: ordered entries, keys may be any value. */
export interface DictionaryValue {
  readonly type: 'Dictionary';
  readonly entries: ReadonlyArray<readonly [GodotValue, GodotValue]>;
}

/** A reference to a resource record held in the same scene document. */
export interface ResourceRefValue {
  readonly type: 'Resource';
  readonly id: ResourceId;
}

/** A reference to a file resource (a PackedScene, a Script, a texture...) by its res:// path. */
export interface ExtResourceRefValue {
  readonly type: 'ExtResource';
  readonly path: string;
  /** The Godot class of the resource, e.g. `PackedScene`, `Script`, `Texture2D`. */
  readonly resourceType: string;
}

/** Id of a node in a scene document. Stable for the node's life; never a path. */
export type NodeId = string & { readonly __brand: 'NodeId' };

/** Id of a resource record in a scene document. */
export type ResourceId = string & { readonly __brand: 'ResourceId' };
