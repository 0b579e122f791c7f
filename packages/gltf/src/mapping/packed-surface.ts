import { axisAngleDecode, octahedronDecode, octahedronTangentDecode } from '../math/octahedron.js';
import type { GodotValue } from '../scene-types.js';

/**
 * Arrays decoded from one surface in Godot 4's packed binary layout (docs/gltf-mapping.md G-MESH-8):
 * the same values `Mesh.surface_get_arrays()` returns for it, flat, before any repair or filtering.
 */
export interface DecodedSurface {
  positions: Float32Array;
  normals?: Float32Array;
  /** x, y, z, binormal sign per vertex. */
  tangents?: Float32Array;
  colors?: Float32Array;
  uvs?: Float32Array;
  uv2?: Float32Array;
  /** Godot winding; every index is already checked to be below the vertex count. */
  indices?: Uint32Array;
  primitive: number;
  /** Data the surface holds that is not decoded: `custom0`…`custom3`, `bones`, `weights`, `blend_shapes`, `lods`. */
  unexpressed: string[];
}

/** Either the decoded surface or one sentence saying why it cannot be read. */
export type PackedSurfaceResult = { ok: true; surface: DecodedSurface } | { ok: false; problem: string };

// RenderingServer::ArrayFormat bits (servers/rendering_server.h).
const FORMAT_VERTEX = 1n << 0n;
const FORMAT_NORMAL = 1n << 1n;
const FORMAT_TANGENT = 1n << 2n;
const FORMAT_COLOR = 1n << 3n;
const FORMAT_TEX_UV = 1n << 4n;
const FORMAT_TEX_UV2 = 1n << 5n;
const FORMAT_CUSTOM0 = 6n;
const FORMAT_BONES = 1n << 10n;
const FORMAT_WEIGHTS = 1n << 11n;
const FORMAT_INDEX = 1n << 12n;
const CUSTOM_FORMAT_SHIFT = 13n; // three bits per custom slot
const FLAG_USE_2D_VERTICES = 1n << 25n;
const FLAG_USE_8_BONE_WEIGHTS = 1n << 27n;
const FLAG_COMPRESS_ATTRIBUTES = 1n << 29n;
const FORMAT_VERSION_SHIFT = 35n;
const FORMAT_VERSION_MASK = 0xffn;
/** Version field 0: Godot 4.0/4.1 (position, normal, tangent interleaved per vertex). */
const VERSION_1 = 0n;
/** Version field 1: Godot 4.2+ (all positions first, then the normal/tangent stream). */
const VERSION_2 = 1n;
/** Bytes per vertex of each `Mesh.ArrayCustomFormat` (RGBA8 unorm/snorm, RG half, RGBA half, R/RG/RGB/RGBA float). */
const CUSTOM_SIZES = [4, 4, 4, 8, 4, 8, 12, 16];
/** Godot's CMP_EPSILON, used by `Vector4::is_zero_approx` on uv_scale. */
const CMP_EPSILON = 0.00001;

const f = Math.fround;

/**
 * Decodes one `_surfaces` Dictionary in Godot's packed layout (`format`, `primitive`, `vertex_data`,
 * `vertex_count`, `attribute_data`, `skin_data`, `index_data`, `index_count`, `aabb`, `uv_scale`,
 * `lods`, `blend_shapes`…) into plain arrays, following `RenderingServer::_get_array_from_surface`
 * and, for surfaces saved by Godot 4.0/4.1 (format version 1), `fix_surface_compatibility`.
 * Every size is checked against the format before anything is allocated; nothing throws.
 */
export function decodePackedSurface(dict: ReadonlyMap<string, GodotValue>, maxVertices: number): PackedSurfaceResult {
  const fail = (problem: string): PackedSurfaceResult => ({ ok: false, problem });
  const format = toBigInt(dict.get('format'));
  if (format === undefined || format < 0n || format >= 1n << 64n) return fail('has no valid packed format');
  const version = (format >> FORMAT_VERSION_SHIFT) & FORMAT_VERSION_MASK;
  if (version !== VERSION_1 && version !== VERSION_2) return fail(`uses mesh format version ${version + 1n}, newer than this reader knows (2)`);
  const has = (bit: bigint): boolean => (format & bit) !== 0n;
  const compressed = has(FLAG_COMPRESS_ATTRIBUTES);
  const is2d = has(FLAG_USE_2D_VERTICES);
  if (version === VERSION_1 && compressed) return fail('is a version 1 (Godot 4.0/4.1) surface with the compression flag, which that version did not have');

  const primitive = toInt(dict.get('primitive'));
  if (primitive === undefined || primitive < 0 || primitive > 4) return fail(`has an unknown primitive type ${String(dict.get('primitive'))}`);
  const count = toInt(dict.get('vertex_count'));
  if (count === undefined || count <= 0) return fail('has no vertices');
  if (count > maxVertices) return fail(`has ${count} vertices (limit ${maxVertices})`);
  if (!has(FORMAT_VERTEX)) return fail('has no vertex array');

  const hasNormal = has(FORMAT_NORMAL);
  const hasTangent = has(FORMAT_TANGENT);
  if (compressed && hasTangent && !hasNormal) return fail('is compressed with tangents but no normals, which Godot cannot store');
  if (compressed && is2d && hasNormal) return fail('is compressed with 2D vertices and normals, which Godot cannot store');

  // Vertex stream: positions, then normal (4 bytes) and tangent (4 bytes; none when compressed).
  const posSize = is2d ? 8 : compressed ? 8 : 12;
  const normalSize = hasNormal ? 4 : 0;
  const tangentSize = hasTangent && !compressed ? 4 : 0;
  const ntStride = normalSize + tangentSize;

  // Attribute stream: color, tex_uv, tex_uv2, custom0..3, interleaved per vertex.
  const uvSize = compressed ? 4 : 8;
  let attribStride = 0;
  const colorAt = attribStride;
  if (has(FORMAT_COLOR)) attribStride += 4;
  const uvAt = attribStride;
  if (has(FORMAT_TEX_UV)) attribStride += uvSize;
  const uv2At = attribStride;
  if (has(FORMAT_TEX_UV2)) attribStride += uvSize;
  const unexpressed: string[] = [];
  for (let c = 0n; c < 4n; c++) {
    if (!has(1n << (FORMAT_CUSTOM0 + c))) continue;
    const type = Number((format >> (CUSTOM_FORMAT_SHIFT + 3n * c)) & 7n);
    attribStride += CUSTOM_SIZES[type]!;
    unexpressed.push(`custom${c}`);
  }
  const boneValues = has(FLAG_USE_8_BONE_WEIGHTS) ? 8 : 4;
  let skinStride = 0;
  if (has(FORMAT_BONES)) {
    skinStride += 2 * boneValues;
    unexpressed.push('bones');
  }
  if (has(FORMAT_WEIGHTS)) {
    skinStride += 2 * boneValues;
    unexpressed.push('weights');
  }

  const vertexData = bytes(dict.get('vertex_data'));
  if (!vertexData) return fail('has no vertex_data PackedByteArray');
  const expectedVertexBytes = (posSize + ntStride) * count;
  if (vertexData.length !== expectedVertexBytes) {
    return fail(`vertex_data holds ${vertexData.length} bytes; format and vertex_count (${count}) need ${expectedVertexBytes}`);
  }
  const attribData = bytes(dict.get('attribute_data')) ?? new Uint8Array(0);
  if (attribData.length !== attribStride * count) {
    return fail(`attribute_data holds ${attribData.length} bytes; format and vertex_count (${count}) need ${attribStride * count}`);
  }
  const skinData = bytes(dict.get('skin_data')) ?? new Uint8Array(0);
  if (skinData.length !== skinStride * count) {
    return fail(`skin_data holds ${skinData.length} bytes; format and vertex_count (${count}) need ${skinStride * count}`);
  }

  // Index stream: 16-bit while the vertex count fits (Godot's test is count <= 65536), else 32-bit.
  let indices: Uint32Array | undefined;
  const indexData = bytes(dict.get('index_data'));
  if (has(FORMAT_INDEX)) {
    const indexCount = toInt(dict.get('index_count'));
    if (!indexData || indexCount === undefined || indexCount <= 0) return fail('has the index flag but no index_data/index_count');
    const indexSize = count <= 65536 ? 2 : 4;
    if (indexData.length !== indexCount * indexSize) {
      return fail(`index_data holds ${indexData.length} bytes; index_count ${indexCount} of ${indexSize}-byte indices needs ${indexCount * indexSize}`);
    }
    const view = viewOf(indexData);
    indices = new Uint32Array(indexCount);
    for (let i = 0; i < indexCount; i++) {
      const v = indexSize === 2 ? view.getUint16(i * 2, true) : view.getUint32(i * 4, true);
      if (v >= count) return fail(`has an index out of range (${v} of ${count} vertices)`);
      indices[i] = v;
    }
  } else if (indexData && indexData.length > 0) {
    return fail('has index_data but its format has no index flag');
  }

  let aabb: number[] | undefined;
  if (compressed && !is2d) {
    aabb = mathValue(dict.get('aabb'), 'AABB', 6);
    if (!aabb) return fail('is compressed but has no finite aabb to scale its positions');
  }
  const uvScale = mathValue(dict.get('uv_scale'), 'Vector4', 4) ?? [0, 0, 0, 0];
  const uvScaled = uvScale.some((x) => Math.abs(x) >= CMP_EPSILON);

  const vertex = viewOf(vertexData);
  const positions = new Float32Array(count * 3);
  const normals = hasNormal ? new Float32Array(count * 3) : undefined;
  const tangents = hasTangent || (compressed && hasNormal) ? new Float32Array(count * 4) : undefined;
  // Version 1 interleaves position, normal and tangent per vertex; version 2 stores all positions first.
  const v1 = version === VERSION_1;
  const v1Stride = posSize + ntStride;
  const posOffset = (i: number) => (v1 ? i * v1Stride : i * posSize);
  const ntOffset = (i: number) => (v1 ? i * v1Stride + posSize : posSize * count + i * ntStride);

  for (let i = 0; i < count; i++) {
    const p = posOffset(i);
    if (is2d) {
      positions[i * 3] = vertex.getFloat32(p, true);
      positions[i * 3 + 1] = vertex.getFloat32(p + 4, true);
    } else if (compressed) {
      for (let k = 0; k < 3; k++) {
        const unorm = f(vertex.getUint16(p + k * 2, true) / 65535);
        positions[i * 3 + k] = f(f(unorm * f(aabb![3 + k]!)) + f(aabb![k]!));
      }
    } else {
      positions[i * 3] = vertex.getFloat32(p, true);
      positions[i * 3 + 1] = vertex.getFloat32(p + 4, true);
      positions[i * 3 + 2] = vertex.getFloat32(p + 8, true);
    }
    if (!normals) continue;
    const n = ntOffset(i);
    const nu = f(vertex.getUint16(n, true) / 65535);
    const nv = f(vertex.getUint16(n + 2, true) / 65535);
    if (compressed) {
      octahedronDecode(nu, nv, normals, i * 3);
      const angle = f(vertex.getUint16(p + 6, true) / 65535);
      axisAngleDecode(normals[i * 3]!, normals[i * 3 + 1]!, normals[i * 3 + 2]!, angle, normals, i * 3, tangents!, i * 4);
    } else {
      octahedronDecode(nu, nv, normals, i * 3);
    }
  }
  if (hasTangent && !compressed) {
    for (let i = 0; i < count; i++) {
      const t = ntOffset(i) + normalSize;
      octahedronTangentDecode(f(vertex.getUint16(t, true) / 65535), f(vertex.getUint16(t + 2, true) / 65535), tangents!, i * 4);
    }
  }

  const attrib = viewOf(attribData);
  let colors: Float32Array | undefined;
  if (has(FORMAT_COLOR)) {
    colors = new Float32Array(count * 4);
    for (let i = 0; i < count; i++) for (let k = 0; k < 4; k++) colors[i * 4 + k] = f(attrib.getUint8(i * attribStride + colorAt + k) / 255);
  }
  const readUv = (at: number, sx: number, sy: number): Float32Array => {
    const out = new Float32Array(count * 2);
    for (let i = 0; i < count; i++) {
      const o = i * attribStride + at;
      if (compressed) {
        let u = f(attrib.getUint16(o, true) / 65535);
        let v = f(attrib.getUint16(o + 2, true) / 65535);
        // uv_scale: stored as (uv / scale + 0.5); all-zero scale means the UVs were already in [0, 1].
        if (uvScaled) {
          u = f(f(u - 0.5) * f(sx));
          v = f(f(v - 0.5) * f(sy));
        }
        out[i * 2] = u;
        out[i * 2 + 1] = v;
      } else {
        out[i * 2] = attrib.getFloat32(o, true);
        out[i * 2 + 1] = attrib.getFloat32(o + 4, true);
      }
    }
    return out;
  };
  const uvs = has(FORMAT_TEX_UV) ? readUv(uvAt, uvScale[0]!, uvScale[1]!) : undefined;
  const uv2 = has(FORMAT_TEX_UV2) ? readUv(uv2At, uvScale[2]!, uvScale[3]!) : undefined;

  const blendShapes = dict.get('blend_shapes');
  if (blendShapes !== undefined && blendShapes !== null && !(bytes(blendShapes)?.length === 0)) unexpressed.push('blend_shapes');
  const lods = dict.get('lods');
  if (Array.isArray(lods) && lods.length > 0) unexpressed.push('lods');

  return { ok: true, surface: { positions, normals, tangents, colors, uvs, uv2, indices, primitive, unexpressed } };
}

function toBigInt(v: GodotValue | undefined): bigint | undefined {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  return undefined;
}

/** A non-negative count that fits a 32-bit int (Godot stores counts as uint32), else undefined. */
function toInt(v: GodotValue | undefined): number | undefined {
  const b = toBigInt(v);
  if (b === undefined || b < 0n || b > 0xffffffffn) return undefined;
  return Number(b);
}

function bytes(v: GodotValue | undefined): Uint8Array | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const t = v as { type?: unknown; value?: unknown };
  return t.type === 'PackedByteArray' && t.value instanceof Uint8Array ? t.value : undefined;
}

function viewOf(a: Uint8Array): DataView {
  return new DataView(a.buffer, a.byteOffset, a.byteLength);
}

function mathValue(v: GodotValue | undefined, type: string, size: number): number[] | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const t = v as { type?: unknown; value?: unknown };
  if (t.type !== type || !Array.isArray(t.value) || t.value.length !== size) return undefined;
  const out = t.value.map(Number);
  return out.every(Number.isFinite) ? out : undefined;
}
