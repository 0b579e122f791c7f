import type { GodotValue, Props } from '../scene-types.js';

/**
 * Reads typed Godot properties with defaults and remembers which keys were read, so that what is left
 * afterwards is exactly what the export did not express (G-PROP-1).
 *
 * Values follow docs/scene-model.md §Values: `number` is a Godot float, `bigint` a Godot int; both are
 * accepted wherever Godot would convert one into the other. A value of the wrong type counts as absent
 * (the default is used) and is reported by the caller through {@link PropReader.invalid}.
 */
export class PropReader {
  // Few keys are read per node: an array beats a Set here (this runs once per node of large scenes).
  private readonly used: string[] = [];
  /** Keys whose value had the wrong type. */
  readonly invalid: string[] = [];

  constructor(public props: Props) {}

  /** Starts over on another property set (one reader serves every node of an export). */
  reset(props: Props): this {
    this.props = props;
    this.used.length = 0;
    this.invalid.length = 0;
    return this;
  }

  has(key: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.props, key);
  }

  /** Marks a key as expressed without reading it. */
  use(key: string): void {
    this.used.push(key);
  }

  /** The raw value (or undefined), marked as used. */
  raw(key: string): GodotValue | undefined {
    this.used.push(key);
    // Document values are never `undefined` (docs/scene-model.md R-VAL-3), so a plain read tells
    // absence apart; own-property check only for inherited names such as `constructor`.
    const v = this.props[key];
    return v === undefined || !Object.prototype.hasOwnProperty.call(this.props, key) ? undefined : v;
  }

  number(key: string, fallback: number): number {
    const v = this.raw(key);
    if (v === undefined) return fallback;
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    if (typeof v === 'bigint') return Number(v);
    this.invalid.push(key);
    return fallback;
  }

  /** An integer property (Godot int; a whole float is accepted), clamped to [min, max]. */
  int(key: string, fallback: number, min = -Infinity, max = Infinity): number {
    const n = Math.trunc(this.number(key, fallback));
    return n < min ? min : n > max ? max : n;
  }

  bool(key: string, fallback: boolean): boolean {
    const v = this.raw(key);
    if (v === undefined) return fallback;
    if (typeof v === 'boolean') return v;
    this.invalid.push(key);
    return fallback;
  }

  /** Components of a math value of one of `types` with `size` components. */
  math(key: string, types: readonly string[], size: number, fallback: number[]): number[] {
    const v = this.raw(key);
    if (v === undefined) return fallback;
    if (
      v !== null &&
      typeof v === 'object' &&
      'type' in v &&
      types.includes(v.type) &&
      'value' in v &&
      Array.isArray(v.value) &&
      v.value.length === size &&
      v.value.every((c: unknown) => typeof c === 'number' && Number.isFinite(c))
    ) {
      return v.value as number[];
    }
    this.invalid.push(key);
    return fallback;
  }

  vec3(key: string, fallback: [number, number, number]): [number, number, number] {
    return this.math(key, ['Vector3', 'Vector3i'], 3, fallback) as [number, number, number];
  }

  vec2(key: string, fallback: [number, number]): [number, number] {
    return this.math(key, ['Vector2', 'Vector2i'], 2, fallback) as [number, number];
  }

  color(key: string, fallback: [number, number, number, number]): [number, number, number, number] {
    return this.math(key, ['Color'], 4, fallback) as [number, number, number, number];
  }

  /** Keys present but never read. */
  unused(): readonly string[] {
    let out: string[] | undefined;
    for (const k in this.props) if (Object.prototype.hasOwnProperty.call(this.props, k) && !this.used.includes(k)) (out ??= []).push(k);
    return out ?? NONE;
  }
}

const NONE: readonly string[] = [];

/** Properties that carry no visual meaning and are never reported as unexpressed. */
export function isIgnorableProperty(key: string): boolean {
  return (
    key === 'resource_name' ||
    key === 'resource_local_to_scene' ||
    key === 'resource_path' ||
    key === 'unique_name_in_owner' ||
    key === 'owner' ||
    key === 'editor_description' ||
    key === 'custom_aabb' ||
    key.startsWith('metadata/_edit') ||
    // Godot property names never contain ':'; such keys are scenesync bookkeeping (e.g. the .tscn
    // importer's `tscn:unique_id`), not scene content.
    key.includes(':')
  );
}
