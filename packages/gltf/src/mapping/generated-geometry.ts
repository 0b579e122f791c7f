import type { Geometry } from './geometry.js';

/**
 * Geometry generated from parameters alone (Godot primitive meshes, CSG shapes), shared by every
 * export made in this thread, whatever document it comes from (G-MESH-10): the first export of a
 * document reuses the spheres and tori earlier exports generated. Least recently used entries go first,
 * within a count and a byte budget, so a document full of distinct huge shapes cannot hold memory.
 */
const MAX_ENTRIES = 128;
const MAX_BYTES = 64 * 1024 * 1024;
/** Keys come from property values; a key this long is not worth keeping. */
const MAX_KEY_LENGTH = 4096;

const entries = new Map<string, { readonly geometry: Geometry; readonly bytes: number }>();
let totalBytes = 0;

/** The geometry generated for `key`, made by `make` when not kept. `make` must depend on nothing but `key`. */
export function generatedGeometry(key: string, make: () => Geometry): Geometry {
  if (key.length > MAX_KEY_LENGTH) return make();
  const known = entries.get(key);
  if (known) {
    entries.delete(key); // re-inserted: most recently used last
    entries.set(key, known);
    return known.geometry;
  }
  const geometry = make();
  const bytes = sizeOf(geometry);
  if (bytes > MAX_BYTES / 4) return geometry;
  entries.set(key, { geometry, bytes });
  totalBytes += bytes;
  for (const [oldest, entry] of entries) {
    if (entries.size <= MAX_ENTRIES && totalBytes <= MAX_BYTES) break;
    entries.delete(oldest);
    totalBytes -= entry.bytes;
  }
  return geometry;
}

/** How much is kept (diagnostics and tests). */
export function keptGeneratedGeometry(): { readonly entries: number; readonly bytes: number } {
  return { entries: entries.size, bytes: totalBytes };
}

/** A stable text key for property values (bigint-safe). */
export function valuesKey(values: unknown): string {
  return JSON.stringify(values, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x));
}

function sizeOf(g: Geometry): number {
  let bytes = 0;
  for (const s of g.surfaces ?? []) {
    for (const [, , array] of s.attributes) bytes += array.byteLength;
    bytes += s.indices?.byteLength ?? 0;
  }
  return bytes;
}
