import type { GodotValue, MathTypeName, PackedArrayTypeName } from '@scenesync/core';
import { TscnScanner } from './scanner.js';

/**
 * Godot's Variant text format (what .tscn/.tres and `var_to_str` write) to and from scenesync's
 * `GodotValue`. docs/tscn.md §Values is the specification.
 */

/** Components of each math constructor, in Godot's text order (mirrors core's MATH_TYPE_SIZES). */
export const MATH_CONSTRUCTORS: Readonly<Record<MathTypeName, number>> = {
  Vector2: 2, Vector2i: 2, Vector3: 3, Vector3i: 3, Vector4: 4, Vector4i: 4, Rect2: 4, Rect2i: 4,
  Quaternion: 4, Plane: 4, Color: 4, AABB: 6, Transform2D: 6, Basis: 9, Transform3D: 12, Projection: 16,
};

const FLOAT32_PACKED = new Set<PackedArrayTypeName>([
  'PackedFloat32Array', 'PackedVector2Array', 'PackedVector3Array', 'PackedVector4Array', 'PackedColorArray',
]);

/**
 * The key of the one-entry Dictionary that carries a value scenesync does not model (an `Object(...)`,
 * `Callable()`, `RID()`...) as its original text, so it survives import → export unchanged (docs/tscn.md T-RAW).
 */
export const RAW_VALUE_KEY = 'tscn:raw';

/** Wraps unparsed Variant text so it can travel as a GodotValue and be written back verbatim. */
export function rawValue(text: string): GodotValue {
  return { type: 'Dictionary', entries: [[RAW_VALUE_KEY, text]] };
}

/** The original text of a value made by {@link rawValue}, or undefined for any other value. */
export function rawValueText(value: GodotValue): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  if ((value as { type?: string }).type !== 'Dictionary') return undefined;
  const entries = (value as { entries: ReadonlyArray<readonly [GodotValue, GodotValue]> }).entries;
  if (entries.length !== 1) return undefined;
  const [k, v] = entries[0]!;
  return k === RAW_VALUE_KEY && typeof v === 'string' ? v : undefined;
}

/** How resource references inside a value are resolved while reading. */
export interface VariantReadHooks {
  /** `SubResource("id")` → the value to store (normally a `Resource` ref). */
  subResource(id: string): GodotValue;
  /**
   * `ExtResource("id")` → the value to store (normally an `ExtResource` ref). `resourceType` is the
   * second argument of the bridge's `ExtResource("res://path", "Class")` (docs/bridge-protocol.md
   * B-VAL-1); .tscn files never have one.
   */
  extResource(id: string, resourceType?: string): GodotValue;
  /** Called with the text of a constructor scenesync does not model; the value is kept raw. */
  unknown(constructorName: string, text: string): void;
}

/** How resource references inside a value are written. */
export interface VariantWriteHooks {
  /** `Resource` ref id → sub_resource id in the file being written. */
  subResourceId(id: string): string;
  /** `ExtResource` ref → ext_resource id in the file being written. */
  extResourceId(path: string, resourceType: string): string;
  /** When given, writes the whole `ExtResource(…)` text itself (the bridge names the path and class). */
  extResourceText?(path: string, resourceType: string): string;
}

/** Reads one Variant value at the scanner's position. Throws TscnError on broken syntax only. */
export function readVariant(s: TscnScanner, hooks: VariantReadHooks): GodotValue {
  s.skipSpace();
  const start = s.pos;
  const c = s.peek();
  if (c === '"') return s.string();
  if (c === '&') {
    s.pos++;
    return { type: 'StringName', value: s.string() };
  }
  if (c === '^') {
    s.pos++;
    return { type: 'NodePath', value: s.string() };
  }
  if (c === '[') return readArrayBody(s, hooks);
  if (c === '{') return readDictionaryBody(s, hooks);
  if (c === '-' || c === '+' || c === '.' || (c >= '0' && c <= '9')) {
    // `-inf` is the only signed word.
    if (s.text.startsWith('-inf', s.pos) && !/[A-Za-z0-9_]/.test(s.text.charAt(s.pos + 4))) {
      s.pos += 4;
      return -Infinity;
    }
    return numberFromText(s.numberText(), s, start);
  }
  const word = s.identifier();
  if (word === '') s.fail(`expected a value but found ${s.describeHere()}`);
  switch (word) {
    case 'true': return true;
    case 'false': return false;
    case 'null': case 'nil': return null;
    case 'inf': case 'inf_neg': return word === 'inf' ? Infinity : -Infinity;
    case 'nan': return NaN;
  }
  // Typed containers: `Array[int]([1, 2])`, `Dictionary[String, int]({...})`. The element type is
  // not part of scenesync's model; Godot converts an untyped container on assignment.
  if (word === 'Array' || word === 'Dictionary') {
    if (s.accept('[')) skipBalanced(s, '[', ']');
    if (!s.accept('(')) return s.fail(`expected "(" after ${word}`);
    const inner = readVariant(s, hooks);
    s.expect(')');
    return inner;
  }
  s.skipSpace();
  if (s.peek() !== '(') s.fail(`unknown word ${JSON.stringify(word)}`);
  s.pos++;
  if (word in MATH_CONSTRUCTORS) {
    const nums = readNumberList(s);
    const name = word as MathTypeName;
    if (nums.length !== MATH_CONSTRUCTORS[name]) {
      // Godot also accepts older spellings (e.g. Transform2D of 3 Vector2); keep them raw.
      hooks.unknown(word, s.text.slice(start, s.pos));
      return rawValue(s.text.slice(start, s.pos));
    }
    return { type: name, value: nums };
  }
  switch (word) {
    case 'SubResource':
    case 'ExtResource': {
      s.skipSpace();
      const id = s.peek() === '"' ? s.string() : s.numberText();
      s.skipSpace();
      let resourceType: string | undefined;
      if (word === 'ExtResource' && s.peek() === ',') {
        s.pos++;
        s.skipSpace();
        resourceType = s.string();
        s.skipSpace();
      }
      s.expect(')');
      return word === 'SubResource' ? hooks.subResource(id) : hooks.extResource(id, resourceType);
    }
    case 'NodePath':
    case 'StringName': {
      const value = s.string();
      s.expect(')');
      return { type: word, value };
    }
    case 'PackedStringArray': {
      const items: string[] = [];
      if (!s.accept(')')) {
        do items.push(s.string());
        while (s.accept(','));
        s.expect(')');
      }
      return { type: 'PackedStringArray', value: items };
    }
    case 'PackedByteArray': {
      s.skipSpace();
      if (s.peek() === '"') {
        // Godot 4.3+ writes byte arrays as base64.
        const b64 = s.string();
        s.expect(')');
        return { type: 'PackedByteArray', value: new Uint8Array(Buffer.from(b64, 'base64')) };
      }
      return { type: 'PackedByteArray', value: Uint8Array.from(readNumberList(s)) };
    }
    case 'PackedInt32Array':
      return { type: 'PackedInt32Array', value: Int32Array.from(readNumberList(s)) };
    case 'PackedInt64Array':
      return { type: 'PackedInt64Array', value: BigInt64Array.from(readNumberTexts(s).map((t) => BigInt(t))) };
    case 'PackedFloat64Array':
      return { type: 'PackedFloat64Array', value: Float64Array.from(readNumberList(s)) };
    case 'PackedFloat32Array':
    case 'PackedVector2Array':
    case 'PackedVector3Array':
    case 'PackedVector4Array':
    case 'PackedColorArray':
      return { type: word, value: Float32Array.from(readNumberList(s)) } as GodotValue;
  }
  // Object(...), Callable(), Signal(), RID(...) and anything newer: keep the exact text.
  skipBalanced(s, '(', ')');
  const text = s.text.slice(start, s.pos);
  hooks.unknown(word, text);
  return rawValue(text);
}

function numberFromText(text: string, s: TscnScanner, at: number): number | bigint {
  if (text === '') s.fail('expected a number', at);
  // Godot writes floats with a `.` or an exponent (`1.0`, `1e-05`) and ints without.
  if (/[.eE]/.test(text)) return Number(text);
  return BigInt(text);
}

function readNumberTexts(s: TscnScanner): string[] {
  const out: string[] = [];
  if (s.accept(')')) return out;
  do {
    s.skipSpace();
    if (s.text.startsWith('-inf', s.pos)) { s.pos += 4; out.push('-Infinity'); continue; }
    if (s.text.startsWith('inf', s.pos)) { s.pos += 3; out.push('Infinity'); continue; }
    if (s.text.startsWith('nan', s.pos)) { s.pos += 3; out.push('NaN'); continue; }
    const t = s.numberText();
    if (t === '') s.fail(`expected a number but found ${s.describeHere()}`);
    out.push(t);
  } while (s.accept(','));
  s.expect(')');
  return out;
}

function readNumberList(s: TscnScanner): number[] {
  return readNumberTexts(s).map(Number);
}

function readArrayBody(s: TscnScanner, hooks: VariantReadHooks): GodotValue[] {
  s.expect('[');
  const items: GodotValue[] = [];
  if (s.accept(']')) return items;
  do {
    if (s.accept(']')) return items; // trailing comma
    items.push(readVariant(s, hooks));
  } while (s.accept(','));
  s.expect(']');
  return items;
}

function readDictionaryBody(s: TscnScanner, hooks: VariantReadHooks): GodotValue {
  s.expect('{');
  const entries: [GodotValue, GodotValue][] = [];
  if (!s.accept('}')) {
    do {
      if (s.accept('}')) return { type: 'Dictionary', entries };
      const key = readVariant(s, hooks);
      s.expect(':');
      entries.push([key, readVariant(s, hooks)]);
    } while (s.accept(','));
    s.expect('}');
  }
  return { type: 'Dictionary', entries };
}

/** Skips to the closer matching an opener that was already consumed, stepping over strings. */
function skipBalanced(s: TscnScanner, open: string, close: string): void {
  let depth = 1;
  const t = s.text;
  while (depth > 0) {
    if (s.pos >= t.length) s.fail(`missing "${close}"`);
    const c = t.charAt(s.pos);
    if (c === '"') {
      s.string();
      continue;
    }
    if (c === open) depth++;
    else if (c === close) depth--;
    s.pos++;
  }
}

// ---------------------------------------------------------------------------------------------
// Writing

/** Godot's text for a float64: shortest exact decimal; `.0` on whole numbers, as Godot writes them. */
export function formatFloat(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (n === Infinity) return 'inf';
  if (n === -Infinity) return '-inf';
  if (Object.is(n, -0)) return '-0.0';
  const t = String(n);
  return /[.e]/.test(t) ? t : `${t}.0`;
}

/** A component inside a constructor: Godot writes `Vector3(1, 0, 0)` without `.0`. */
function formatComponent(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (n === Infinity) return 'inf';
  if (n === -Infinity) return '-inf';
  if (Object.is(n, -0)) return '-0';
  return String(n);
}

/** Shortest decimal that reads back as the same float32 (packed float arrays are float32). */
function formatFloat32(n: number): string {
  if (!Number.isFinite(n) || Number.isInteger(n)) return formatComponent(n);
  for (let p = 1; p <= 9; p++) {
    const t = n.toPrecision(p);
    if (Math.fround(Number(t)) === n) return String(Number(t));
  }
  return String(n);
}

/** Godot-style string literal (only `"` and `\` are escaped; newlines stay literal as Godot writes them). */
export function formatString(str: string): string {
  return `"${str.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Writes one value in Godot's Variant text format. */
export function writeVariant(value: GodotValue, hooks: VariantWriteHooks): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean': return value ? 'true' : 'false';
    case 'number': return formatFloat(value);
    case 'bigint': return value.toString();
    case 'string': return formatString(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => writeVariant(v, hooks)).join(', ')}]`;
  const v = value as Exclude<GodotValue, null | boolean | number | bigint | string | GodotValue[]>;
  switch (v.type) {
    case 'StringName': return `&${formatString(v.value)}`;
    case 'NodePath': return `NodePath(${formatString(v.value)})`;
    case 'Resource': return `SubResource(${formatString(hooks.subResourceId(v.id))})`;
    case 'ExtResource': return hooks.extResourceText ? hooks.extResourceText(v.path, v.resourceType) : `ExtResource(${formatString(hooks.extResourceId(v.path, v.resourceType))})`;
    case 'Dictionary': {
      const raw = rawValueText(v);
      if (raw !== undefined) return raw;
      if (v.entries.length === 0) return '{}';
      return `{\n${v.entries.map(([k, x]) => `${writeVariant(k, hooks)}: ${writeVariant(x, hooks)}`).join(',\n')}\n}`;
    }
    case 'PackedStringArray':
      return `PackedStringArray(${(v.value as readonly string[]).map(formatString).join(', ')})`;
    case 'PackedByteArray':
      return `PackedByteArray(${Array.from(v.value as Uint8Array).join(', ')})`;
    case 'PackedInt32Array':
    case 'PackedInt64Array':
      return `${v.type}(${Array.from(v.value as ArrayLike<number | bigint>, (x) => x.toString()).join(', ')})`;
    case 'PackedFloat64Array':
      return `PackedFloat64Array(${Array.from(v.value as Float64Array, formatComponent).join(', ')})`;
  }
  if (FLOAT32_PACKED.has(v.type as PackedArrayTypeName)) {
    return `${v.type}(${Array.from(v.value as Float32Array, formatFloat32).join(', ')})`;
  }
  if (v.type in MATH_CONSTRUCTORS) {
    return `${v.type}(${(v.value as readonly number[]).map(formatComponent).join(', ')})`;
  }
  throw new TypeError(`not a Godot value: ${String((v as { type?: unknown }).type)}`);
}
