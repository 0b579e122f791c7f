import type { Document, Texture } from '@gltf-transform/core';
import { encode as encodePng } from 'fast-png';
import type { ProjectFileReader } from '../files/project-files.js';
import { decodeImageData, decodePortableTexture, fault, packedBytes, type ImageResult, type RgbaImage } from '../godot/image.js';
import { decodeImageFile, type EmbeddableFile } from '../godot/image-file.js';
import { isExtResourceRef, isResourceRef, type GodotValue, type ResourceRecord } from '../scene-types.js';

/** A problem with an image's data; reported with the material that uses it (G-MAT-7). */
export interface ImageNote {
  readonly code: 'INVALID_IMAGE_DATA' | 'IMAGE_TOO_LARGE' | 'TEXTURE_NOT_DECODED' | 'CLAMPED' | 'UNEXPRESSED_PROPERTY';
  readonly rule: string;
  readonly message: string;
}

/** An image as written into the GLB: a PNG (or a project's JPEG file), or nothing when it could not be made, plus its notes. */
export interface EncodedImage {
  /** The image file; null when the image could not be decoded (see `notes`). */
  readonly bytes: Uint8Array | null;
  readonly mimeType: string;
  readonly notes: readonly ImageNote[];
  /** Ids of the resources it was made from: a change to any of them drops it. */
  readonly sources: readonly string[];
}

/**
 * Encoded images kept between exports by the export worker (G-MAT-10): PNG encoding is most of the cost
 * of a texture, and an image resource rarely changes. Keyed by the image resource id (or, for images
 * Godot's exporter derives, such as the packed metallic-roughness image, by a key naming every source);
 * {@link ImageCache.delete} drops every entry made from a resource.
 */
export class ImageCache {
  private readonly entries = new Map<string, EncodedImage>();

  get(key: string): EncodedImage | undefined {
    return this.entries.get(key);
  }

  set(key: string, image: EncodedImage): void {
    // A file's new version replaces its old one (the key names the path, then `@` and the version).
    if (key.startsWith(FILE_KEY)) {
      const path = key.slice(0, key.lastIndexOf('@') + 1);
      for (const k of this.entries.keys()) if (k.startsWith(path)) this.entries.delete(k);
    }
    // Derived images are keyed by their sources and settings (channels): edits to the settings leave
    // stale entries whose sources still exist, so past a bound the derived ones are dropped.
    if (this.entries.size >= MAX_CACHED_IMAGES) {
      for (const k of this.entries.keys()) if (k.includes('|')) this.entries.delete(k);
      if (this.entries.size >= MAX_CACHED_IMAGES) this.entries.clear();
    }
    this.entries.set(key, image);
  }

  /** Drops every image made from resource `id` (call on any change to that resource). */
  delete(id: string): void {
    for (const [key, image] of this.entries) if (image.sources.includes(id)) this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

/** Where a texture property's pixels are: a decodable source, or why there are none. */
export type TextureSource =
  | {
      readonly kind: 'image';
      readonly key: string;
      readonly name: string;
      readonly load: () => ImageResult;
      /** The bytes of a project file (null: unreadable), which a slot that uses the image as it is may embed undecoded (G-FILE-3). */
      readonly file?: () => Uint8Array | null;
    }
  | { readonly kind: 'none'; readonly code: 'TEXTURE_WITHOUT_IMAGE' | 'MISSING_RESOURCE' | 'UNEXPRESSED_PROPERTY'; readonly rule: string; readonly message: string };

const PNG_MIME = 'image/png';
/** Cache keys of project files start with this, then the `res://` path, `@` and the file's version. */
const FILE_KEY = 'file:';
/** Encoded images kept between exports, at most (derived images are dropped first). */
const MAX_CACHED_IMAGES = 1024;

/**
 * The textures of one export (G-MAT-7 … G-MAT-10): resolves texture properties to their image data,
 * decodes it once per export, encodes each image once as PNG (or takes it from the worker's
 * {@link ImageCache}) and creates one glTF-Transform `Texture` per image, shared by every material that
 * uses it.
 */
export class ExportTextures {
  private readonly textures = new Map<string, Texture | null>();
  private readonly decoded = new Map<string, ImageResult>();

  /**
   * @param resource looks a resource up by id in the exported scene
   * @param cache images kept between exports (the worker's), if any
   * @param needBuffer called before the first texture is created (a GLB stores images in its buffer)
   */
  constructor(
    private readonly doc: Document,
    private readonly resource: (id: string) => ResourceRecord | undefined,
    private readonly cache: ImageCache | undefined,
    readonly maxPixels: number,
    private readonly needBuffer: () => void,
    private readonly readFile?: ProjectFileReader,
  ) {}

  /** Resolves a texture property's value (`albedo_texture = SubResource(...)`) to where its pixels are. */
  source(value: GodotValue, property: string): TextureSource {
    if (isExtResourceRef(value)) return this.fileSource(value.path, property);
    if (!isResourceRef(value)) return none('UNEXPRESSED_PROPERTY', 'G-PROP-2', `${property} is not a texture reference`);
    const rec = this.resource(value.id);
    if (!rec) return none('MISSING_RESOURCE', 'G-RES-3', `${property} refers to resource ${value.id}, which is not in the document`);
    const name = typeof rec.props.resource_name === 'string' ? rec.props.resource_name : '';
    if (rec.type === 'ImageTexture') {
      const image = rec.props.image;
      if (isResourceRef(image)) {
        const imageRec = this.resource(image.id);
        if (!imageRec) return none('MISSING_RESOURCE', 'G-RES-3', `${property}: ImageTexture ${rec.id} refers to image ${image.id}, which is not in the document`);
        return { kind: 'image', key: imageRec.id, name, load: () => decodeImageData(imageRec.props.data, this.maxPixels) };
      }
      return none('TEXTURE_WITHOUT_IMAGE', 'G-MAT-5', `${property}: ImageTexture ${rec.id} holds no Image in the document; not written`);
    }
    if (rec.type === 'PortableCompressedTexture2D') {
      const data = packedBytes(rec.props._data);
      if (!data || data.length === 0) return none('TEXTURE_WITHOUT_IMAGE', 'G-MAT-5', `${property}: PortableCompressedTexture2D ${rec.id} was saved without its data (keep_compressed_buffer is off); not written`);
      return { kind: 'image', key: rec.id, name, load: () => decodePortableTexture(data, this.maxPixels) };
    }
    return none('TEXTURE_WITHOUT_IMAGE', 'G-MAT-5', `${property}: ${rec.type} ${rec.id} has no pixels in the document (Godot makes or loads them at run time); not written`);
  }

  /**
   * A texture file of the project (G-FILE-2), when the export was given the project's files: keyed by
   * path and version, so an edited file is decoded again and an unchanged one comes from the cache.
   */
  private fileSource(path: string, property: string): TextureSource {
    if (!this.readFile) {
      return none('TEXTURE_WITHOUT_IMAGE', 'G-MAT-5', `${property} refers to the file ${path}, whose pixels are not in the document (pass options.projectDir or options.files to embed it); not written`);
    }
    const read = this.readFile(path);
    if (!read.ok) return none('TEXTURE_WITHOUT_IMAGE', 'G-FILE-1', `${property} refers to the file ${path}, which ${read.message}; not written`);
    const name = path.slice(path.lastIndexOf('/') + 1).replace(/\.[^.]*$/, '');
    let bytes: Uint8Array | null | undefined;
    const file = (): Uint8Array | null => (bytes === undefined ? (bytes = read.bytes()) : bytes);
    const load = (): ImageResult => {
      const b = file();
      return b ? decodeImageFile(b, this.maxPixels) : fault('invalid', `the file ${path} could not be read any more`);
    };
    return { kind: 'image', key: `${FILE_KEY}${path}@${read.version}`, name, load, file };
  }

  /** The decoded pixels of a source (decoded once per export). */
  pixels(source: Extract<TextureSource, { kind: 'image' }>): ImageResult {
    let result = this.decoded.get(source.key);
    if (!result) this.decoded.set(source.key, (result = source.load()));
    return result;
  }

  /**
   * This export's glTF texture for an image key, or null when its data could not be used. `make`
   * produces the RGBA pixels or a file to embed as it is (only called when neither this export nor the
   * cache has the image) with its notes and the resource ids it was made from. The image's notes are added to `notes` the first
   * time it is used in this export.
   */
  texture(key: string, name: string, make: () => MadeImage, notes: ImageNote[]): Texture | null {
    const known = this.textures.get(key);
    if (known !== undefined) return known;
    let encoded = this.cache?.get(key);
    if (!encoded) {
      const made = make();
      encoded = 'file' in made
        ? { bytes: made.file.bytes, mimeType: made.file.mimeType, notes: made.notes, sources: made.sources }
        : { bytes: made.image ? encodeRgba(made.image) : null, mimeType: PNG_MIME, notes: made.notes, sources: made.sources };
      this.cache?.set(key, encoded);
    }
    for (const n of encoded.notes) notes.push(n);
    let texture: Texture | null = null;
    if (encoded.bytes) {
      this.needBuffer();
      texture = this.doc.createTexture(name).setImage(encoded.bytes).setMimeType(encoded.mimeType);
    }
    this.textures.set(key, texture);
    return texture;
  }
}

/** What a texture's maker returns: RGBA pixels to encode as PNG, or an image file to embed as it is. */
export type MadeImage =
  | { readonly image: RgbaImage | null; readonly notes: ImageNote[]; readonly sources: string[] }
  | { readonly file: EmbeddableFile; readonly notes: ImageNote[]; readonly sources: string[] };

function none(code: 'TEXTURE_WITHOUT_IMAGE' | 'MISSING_RESOURCE' | 'UNEXPRESSED_PROPERTY', rule: string, message: string): TextureSource {
  return { kind: 'none', code, rule, message };
}

/** The notes a decode result carries: its fault, or how many values were clamped. */
export function decodeNotes(result: ImageResult, what: string): ImageNote[] {
  if (result.ok) {
    return result.clamped ? [{ code: 'CLAMPED', rule: 'G-MAT-7', message: `${what}: ${result.clamped} channel values of the ${result.format} image were outside [0, 1] and were clamped (PNG holds 8-bit values)` }] : [];
  }
  const code = result.fault.kind === 'too-large' ? 'IMAGE_TOO_LARGE' : result.fault.kind === 'not-decoded' ? 'TEXTURE_NOT_DECODED' : 'INVALID_IMAGE_DATA';
  return [{ code, rule: 'G-MAT-7', message: `${what}: ${result.fault.message}; not written` }];
}

/**
 * RGBA8 pixels as a PNG (fast-png, synchronous in Node and browsers): 8-bit RGB when every pixel is
 * opaque, else RGBA. Deterministic, so an incremental export writes the same bytes as a fresh one.
 */
export function encodeRgba(image: RgbaImage): Uint8Array {
  const { width, height, rgba } = image;
  let opaque = true;
  for (let i = 3; i < rgba.length; i += 4) {
    if (rgba[i] !== 255) {
      opaque = false;
      break;
    }
  }
  if (!opaque) return encodePng({ width, height, data: rgba, channels: 4, depth: 8 });
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0, o = 0; i < rgba.length; i += 4, o += 3) {
    rgb[o] = rgba[i]!;
    rgb[o + 1] = rgba[i + 1]!;
    rgb[o + 2] = rgba[i + 2]!;
  }
  return encodePng({ width, height, data: rgb, channels: 3, depth: 8 });
}
