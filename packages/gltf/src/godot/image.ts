import { convertIndexedToRgb, decode as decodePng } from 'fast-png';
import type { GodotValue } from '../scene-types.js';

/**
 * Godot `Image` data (the `data` Dictionary of an `[sub_resource type="Image"]`, what `Image._get_data()`
 * returns) decoded to 8-bit RGBA, mip level 0 only (docs/gltf-mapping.md G-MAT-7).
 *
 * Byte layouts follow Godot 4's core/io/image.cpp (`_get_color_at_ofs`, `get_format_pixel_size`,
 * `_get_mipmap_offset_and_size`), little-endian as on every platform Godot runs on.
 */

/** Pixels as 8-bit RGBA, row by row from the top, 4 bytes per pixel. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly rgba: Uint8Array;
}

/** Why an image could not be decoded; the caller turns it into a report issue. */
export interface ImageFault {
  /** `invalid`: malformed data; `too-large`: above the pixel cap; `not-decoded`: a GPU-compressed or otherwise undecodable format. */
  readonly kind: 'invalid' | 'too-large' | 'not-decoded';
  readonly message: string;
}

/** A decoded image, or why not. `clamped` counts channel values outside [0, 1] (float formats) that were clamped. */
export type ImageResult = { readonly ok: true; readonly image: RgbaImage; readonly format: string; readonly clamped: number } | { readonly ok: false; readonly fault: ImageFault };

/** Godot's largest image side (`Image::MAX_WIDTH`, `MAX_HEIGHT`). */
const MAX_SIDE = 1 << 24;

type PixelReader = (src: DataView, offset: number, out: Uint8Array, at: number, clamp: { n: number }) => void;

/** One uncompressed Godot image format: bytes per pixel and how one pixel becomes RGBA8. */
interface PixelFormat {
  readonly bytes: number;
  readonly read: PixelReader;
}

/** A float channel → 0…255, NaN → 0, counting values outside [0, 1]. */
function f8(v: number, clamp: { n: number }): number {
  if (!(v >= 0 && v <= 1)) {
    clamp.n++;
    return v > 1 ? 255 : 0; // NaN and negatives → 0
  }
  return Math.round(v * 255);
}

/** IEEE 754 binary16 → number (Godot's `Math::half_to_float`). */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 31) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

function floatFormat(channels: number, half: boolean): PixelFormat {
  const size = half ? 2 : 4;
  return {
    bytes: channels * size,
    read(src, o, out, at, clamp) {
      for (let c = 0; c < 4; c++) {
        let v: number;
        if (c < channels) v = half ? halfToFloat(src.getUint16(o + c * 2, true)) : src.getFloat32(o + c * 4, true);
        else v = c === 3 ? 1 : 0;
        out[at + c] = f8(v, clamp);
      }
    },
  };
}

function unorm16Format(channels: number): PixelFormat {
  return {
    bytes: channels * 2,
    read(src, o, out, at) {
      for (let c = 0; c < 4; c++) out[at + c] = c < channels ? Math.round((src.getUint16(o + c * 2, true) / 65535) * 255) : c === 3 ? 255 : 0;
    },
  };
}

/**
 * Uncompressed formats by the name Godot writes in `data.format` (`Image::format_names`). FORMAT_RGB565
 * is written as "RGBA5551" for compatibility; "RGB565" is accepted too.
 */
const PIXEL_FORMATS: Readonly<Record<string, PixelFormat>> = {
  Lum8: { bytes: 1, read: (s, o, out, at) => { const l = s.getUint8(o); out[at] = l; out[at + 1] = l; out[at + 2] = l; out[at + 3] = 255; } },
  LumAlpha8: { bytes: 2, read: (s, o, out, at) => { const l = s.getUint8(o); out[at] = l; out[at + 1] = l; out[at + 2] = l; out[at + 3] = s.getUint8(o + 1); } },
  Red8: { bytes: 1, read: (s, o, out, at) => { out[at] = s.getUint8(o); out[at + 1] = 0; out[at + 2] = 0; out[at + 3] = 255; } },
  RedGreen: { bytes: 2, read: (s, o, out, at) => { out[at] = s.getUint8(o); out[at + 1] = s.getUint8(o + 1); out[at + 2] = 0; out[at + 3] = 255; } },
  RGB8: { bytes: 3, read: (s, o, out, at) => { out[at] = s.getUint8(o); out[at + 1] = s.getUint8(o + 1); out[at + 2] = s.getUint8(o + 2); out[at + 3] = 255; } },
  RGBA8: { bytes: 4, read: (s, o, out, at) => { out[at] = s.getUint8(o); out[at + 1] = s.getUint8(o + 1); out[at + 2] = s.getUint8(o + 2); out[at + 3] = s.getUint8(o + 3); } },
  // One u16: r in bits 12–15, g 8–11, b 4–7, a 0–3; 4 bits → 8 is × 17 exactly.
  RGBA4444: { bytes: 2, read: (s, o, out, at) => { const v = s.getUint16(o, true); out[at] = ((v >> 12) & 15) * 17; out[at + 1] = ((v >> 8) & 15) * 17; out[at + 2] = ((v >> 4) & 15) * 17; out[at + 3] = (v & 15) * 17; } },
  // One u16: r in bits 11–15, g 5–10, b 0–4.
  RGBA5551: { bytes: 2, read: rgb565 },
  RGB565: { bytes: 2, read: rgb565 },
  RFloat: floatFormat(1, false),
  RGFloat: floatFormat(2, false),
  RGBFloat: floatFormat(3, false),
  RGBAFloat: floatFormat(4, false),
  RHalf: floatFormat(1, true),
  RGHalf: floatFormat(2, true),
  RGBHalf: floatFormat(3, true),
  RGBAHalf: floatFormat(4, true),
  // One u32: three 9-bit mantissas (r bits 0–8, g 9–17, b 18–26) sharing a 5-bit exponent (27–31), bias 15.
  RGBE9995: {
    bytes: 4,
    read(s, o, out, at, clamp) {
      const v = s.getUint32(o, true);
      const scale = 2 ** ((v >>> 27) - 15 - 9);
      out[at] = f8((v & 0x1ff) * scale, clamp);
      out[at + 1] = f8(((v >>> 9) & 0x1ff) * scale, clamp);
      out[at + 2] = f8(((v >>> 18) & 0x1ff) * scale, clamp);
      out[at + 3] = 255;
    },
  },
  R16: unorm16Format(1),
  RG16: unorm16Format(2),
  RGB16: unorm16Format(3),
  RGBA16: unorm16Format(4),
};

function rgb565(s: DataView, o: number, out: Uint8Array, at: number): void {
  const v = s.getUint16(o, true);
  out[at] = Math.round((((v >> 11) & 31) / 31) * 255);
  out[at + 1] = Math.round((((v >> 5) & 63) / 63) * 255);
  out[at + 2] = Math.round(((v & 31) / 31) * 255);
  out[at + 3] = 255;
}

/** Every format name this module decodes. */
export const DECODED_IMAGE_FORMATS: readonly string[] = Object.keys(PIXEL_FORMATS);

/** GPU block-compressed formats (and integer formats, which hold no colours): reported, not decoded. */
const UNDECODED_FORMATS = new Set([
  'DXT1 RGB8', 'DXT3 RGBA8', 'DXT5 RGBA8', 'RGTC Red8', 'RGTC RedGreen8', 'BPTC_RGBA', 'BPTC_RGBF', 'BPTC_RGBFU',
  'ETC', 'ETC2_R11', 'ETC2_R11S', 'ETC2_RG11', 'ETC2_RG11S', 'ETC2_RGB8', 'ETC2_RGBA8', 'ETC2_RGB8A1', 'ETC2_RA_AS_RG',
  'FORMAT_DXT5_RA_AS_RG', 'ASTC_4x4', 'ASTC_4x4_HDR', 'ASTC_8x8', 'ASTC_8x8_HDR', 'R16Int', 'RG16Int', 'RGB16Int', 'RGBA16Int',
]);

/** A failed decode. */
export const fault = (kind: ImageFault['kind'], message: string): ImageResult => ({ ok: false, fault: { kind, message } });

/** A Dictionary value's entry by string key. */
function entry(dict: GodotValue, key: string): GodotValue | undefined {
  const d = dict as { type?: unknown; entries?: unknown };
  if (!Array.isArray(d.entries)) return undefined;
  for (const e of d.entries as ReadonlyArray<readonly [GodotValue, GodotValue]>) if (Array.isArray(e) && e[0] === key) return e[1];
  return undefined;
}

function isDictionary(v: GodotValue | undefined): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && (v as { type?: unknown }).type === 'Dictionary' && Array.isArray((v as { entries?: unknown }).entries);
}

/** A Godot int (bigint) or whole float as a number; undefined for anything else. */
function whole(v: GodotValue | undefined): number | undefined {
  if (typeof v === 'bigint') return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : undefined;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  return undefined;
}

/** Bytes of a PackedByteArray value. */
export function packedBytes(v: GodotValue | undefined): Uint8Array | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const p = v as { type?: unknown; value?: unknown };
  return p.type === 'PackedByteArray' && p.value instanceof Uint8Array ? p.value : undefined;
}

/** Checks a width × height against Godot's limits and the caller's pixel cap, before anything is allocated. */
export function checkSize(width: number | undefined, height: number | undefined, maxPixels: number): ImageFault | undefined {
  if (width === undefined || height === undefined || width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE) {
    return { kind: 'invalid', message: `width and height must be whole numbers from 1 to ${MAX_SIDE}, got ${String(width)} × ${String(height)}` };
  }
  if (width * height > maxPixels) return { kind: 'too-large', message: `${width} × ${height} = ${width * height} pixels is above maxTexturePixels (${maxPixels})` };
  return undefined;
}

/** Bytes of the whole mip chain (level 0 down to 1 × 1) of an uncompressed format, as Godot lays it out. */
function mipChainBytes(width: number, height: number, bytesPerPixel: number): number {
  let total = 0;
  let w = width;
  let h = height;
  for (;;) {
    total += w * h * bytesPerPixel;
    if (w === 1 && h === 1) return total;
    w = Math.max(1, w >> 1);
    h = Math.max(1, h >> 1);
  }
}

/**
 * Decodes an Image resource's `data` Dictionary (`{ data: PackedByteArray, format: String, width, height,
 * mipmaps }`) to RGBA8, mip level 0. Never throws: malformed input (missing keys, wrong types, a byte length
 * other than the format and size imply, sizes out of range) is an `invalid` fault, a size above
 * `maxPixels` a `too-large` fault (checked before any allocation), compressed formats `not-decoded`.
 * Channels Godot does not store read as its `get_pixel` reads them: L → (l, l, l), R8 → (r, 0, 0),
 * missing alpha → opaque. Float channels are clamped to [0, 1] (counted in `clamped`), not tone mapped.
 */
export function decodeImageData(data: GodotValue | undefined, maxPixels: number): ImageResult {
  if (!isDictionary(data)) return fault('invalid', 'the Image has no `data` Dictionary');
  const format = entry(data!, 'format');
  const width = whole(entry(data!, 'width'));
  const height = whole(entry(data!, 'height'));
  const mipmaps = entry(data!, 'mipmaps');
  const bytes = packedBytes(entry(data!, 'data'));
  if (typeof format !== 'string') return fault('invalid', '`data.format` is not a String');
  if (!bytes) return fault('invalid', '`data.data` is not a PackedByteArray');
  if (typeof mipmaps !== 'boolean') return fault('invalid', '`data.mipmaps` is not a bool');
  const pixel = PIXEL_FORMATS[format];
  if (!pixel) {
    if (UNDECODED_FORMATS.has(format)) return fault('not-decoded', `format ${format} (GPU-compressed or integer) is not decoded`);
    return fault('invalid', `unknown image format ${JSON.stringify(format.slice(0, 40))}`);
  }
  const sizeFault = checkSize(width, height, maxPixels);
  if (sizeFault) return { ok: false, fault: sizeFault };
  const w = width!;
  const h = height!;
  const expected = mipmaps ? mipChainBytes(w, h, pixel.bytes) : w * h * pixel.bytes;
  if (bytes.length !== expected) {
    return fault('invalid', `${format} ${w} × ${h}${mipmaps ? ' with mipmaps' : ''} needs ${expected} bytes, the data has ${bytes.length}`);
  }
  const rgba = new Uint8Array(w * h * 4);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const clamp = { n: 0 };
  const n = w * h;
  for (let i = 0; i < n; i++) pixel.read(view, i * pixel.bytes, rgba, i * 4, clamp);
  return { ok: true, image: { width: w, height: h, rgba }, format, clamped: clamp.n };
}

/** `PortableCompressedTexture2D` data formats (its header's second u16). */
const PCT_DATA_FORMATS = ['undefined', 'image', 'PNG', 'WebP', 'Basis Universal'];
const PCT_COMPRESSION_MODES = ['lossless', 'lossy', 'Basis Universal', 'S3TC', 'ETC2', 'BPTC', 'ASTC'];
/** The 8 bytes every PNG file starts with. */
export const PNG_SIGNATURE: readonly number[] = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Decodes the `_data` of a `PortableCompressedTexture2D` (scene/resources/portable_compressed_texture.cpp):
 * a 20-byte header (u16 compression mode, u16 data format, u32 Image format, u32 mip count, u32 width,
 * u32 height), then per mip level a u32 size and the encoded level ("PNG " + a PNG file, as Godot's PNG
 * packer writes it, or a bare PNG). Level 0 is decoded when it is a PNG
 * (what Godot writes with `rendering/textures/lossless_compression/force_png`); WebP (Godot's default for
 * lossless and lossy), Basis Universal and GPU formats are `not-decoded`. Never throws.
 */
export function decodePortableTexture(data: Uint8Array | undefined, maxPixels: number): ImageResult {
  if (!data) return fault('invalid', 'the texture has no `_data` PackedByteArray');
  if (data.length < 24) return fault('invalid', `\`_data\` has ${data.length} bytes, fewer than its 20-byte header and one level size`);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const mode = view.getUint16(0, true);
  const dataFormat = view.getUint16(2, true);
  const sizeFault = checkSize(view.getUint32(12, true), view.getUint32(16, true), maxPixels);
  if (sizeFault) return { ok: false, fault: sizeFault };
  if (mode > 1 || dataFormat !== 2) {
    return fault('not-decoded', `a ${PCT_COMPRESSION_MODES[mode] ?? `mode ${mode}`} PortableCompressedTexture2D holding ${PCT_DATA_FORMATS[dataFormat] ?? `data format ${dataFormat}`} data is not decoded (only PNG levels are)`);
  }
  const length = view.getUint32(20, true);
  if (length > data.length - 24) return fault('invalid', `level 0 claims ${length} bytes, only ${data.length - 24} follow`);
  let level = data.subarray(24, 24 + length);
  // Godot's PNG packer (ImageLoaderPNG::lossless_pack_png) puts "PNG " before the file.
  if (level[0] === 0x50 && level[1] === 0x4e && level[2] === 0x47 && level[3] === 0x20) level = level.subarray(4);
  return decodePngImage(level, maxPixels);
}

/**
 * Decodes a PNG file to RGBA8 with fast-png; its IHDR size is checked against `maxPixels` before the
 * pixels are inflated. Never throws.
 */
export function decodePngImage(png: Uint8Array, maxPixels: number): ImageResult {
  if (png.length < 33 || PNG_SIGNATURE.some((b, i) => png[i] !== b)) return fault('invalid', 'the image data is not a PNG file');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const sizeFault = checkSize(view.getUint32(16, false), view.getUint32(20, false), maxPixels);
  if (sizeFault) return { ok: false, fault: sizeFault };
  let decoded: ReturnType<typeof decodePng>;
  try {
    decoded = decodePng(png);
  } catch (e) {
    return fault('invalid', `the PNG does not decode: ${e instanceof Error ? e.message : String(e)}`);
  }
  const { width, height } = decoded;
  let channels = decoded.channels;
  let depth: number = decoded.depth;
  let src = decoded.data;
  if (decoded.palette) {
    src = convertIndexedToRgb(decoded);
    channels = src.length / (width * height);
    depth = 8;
  }
  if (depth !== 8 && depth !== 16) return fault('not-decoded', `a ${depth}-bit greyscale PNG is not decoded`);
  const n = width * height;
  const rgba = new Uint8Array(n * 4);
  const scale = depth === 16 ? 1 / 257 : 1;
  const at = (k: number): number => Math.round(src[k]! * scale);
  for (let i = 0; i < n; i++) {
    const s = i * channels;
    const o = i * 4;
    if (channels <= 2) {
      const l = at(s);
      rgba[o] = l;
      rgba[o + 1] = l;
      rgba[o + 2] = l;
      rgba[o + 3] = channels === 2 ? at(s + 1) : 255;
    } else {
      rgba[o] = at(s);
      rgba[o + 1] = at(s + 1);
      rgba[o + 2] = at(s + 2);
      rgba[o + 3] = channels === 4 ? at(s + 3) : 255;
    }
  }
  return { ok: true, image: { width, height, rgba }, format: 'PNG', clamped: 0 };
}
