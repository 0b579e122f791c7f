/**
 * Textures with image data in the document become glTF textures (G-MAT-5, G-MAT-7 … G-MAT-10): slots,
 * packing, samplers, sharing, reports. Every GLB passes the Khronos validator with no error and no
 * warning, and its PNGs decode (through glTF-Transform's NodeIO) to the pixels the document holds.
 */
import { NodeIO, type Material, type Texture } from '@gltf-transform/core';
import { KHRTextureTransform } from '@gltf-transform/extensions';
import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { glbFromTree } from '../../../src/export/glb-from-tree.js';
import { convertSceneSync, treeWalk } from '../../../src/mapping/scene-to-document.js';
import { resolveConvertOptions } from '../../../src/options.js';
import type { ExportIssue, GlbBytes } from '../../../src/report.js';
import type { GodotValue, Props, ResourceRecord } from '../../../src/scene-types.js';
import { ImageCache } from '../../../src/mapping/textures.js';
import { EXPORT_EXTENSIONS } from '../../../src/write/glb-writer.js';
import { glbJson, readGlb, validate } from '../../helpers/glb.js';
import { color, node, ref, res, tangentQuad, tree, v3 } from '../../helpers/scenes.js';

const issuesOf = (issues: readonly ExportIssue[], code: string) => issues.filter((i) => i.code === code);

/** An Image resource with RGBA8 pixels. */
function rgbaImage(id: string, width: number, height: number, rgba: number[], format = 'RGBA8'): ResourceRecord {
  return res(id, 'Image', {
    data: {
      type: 'Dictionary',
      entries: [
        ['data', { type: 'PackedByteArray', value: Uint8Array.from(rgba) }],
        ['format', format],
        ['height', BigInt(height)],
        ['mipmaps', false],
        ['width', BigInt(width)],
      ],
    },
  });
}
const imageTexture = (id: string, image: string): ResourceRecord => res(id, 'ImageTexture', { image: ref(image) });
/** 2×2 RGBA8 test pattern. */
const PATTERN = [255, 0, 0, 255, 0, 255, 0, 128, 0, 0, 255, 255, 10, 20, 30, 0];

function scene(materials: ResourceRecord[], extra: ResourceRecord[] = []) {
  const nodes = materials.map((m, i) => node(`M${i}`, 'MeshInstance3D', { mesh: ref('quad'), material_override: ref(m.id) }));
  return tree(node('Root', 'Node3D', {}, nodes), [tangentQuad(), ...materials, ...extra]);
}

async function exported(materials: ResourceRecord[], extra: ResourceRecord[] = [], options = {}): Promise<{ glb: GlbBytes; json: Record<string, any>; materials: Material[] }> {
  const glb = glbFromTree(scene(materials, extra), options);
  const v = await validate(glb);
  expect(v.messages).toEqual([]);
  expect([v.errors, v.warnings]).toEqual([0, 0]);
  const doc = await readGlb(glb);
  return { glb, json: glbJson(glb), materials: doc.getRoot().listMaterials() };
}

/** The RGBA pixels of a glTF texture's PNG. */
function rgbaOf(texture: Texture | null): number[] {
  expect(texture).not.toBeNull();
  expect(texture!.getMimeType()).toBe('image/png');
  const png = decode(texture!.getImage()!);
  const out: number[] = [];
  for (let i = 0; i < png.width * png.height; i++) {
    for (let c = 0; c < 4; c++) out.push(c < png.channels ? png.data[i * png.channels + c]! : 255);
  }
  return out;
}

describe('texture slots (G-MAT-8)', () => {
  it('albedo_texture → baseColorTexture with the same pixels; validator-clean (G-MAT-7)', async () => {
    const { glb, json, materials } = await exported([res('mat', 'StandardMaterial3D', { albedo_texture: ref('tex') })], [imageTexture('tex', 'img'), rgbaImage('img', 2, 2, PATTERN)]);
    expect(rgbaOf(materials[0]!.getBaseColorTexture())).toEqual(PATTERN);
    expect(json.images).toHaveLength(1);
    expect(json.images[0].mimeType).toBe('image/png');
    expect(issuesOf(glb.report.issues, 'TEXTURE_WITHOUT_IMAGE')).toEqual([]);
    expect(issuesOf(glb.report.issues, 'UNEXPRESSED_PROPERTY')).toEqual([]);
  });

  it('an opaque image is written as an RGB PNG with the same pixels', async () => {
    const opaque = [1, 2, 3, 255, 4, 5, 6, 255];
    const { materials } = await exported([res('mat', 'StandardMaterial3D', { albedo_texture: ref('tex') })], [imageTexture('tex', 'img'), rgbaImage('img', 2, 1, opaque)]);
    const png = decode(materials[0]!.getBaseColorTexture()!.getImage()!);
    expect(png.channels).toBe(3);
    expect(rgbaOf(materials[0]!.getBaseColorTexture())).toEqual(opaque);
  });

  it('StandardMaterial3D metallic/roughness/ao textures are packed through their channels (B = metallic, G = roughness, R = occlusion)', async () => {
    // Three 2×1 images: roughness read from G, metallic from A, ao (ao_enabled) from grayscale.
    const rough = [0, 100, 0, 255, 0, 200, 0, 255];
    const metal = [0, 0, 0, 50, 0, 0, 0, 150];
    const ao = [30, 60, 90, 255, 0, 0, 3, 255];
    const { glb, json, materials } = await exported(
      [res('mat', 'StandardMaterial3D', { roughness_texture: ref('tr'), roughness_texture_channel: 1n, metallic_texture: ref('tm'), metallic_texture_channel: 3n, ao_enabled: true, ao_texture: ref('ta'), ao_texture_channel: 4n, metallic: 0.7, roughness: 0.9 })],
      [imageTexture('tr', 'ir'), imageTexture('tm', 'im'), imageTexture('ta', 'ia'), rgbaImage('ir', 2, 1, rough), rgbaImage('im', 2, 1, metal), rgbaImage('ia', 2, 1, ao)],
    );
    const m = materials[0]!;
    expect(m.getMetallicRoughnessTexture()).toBe(m.getOcclusionTexture());
    expect(rgbaOf(m.getMetallicRoughnessTexture())).toEqual([60, 100, 50, 255, 1, 200, 150, 255]);
    expect(m.getMetallicFactor()).toBeCloseTo(0.7, 6);
    expect(m.getRoughnessFactor()).toBeCloseTo(0.9, 6);
    expect(json.images).toHaveLength(1);
    expect(glb.report.issues).toEqual([]);
  });

  it('only a roughness texture: metallic and occlusion channels are 1; an ao_texture without ao_enabled is reported, not written', async () => {
    const { glb, materials } = await exported(
      [res('mat', 'StandardMaterial3D', { roughness_texture: ref('tr'), ao_texture: ref('ta') })],
      [imageTexture('tr', 'ir'), imageTexture('ta', 'ia'), rgbaImage('ir', 1, 1, [77, 0, 0, 255]), rgbaImage('ia', 1, 1, [1, 1, 1, 255])],
    );
    expect(rgbaOf(materials[0]!.getMetallicRoughnessTexture())).toEqual([255, 77, 255, 255]);
    expect(materials[0]!.getOcclusionTexture()).toBeNull();
    expect(issuesOf(glb.report.issues, 'UNEXPRESSED_PROPERTY').map((i) => [i.rule, i.property])).toEqual([['G-MAT-8', 'ao_texture']]);
  });

  it('ORMMaterial3D orm_texture → metallicRoughness (+ occlusion with ao_enabled), factors 1 as Godot ignores them', async () => {
    const orm = [10, 20, 30, 255];
    const { materials } = await exported([res('mat', 'ORMMaterial3D', { orm_texture: ref('t'), ao_enabled: true, metallic: 0.2 })], [imageTexture('t', 'i'), rgbaImage('i', 1, 1, orm)]);
    const m = materials[0]!;
    expect(rgbaOf(m.getMetallicRoughnessTexture())).toEqual(orm);
    expect(m.getOcclusionTexture()).toBe(m.getMetallicRoughnessTexture());
    expect([m.getMetallicFactor(), m.getRoughnessFactor()]).toEqual([1, 1]);
    const off = await exported([res('mat', 'ORMMaterial3D', { orm_texture: ref('t') })], [imageTexture('t', 'i'), rgbaImage('i', 1, 1, orm)]);
    expect(off.materials[0]!.getOcclusionTexture()).toBeNull();
  });

  it('normal_texture (normal_enabled) → normalTexture with normal_scale, blue recomputed from red and green', async () => {
    const { glb, materials } = await exported(
      [res('mat', 'StandardMaterial3D', { normal_enabled: true, normal_texture: ref('t'), normal_scale: 0.5 })],
      [imageTexture('t', 'i'), rgbaImage('i', 2, 1, [128, 128, 0, 255, 255, 128, 0, 255], 'RGBA8')],
    );
    const m = materials[0]!;
    expect(m.getNormalScale()).toBe(0.5);
    const px = rgbaOf(m.getNormalTexture());
    expect(px.slice(0, 3)).toEqual([128, 128, 255]);
    // x = 1: z = 0 → blue (0 + 1) / 2.
    expect(px.slice(4, 7)).toEqual([255, 128, 128]);
    expect(glb.report.issues).toEqual([]);
    const off = await exported([res('mat', 'StandardMaterial3D', { normal_texture: ref('t') })], [imageTexture('t', 'i'), rgbaImage('i', 1, 1, [1, 2, 3, 4])]);
    expect(off.materials[0]!.getNormalTexture()).toBeNull();
    expect(issuesOf(off.glb.report.issues, 'UNEXPRESSED_PROPERTY').map((i) => i.property)).toEqual(['normal_texture']);
  });

  it('emission_texture (emission_enabled): ADD with a black colour is texture × energy; MULTIPLY keeps the colour', async () => {
    const extra = [imageTexture('t', 'i'), rgbaImage('i', 1, 1, [200, 100, 50, 255])];
    const add = await exported([res('mat', 'StandardMaterial3D', { emission_enabled: true, emission_texture: ref('t'), emission_energy_multiplier: 2 })], extra);
    const m = add.materials[0]!;
    expect(rgbaOf(m.getEmissiveTexture())).toEqual([200, 100, 50, 255]);
    expect(m.getEmissiveFactor()).toEqual([1, 1, 1]);
    expect(add.json.materials[0].extensions.KHR_materials_emissive_strength.emissiveStrength).toBe(2);
    const coloured = await exported([res('mat', 'StandardMaterial3D', { emission_enabled: true, emission_texture: ref('t'), emission: color(1, 0, 0) })], extra);
    expect(issuesOf(coloured.glb.report.issues, 'UNEXPRESSED_PROPERTY').map((i) => [i.rule, i.property])).toEqual([['G-MAT-8', 'emission']]);
    const mul = await exported([res('mat', 'StandardMaterial3D', { emission_enabled: true, emission_texture: ref('t'), emission: color(1, 0, 0), emission_operator: 1n })], extra);
    expect(mul.materials[0]!.getEmissiveFactor()).toEqual([1, 0, 0]);
    expect(mul.glb.report.issues).toEqual([]);
  });

  it('texture slots glTF has no place for, with image data, are reported G-MAT-8', async () => {
    const { glb } = await exported([res('mat', 'StandardMaterial3D', { detail_albedo: ref('t'), rim_texture: ref('t') })], [imageTexture('t', 'i'), rgbaImage('i', 1, 1, [1, 2, 3, 4])]);
    expect(issuesOf(glb.report.issues, 'UNEXPRESSED_PROPERTY').map((i) => [i.rule, i.property]).sort()).toEqual([['G-MAT-8', 'detail_albedo'], ['G-MAT-8', 'rim_texture']]);
  });
});

describe('samplers and UV transform (G-MAT-9)', () => {
  const extra = [imageTexture('t', 'i'), rgbaImage('i', 1, 1, [1, 2, 3, 255])];
  const samplerOf = (json: Record<string, any>) => json.samplers[json.textures[json.materials[0].pbrMetallicRoughness.baseColorTexture.index].sampler];

  it('texture_filter and texture_repeat → sampler filters and wraps', async () => {
    const cases: Array<[bigint | undefined, boolean | undefined, Record<string, number>]> = [
      [undefined, undefined, { magFilter: 9729, minFilter: 9987, wrapS: 10497, wrapT: 10497 }],
      [0n, false, { magFilter: 9728, minFilter: 9728, wrapS: 33071, wrapT: 33071 }],
      [1n, true, { magFilter: 9729, minFilter: 9729, wrapS: 10497, wrapT: 10497 }],
      [2n, true, { magFilter: 9728, minFilter: 9986, wrapS: 10497, wrapT: 10497 }],
    ];
    for (const [filter, repeat, expected] of cases) {
      const props: Props = { albedo_texture: ref('t') };
      if (filter !== undefined) props.texture_filter = filter;
      if (repeat !== undefined) props.texture_repeat = repeat;
      const { json, glb } = await exported([res('mat', 'StandardMaterial3D', props)], extra);
      expect({ magFilter: 10497, wrapS: 10497, wrapT: 10497, ...samplerOf(json) }).toEqual(expected);
      expect(glb.report.issues).toEqual([]);
    }
    const aniso = await exported([res('mat', 'StandardMaterial3D', { albedo_texture: ref('t'), texture_filter: 5n })], extra);
    expect(samplerOf(aniso.json)).toMatchObject({ magFilter: 9729, minFilter: 9987 });
    expect(issuesOf(aniso.glb.report.issues, 'UNEXPRESSED_PROPERTY').map((i) => [i.rule, i.property])).toEqual([['G-MAT-9', 'texture_filter']]);
  });

  it('uv1_scale/uv1_offset → KHR_texture_transform on every texture of the material', async () => {
    const t = scene([res('mat', 'StandardMaterial3D', { albedo_texture: ref('t'), emission_enabled: true, emission_texture: ref('t'), uv1_scale: v3(2, 3, 1), uv1_offset: v3(0.25, 0.5, 0) })], extra);
    // The conversion, written with an I/O that registers KHR_texture_transform: validator-clean, read back.
    const { document } = convertSceneSync(treeWalk(t), resolveConvertOptions({}, (m) => { throw new Error(m); }));
    const io = new NodeIO().registerExtensions([...EXPORT_EXTENSIONS, KHRTextureTransform]);
    const bytes = await io.writeBinary(document);
    const v = await validate(bytes);
    expect([v.errors, v.warnings, v.messages]).toEqual([0, 0, []]);
    const m = (await io.readBinary(bytes)).getRoot().listMaterials()[0]!;
    for (const info of [m.getBaseColorTextureInfo()!, m.getEmissiveTextureInfo()!]) {
      const tr = info.getExtension<any>('KHR_texture_transform');
      expect(tr.getScale()).toEqual([2, 3]);
      expect(tr.getOffset()).toEqual([0.25, 0.5]);
    }
    // What glbFromTree writes depends on whether the writer registers the extension: never silently dropped.
    const glb = glbFromTree(t);
    const json = glbJson(glb);
    const registered = EXPORT_EXTENSIONS.some((e) => e.EXTENSION_NAME === 'KHR_texture_transform');
    if (registered) {
      expect(json.materials[0].pbrMetallicRoughness.baseColorTexture.extensions.KHR_texture_transform.scale).toEqual([2, 3]);
    } else {
      expect(issuesOf(glb.report.issues, 'UNEXPRESSED_PROPERTY').map((i) => [i.rule, i.property])).toEqual([['G-MAT-9', 'uv1_scale/uv1_offset']]);
    }
  });
});

describe('sharing, references without pixels and hostile data (G-MAT-5, G-MAT-7, G-MAT-10)', () => {
  it('an image used by several materials and slots is written once', async () => {
    const { json, materials } = await exported(
      [res('a', 'StandardMaterial3D', { albedo_texture: ref('t') }), res('b', 'StandardMaterial3D', { albedo_texture: ref('t2'), emission_enabled: true, emission_texture: ref('t') })],
      [imageTexture('t', 'i'), imageTexture('t2', 'i'), rgbaImage('i', 2, 2, PATTERN)],
    );
    expect(json.images).toHaveLength(1);
    expect(materials[0]!.getBaseColorTexture()).toBe(materials[1]!.getBaseColorTexture());
  });

  it('references without pixels stay TEXTURE_WITHOUT_IMAGE: file textures, CompressedTexture2D, generated textures, empty ImageTextures', async () => {
    const { glb, json } = await exported(
      [res('mat', 'StandardMaterial3D', { albedo_texture: { type: 'ExtResource', path: 'res://wood.png', resourceType: 'CompressedTexture2D' }, emission_enabled: true, emission_texture: ref('noise'), normal_enabled: true, normal_texture: ref('empty'), roughness_texture: ref('pct') })],
      [res('noise', 'NoiseTexture2D'), res('empty', 'ImageTexture'), res('pct', 'PortableCompressedTexture2D', { size_override: { type: 'Vector2', value: [4, 4] } })],
    );
    expect(json.images ?? []).toEqual([]);
    expect(issuesOf(glb.report.issues, 'TEXTURE_WITHOUT_IMAGE').map((i) => [i.rule, i.property]).sort()).toEqual([
      ['G-MAT-5', 'albedo_texture'], ['G-MAT-5', 'emission_texture'], ['G-MAT-5', 'normal_texture'], ['G-MAT-5', 'roughness_texture'],
    ]);
  });

  it('a dangling image reference is MISSING_RESOURCE', async () => {
    const { glb } = await exported([res('mat', 'StandardMaterial3D', { albedo_texture: ref('t'), emission_enabled: true, emission_texture: ref('gone') })], [imageTexture('t', 'nothing')]);
    expect(issuesOf(glb.report.issues, 'MISSING_RESOURCE').map((i) => i.property).sort()).toEqual(['albedo_texture', 'emission_texture']);
  });

  it('hostile image data: a clear issue, no texture, a valid GLB', async () => {
    const bad: GodotValue = { type: 'Dictionary', entries: [['data', { type: 'PackedByteArray', value: new Uint8Array(7) }], ['format', 'RGBA8'], ['height', 2n], ['mipmaps', false], ['width', 2n]] };
    const huge: GodotValue = { type: 'Dictionary', entries: [['data', { type: 'PackedByteArray', value: new Uint8Array(4) }], ['format', 'RGBA8'], ['height', 100000n], ['mipmaps', false], ['width', 100000n]] };
    const dxt: GodotValue = { type: 'Dictionary', entries: [['data', { type: 'PackedByteArray', value: new Uint8Array(8) }], ['format', 'DXT1 RGB8'], ['height', 4n], ['mipmaps', false], ['width', 4n]] };
    const { glb, json } = await exported(
      [res('a', 'StandardMaterial3D', { albedo_texture: ref('t1') }), res('b', 'StandardMaterial3D', { albedo_texture: ref('t2') }), res('c', 'StandardMaterial3D', { albedo_texture: ref('t3'), roughness_texture: ref('t1') })],
      [imageTexture('t1', 'bad'), imageTexture('t2', 'huge'), imageTexture('t3', 'dxt'), res('bad', 'Image', { data: bad }), res('huge', 'Image', { data: huge }), res('dxt', 'Image', { data: dxt })],
    );
    expect(json.images ?? []).toEqual([]);
    const codes = glb.report.issues.map((i) => [i.code, i.rule, i.resourceId, i.property]);
    expect(codes).toContainEqual(['INVALID_IMAGE_DATA', 'G-MAT-7', 'a', 'albedo_texture']);
    expect(codes).toContainEqual(['IMAGE_TOO_LARGE', 'G-MAT-7', 'b', 'albedo_texture']);
    expect(codes).toContainEqual(['TEXTURE_NOT_DECODED', 'G-MAT-7', 'c', 'albedo_texture']);
    expect(glb.report.issues.find((i) => i.code === 'INVALID_IMAGE_DATA')!.message).toContain('needs 16 bytes, the data has 7');
  });

  it('maxTexturePixels caps what is decoded; float images outside [0, 1] are clamped and reported', async () => {
    const extra = [imageTexture('t', 'i'), rgbaImage('i', 2, 2, PATTERN)];
    const capped = await exported([res('mat', 'StandardMaterial3D', { albedo_texture: ref('t') })], extra, { maxTexturePixels: 3 });
    expect(issuesOf(capped.glb.report.issues, 'IMAGE_TOO_LARGE')).toHaveLength(1);
    expect(() => glbFromTree(scene([]), { maxTexturePixels: 0 })).toThrow(/maxTexturePixels/);
    const hdr = Array.from(new Uint8Array(new Float32Array([2, 0.5, -1, 1]).buffer));
    const floats = await exported([res('mat', 'StandardMaterial3D', { albedo_texture: ref('t') })], [imageTexture('t', 'i'), rgbaImage('i', 1, 1, hdr, 'RGBAFloat')]);
    expect(rgbaOf(floats.materials[0]!.getBaseColorTexture())).toEqual([255, 128, 0, 255]);
    expect(issuesOf(floats.glb.report.issues, 'CLAMPED').map((i) => i.rule)).toEqual(['G-MAT-7']);
  });

  it('PortableCompressedTexture2D with a PNG level 0 is written; with WebP it is reported', async () => {
    const { encode } = await import('fast-png');
    const png = encode({ width: 1, height: 1, data: Uint8Array.from([9, 8, 7, 255]), channels: 4, depth: 8 });
    const head = (fmt: number) => [0, 0, fmt, 0, 5, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0];
    const pct = (fmt: number, body: Uint8Array) => ({ type: 'PackedByteArray', value: Uint8Array.from([...head(fmt), body.length & 0xff, body.length >> 8, 0, 0, ...body]) }) as GodotValue;
    const { glb, materials } = await exported(
      [res('a', 'StandardMaterial3D', { albedo_texture: ref('p') }), res('b', 'StandardMaterial3D', { albedo_texture: ref('w') })],
      [res('p', 'PortableCompressedTexture2D', { _data: pct(2, png) }), res('w', 'PortableCompressedTexture2D', { _data: pct(3, Uint8Array.from([0x52, 0x49, 0x46, 0x46])) })],
    );
    expect(rgbaOf(materials[0]!.getBaseColorTexture())).toEqual([9, 8, 7, 255]);
    expect(issuesOf(glb.report.issues, 'TEXTURE_NOT_DECODED').map((i) => i.resourceId)).toEqual(['b']);
  });
});

describe('ImageCache (G-MAT-10)', () => {
  it('drops every image made from a resource, and stays bounded (derived images go first)', () => {
    const cache = new ImageCache();
    const entry = (...sources: string[]) => ({ bytes: null, mimeType: 'image/png', notes: [], sources });
    cache.set('a', entry('a'));
    cache.set('b', entry('b'));
    cache.set('packed-orm|a:0|b:1|-', entry('a', 'b'));
    cache.delete('b');
    expect([cache.get('a'), cache.get('b'), cache.get('packed-orm|a:0|b:1|-')].map(Boolean)).toEqual([true, false, false]);
    for (let i = 0; i < 1500; i++) cache.set(`packed-orm|a:${i}|-|-`, entry('a'));
    expect(cache.size).toBeLessThanOrEqual(1024);
    expect(cache.get('a')).toBeDefined();
  });
});
