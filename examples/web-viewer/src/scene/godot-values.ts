/**
 * Conversions between Godot values (as `@scenesync/core` carries them) and three.js math objects.
 * Godot and three.js agree on axes (+Y up, -Z forward, metres), so no axis swap happens here.
 */
import { Color, Matrix4, Quaternion, Vector3 } from 'three';
import type { GodotValue } from '@scenesync/core';

/** A Godot math value of a given type, or undefined when `value` is anything else. */
export function mathComponents(value: GodotValue | undefined, type: string, size: number): readonly number[] | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const v = value as { type?: unknown; value?: unknown };
  if (v.type !== type || !Array.isArray(v.value) || v.value.length !== size) return undefined;
  return v.value as readonly number[];
}

/**
 * A Transform3D's twelve numbers (the basis rows as .tscn writes them, then the origin) as a
 * three.js Matrix4. `Matrix4.set` takes row-major arguments, which is exactly the .tscn order.
 */
export function transform3dToMatrix4(v: readonly number[], out = new Matrix4()): Matrix4 {
  return out.set(
    v[0]!, v[1]!, v[2]!, v[9]!,
    v[3]!, v[4]!, v[5]!, v[10]!,
    v[6]!, v[7]!, v[8]!, v[11]!,
    0, 0, 0, 1,
  );
}

/** The inverse of {@link transform3dToMatrix4}: a Matrix4 as Transform3D's twelve numbers. */
export function matrix4ToTransform3d(m: Matrix4): number[] {
  // three stores column-major: e[col * 4 + row].
  const e = m.elements;
  return [e[0]!, e[4]!, e[8]!, e[1]!, e[5]!, e[9]!, e[2]!, e[6]!, e[10]!, e[12]!, e[13]!, e[14]!].map(clean);
}

/** Twelve numbers from a position, rotation and scale (what the gizmo edits). */
export function composeTransform3d(position: Vector3, quaternion: Quaternion, scale: Vector3): number[] {
  return matrix4ToTransform3d(new Matrix4().compose(position, quaternion, scale));
}

/** Rounds float noise (1e-16) to zero so documents and .tscn files stay readable. */
function clean(n: number): number {
  return Math.abs(n) < 1e-12 ? 0 : n;
}

/** A number property, or the fallback when missing or not a number (ints arrive as bigint). */
export function numberProp(value: GodotValue | undefined, fallback: number): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'bigint') return Number(value);
  return fallback;
}

/** A boolean property, or the fallback. */
export function boolProp(value: GodotValue | undefined, fallback: boolean): boolean {
  return typeof value === 'boolean' ? value : fallback;
}

/** A Vector3 property as three numbers, or the fallback. */
export function vector3Prop(value: GodotValue | undefined, fallback: readonly [number, number, number]): [number, number, number] {
  const c = mathComponents(value, 'Vector3', 3);
  return c ? [c[0]!, c[1]!, c[2]!] : [...fallback];
}

/** A Vector2 property as two numbers, or the fallback. */
export function vector2Prop(value: GodotValue | undefined, fallback: readonly [number, number]): [number, number] {
  const c = mathComponents(value, 'Vector2', 2);
  return c ? [c[0]!, c[1]!] : [...fallback];
}

/**
 * A Godot Color (sRGB-encoded, as Godot's inspector and .tscn hold it) as a three.js Color in
 * three's linear working space; alpha is returned beside it.
 */
export function colorProp(value: GodotValue | undefined, fallback: readonly [number, number, number, number]): { color: Color; alpha: number } {
  const c = mathComponents(value, 'Color', 4) ?? fallback;
  // setRGB with SRGBColorSpace converts from sRGB to three's linear working colour space.
  return { color: new Color().setRGB(c[0]!, c[1]!, c[2]!, 'srgb'), alpha: c[3]! };
}

/** The id a `{ type: 'Resource', id }` value points at, or undefined for anything else. */
export function resourceIdOf(value: GodotValue | undefined): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const v = value as { type?: unknown; id?: unknown };
  return v.type === 'Resource' && typeof v.id === 'string' ? v.id : undefined;
}
