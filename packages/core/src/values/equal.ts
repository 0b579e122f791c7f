import type { GodotValue } from './types.js';

/**
 * Exact equality of two Godot values: NaN equals NaN, `0` and `-0` differ, typed arrays compare byte
 * for byte, `int` never equals `float`.
 */
export function valuesEqual(a: GodotValue | undefined, b: GodotValue | undefined): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => valuesEqual(item, b[i]));
  }
  if (a.type !== b.type) return false;
  if (a.type === 'Dictionary' && b.type === 'Dictionary') {
    return (
      a.entries.length === b.entries.length &&
      a.entries.every(([k, v], i) => valuesEqual(k, b.entries[i]![0]) && valuesEqual(v, b.entries[i]![1]))
    );
  }
  if (a.type === 'Resource' && b.type === 'Resource') return a.id === b.id;
  if (a.type === 'ExtResource' && b.type === 'ExtResource') return a.path === b.path && a.resourceType === b.resourceType;
  const av = (a as { value: unknown }).value;
  const bv = (b as { value: unknown }).value;
  if (typeof av === 'string') return av === bv;
  if (ArrayBuffer.isView(av) && ArrayBuffer.isView(bv)) {
    if (av.byteLength !== bv.byteLength) return false;
    const x = new Uint8Array(av.buffer, av.byteOffset, av.byteLength);
    const y = new Uint8Array(bv.buffer, bv.byteOffset, bv.byteLength);
    return x.every((byte, i) => byte === y[i]);
  }
  if (Array.isArray(av) && Array.isArray(bv)) {
    return av.length === bv.length && av.every((c, i) => Object.is(c, bv[i]));
  }
  return false;
}
