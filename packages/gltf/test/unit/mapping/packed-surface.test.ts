/**
 * Hostile and malformed ArrayMesh surfaces (G-MESH-4, G-MESH-8): every one gives a problem line or a
 * reported repair, never an exception and never an allocation sized by a count the data does not back.
 * The well-formed decoding itself is proven against real Godot in test/e2e/godot-array-mesh.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { readArrayMesh } from '../../../src/mapping/array-mesh.js';
import type { GodotValue } from '../../../src/scene-types.js';
import { rng, seeds } from '../../helpers/random.js';

const VERSION_2 = 1n << 35n;
const VERTEX = 1n, NORMAL = 2n, TANGENT = 4n, TEX_UV = 16n, INDEX = 1n << 12n, BONES = 1n << 10n, COMPRESS = 1n << 29n;

type Entries = Array<[string, GodotValue]>;
const dict = (entries: Entries): GodotValue => ({ type: 'Dictionary', entries });
const bytes = (a: ArrayBufferView): GodotValue => ({ type: 'PackedByteArray', value: new Uint8Array(a.buffer, a.byteOffset, a.byteLength) });
const f32bytes = (...xs: number[]): GodotValue => bytes(new Float32Array(xs));

/** A valid packed triangle: three float positions, 16-bit indices 0 2 1, format version 2. */
function triangle(overrides: Record<string, GodotValue | undefined> = {}): GodotValue {
  const base: Record<string, GodotValue> = {
    format: VERSION_2 | VERTEX | INDEX,
    primitive: 3n,
    vertex_count: 3n,
    vertex_data: f32bytes(0, 0, 0, 1, 0, 0, 0, 1, 0),
    index_count: 3n,
    index_data: bytes(new Uint16Array([0, 2, 1])),
    aabb: { type: 'AABB', value: [0, 0, 0, 1, 1, 0] },
    uv_scale: { type: 'Vector4', value: [0, 0, 0, 0] },
  };
  const entries: Entries = [];
  for (const [k, v] of Object.entries({ ...base, ...overrides })) if (v !== undefined) entries.push([k, v]);
  return dict(entries);
}

const read = (...surfaces: GodotValue[]) => readArrayMesh(surfaces, 1000);

describe('packed surfaces: malformed and hostile data (G-MESH-4, G-MESH-8)', () => {
  it('decodes the well-formed baseline the hostile cases are made from', () => {
    const r = read(triangle());
    expect(r.problems).toEqual([]);
    expect(Array.from(r.surfaces[0]!.arrays.positions)).toEqual([0, 0, 0, 1, 0, 0, 0, 1, 0]);
    expect(Array.from(r.surfaces[0]!.arrays.indices!)).toEqual([0, 2, 1]);
  });

  const cases: Array<[string, Record<string, GodotValue | undefined>, RegExp]> = [
    ['a vertex_data one byte short', { vertex_data: bytes(new Uint8Array(35)) }, /vertex_data holds 35 bytes.*need 36/],
    ['a vertex_count that disagrees with the data', { vertex_count: 4n }, /vertex_data holds 36 bytes.*need 48/],
    ['an absurd vertex_count', { vertex_count: 2_000_000_000n }, /2000000000 vertices \(limit 1000\)/],
    ['a vertex_count beyond 32 bits', { vertex_count: 1n << 40n }, /has no vertices/],
    ['a negative vertex_count', { vertex_count: -3n }, /has no vertices/],
    ['a vertex_count of the wrong type', { vertex_count: 'three' }, /has no vertices/],
    ['no format', { format: undefined }, /no valid packed format/],
    ['a format that is not an integer', { format: 1.5 }, /no valid packed format/],
    ['a format beyond 64 bits', { format: 1n << 70n }, /no valid packed format/],
    ['an unknown format version', { format: (7n << 35n) | VERTEX | INDEX }, /version 8, newer than this reader knows/],
    ['no vertex flag', { format: VERSION_2 | INDEX }, /no vertex array/],
    ['vertex_data of the wrong type', { vertex_data: { type: 'PackedInt32Array', value: new Int32Array(9) } }, /no vertex_data PackedByteArray/],
    ['an index out of range', { index_data: bytes(new Uint16Array([0, 2, 3])) }, /index out of range \(3 of 3 vertices\)/],
    ['an index_count that disagrees with index_data', { index_count: 6n }, /index_count 6 of 2-byte indices needs 12/],
    ['a huge index_count', { index_count: 4_000_000_000n }, /index_count 4000000000 of 2-byte indices/],
    ['the index flag without index data', { index_data: undefined }, /index flag but no index_data/],
    ['index data without the index flag', { format: VERSION_2 | VERTEX }, /index_data but its format has no index flag/],
    ['attribute_data the format does not have', { attribute_data: bytes(new Uint8Array(24)) }, /attribute_data holds 24 bytes.*need 0/],
    ['UVs in the format but no attribute_data', { format: VERSION_2 | VERTEX | INDEX | TEX_UV }, /attribute_data holds 0 bytes.*need 24/],
    ['bones in the format but a short skin_data', { format: VERSION_2 | VERTEX | INDEX | BONES, skin_data: bytes(new Uint8Array(10)) }, /skin_data holds 10 bytes.*need 24/],
    ['an unknown primitive', { primitive: 9n }, /unknown primitive type 9/],
    ['compressed positions without an aabb', { format: VERSION_2 | VERTEX | INDEX | COMPRESS, vertex_data: bytes(new Uint16Array(12)), aabb: undefined }, /no finite aabb/],
    ['compressed positions with a non-finite aabb', { format: VERSION_2 | VERTEX | INDEX | COMPRESS, vertex_data: bytes(new Uint16Array(12)), aabb: { type: 'AABB', value: [0, 0, 0, Infinity, 1, 1] } }, /no finite aabb/],
    ['compressed tangents without normals', { format: VERSION_2 | VERTEX | TANGENT | COMPRESS }, /compressed with tangents but no normals/],
    ['a version 1 surface with the compression flag', { format: VERTEX | INDEX | COMPRESS }, /version 1 .* compression flag/],
    ['non-finite positions', { vertex_data: f32bytes(0, 0, 0, NaN, 0, 0, 0, 1, 0) }, /vertex that is not finite/],
    ['too few elements for its triangles', { index_count: 2n, index_data: bytes(new Uint16Array([0, 1])) }, /2 elements, not a whole number of triangles/],
  ];
  for (const [what, overrides, message] of cases) {
    it(`${what}: a clear problem line, surface skipped`, () => {
      const r = read(triangle(overrides));
      expect(r.surfaces).toEqual([]);
      expect(r.problems.length).toBe(1);
      expect(r.problems[0]).toMatch(/^surface 0 /);
      expect(r.problems[0]).toMatch(message);
    });
  }

  it('keeps the good surfaces of a mesh whose other surfaces are broken', () => {
    const r = read(triangle({ vertex_count: 9n }), triangle(), 42, triangle({ index_count: 1n }));
    expect(r.surfaces.length).toBe(1);
    expect(r.problems.map((p) => p.split(' ').slice(0, 2).join(' '))).toEqual(['surface 0', 'surface 2', 'surface 3']);
  });

  it('reads 32-bit indices only above 65 536 vertices', () => {
    const n = 65537;
    const positions = new Float32Array(n * 3);
    const big = triangle({ vertex_count: BigInt(n), vertex_data: bytes(positions), index_data: bytes(new Uint32Array([0, 65536, 1])) });
    expect(readArrayMesh([big], 1e6).surfaces[0]!.arrays.indices).toEqual(new Uint32Array([0, 65536, 1]));
    // The same bytes read as 16-bit indices would be six indices: a count mismatch, not garbage.
    expect(readArrayMesh([triangle({ index_data: bytes(new Uint32Array([0, 2, 1])) })], 1e6).problems[0]).toMatch(/index_data holds 12 bytes/);
  });

  for (const seed of seeds(4)) {
    it(`never throws on random corruption of a full surface (seed ${seed}; SEED=${seed} replays it)`, () => {
      const rand = rng(seed);
      const good = new Uint8Array(4 * 3 * 12 + 4 * 4);
      for (let i = 0; i < good.length; i++) good[i] = Math.floor(rand() * 256);
      for (let round = 0; round < 300; round++) {
        const data = good.slice(0, Math.floor(rand() * (good.length + 8)));
        for (let k = 0; k < 4; k++) if (data.length) data[Math.floor(rand() * data.length)] = Math.floor(rand() * 256);
        const format = VERSION_2 | VERTEX | NORMAL | TANGENT | (rand() < 0.5 ? COMPRESS : 0n) | (rand() < 0.3 ? INDEX : 0n) | (rand() < 0.2 ? BigInt(Math.floor(rand() * 2 ** 31)) << 3n : 0n);
        const surface = triangle({
          format,
          vertex_count: BigInt(Math.floor(rand() * 20)),
          vertex_data: bytes(data),
          index_count: BigInt(Math.floor(rand() * 10)),
          index_data: bytes(data.slice(0, Math.floor(rand() * 20))),
          attribute_data: rand() < 0.5 ? bytes(data.slice(0, Math.floor(rand() * data.length))) : undefined,
          aabb: { type: 'AABB', value: [rand(), rand(), rand(), rand(), rand(), rand()] },
        });
        const where = `seed ${seed} round ${round}`;
        let r;
        try {
          r = readArrayMesh([surface], 1000);
        } catch (e) {
          throw new Error(`${where}: readArrayMesh threw ${String(e)}`);
        }
        expect(r.surfaces.length + r.problems.length, where).toBeGreaterThan(0);
        for (const s of r.surfaces) {
          expect(s.arrays.positions.every(Number.isFinite), where).toBe(true);
          if (s.arrays.tangents) for (let i = 3; i < s.arrays.tangents.length; i += 4) expect(Math.abs(s.arrays.tangents[i]!), where).toBe(1);
        }
      }
    });
  }

  it('rejects what is not a surface list or not a Dictionary', () => {
    expect(readArrayMesh('nope', 10).problems).toEqual(['_surfaces is not an Array']);
    expect(readArrayMesh([7, { type: 'Dictionary', entries: 'x' } as unknown as GodotValue], 10).problems).toEqual(['surface 0 is not a Dictionary', 'surface 1 is not a Dictionary']);
  });
});

describe('surface_get_arrays() layout: UV2 and tangents (G-MESH-3)', () => {
  const v3 = (...xs: number[]): GodotValue => ({ type: 'PackedVector3Array', value: new Float32Array(xs) });
  const arraysSurface = (slots: Record<number, GodotValue>, primitive = 3n): GodotValue => {
    const arrays: GodotValue[] = Array.from({ length: 13 }, (_, i) => slots[i] ?? null);
    return dict([['arrays', arrays], ['primitive', primitive]]);
  };
  const positions = v3(0, 0, 0, 1, 0, 0, 0, 1, 0);
  const normals = v3(0, 0, 1, 0, 0, 1, 0, 0, 1);
  const uv = (...xs: number[]): GodotValue => ({ type: 'PackedVector2Array', value: new Float32Array(xs) });
  const tangents = (...xs: number[]): GodotValue => ({ type: 'PackedFloat32Array', value: new Float32Array(xs) });

  it('reads UV2 and tangents, renormalising tangents and making every sign ±1', () => {
    const r = read(arraysSurface({ 0: positions, 1: normals, 2: tangents(2, 0, 0, 0.3, 1, 0, 0, -4, 1, 0, 0, 1), 4: uv(0, 0, 1, 0, 0, 1), 5: uv(0.5, 0.5, 1, 1, 0, 0) }));
    const a = r.surfaces[0]!.arrays;
    expect(Array.from(a.tangents!)).toEqual([1, 0, 0, 1, 1, 0, 0, -1, 1, 0, 0, 1]);
    expect(Array.from(a.uv2!)).toEqual([0.5, 0.5, 1, 1, 0, 0]);
    expect(r.problems).toEqual(['surface 0 had non-unit tangents or signs other than ±1; renormalised']);
    expect(r.unexpressed).toEqual([]);
  });

  it('drops tangents it cannot write, and says so', () => {
    const wrongCount = read(arraysSurface({ 0: positions, 1: normals, 2: tangents(1, 0, 0, 1) }));
    expect(wrongCount.surfaces[0]!.arrays.tangents).toBeUndefined();
    expect(wrongCount.problems[0]).toMatch(/tangent count .* tangents dropped/);
    const zero = read(arraysSurface({ 0: positions, 1: normals, 2: tangents(0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1) }));
    expect(zero.problems[0]).toMatch(/zero-length or non-finite tangents; tangents dropped/);
    const noNormals = read(arraysSurface({ 0: positions, 2: tangents(1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1) }));
    expect(noNormals.surfaces[0]!.arrays.tangents).toBeUndefined();
    expect(noNormals.unexpressed).toEqual(['tangent']);
    const lonelyUv2 = read(arraysSurface({ 0: positions, 5: uv(0, 0, 1, 0, 0, 1) }));
    expect(lonelyUv2.surfaces[0]!.arrays.uv2).toBeUndefined();
    expect(lonelyUv2.unexpressed).toEqual(['tex_uv2']);
  });

  it("leaves out the stand-in tangents Godot stores for surfaces that had none", () => {
    // Godot's stand-in for normal (0, 0, 1): normalize(cross((1, 0, 0), (0, 0, 1))) = (0, −1, 0), sign +1.
    const r = read(arraysSurface({ 0: positions, 1: normals, 2: tangents(0, -1, 0, 1, 0, -1, 0, 1, 0, -1, 0, 1) }));
    expect(r.surfaces[0]!.arrays.tangents).toBeUndefined();
    expect(r.problems).toEqual([]);
    const real = read(arraysSurface({ 0: positions, 1: normals, 2: tangents(0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1) }));
    expect(Array.from(real.surfaces[0]!.arrays.tangents!)).toEqual([0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1]);
  });
});
