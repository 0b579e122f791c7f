import { SceneError } from '../errors.js';
import { INTEGER_MATH_TYPES, MATH_TYPE_SIZES, type GodotValue, type MathTypeName, type PackedArrayTypeName } from './types.js';

/** Deepest nesting of Arrays and Dictionaries a value may have (R-VAL-4). */
export const MAX_VALUE_DEPTH = 64;

/** The typed array class each packed array type must hold. */
export const PACKED_ARRAY_CLASSES: Record<Exclude<PackedArrayTypeName, 'PackedStringArray'>, Function> = {
  PackedByteArray: Uint8Array,
  PackedInt32Array: Int32Array,
  PackedInt64Array: BigInt64Array,
  PackedFloat32Array: Float32Array,
  PackedFloat64Array: Float64Array,
  PackedVector2Array: Float32Array,
  PackedVector3Array: Float32Array,
  PackedVector4Array: Float32Array,
  PackedColorArray: Float32Array,
};

/** Components per element of the packed vector types (their flat arrays must be a multiple of it). */
export const PACKED_ARRAY_STRIDES: Partial<Record<PackedArrayTypeName, number>> = {
  PackedVector2Array: 2,
  PackedVector3Array: 3,
  PackedVector4Array: 4,
  PackedColorArray: 4,
};

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

const isMathType = (t: unknown): t is MathTypeName => typeof t === 'string' && Object.hasOwn(MATH_TYPE_SIZES, t);
const isPackedType = (t: unknown): t is PackedArrayTypeName =>
  t === 'PackedStringArray' || (typeof t === 'string' && Object.hasOwn(PACKED_ARRAY_CLASSES, t));

/**
 * Checks that `value` is a Godot value as docs/scene-model.md §Values defines it and returns it, with a
 * JavaScript `Map` accepted as a Dictionary and converted.
 *
 * @throws SceneError `INVALID_VALUE`, naming the offending part (`props.transform.value[3]`).
 */
export function assertGodotValue(value: unknown, where = 'value'): GodotValue {
  return check(value, where, 0);
}

/** True when `value` is a Godot value (never throws). */
export function isGodotValue(value: unknown): value is GodotValue {
  try {
    check(value, 'value', 0);
    return true;
  } catch {
    return false;
  }
}

/** Component names accepted instead of `value` for the small math types (`{ type: 'Vector3', x, y, z }`). */
const NAMED_COMPONENTS: Partial<Record<MathTypeName, readonly string[]>> = {
  Vector2: ['x', 'y'],
  Vector2i: ['x', 'y'],
  Vector3: ['x', 'y', 'z'],
  Vector3i: ['x', 'y', 'z'],
  Vector4: ['x', 'y', 'z', 'w'],
  Vector4i: ['x', 'y', 'z', 'w'],
  Quaternion: ['x', 'y', 'z', 'w'],
  Color: ['r', 'g', 'b', 'a'],
};

function namedComponents(type: MathTypeName, tagged: Record<string, unknown>): unknown {
  const names = NAMED_COMPONENTS[type];
  if (!names || !names.every((n) => n in tagged || (type === 'Color' && n === 'a'))) return undefined;
  return names.map((n) => (type === 'Color' && n === 'a' && !('a' in tagged) ? 1 : tagged[n]));
}

function fail(where: string, what: string): never {
  throw new SceneError('INVALID_VALUE', `${where}: ${what}. See docs/scene-model.md §Values for the Godot types scenesync carries.`);
}

function check(value: unknown, where: string, depth: number): GodotValue {
  if (depth > MAX_VALUE_DEPTH) fail(where, `nested deeper than ${MAX_VALUE_DEPTH} levels`);
  switch (typeof value) {
    case 'boolean':
    case 'number':
    case 'string':
      return value;
    case 'bigint':
      if (value < INT64_MIN || value > INT64_MAX) fail(where, 'int out of the signed 64-bit range');
      return value;
    case 'object':
      break;
    default:
      fail(where, `${typeof value} is not a Godot value`);
  }
  if (value === null) return null;
  if (Array.isArray(value)) return value.map((v, i) => check(v, `${where}[${i}]`, depth + 1));
  if (value instanceof Map) {
    return {
      type: 'Dictionary',
      entries: [...value].map(([k, v], i) => [check(k, `${where}.key${i}`, depth + 1), check(v, `${where}.${i}`, depth + 1)] as const),
    };
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) fail(where, `${proto?.constructor?.name ?? 'object'} instances are not Godot values`);
  const tagged = value as { type?: unknown; value?: unknown; [k: string]: unknown };
  const type = tagged.type;
  if (isMathType(type)) {
    const comps = tagged.value ?? namedComponents(type, tagged);
    if (!Array.isArray(comps) || comps.length !== MATH_TYPE_SIZES[type]) {
      fail(where, `${type} needs value: number[${MATH_TYPE_SIZES[type]}]`);
    }
    const integer = INTEGER_MATH_TYPES.has(type);
    comps.forEach((c, i) => {
      if (typeof c !== 'number') fail(`${where}.value[${i}]`, `${type} components are numbers`);
      if (integer && (!Number.isInteger(c) || c < -(2 ** 31) || c >= 2 ** 31)) {
        fail(`${where}.value[${i}]`, `${type} components are 32-bit integers`);
      }
    });
    return { type, value: [...comps] };
  }
  if (isPackedType(type)) {
    const data = tagged.value;
    if (type === 'PackedStringArray') {
      if (!Array.isArray(data) || data.some((s) => typeof s !== 'string')) fail(where, 'PackedStringArray needs value: string[]');
      return { type, value: [...data] };
    }
    const cls = PACKED_ARRAY_CLASSES[type];
    if (!(data instanceof cls)) fail(where, `${type} needs value: ${cls.name}`);
    const stride = PACKED_ARRAY_STRIDES[type];
    if (stride && (data as Float32Array).length % stride !== 0) fail(where, `${type} length must be a multiple of ${stride}`);
    return { type, value: data } as GodotValue;
  }
  switch (type) {
    case 'StringName':
    case 'NodePath':
      if (typeof tagged.value !== 'string') fail(where, `${type} needs value: string`);
      return { type, value: tagged.value };
    case 'Dictionary': {
      const entries = tagged.entries;
      if (!Array.isArray(entries)) fail(where, 'Dictionary needs entries: [key, value][]');
      return {
        type,
        entries: entries.map((e, i) => {
          if (!Array.isArray(e) || e.length !== 2) fail(`${where}.entries[${i}]`, 'an entry is [key, value]');
          return [check(e[0], `${where}.entries[${i}][0]`, depth + 1), check(e[1], `${where}.entries[${i}][1]`, depth + 1)] as const;
        }),
      };
    }
    case 'Resource':
      if (typeof tagged.id !== 'string' || tagged.id === '') fail(where, 'Resource references need id: string');
      return { type, id: tagged.id as never };
    case 'ExtResource':
      if (typeof tagged.path !== 'string' || typeof tagged.resourceType !== 'string') {
        fail(where, 'ExtResource references need path and resourceType strings');
      }
      return { type, path: tagged.path, resourceType: tagged.resourceType };
    default:
      fail(where, `unknown value type ${JSON.stringify(type)}`);
  }
}
