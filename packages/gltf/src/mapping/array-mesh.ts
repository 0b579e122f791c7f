import type { MeshArrays } from '../primitives/mesh-arrays.js';
import type { GodotValue } from '../scene-types.js';
import { decodePackedSurface } from './packed-surface.js';

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
  /**
   * Data present but not written (G-MESH-3): `custom0`…`custom3`, `bones`, `weights`, `blend_shapes`,
   * `lods`, `tangent` when it cannot be written (no normals, or points) and `tex_uv2` without `tex_uv`.
   */
  readonly unexpressed: string[];
}

// Mesh.ArrayType slots, in Godot's order (RenderingServer::ArrayType).
const ARRAY_VERTEX = 0;
const ARRAY_NORMAL = 1;
const ARRAY_TANGENT = 2;
const ARRAY_COLOR = 3;
const ARRAY_TEX_UV = 4;
const ARRAY_TEX_UV2 = 5;
const ARRAY_INDEX = 12;
const SLOT_NAMES = ['vertex', 'normal', 'tangent', 'color', 'tex_uv', 'tex_uv2', 'custom0', 'custom1', 'custom2', 'custom3', 'bones', 'weights', 'index'];
const READ_SLOTS = new Set([ARRAY_VERTEX, ARRAY_NORMAL, ARRAY_TANGENT, ARRAY_COLOR, ARRAY_TEX_UV, ARRAY_TEX_UV2, ARRAY_INDEX]);
/**
 * Largest per-component gap between a decoded tangent and Godot's stand-in that still counts as the
 * stand-in, divided by how far from singular the stand-in's cross product is (where it is nearly
 * singular, the 16-bit quantisation of the normal swings it a lot).
 */
const FILLER_TANGENT_EPS = 2e-3;
/** Below this cross-product length the stand-in is too unstable to compare: any tangent matches. */
const FILLER_SINGULAR = 0.02;

/** Surface data from either layout, before the checks every surface goes through. */
interface RawSurface {
  positions: ArrayLike<number>;
  normals?: Float32Array;
  tangents?: Float32Array;
  colors?: ArrayLike<number>;
  uvs?: ArrayLike<number>;
  uv2?: ArrayLike<number>;
  indices?: Uint32Array;
  primitive: number;
}

/**
 * Reads an ArrayMesh's `_surfaces` property (docs/gltf-mapping.md G-MESH-3, G-MESH-8): an Array of
 * Dictionaries, each either `{ arrays, primitive?, material?, name? }` where `arrays` is what Godot's
 * `Mesh.surface_get_arrays(i)` returns (13 slots, `Mesh.ARRAY_*` order), or Godot's packed binary
 * layout (`format`, `vertex_data`, `attribute_data`, `index_data`…, what Godot writes into .tscn/.tres
 * files). Data is written as is, except that non-unit normals and tangents are renormalised, tangent
 * signs become ±1, tangents Godot invented for a surface that had none are left out, and surfaces with
 * out-of-range indices or inconsistent sizes are skipped; every repair or skip is one problem line.
 * Never throws; never allocates more than `maxVertices` vertices per surface.
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
    let raw: RawSurface | string;
    if (dict.has('vertex_data')) {
      const decoded = decodePackedSurface(dict, maxVertices);
      if (!decoded.ok) raw = decoded.problem;
      else {
        raw = decoded.surface;
        for (const slot of decoded.surface.unexpressed) unexpressed.add(slot);
      }
    } else {
      raw = readArraysLayout(dict, maxVertices, problems, si, unexpressed);
    }
    if (typeof raw === 'string') {
      problems.push(`surface ${si} ${raw}`);
      return;
    }
    const arrays = finishSurface(raw, problems, si, unexpressed);
    if (!arrays) return;
    const name = dict.get('name');
    surfaces.push({ arrays, material: dict.get('material'), name: typeof name === 'string' ? name : undefined });
  });
  return { surfaces, problems, unexpressed: [...unexpressed] };
}

/** The `surface_get_arrays()` layout; returns the problem sentence when the surface cannot be used. */
function readArraysLayout(dict: Map<string, GodotValue>, maxVertices: number, problems: string[], si: number, unexpressed: Set<string>): RawSurface | string {
  const arrays = dict.get('arrays');
  if (!Array.isArray(arrays)) return "has no 'arrays' Array";
  const positions = vertexArray(arrays[ARRAY_VERTEX]);
  if (!positions || positions.length === 0) return 'has no vertices';
  const count = positions.length / 3;
  if (count > maxVertices) return `has ${count} vertices (limit ${maxVertices})`;
  let normals = toF32(packed(arrays[ARRAY_NORMAL], 'PackedVector3Array'));
  if (normals && normals.length !== count * 3) {
    problems.push(`surface ${si}: normal count does not match the vertex count; normals dropped`);
    normals = undefined;
  }
  let tangents = toF32(packed(arrays[ARRAY_TANGENT], 'PackedFloat32Array') ?? packed(arrays[ARRAY_TANGENT], 'PackedFloat64Array'));
  if (tangents && tangents.length !== count * 4) {
    problems.push(`surface ${si}: tangent count (4 floats per vertex) does not match the vertex count; tangents dropped`);
    tangents = undefined;
  }
  let uvs = packed(arrays[ARRAY_TEX_UV], 'PackedVector2Array');
  if (uvs && uvs.length !== count * 2) {
    problems.push(`surface ${si}: UV count does not match the vertex count; UVs dropped`);
    uvs = undefined;
  }
  let uv2 = packed(arrays[ARRAY_TEX_UV2], 'PackedVector2Array');
  if (uv2 && uv2.length !== count * 2) {
    problems.push(`surface ${si}: UV2 count does not match the vertex count; UV2 dropped`);
    uv2 = undefined;
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
    if (!ix) return 'index slot is not a PackedInt32Array';
    for (let i = 0; i < ix.length; i++) {
      const v = ix[i]!;
      if (v < 0 || v >= count) return `has an index out of range (${v}); surface skipped`;
    }
    indices = Uint32Array.from(ix);
  }
  for (let slot = 0; slot < arrays.length; slot++) {
    if (READ_SLOTS.has(slot)) continue;
    if (arrays[slot] !== null && arrays[slot] !== undefined) unexpressed.add(SLOT_NAMES[slot] ?? `slot ${slot}`);
  }
  const primitiveValue = dict.get('primitive');
  const primitive = typeof primitiveValue === 'bigint' ? Number(primitiveValue) : typeof primitiveValue === 'number' ? primitiveValue : 3;
  if (!(primitive >= 0 && primitive <= 4 && Number.isInteger(primitive))) return `has an unknown primitive type ${String(primitive)}`;
  return { positions, normals, tangents, colors, uvs, uv2, indices, primitive };
}

/** The checks and repairs every surface gets, whatever its layout (G-MESH-4). */
function finishSurface(raw: RawSurface, problems: string[], si: number, unexpressed: Set<string>): MeshArrays | undefined {
  const count = raw.positions.length / 3;
  for (let i = 0; i < raw.positions.length; i++) {
    if (!Number.isFinite(raw.positions[i]!)) {
      problems.push(`surface ${si} has a vertex that is not finite`);
      return undefined;
    }
  }
  const { primitive, indices } = raw;
  const elementCount = indices ? indices.length : count;
  if (elementCount === 0 || (primitive === 3 && elementCount % 3 !== 0) || (primitive === 4 && elementCount < 3) || (primitive === 1 && elementCount % 2 !== 0)) {
    problems.push(`surface ${si} has ${elementCount} elements, not a whole number of ${primitive === 3 || primitive === 4 ? 'triangles' : 'primitives'}`);
    return undefined;
  }
  let normals = raw.normals;
  if (normals) {
    const fix = renormalize(normals);
    if (fix === 'zero') {
      problems.push(`surface ${si} has zero-length normals; normals dropped`);
      normals = undefined;
    } else if (fix === 'fixed') {
      problems.push(`surface ${si} had non-unit normals; renormalised`);
    }
  }
  let tangents = raw.tangents;
  if (tangents && normals && isGodotFillerTangents(tangents, normals)) tangents = undefined;
  if (tangents && (!normals || primitive === 0)) {
    // glTF allows TANGENT only beside NORMAL, and the validator flags it on points.
    unexpressed.add('tangent');
    tangents = undefined;
  }
  if (tangents) {
    const fix = normalizeTangents(tangents);
    if (fix === 'zero') {
      problems.push(`surface ${si} has zero-length or non-finite tangents; tangents dropped`);
      tangents = undefined;
    } else if (fix === 'fixed') {
      problems.push(`surface ${si} had non-unit tangents or signs other than ±1; renormalised`);
    }
  }
  const uvs = finiteOrDrop(raw.uvs, 'UVs', problems, si);
  let uv2 = finiteOrDrop(raw.uv2, 'UV2', problems, si);
  if (uv2 && !uvs) {
    // glTF numbers TEXCOORD_n from 0 without gaps: a lone second UV set has no valid place.
    unexpressed.add('tex_uv2');
    uv2 = undefined;
  }
  return {
    positions: Float32Array.from(raw.positions),
    normals,
    tangents,
    uvs,
    uv2,
    colors: finiteOrDrop(raw.colors, 'colours', problems, si),
    indices,
    primitive,
  };
}

function finiteOrDrop(a: ArrayLike<number> | undefined, what: string, problems: string[], si: number): Float32Array | undefined {
  if (!a) return undefined;
  const out = a instanceof Float32Array ? a : Float32Array.from(a);
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i]!)) {
      problems.push(`surface ${si} has ${what} that are not finite; ${what} dropped`);
      return undefined;
    }
  }
  return out;
}

/**
 * True when every tangent is the stand-in Godot stores for a surface given normals but no tangents
 * (`rendering_server.cpp`: normalize(cross((n.z, −n.x, n.y), n)), sign +1): it carries no information,
 * and glTF readers compute proper MikkTSpace tangents when TANGENT is absent.
 */
export function isGodotFillerTangents(tangents: Float32Array, normals: Float32Array): boolean {
  const count = normals.length / 3;
  if (tangents.length !== count * 4) return false;
  for (let i = 0; i < count; i++) {
    const nx = normals[i * 3]!, ny = normals[i * 3 + 1]!, nz = normals[i * 3 + 2]!;
    // cross((nz, -nx, ny), n)
    let tx = -nx * nz - ny * ny;
    let ty = ny * nx - nz * nz;
    let tz = nz * ny + nx * nx;
    const l = Math.sqrt(tx * tx + ty * ty + tz * tz);
    if (tangents[i * 4 + 3]! < 0) return false;
    if (!(l > FILLER_SINGULAR)) continue;
    tx /= l;
    ty /= l;
    tz /= l;
    const eps = FILLER_TANGENT_EPS / l;
    if (Math.abs(tangents[i * 4]! - tx) > eps || Math.abs(tangents[i * 4 + 1]! - ty) > eps || Math.abs(tangents[i * 4 + 2]! - tz) > eps) return false;
  }
  return true;
}

function toDict(v: GodotValue): Map<string, GodotValue> | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || (v as { type?: unknown }).type !== 'Dictionary') return undefined;
  const entries = (v as { entries?: unknown }).entries;
  if (!Array.isArray(entries)) return undefined;
  const out = new Map<string, GodotValue>();
  for (const entry of entries as ReadonlyArray<readonly [GodotValue, GodotValue]>) {
    if (!Array.isArray(entry)) continue;
    const [k, val] = entry;
    const key = typeof k === 'string' ? k : typeof k === 'object' && k !== null && (k as { type?: unknown }).type === 'StringName' ? String((k as { value: unknown }).value) : undefined;
    if (key !== undefined) out.set(key, val);
  }
  return out;
}

/** Vertex slot: PackedVector3Array (or a flat PackedFloat32Array), or PackedVector2Array with z = 0. */
function vertexArray(v: GodotValue | undefined): ArrayLike<number> | undefined {
  const v3 = packed(v, 'PackedVector3Array');
  if (v3) return v3.length % 3 === 0 ? v3 : undefined;
  const v2 = packed(v, 'PackedVector2Array');
  if (!v2 || v2.length % 2 !== 0) return undefined;
  const out = new Float32Array((v2.length / 2) * 3);
  for (let i = 0; i < v2.length / 2; i++) {
    out[i * 3] = v2[i * 2]!;
    out[i * 3 + 1] = v2[i * 2 + 1]!;
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

/** Unit xyz and w = ±1 (Godot's rule: w ≥ 0 is +1), as glTF requires of TANGENT. */
function normalizeTangents(t: Float32Array): 'ok' | 'fixed' | 'zero' {
  let fixed = false;
  for (let i = 0; i < t.length; i += 4) {
    const x = t[i]!, y = t[i + 1]!, z = t[i + 2]!, w = t[i + 3]!;
    const l = Math.sqrt(x * x + y * y + z * z);
    if (!(l > 1e-6) || !Number.isFinite(l) || Number.isNaN(w)) return 'zero';
    if (Math.abs(l - 1) > 5e-4) {
      t[i] = x / l;
      t[i + 1] = y / l;
      t[i + 2] = z / l;
      fixed = true;
    }
    if (w !== 1 && w !== -1) {
      t[i + 3] = w >= 0 ? 1 : -1;
      fixed = true;
    }
  }
  return fixed ? 'fixed' : 'ok';
}
