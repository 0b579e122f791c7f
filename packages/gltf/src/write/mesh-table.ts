import type { Material, WriterContext } from '@gltf-transform/core';
import type { SurfaceArrays } from '../mapping/geometry.js';

/** One primitive of a glTF mesh: a surface's geometry, its material, and whether it needs TANGENT. */
export interface MeshPrimitiveRow {
  readonly surface: SurfaceArrays;
  readonly material: Material | null;
  /** The material has a normal texture and the surface's tangents are generated (G-MESH-9). */
  readonly tangents: boolean;
}

/** One glTF mesh as the exporter builds it. */
export interface MeshRow {
  readonly name: string;
  readonly primitives: readonly MeshPrimitiveRow[];
}

/**
 * The meshes of an export as plain rows (G-WRITE-3). Their geometry is written straight into the GLB
 * at the end of glTF-Transform's writer, one tightly packed buffer view per array: the arrays are kept
 * between exports, so writing them is a copy, where glTF-Transform would rebuild accessors in its
 * property graph and interleave every vertex value by value on each export.
 */
export class MeshTable {
  readonly rows: MeshRow[] = [];

  /** Adds a mesh and returns its index in `json.meshes`. */
  add(row: MeshRow): number {
    this.rows.push(row);
    return this.rows.length - 1;
  }
}

const FLOAT = 5126;
const UNSIGNED_SHORT = 5123;
const UNSIGNED_INT = 5125;
const ARRAY_BUFFER = 34962;
const ELEMENT_ARRAY_BUFFER = 34963;
const COMPONENTS = { SCALAR: 1, VEC2: 2, VEC3: 3, VEC4: 4 } as const;

/** POSITION bounds (glTF requires min and max), computed once per array and kept with it. */
const bounds = new WeakMap<Float32Array, { min: number[]; max: number[] }>();

function positionBounds(positions: Float32Array): { min: number[]; max: number[] } {
  let b = bounds.get(positions);
  if (b) return b;
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < positions.length; i += 3) {
    for (let c = 0; c < 3; c++) {
      const v = positions[i + c]!;
      if (v < min[c]!) min[c] = v;
      if (v > max[c]!) max[c] = v;
    }
  }
  // Stored as float32 numbers, like the data, so the validator's bounds check matches exactly.
  b = { min: min.map(Math.fround), max: max.map(Math.fround) };
  bounds.set(positions, b);
  return b;
}

/**
 * Writes the mesh rows as `json.meshes`, with their accessors and buffer views appended after the
 * ones glTF-Transform wrote (animation samplers, images). Geometry shared by several meshes is written
 * once; a TANGENT accessor only when a primitive asks for it. Returns what to copy into the binary
 * chunk after glTF-Transform's `binLength` bytes (each at a 4-byte boundary) and the new length.
 */
export function writeMeshes(context: WriterContext, table: MeshTable, binLength: number): { chunks: Array<readonly [offset: number, bytes: Uint8Array]>; byteLength: number } {
  const json = context.jsonDoc.json;
  const chunks: Array<readonly [number, Uint8Array]> = [];
  if (table.rows.length === 0) return { chunks, byteLength: binLength };
  const accessors = (json.accessors ??= []);
  const bufferViews = (json.bufferViews ??= []);
  let offset = align4(binLength);

  const view = (array: Float32Array | Uint16Array | Uint32Array, target: number): number => {
    bufferViews.push({ buffer: 0, byteOffset: offset, byteLength: array.byteLength, target });
    chunks.push([offset, new Uint8Array(array.buffer, array.byteOffset, array.byteLength)]);
    offset = align4(offset + array.byteLength);
    return bufferViews.length - 1;
  };
  const accessor = (array: Float32Array | Uint16Array | Uint32Array, type: keyof typeof COMPONENTS, target: number, withBounds = false): number => {
    const componentType = array instanceof Float32Array ? FLOAT : array instanceof Uint16Array ? UNSIGNED_SHORT : UNSIGNED_INT;
    const def: Record<string, unknown> = { bufferView: view(array, target), componentType, count: array.length / COMPONENTS[type], type };
    if (withBounds) Object.assign(def, positionBounds(array as Float32Array));
    accessors.push(def as never);
    return accessors.length - 1;
  };

  // Per surface (or generated surfaces' key), its accessors in this file: made at first use, shared after.
  const written = new Map<SurfaceArrays | string, { attributes: Record<string, number>; indices?: number; tangent?: number }>();
  json.meshes = table.rows.map((row) => ({
    ...(row.name ? { name: row.name } : {}),
    primitives: row.primitives.map(({ surface, material, tangents }) => {
      const identity = surface.shareKey ?? surface;
      let w = written.get(identity);
      if (!w) {
        const attributes: Record<string, number> = {};
        for (const [semantic, type, array] of surface.attributes) attributes[semantic] = accessor(array, type, ARRAY_BUFFER, semantic === 'POSITION');
        w = { attributes };
        if (surface.indices) w.indices = accessor(surface.indices, 'SCALAR', ELEMENT_ARRAY_BUFFER);
        written.set(identity, w);
      }
      const attributes = { ...w.attributes };
      if (tangents && surface.tangentsForNormalMaps) attributes.TANGENT = w.tangent ??= accessor(surface.tangentsForNormalMaps(), 'VEC4', ARRAY_BUFFER);
      const primitive: Record<string, unknown> = { attributes, mode: surface.mode };
      if (w.indices !== undefined) primitive.indices = w.indices;
      const index = material ? context.materialIndexMap.get(material) : undefined;
      if (index !== undefined) primitive.material = index;
      return primitive;
    }),
  })) as never;

  if (offset > 0) {
    if (json.buffers?.length) json.buffers[0]!.byteLength = offset;
    else json.buffers = [{ byteLength: offset }];
  }
  return { chunks, byteLength: offset };
}

export function align4(n: number): number {
  return (n + 3) & ~3;
}
