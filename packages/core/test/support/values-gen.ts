import type { GodotValue } from '../../src/index.js';
import { MATH_TYPE_SIZES, INTEGER_MATH_TYPES, type MathTypeName } from '../../src/values/types.js';
import type { Rng } from './rng.js';

/** Floats that break naive codecs: signed zero, NaN, infinities, denormals, extremes, non-float32. */
export const AWKWARD_FLOATS: readonly number[] = [
  0, -0, NaN, Infinity, -Infinity, 5e-324, -5e-324, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE,
  2 ** 53, -(2 ** 53), 2 ** 53 + 2, 0.1, 1 / 3, 1.5, 0.25, 1, 2, 3, 255, 256, 1e21, 2 ** 31, -(2 ** 31),
  3.4028234663852886e38, 1.401298464324817e-45, 16777217,
];

/** Godot ints that break naive codecs: the int64 extremes, past 2^53, around varint boundaries. */
export const AWKWARD_INTS: readonly bigint[] = [
  0n, 1n, -1n, 63n, 64n, -64n, -65n, 127n, 128n, 2n ** 31n - 1n, -(2n ** 31n), 2n ** 32n, 2n ** 53n, 2n ** 53n + 1n,
  -(2n ** 53n) - 1n, 2n ** 63n - 1n, -(2n ** 63n), 9007199254740993n, 1234567890123456789n,
];

const MATH_TYPES = Object.keys(MATH_TYPE_SIZES) as MathTypeName[];
const PACKED_TYPES = [
  'PackedByteArray', 'PackedInt32Array', 'PackedInt64Array', 'PackedFloat32Array', 'PackedFloat64Array',
  'PackedStringArray', 'PackedVector2Array', 'PackedVector3Array', 'PackedVector4Array', 'PackedColorArray',
] as const;

/** Every value kind the generator makes, so a test can ask for each at least once. */
export const VALUE_KINDS = [
  'null', 'bool', 'int', 'float', 'String', 'StringName', 'NodePath', ...MATH_TYPES, ...PACKED_TYPES,
  'Array', 'Dictionary', 'Resource', 'ExtResource',
] as const;
export type ValueKind = (typeof VALUE_KINDS)[number];

/** A random float: half the time an awkward one, else a random bit pattern or a plain number. */
export function randomFloat(rng: Rng): number {
  const r = rng.real();
  if (r < 0.4) return rng.pick(AWKWARD_FLOATS);
  if (r < 0.7) {
    const bytes = new Uint8Array(8);
    for (let i = 0; i < 8; i++) bytes[i] = rng.int(0, 255);
    return new Float64Array(bytes.buffer)[0]!;
  }
  if (r < 0.85) return Math.fround((rng.real() - 0.5) * 1000);
  return rng.int(-1000, 1000) * 0.25;
}

export function randomInt(rng: Rng): bigint {
  const r = rng.real();
  if (r < 0.4) return rng.pick(AWKWARD_INTS);
  if (r < 0.7) return BigInt(rng.int(-1000, 1000));
  // a uniformly random int64 from 64 random bits
  let v = 0n;
  for (let i = 0; i < 4; i++) v = (v << 16n) | BigInt(rng.int(0, 0xffff));
  return BigInt.asIntN(64, v);
}

export function randomString(rng: Rng, maxLen = 12): string {
  const pool = ['', 'a', 'Player', 'res://x.tscn', 'ünïcödé', '日本語', '🎮🕹️', 'a\u0000b', 'tab\tnew\nline', '"quoted"', '\\'];
  if (rng.chance(0.5)) return rng.pick(pool);
  let s = '';
  const len = rng.int(0, maxLen);
  for (let i = 0; i < len; i++) s += String.fromCodePoint(rng.chance(0.8) ? rng.int(32, 126) : rng.int(0xa0, 0xd7ff));
  return s;
}

function randomBytes(rng: Rng, n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = rng.int(0, 255);
  return b;
}

/** A random value of one kind; `depth` bounds nesting of Arrays and Dictionaries. */
/** Options of the generator: `resourceIds` are the ids `Resource` references point at (random when empty). */
export interface ValueGenOptions {
  resourceIds?: readonly string[];
}

export function randomValueOfKind(rng: Rng, kind: ValueKind, depth = 2, opts: ValueGenOptions = {}): GodotValue {
  switch (kind) {
    case 'null':
      return null;
    case 'bool':
      return rng.chance(0.5);
    case 'int':
      return randomInt(rng);
    case 'float':
      return randomFloat(rng);
    case 'String':
      return randomString(rng);
    case 'StringName':
      return { type: 'StringName', value: randomString(rng) };
    case 'NodePath':
      return { type: 'NodePath', value: rng.pick(['', '.', '..', '../Player:position:x', 'A/B/C', '/root/Main']) };
    case 'Resource':
      // the API refuses references to resources that are not live: fall back to a file reference
      if (opts.resourceIds && opts.resourceIds.length === 0) return randomValueOfKind(rng, 'ExtResource', depth, opts);
      return { type: 'Resource', id: (opts.resourceIds?.length ? rng.pick(opts.resourceIds) : rng.id()) as never };
    case 'ExtResource':
      return {
        type: 'ExtResource',
        path: rng.pick(['res://player.tscn', 'res://icon.svg', 'res://scripts/a b.gd']),
        resourceType: rng.pick(['PackedScene', 'Texture2D', 'Script']),
      };
    case 'Array': {
      if (depth <= 0) return [];
      const n = rng.int(0, 4);
      return Array.from({ length: n }, () => randomValue(rng, depth - 1, opts));
    }
    case 'Dictionary': {
      if (depth <= 0) return { type: 'Dictionary', entries: [] };
      const n = rng.int(0, 4);
      return {
        type: 'Dictionary',
        entries: Array.from({ length: n }, () => [randomValue(rng, depth - 1, opts), randomValue(rng, depth - 1, opts)] as const),
      };
    }
    case 'PackedByteArray':
      return { type: kind, value: randomBytes(rng, rng.int(0, 20)) };
    case 'PackedInt32Array':
      return { type: kind, value: new Int32Array(randomBytes(rng, 4 * rng.int(0, 8)).buffer) };
    case 'PackedInt64Array':
      return { type: kind, value: new BigInt64Array(randomBytes(rng, 8 * rng.int(0, 8)).buffer) };
    case 'PackedFloat32Array':
      // random bit patterns: includes NaNs with payloads, denormals, -0, infinities
      return { type: kind, value: new Float32Array(randomBytes(rng, 4 * rng.int(0, 8)).buffer) };
    case 'PackedFloat64Array':
      return { type: kind, value: new Float64Array(randomBytes(rng, 8 * rng.int(0, 8)).buffer) };
    case 'PackedStringArray':
      return { type: kind, value: Array.from({ length: rng.int(0, 5) }, () => randomString(rng)) };
    case 'PackedVector2Array':
      return { type: kind, value: new Float32Array(randomBytes(rng, 8 * rng.int(0, 6)).buffer) };
    case 'PackedVector3Array':
      return { type: kind, value: new Float32Array(randomBytes(rng, 12 * rng.int(0, 6)).buffer) };
    case 'PackedVector4Array':
    case 'PackedColorArray':
      return { type: kind, value: new Float32Array(randomBytes(rng, 16 * rng.int(0, 6)).buffer) };
    default: {
      const size = MATH_TYPE_SIZES[kind];
      const integer = INTEGER_MATH_TYPES.has(kind);
      const value = Array.from({ length: size }, () =>
        integer ? rng.pick([0, 1, -1, 2 ** 31 - 1, -(2 ** 31), rng.int(-100000, 100000)]) : randomFloat(rng),
      );
      return { type: kind, value };
    }
  }
}

/** A random Godot value of any kind. */
export function randomValue(rng: Rng, depth = 2, opts: ValueGenOptions = {}): GodotValue {
  return randomValueOfKind(rng, rng.pick(VALUE_KINDS), depth, opts);
}
