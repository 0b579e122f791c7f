import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { readVarString } from './read-string.js';
import { INTEGER_MATH_TYPES, MATH_TYPE_SIZES, type GodotValue, type MathTypeName, type PackedArrayTypeName } from './types.js';
import { assertGodotValue, MAX_VALUE_DEPTH, PACKED_ARRAY_CLASSES, PACKED_ARRAY_STRIDES } from './validate.js';

/**
 * The binary value codec (docs/scene-model.md R-VAL-2): one tag byte, then the payload. Numbers are
 * stored in the smallest exact form, so a Transform3D with an identity basis costs about 24 bytes.
 */

/** Largest encoded value accepted from the network (R-VAL-4). */
export const MAX_ENCODED_VALUE_BYTES = 16 * 1024 * 1024;

/** Error thrown by `decodeValue` on bytes that are not a well-formed value. */
export class ValueDecodeError extends Error {
  override readonly name = 'ValueDecodeError';
}

const enum Tag {
  Null = 0,
  False = 1,
  True = 2,
  FloatSmallInt = 3,
  Float32 = 4,
  Float64 = 5,
  IntVar = 6,
  Int64 = 7,
  String = 8,
  StringName = 9,
  NodePath = 10,
  Math = 11,
  Packed = 12,
  Array = 13,
  Dictionary = 14,
  Resource = 15,
  ExtResource = 16,
  /** A Transform3D whose basis is the identity: only the origin follows. */
  Translation3D = 17,
}

/** Per-component tags inside math values. */
const enum Comp {
  Zero = 0,
  One = 1,
  MinusOne = 2,
  SmallInt = 3,
  Float32 = 4,
  Float64 = 5,
}

const MATH_TYPES = Object.keys(MATH_TYPE_SIZES) as MathTypeName[];
const MATH_INDEX = new Map(MATH_TYPES.map((t, i) => [t, i]));
const PACKED_TYPES: PackedArrayTypeName[] = [...(Object.keys(PACKED_ARRAY_CLASSES) as PackedArrayTypeName[]), 'PackedStringArray'];
const PACKED_INDEX = new Map(PACKED_TYPES.map((t, i) => [t, i]));

const f32 = new Float32Array(1);
const isFloat32Exact = (n: number): boolean => {
  f32[0] = n;
  return f32[0] === n;
};
// lib0's readFloat32/64 make a DataView per number read; a transform has twelve. One scratch view
// serves every read (big-endian, as lib0 writes them).
const scratch = new DataView(new ArrayBuffer(8));
function readFloat(decoder: decoding.Decoder, size: 4 | 8): number {
  const bytes = decoder.arr;
  const at = decoder.pos;
  if (at + size > bytes.length) throw new ValueDecodeError('unexpected end of value');
  for (let i = 0; i < size; i++) scratch.setUint8(i, bytes[at + i]!);
  decoder.pos = at + size;
  return size === 4 ? scratch.getFloat32(0, false) : scratch.getFloat64(0, false);
}

const isSmallInt = (n: number): boolean => Number.isInteger(n) && Math.abs(n) < 2 ** 31 && !Object.is(n, -0);

/**
 * Encodes a Godot value.
 * @throws SceneError `INVALID_VALUE` when `value` is not a Godot value.
 */
export function encodeValue(value: GodotValue): Uint8Array {
  return encodeUnchecked(assertGodotValue(value));
}

/** Encodes a value already checked by `assertGodotValue`. */
export function encodeUnchecked(value: GodotValue): Uint8Array {
  const encoder = encoding.createEncoder();
  writeValue(encoder, value);
  return encoding.toUint8Array(encoder);
}

/**
 * Decodes bytes written by `encodeValue`.
 * @throws ValueDecodeError on malformed or oversized input.
 */
export function decodeValue(bytes: Uint8Array): GodotValue {
  if (bytes.length > MAX_ENCODED_VALUE_BYTES) throw new ValueDecodeError(`value larger than ${MAX_ENCODED_VALUE_BYTES} bytes`);
  const decoder = decoding.createDecoder(bytes);
  let value: GodotValue;
  try {
    value = readValue(decoder, 0);
  } catch (e) {
    if (e instanceof ValueDecodeError) throw e;
    throw new ValueDecodeError(`malformed value: ${(e as Error).message}`);
  }
  if (decoding.hasContent(decoder)) throw new ValueDecodeError('trailing bytes after value');
  return value;
}

/** Writes one value into a lib0 encoder (used by record encoders too). */
export function writeValue(encoder: encoding.Encoder, value: GodotValue): void {
  switch (typeof value) {
    case 'boolean':
      encoding.writeUint8(encoder, value ? Tag.True : Tag.False);
      return;
    case 'number':
      if (isSmallInt(value)) {
        encoding.writeUint8(encoder, Tag.FloatSmallInt);
        encoding.writeVarInt(encoder, value);
      } else if (!Number.isNaN(value) && isFloat32Exact(value)) {
        encoding.writeUint8(encoder, Tag.Float32);
        encoding.writeFloat32(encoder, value);
      } else {
        encoding.writeUint8(encoder, Tag.Float64);
        encoding.writeFloat64(encoder, value);
      }
      return;
    case 'bigint':
      if (value >= -(2n ** 52n) && value < 2n ** 52n) {
        encoding.writeUint8(encoder, Tag.IntVar);
        encoding.writeVarInt(encoder, Number(value));
      } else {
        encoding.writeUint8(encoder, Tag.Int64);
        encoding.writeBigInt64(encoder, value);
      }
      return;
    case 'string':
      encoding.writeUint8(encoder, Tag.String);
      encoding.writeVarString(encoder, value);
      return;
  }
  if (value === null) {
    encoding.writeUint8(encoder, Tag.Null);
    return;
  }
  if (Array.isArray(value)) {
    encoding.writeUint8(encoder, Tag.Array);
    encoding.writeVarUint(encoder, value.length);
    for (const item of value) writeValue(encoder, item);
    return;
  }
  const type = value.type;
  const mathIndex = MATH_INDEX.get(type as MathTypeName);
  if (type === 'Transform3D' && hasIdentityBasis((value as { value: readonly number[] }).value)) {
    encoding.writeUint8(encoder, Tag.Translation3D);
    const comps = (value as { value: readonly number[] }).value;
    for (let i = 9; i < 12; i++) writeComponent(encoder, comps[i]!);
    return;
  }
  if (mathIndex !== undefined) {
    encoding.writeUint8(encoder, Tag.Math);
    encoding.writeUint8(encoder, mathIndex);
    const comps = (value as { value: readonly number[] }).value;
    if (INTEGER_MATH_TYPES.has(type as MathTypeName)) for (const c of comps) encoding.writeVarInt(encoder, c);
    else for (const c of comps) writeComponent(encoder, c);
    return;
  }
  const packedIndex = PACKED_INDEX.get(type as PackedArrayTypeName);
  if (packedIndex !== undefined) {
    encoding.writeUint8(encoder, Tag.Packed);
    encoding.writeUint8(encoder, packedIndex);
    const data = (value as { value: unknown }).value;
    if (type === 'PackedStringArray') {
      const strings = data as string[];
      encoding.writeVarUint(encoder, strings.length);
      for (const s of strings) encoding.writeVarString(encoder, s);
    } else {
      const view = data as ArrayBufferView;
      encoding.writeVarUint8Array(encoder, new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
    }
    return;
  }
  switch (value.type) {
    case 'StringName':
    case 'NodePath':
      encoding.writeUint8(encoder, value.type === 'StringName' ? Tag.StringName : Tag.NodePath);
      encoding.writeVarString(encoder, value.value);
      return;
    case 'Dictionary':
      encoding.writeUint8(encoder, Tag.Dictionary);
      encoding.writeVarUint(encoder, value.entries.length);
      for (const [k, v] of value.entries) {
        writeValue(encoder, k);
        writeValue(encoder, v);
      }
      return;
    case 'Resource':
      encoding.writeUint8(encoder, Tag.Resource);
      encoding.writeVarString(encoder, value.id);
      return;
    case 'ExtResource':
      encoding.writeUint8(encoder, Tag.ExtResource);
      encoding.writeVarString(encoder, value.path);
      encoding.writeVarString(encoder, value.resourceType);
      return;
  }
}

const IDENTITY_BASIS = [1, 0, 0, 0, 1, 0, 0, 0, 1];
const hasIdentityBasis = (comps: readonly number[]): boolean => IDENTITY_BASIS.every((c, i) => Object.is(comps[i], c));

function writeComponent(encoder: encoding.Encoder, c: number): void {
  if (c === 0 && !Object.is(c, -0)) encoding.writeUint8(encoder, Comp.Zero);
  else if (c === 1) encoding.writeUint8(encoder, Comp.One);
  else if (c === -1) encoding.writeUint8(encoder, Comp.MinusOne);
  else if (isSmallInt(c)) {
    encoding.writeUint8(encoder, Comp.SmallInt);
    encoding.writeVarInt(encoder, c);
  } else if (!Number.isNaN(c) && isFloat32Exact(c)) {
    encoding.writeUint8(encoder, Comp.Float32);
    encoding.writeFloat32(encoder, c);
  } else {
    encoding.writeUint8(encoder, Comp.Float64);
    encoding.writeFloat64(encoder, c);
  }
}

function readComponent(decoder: decoding.Decoder): number {
  const tag = decoding.readUint8(decoder);
  switch (tag) {
    case Comp.Zero:
      return 0;
    case Comp.One:
      return 1;
    case Comp.MinusOne:
      return -1;
    case Comp.SmallInt:
      return decoding.readVarInt(decoder);
    case Comp.Float32:
      return readFloat(decoder, 4);
    case Comp.Float64:
      return readFloat(decoder, 8);
    default:
      throw new ValueDecodeError(`unknown component tag ${tag}`);
  }
}

/** Reads one value from a lib0 decoder. */
export function readValue(decoder: decoding.Decoder, depth: number): GodotValue {
  if (depth > MAX_VALUE_DEPTH) throw new ValueDecodeError(`value nested deeper than ${MAX_VALUE_DEPTH}`);
  const tag = decoding.readUint8(decoder);
  switch (tag) {
    case Tag.Null:
      return null;
    case Tag.False:
      return false;
    case Tag.True:
      return true;
    case Tag.FloatSmallInt:
      return decoding.readVarInt(decoder);
    case Tag.Float32:
      return readFloat(decoder, 4);
    case Tag.Float64:
      return readFloat(decoder, 8);
    case Tag.IntVar:
      return BigInt(decoding.readVarInt(decoder));
    case Tag.Int64:
      return decoding.readBigInt64(decoder);
    case Tag.String:
      return readVarString(decoder);
    case Tag.StringName:
      return { type: 'StringName', value: readVarString(decoder) };
    case Tag.NodePath:
      return { type: 'NodePath', value: readVarString(decoder) };
    case Tag.Math: {
      const type = MATH_TYPES[decoding.readUint8(decoder)];
      if (type === undefined) throw new ValueDecodeError('unknown math type');
      const size = MATH_TYPE_SIZES[type];
      const comps = new Array<number>(size);
      const integer = INTEGER_MATH_TYPES.has(type);
      for (let i = 0; i < size; i++) {
        const c = integer ? decoding.readVarInt(decoder) : readComponent(decoder);
        if (integer && (c < -(2 ** 31) || c >= 2 ** 31)) throw new ValueDecodeError(`${type} component out of the 32-bit range`);
        comps[i] = c;
      }
      return { type, value: comps };
    }
    case Tag.Translation3D:
      return { type: 'Transform3D', value: [...IDENTITY_BASIS, readComponent(decoder), readComponent(decoder), readComponent(decoder)] };
    case Tag.Packed:
      return readPacked(decoder);
    case Tag.Array: {
      const length = readLength(decoder);
      const items: GodotValue[] = [];
      for (let i = 0; i < length; i++) items.push(readValue(decoder, depth + 1));
      return items;
    }
    case Tag.Dictionary: {
      const length = readLength(decoder);
      const entries: [GodotValue, GodotValue][] = [];
      for (let i = 0; i < length; i++) entries.push([readValue(decoder, depth + 1), readValue(decoder, depth + 1)]);
      return { type: 'Dictionary', entries };
    }
    case Tag.Resource: {
      const id = readVarString(decoder);
      if (id === '') throw new ValueDecodeError('resource reference without an id');
      return { type: 'Resource', id: id as never };
    }
    case Tag.ExtResource:
      return { type: 'ExtResource', path: readVarString(decoder), resourceType: readVarString(decoder) };
    default:
      throw new ValueDecodeError(`unknown value tag ${tag}`);
  }
}

/** Reads a count and refuses one larger than the bytes left could hold (a lying length). */
function readLength(decoder: decoding.Decoder): number {
  const length = decoding.readVarUint(decoder);
  if (length > decoder.arr.length - decoder.pos) throw new ValueDecodeError('length larger than the data');
  return length;
}

function readPacked(decoder: decoding.Decoder): GodotValue {
  const type = PACKED_TYPES[decoding.readUint8(decoder)];
  if (type === undefined) throw new ValueDecodeError('unknown packed array type');
  if (type === 'PackedStringArray') {
    const length = readLength(decoder);
    const strings: string[] = [];
    for (let i = 0; i < length; i++) strings.push(readVarString(decoder));
    return { type, value: strings };
  }
  const raw = decoding.readVarUint8Array(decoder);
  const cls = PACKED_ARRAY_CLASSES[type] as unknown as {
    new (buffer: ArrayBuffer): ArrayBufferView;
    BYTES_PER_ELEMENT: number;
  };
  const stride = (PACKED_ARRAY_STRIDES[type] ?? 1) * cls.BYTES_PER_ELEMENT;
  if (raw.byteLength % stride !== 0) throw new ValueDecodeError(`${type} byte length is not a whole number of elements`);
  // Copy: the typed array must own an aligned buffer, independent of the Yjs update it came from.
  const copy = raw.slice();
  return { type, value: new cls(copy.buffer) } as GodotValue;
}
