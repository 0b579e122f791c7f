import type { MeshArrays } from '../primitives/mesh-arrays.js';
import type { GodotValue } from '../scene-types.js';

/** One surface of an ArrayMesh as read from the document. */
export interface ArrayMeshSurface {
  readonly arrays: MeshArrays;
  /** The surface's own material reference (a `Resource`/`ExtResource` value), if any. */
  readonly material: GodotValue | undefined;
  readonly name: string | undefined;
}

/** What reading an ArrayMesh produced: usable surfaces and one problem line per surface skipped or repaired. */
export interface ArrayMeshRead {
  readonly surfaces: ArrayMeshSurface[];
  readonly problems: string[];
  /** Array slots present but not written (tangents, UV2, custom, bones, weights). */
  readonly unexpressed: string[];
}

// Mesh.ArrayType slots, in Godot's order (RenderingServer::ArrayType).
const ARRAY_VERTEX = 0;
const ARRAY_NORMAL = 1;
const ARRAY_COLOR = 3;
const ARRAY_TEX_UV = 4;
const ARRAY_INDEX = 12;
const SLOT_NAMES = ['vertex', 'normal', 'tangent', 'color', 'tex_uv', 'tex_uv2', 'custom0', 'custom1', 'custom2', 'custom3', 'bones', 'weights', 'index'];

/**
 * Reads an ArrayMesh's `_surfaces` property in the layout of docs/gltf-mapping.md G-MESH-3: an Array of
 * Dictionaries `{ arrays, primitive?, material?, name? }` where `arrays` is what Godot's
 * `Mesh.surface_get_arrays(i)` returns (13 slots, `Mesh.ARRAY_*` order). Data is written as is, except
 * that non-unit normals are renormalised and surfaces with out-of-range indices are skipped.
 */
export function readArrayMesh(surfacesValue: GodotValue | undefined, maxVertices: number): ArrayMeshRead {
  const surfaces: ArrayMeshSurface[] = [];
  const problems: string[] = [];
  const unexpressed = new Set<string>();
  if (surfacesValue === undefined || surfacesValue === null) return { surfaces, problems: ['has no _surfaces'], unexpressed: [] };
  if (!Array.isArray(surfacesValue)) return { surfaces, problems: ['_surfaces is not an Array'], unexpressed: [] };
  surfacesValue.forEach((s: GodotValue, si: number) => {
    const dict = toDict(s);
    if (!dict) {
      problems.push(`surface ${si} is not a Dictionary`);
      return;
    }
    if (dict.has('vertex_data')) {
      problems.push(`surface ${si} uses Godot's packed binary layout (vertex_data); store it as surface_get_arrays() arrays`);
      return;
    }
    const arrays = dict.get('arrays');
    if (!Array.isArray(arrays)) {
      problems.push(`surface ${si} has no 'arrays' Array`);
      return;
    }
    const positions = packed(arrays[ARRAY_VERTEX], 'PackedVector3Array');
    if (!positions || positions.length === 0 || positions.length % 3 !== 0) {
      problems.push(`surface ${si} has no vertices`);
      return;
    }
    const count = positions.length / 3;
    if (count > maxVertices) {
      problems.push(`surface ${si} has ${count} vertices (limit ${maxVertices})`);
      return;
    }
    for (let i = 0; i < positions.length; i++) {
      if (!Number.isFinite(positions[i]!)) {
        problems.push(`surface ${si} has a vertex that is not finite`);
        return;
      }
    }
    let normals: Float32Array | undefined = toF32(packed(arrays[ARRAY_NORMAL], 'PackedVector3Array'));
    if (normals && normals.length !== count * 3) {
      problems.push(`surface ${si}: normal count does not match the vertex count; normals dropped`);
      normals = undefined;
    }
    if (normals) {
      const fix = renormalize(normals);
      if (fix === 'zero') {
        problems.push(`surface ${si} has zero-length normals; normals dropped`);
        normals = undefined;
      } else if (fix === 'fixed') {
        problems.push(`surface ${si} had non-unit normals; renormalised`);
      }
    }
    let uvs = packed(arrays[ARRAY_TEX_UV], 'PackedVector2Array');
    if (uvs && uvs.length !== count * 2) {
      problems.push(`surface ${si}: UV count does not match the vertex count; UVs dropped`);
      uvs = undefined;
    }
    let colors = packed(arrays[ARRAY_COLOR], 'PackedColorArray');
    if (colors && colors.length !== count * 4) {
      problems.push(`surface ${si}: colour count does not match the vertex count; colours dropped`);
      colors = undefined;
    }
    let indices: Uint32Array | undefined;
    const rawIndex = arrays[ARRAY_INDEX];
    if (rawIndex !== undefined && rawIndex !== null) {
      const ix = packed(rawIndex, 'PackedInt32Array');
      if (!ix) {
        problems.push(`surface ${si}: index slot is not a PackedInt32Array`);
        return;
      }
      for (let i = 0; i < ix.length; i++) {
        const v = ix[i]!;
        if (v < 0 || v >= count) {
          problems.push(`surface ${si} has an index out of range (${v}); surface skipped`);
          return;
        }
      }
      indices = Uint32Array.from(ix);
    }
    for (let slot = 0; slot < arrays.length; slot++) {
      if (slot === ARRAY_VERTEX || slot === ARRAY_NORMAL || slot === ARRAY_COLOR || slot === ARRAY_TEX_UV || slot === ARRAY_INDEX) continue;
      if (arrays[slot] !== null && arrays[slot] !== undefined) unexpressed.add(SLOT_NAMES[slot] ?? `slot ${slot}`);
    }
    const primitiveValue = dict.get('primitive');
    const primitive = typeof primitiveValue === 'bigint' ? Number(primitiveValue) : typeof primitiveValue === 'number' ? primitiveValue : 3;
    if (!(primitive >= 0 && primitive <= 4 && Number.isInteger(primitive))) {
      problems.push(`surface ${si} has an unknown primitive type ${String(primitive)}`);
      return;
    }
    const triangleLike = primitive === 3 || primitive === 4;
    const elementCount = indices ? indices.length : count;
    if (elementCount === 0 || (primitive === 3 && elementCount % 3 !== 0) || (primitive === 4 && elementCount < 3) || (primitive === 1 && elementCount % 2 !== 0)) {
      problems.push(`surface ${si} has ${elementCount} elements, not a whole number of ${triangleLike ? 'triangles' : 'primitives'}`);
      return;
    }
    const name = dict.get('name');
    surfaces.push({
      arrays: {
        positions: Float32Array.from(positions),
        normals,
        uvs: uvs ? Float32Array.from(uvs) : undefined,
        colors: colors ? Float32Array.from(colors) : undefined,
        indices,
        primitive,
      },
      material: dict.get('material'),
      name: typeof name === 'string' ? name : undefined,
    });
  });
  return { surfaces, problems, unexpressed: [...unexpressed] };
}

function toDict(v: GodotValue): Map<string, GodotValue> | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || (v as { type?: unknown }).type !== 'Dictionary') return undefined;
  const out = new Map<string, GodotValue>();
  for (const [k, val] of (v as { entries: ReadonlyArray<readonly [GodotValue, GodotValue]> }).entries) {
    const key = typeof k === 'string' ? k : typeof k === 'object' && k !== null && (k as { type?: unknown }).type === 'StringName' ? String((k as { value: unknown }).value) : undefined;
    if (key !== undefined) out.set(key, val);
  }
  return out;
}

function packed(v: GodotValue | undefined, type: string): Float32Array | Float64Array | Int32Array | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const t = (v as { type?: unknown }).type;
  const value = (v as { value?: unknown }).value;
  if (t !== type) {
    // A PackedFloat32Array of vertices is accepted for vectors (same flat layout).
    if (!(type.startsWith('PackedVector') && t === 'PackedFloat32Array')) return undefined;
  }
  if (value instanceof Float32Array || value instanceof Float64Array || value instanceof Int32Array) return value;
  return undefined;
}

function toF32(a: Float32Array | Float64Array | Int32Array | undefined): Float32Array | undefined {
  return a ? Float32Array.from(a) : undefined;
}

function renormalize(n: Float32Array): 'ok' | 'fixed' | 'zero' {
  let fixed = false;
  for (let i = 0; i < n.length; i += 3) {
    const x = n[i]!, y = n[i + 1]!, z = n[i + 2]!;
    const l = Math.sqrt(x * x + y * y + z * z);
    if (!(l > 1e-6) || !Number.isFinite(l)) return 'zero';
    if (Math.abs(l - 1) > 5e-4) {
      n[i] = x / l;
      n[i + 1] = y / l;
      n[i + 2] = z / l;
      fixed = true;
    }
  }
  return fixed ? 'fixed' : 'ok';
}
