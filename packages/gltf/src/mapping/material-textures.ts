import type { Document, Material, Texture, TextureInfo } from '@gltf-transform/core';
import { KHRMaterialsEmissiveStrength, KHRTextureTransform } from '@gltf-transform/extensions';
import type { RgbaImage } from '../godot/image.js';
import { embeddableImageFile } from '../godot/image-file.js';
import type { PropReader } from '../godot/props.js';
import type { ResourceRecord } from '../scene-types.js';
import { EXPORT_EXTENSIONS } from '../write/glb-writer.js';
import type { MaterialNote } from './materials.js';
import { decodeNotes, type ExportTextures, type ImageNote, type TextureSource } from './textures.js';

/** BaseMaterial3D.TextureFilter. */
const FILTER_NEAREST = 0;
const FILTER_LINEAR = 1;
const FILTER_NEAREST_WITH_MIPMAPS = 2;
const FILTER_LINEAR_WITH_MIPMAPS = 3;
const FILTER_NEAREST_WITH_MIPMAPS_ANISOTROPIC = 4;
const FILTER_LINEAR_WITH_MIPMAPS_ANISOTROPIC = 5;
/** BaseMaterial3D.TextureChannel: RED, GREEN, BLUE, ALPHA, GRAYSCALE. */
const CHANNEL_GRAYSCALE = 4;
/** BaseMaterial3D.EmissionOperator. */
const EMISSION_ADD = 0;

/** glTF sampler constants. */
const NEAREST = 9728;
const LINEAR = 9729;
const NEAREST_MIPMAP_LINEAR = 9986;
const LINEAR_MIPMAP_LINEAR = 9987;
const REPEAT = 10497;
const CLAMP_TO_EDGE = 33071;

/** BaseMaterial3D texture properties that glTF has no slot for; named so they are reported as textures (G-MAT-8). */
const OTHER_TEXTURE_SLOTS = new Set(['detail_albedo', 'detail_normal', 'detail_mask', 'anisotropy_flowmap', 'texture']);

/** Is `key` a BaseMaterial3D texture property? */
export function hasTextureSlot(key: string): boolean {
  return key.endsWith('_texture') || OTHER_TEXTURE_SLOTS.has(key);
}

/** True when the GLB writer registers KHR_texture_transform (else the transform is reported, never dropped silently, G-MAT-9). */
const TEXTURE_TRANSFORM_WRITTEN = EXPORT_EXTENSIONS.some((e) => e.EXTENSION_NAME === KHRTextureTransform.EXTENSION_NAME);

type ImageSource = Extract<TextureSource, { kind: 'image' }>;

/**
 * Writes the texture slots Godot's own GLTFDocument exporter writes (modules/gltf/gltf_document.cpp
 * `_serialize_materials`), as Godot's renderer reads them (G-MAT-8): `albedo_texture` →
 * baseColorTexture; ORMMaterial3D `orm_texture` → metallicRoughnessTexture (+ occlusionTexture with
 * `ao_enabled`), its factors set to 1 since Godot ignores them beside an ORM texture; StandardMaterial3D
 * `metallic_texture`, `roughness_texture` (and `ao_texture` with `ao_enabled`) each read through its
 * `*_texture_channel` and packed into one image (R = occlusion, G = roughness, B = metallic, 1 where a
 * texture is absent); `normal_texture` (with `normal_enabled`) → normalTexture with `normal_scale`, blue
 * recomputed from red and green as Godot's exporter does; `emission_texture` (with `emission_enabled`) →
 * emissiveTexture. Sampler from `texture_filter`/`texture_repeat`, KHR_texture_transform from
 * `uv1_scale`/`uv1_offset` (G-MAT-9). Reads only the keys it expresses, so the rest is reported by the
 * caller (G-PROP-1).
 */
export function applyTextures(doc: Document, m: Material, rec: ResourceRecord, r: PropReader, notes: MaterialNote[], textures: ExportTextures): void {
  const infos: TextureInfo[] = [];

  /** The image source of a texture property, reporting references without pixels. */
  const slot = (property: string): ImageSource | undefined => {
    const value = r.raw(property);
    if (value === undefined || value === null) return undefined;
    const source = textures.source(value, property);
    if (source.kind === 'image') return source;
    notes.push({ code: source.code, rule: source.rule, property, message: source.message });
    return undefined;
  };
  /** A texture Godot does not use while its feature is off: reported, not written. */
  const unused = (property: string, feature: string): void => {
    if (slot(property)) notes.push({ code: 'UNEXPRESSED_PROPERTY', rule: 'G-MAT-8', property, message: `${rec.type}.${property} is not used by Godot while ${feature} is false; not written` });
  };
  /**
   * This export's texture of a source image as it is, reporting its image notes under `property`. A
   * project's PNG or JPEG file goes in undecoded when it can (G-FILE-3): smaller and faster than pixels
   * re-encoded as PNG.
   */
  const plain = (source: ImageSource, property: string): Texture | null => {
    const imageNotes: ImageNote[] = [];
    const t = textures.texture(source.key, source.name, () => {
      const bytes = source.file?.();
      const file = bytes ? embeddableImageFile(bytes, textures.maxPixels) : null;
      if (file && 'fault' in file) return { image: null, notes: decodeNotes({ ok: false, fault: file.fault }, `image ${source.key}`), sources: [source.key] };
      if (file) return { file, notes: [], sources: [source.key] };
      const result = textures.pixels(source);
      return { image: result.ok ? result.image : null, notes: decodeNotes(result, `image ${source.key}`), sources: [source.key] };
    }, imageNotes);
    for (const n of imageNotes) notes.push({ ...n, property });
    return t;
  };

  const albedo = slot('albedo_texture');
  const albedoTexture = albedo && plain(albedo, 'albedo_texture');
  if (albedoTexture) {
    m.setBaseColorTexture(albedoTexture);
    infos.push(m.getBaseColorTextureInfo()!);
  }

  const aoEnabled = r.bool('ao_enabled', false);
  if (rec.type === 'ORMMaterial3D') {
    const orm = slot('orm_texture');
    const t = orm && plain(orm, 'orm_texture');
    if (t) {
      m.setMetallicRoughnessTexture(t);
      infos.push(m.getMetallicRoughnessTextureInfo()!);
      // Godot's ORM shader sets ROUGHNESS = orm.g and METALLIC = orm.b, without the factors.
      m.setMetallicFactor(1);
      m.setRoughnessFactor(1);
      if (aoEnabled) {
        m.setOcclusionTexture(t);
        infos.push(m.getOcclusionTextureInfo()!);
      }
    }
  } else {
    const roughness = slot('roughness_texture');
    const metallic = slot('metallic_texture');
    const ao = aoEnabled ? slot('ao_texture') : undefined;
    if (!aoEnabled) unused('ao_texture', 'ao_enabled');
    const channels = {
      ao: r.int('ao_texture_channel', 0, 0, CHANNEL_GRAYSCALE),
      roughness: r.int('roughness_texture_channel', 0, 0, CHANNEL_GRAYSCALE),
      metallic: r.int('metallic_texture_channel', 0, 0, CHANNEL_GRAYSCALE),
    };
    if (roughness || metallic || ao) {
      const part = (s: ImageSource | undefined, channel: number): string => (s ? `${s.key}:${channel}` : '-');
      const key = `packed-orm|${part(ao, channels.ao)}|${part(roughness, channels.roughness)}|${part(metallic, channels.metallic)}`;
      const imageNotes: ImageNote[] = [];
      const t = textures.texture(key, '', () => packOrm(textures, [[ao, channels.ao], [roughness, channels.roughness], [metallic, channels.metallic]]), imageNotes);
      for (const n of imageNotes) notes.push({ ...n, property: [ao && 'ao_texture', roughness && 'roughness_texture', metallic && 'metallic_texture'].filter(Boolean).join('/') });
      if (t && (roughness || metallic)) {
        m.setMetallicRoughnessTexture(t);
        infos.push(m.getMetallicRoughnessTextureInfo()!);
      }
      if (t && ao) {
        m.setOcclusionTexture(t);
        infos.push(m.getOcclusionTextureInfo()!);
      }
    }
  }

  if (r.bool('normal_enabled', false)) {
    const normal = slot('normal_texture');
    if (normal) {
      const imageNotes: ImageNote[] = [];
      const t = textures.texture(`normal|${normal.key}`, normal.name, () => normalMap(textures, normal), imageNotes);
      for (const n of imageNotes) notes.push({ ...n, property: 'normal_texture' });
      if (t) {
        m.setNormalTexture(t);
        m.setNormalScale(r.number('normal_scale', 1));
        infos.push(m.getNormalTextureInfo()!);
      }
    }
  } else {
    unused('normal_texture', 'normal_enabled');
  }

  if (r.bool('emission_enabled', false)) {
    const emission = slot('emission_texture');
    const t = emission && plain(emission, 'emission_texture');
    if (t) {
      m.setEmissiveTexture(t);
      infos.push(m.getEmissiveTextureInfo()!);
      if (r.int('emission_operator', EMISSION_ADD) === EMISSION_ADD) {
        // Godot adds the texture to the colour: (emission + texture) × energy. glTF multiplies; a black
        // colour (the default) is exactly texture × energy, any other colour is lost.
        const e = r.color('emission', [0, 0, 0, 1]);
        const energy = Math.max(0, r.number('emission_energy_multiplier', 1));
        setEmissionFactor(doc, m, energy);
        if (e[0] > 0 || e[1] > 0 || e[2] > 0) {
          notes.push({ code: 'UNEXPRESSED_PROPERTY', rule: 'G-MAT-8', property: 'emission', message: 'emission_operator ADD adds the emission colour to the texture; glTF multiplies them: written as texture × energy, the colour is lost' });
        }
      }
    }
  } else {
    unused('emission_texture', 'emission_enabled');
  }

  if (infos.length) applySampling(doc, r, infos, notes);
}

/** Emission texture × energy (G-MAT-8, operator ADD with a black colour). */
function setEmissionFactor(doc: Document, m: Material, energy: number): void {
  setEmission(doc, m, [energy, energy, energy]);
}

/**
 * Linear emission (colour × energy) → `emissiveFactor`, with `KHR_materials_emissive_strength` carrying
 * the part above 1 (G-MAT-1).
 */
export function setEmission(doc: Document, m: Material, lin: readonly [number, number, number]): void {
  const peak = Math.max(lin[0], lin[1], lin[2]);
  if (peak > 1) {
    m.setEmissiveFactor([lin[0] / peak, lin[1] / peak, lin[2] / peak]);
    m.setExtension('KHR_materials_emissive_strength', doc.createExtension(KHRMaterialsEmissiveStrength).createEmissiveStrength().setEmissiveStrength(peak));
  } else {
    m.setExtension('KHR_materials_emissive_strength', null);
    m.setEmissiveFactor([lin[0], lin[1], lin[2]]);
  }
}

/** Sampler and UV transform of every written texture of a material (G-MAT-9). */
function applySampling(doc: Document, r: PropReader, infos: TextureInfo[], notes: MaterialNote[]): void {
  const filter = r.int('texture_filter', FILTER_LINEAR_WITH_MIPMAPS, FILTER_NEAREST, FILTER_LINEAR_WITH_MIPMAPS_ANISOTROPIC);
  const repeat = r.bool('texture_repeat', true);
  const nearest = filter === FILTER_NEAREST || filter === FILTER_NEAREST_WITH_MIPMAPS || filter === FILTER_NEAREST_WITH_MIPMAPS_ANISOTROPIC;
  const mag = nearest ? NEAREST : LINEAR;
  const min = filter === FILTER_NEAREST ? NEAREST : filter === FILTER_LINEAR ? LINEAR : nearest ? NEAREST_MIPMAP_LINEAR : LINEAR_MIPMAP_LINEAR;
  const wrap = repeat ? REPEAT : CLAMP_TO_EDGE;
  if (filter === FILTER_NEAREST_WITH_MIPMAPS_ANISOTROPIC || filter === FILTER_LINEAR_WITH_MIPMAPS_ANISOTROPIC) {
    notes.push({ code: 'UNEXPRESSED_PROPERTY', rule: 'G-MAT-9', property: 'texture_filter', message: 'glTF samplers have no anisotropic filtering; written as the same filter with mipmaps (the viewer decides anisotropy)' });
  }
  const scale = r.vec3('uv1_scale', [1, 1, 1]);
  const offset = r.vec3('uv1_offset', [0, 0, 0]);
  const transformed = scale[0] !== 1 || scale[1] !== 1 || offset[0] !== 0 || offset[1] !== 0;
  if (transformed && !TEXTURE_TRANSFORM_WRITTEN) {
    notes.push({ code: 'UNEXPRESSED_PROPERTY', rule: 'G-MAT-9', property: 'uv1_scale/uv1_offset', message: 'the GLB writer does not register KHR_texture_transform, so the UV scale and offset are not written' });
  }
  for (const info of infos) {
    info.setMagFilter(mag).setMinFilter(min).setWrapS(wrap).setWrapT(wrap);
    if (transformed) {
      // Always on the document (a writer that registers the extension writes it); reported above when
      // this package's GLB writer does not. Godot: uv = UV × uv1_scale.xy + uv1_offset.xy, the order KHR_texture_transform applies them in.
      const t = doc.createExtension(KHRTextureTransform).createTransform().setScale([scale[0], scale[1]]).setOffset([offset[0], offset[1]]);
      info.setExtension('KHR_texture_transform', t);
    }
  }
}

/** One channel of a pixel as Godot's `dot(texture, channel)` reads it (GRAYSCALE: the mean of r, g, b). */
function channelOf(rgba: Uint8Array, i: number, channel: number): number {
  if (channel === CHANNEL_GRAYSCALE) return Math.round((rgba[i]! + rgba[i + 1]! + rgba[i + 2]!) / 3);
  return rgba[i + channel]!;
}

/**
 * The packed occlusion/roughness/metallic image of a StandardMaterial3D (R = occlusion, G = roughness,
 * B = metallic, 255 where a texture is absent), as Godot's exporter builds it. Sources of different sizes
 * are sampled nearest-neighbour at the largest size (Godot resizes with Lanczos), reported.
 */
function packOrm(textures: ExportTextures, parts: ReadonlyArray<readonly [ImageSource | undefined, number]>): { image: RgbaImage | null; notes: ImageNote[]; sources: string[] } {
  const notes: ImageNote[] = [];
  const sources: string[] = [];
  const images: Array<[RgbaImage, number] | undefined> = [];
  for (const [source, channel] of parts) {
    if (!source) {
      images.push(undefined);
      continue;
    }
    sources.push(source.key);
    const result = textures.pixels(source);
    notes.push(...decodeNotes(result, `image ${source.key}`));
    images.push(result.ok ? [result.image, channel] : undefined);
  }
  const present = images.filter((x): x is [RgbaImage, number] => x !== undefined);
  if (!present.length) return { image: null, notes, sources };
  let width = 0;
  let height = 0;
  for (const [img] of present) {
    if (img.width * img.height > width * height) {
      width = img.width;
      height = img.height;
    }
  }
  if (present.some(([img]) => img.width !== width || img.height !== height)) {
    notes.push({ code: 'UNEXPRESSED_PROPERTY', rule: 'G-MAT-8', message: `the occlusion, roughness and metallic images differ in size; packed at ${width} × ${height}, smaller ones sampled nearest-neighbour` });
  }
  const rgba = new Uint8Array(width * height * 4).fill(255);
  images.forEach((entry, c) => {
    if (!entry) return;
    const [img, channel] = entry;
    for (let y = 0; y < height; y++) {
      const sy = Math.min(img.height - 1, Math.floor((y * img.height) / height));
      for (let x = 0; x < width; x++) {
        const sx = Math.min(img.width - 1, Math.floor((x * img.width) / width));
        rgba[(y * width + x) * 4 + c] = channelOf(img.rgba, (sy * img.width + sx) * 4, channel);
      }
    }
  });
  return { image: { width, height, rgba }, notes, sources };
}

/**
 * A normal map with blue recomputed from red and green, as Godot's exporter does (Godot itself reads
 * only red and green; its compressed normal maps carry no blue). Blue is written the way glTF decodes
 * it, (z + 1) / 2 with z = sqrt(1 − x² − y²); Godot's exporter writes z itself.
 */
function normalMap(textures: ExportTextures, source: ImageSource): { image: RgbaImage | null; notes: ImageNote[]; sources: string[] } {
  const result = textures.pixels(source);
  const notes = decodeNotes(result, `image ${source.key}`);
  if (!result.ok) return { image: null, notes, sources: [source.key] };
  const { width, height, rgba: src } = result.image;
  const rgba = new Uint8Array(src.length);
  for (let i = 0; i < src.length; i += 4) {
    const x = (src[i]! / 255) * 2 - 1;
    const y = (src[i + 1]! / 255) * 2 - 1;
    const z = Math.sqrt(Math.max(0, 1 - x * x - y * y));
    rgba[i] = src[i]!;
    rgba[i + 1] = src[i + 1]!;
    rgba[i + 2] = Math.round(((z + 1) / 2) * 255);
    rgba[i + 3] = 255;
  }
  return { image: { width, height, rgba }, notes, sources: [source.key] };
}
