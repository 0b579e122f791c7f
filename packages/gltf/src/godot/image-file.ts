import { decode as decodeJpeg } from 'jpeg-js';
import { checkSize, decodePngImage, fault, PNG_SIGNATURE, type ImageFault, type ImageResult } from './image.js';

/** Image file formats Godot imports that are recognised by their first bytes but not decoded here. */
const UNDECODED_FILES: ReadonlyArray<{ name: string; test: (b: Uint8Array) => boolean }> = [
  { name: 'WebP', test: (b) => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP' },
  { name: 'SVG', test: (b) => /^\s*(<\?xml|<svg)/i.test(ascii(b, 0, 64)) },
  { name: 'OpenEXR', test: (b) => b[0] === 0x76 && b[1] === 0x2f && b[2] === 0x31 && b[3] === 0x01 },
  { name: 'Radiance HDR', test: (b) => ascii(b, 0, 2) === '#?' },
  { name: 'KTX', test: (b) => ascii(b, 1, 3) === 'KTX' },
  { name: 'DDS', test: (b) => ascii(b, 0, 4) === 'DDS ' },
  { name: 'BMP', test: (b) => ascii(b, 0, 2) === 'BM' },
  { name: 'Godot compressed texture', test: (b) => ascii(b, 0, 4) === 'GST2' },
];

/**
 * Decodes an image file from the project (G-FILE-2) to RGBA8: PNG (fast-png) and JPEG (jpeg-js), told
 * apart by their signatures, not by the file name; the size in the header is checked against
 * `maxPixels` before the pixels are decoded. Other formats Godot imports (WebP, SVG, EXR, HDR, TGA, …)
 * are `not-decoded`. Never throws.
 */
export function decodeImageFile(bytes: Uint8Array, maxPixels: number): ImageResult {
  if (isPng(bytes)) return decodePngImage(bytes, maxPixels);
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return decodeJpegImage(bytes, maxPixels);
  const known = UNDECODED_FILES.find((f) => f.test(bytes));
  if (known) return fault('not-decoded', `a ${known.name} file is not decoded (PNG and JPEG files are)`);
  return fault('not-decoded', 'the file is neither PNG nor JPEG (the formats that are decoded)');
}

/** An image file a GLB can hold as it is (glTF's two core image types). */
export interface EmbeddableFile {
  readonly bytes: Uint8Array;
  readonly mimeType: 'image/png' | 'image/jpeg';
}

/** PNG chunks kept in an embedded file: the image itself (glTF assumes sRGB, so `sRGB` goes too). */
const PNG_KEPT_CHUNKS = new Set(['IHDR', 'PLTE', 'tRNS', 'IDAT', 'IEND']);

/** The whole 8-byte PNG signature, as glTF readers check it (the first four bytes are not enough). */
function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b);
}

/**
 * The file as a GLB can hold it without decoding and re-encoding (G-FILE-3), a fault, or null when it
 * has to be decoded (a JPEG that is not greyscale or YCbCr/RGB, such as CMYK; any other format):
 * - a PNG whose chunks are well formed (lengths inside the file, every CRC right, IHDR first, IDAT,
 *   IEND last), without the ancillary chunks glTF viewers ignore and the Khronos validator warns
 *   about (colour profiles, gamma, chromaticities, sRGB, pixel aspect, animation; text and time too);
 * - a JPEG whose segments up to its frame header are whole, with one or three components, and that
 *   ends with its end-of-image marker.
 * The size in the header is checked against `maxPixels` first. Never throws.
 */
export function embeddableImageFile(bytes: Uint8Array, maxPixels: number): EmbeddableFile | { readonly fault: ImageFault } | null {
  if (isPng(bytes)) return embeddablePng(bytes, maxPixels);
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    const frame = jpegFrame(bytes);
    if (!frame) return { fault: { kind: 'invalid', message: 'the JPEG has no frame header (SOF) before its image data' } };
    const sizeFault = checkSize(frame.width, frame.height, maxPixels);
    if (sizeFault) return { fault: sizeFault };
    if (bytes[bytes.length - 2] !== 0xff || bytes[bytes.length - 1] !== 0xd9) return { fault: { kind: 'invalid', message: 'the JPEG ends before its end-of-image marker' } };
    return frame.components === 1 || frame.components === 3 ? { bytes, mimeType: 'image/jpeg' } : null;
  }
  return null;
}

function embeddablePng(bytes: Uint8Array, maxPixels: number): EmbeddableFile | { readonly fault: ImageFault } {
  const invalid = (message: string) => ({ fault: { kind: 'invalid', message: `the PNG ${message}` } as const });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const kept: Array<[number, number]> = [];
  let dropped = false;
  let sawData = false;
  for (let at = 8; ; ) {
    if (at + 12 > bytes.length) return invalid('ends before its IEND chunk');
    const length = view.getUint32(at, false);
    const end = at + 12 + length;
    if (length > 0x7fffffff || end > bytes.length) return invalid(`has a chunk longer than the file, at byte ${at}`);
    const type = ascii(bytes, at + 4, 4);
    if (crc32(bytes, at + 4, at + 8 + length) !== view.getUint32(at + 8 + length, false)) return invalid(`chunk ${JSON.stringify(type)} has a wrong CRC (the file is damaged)`);
    if (at === 8) {
      if (type !== 'IHDR' || length !== 13) return invalid('does not start with an IHDR chunk');
      const sizeFault = checkSize(view.getUint32(at + 8, false), view.getUint32(at + 12, false), maxPixels);
      if (sizeFault) return { fault: sizeFault };
    }
    if (PNG_KEPT_CHUNKS.has(type)) kept.push([at, end]);
    else dropped = true;
    if (type === 'IDAT') sawData = true;
    if (type === 'IEND') {
      if (!sawData) return invalid('has no IDAT chunk');
      break;
    }
    at = end;
  }
  if (!dropped && kept[kept.length - 1]![1] === bytes.length) return { bytes, mimeType: 'image/png' };
  const out = new Uint8Array(8 + kept.reduce((n, [a, b]) => n + b - a, 0));
  out.set(bytes.subarray(0, 8));
  let o = 8;
  for (const [a, b] of kept) {
    out.set(bytes.subarray(a, b), o);
    o += b - a;
  }
  return { bytes: out, mimeType: 'image/png' };
}

let crcTable: Uint32Array | undefined;
/** CRC-32 (ISO 3309, as PNG uses it) of bytes [from, to). */
function crc32(bytes: Uint8Array, from: number, to: number): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = from; i < to; i++) c = crcTable[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function decodeJpegImage(bytes: Uint8Array, maxPixels: number): ImageResult {
  const size = jpegFrame(bytes);
  if (!size) return fault('invalid', 'the JPEG has no frame header (SOF) before its image data');
  const sizeFault = checkSize(size.width, size.height, maxPixels);
  if (sizeFault) return { ok: false, fault: sizeFault };
  try {
    const decoded = decodeJpeg(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: Math.ceil(maxPixels / 1e6), maxMemoryUsageInMB: Math.ceil((maxPixels * 12) / 2 ** 20) + 64 });
    return { ok: true, image: { width: decoded.width, height: decoded.height, rgba: decoded.data }, format: 'JPEG', clamped: 0 };
  } catch (e) {
    return fault('invalid', `the JPEG does not decode: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * Size and component count from a JPEG's first frame header, read the way glTF readers read it (the
 * Khronos validator's JPEG reader): after the leading 0xFF, every byte is a marker; markers without a
 * segment (SOI, EOI, RSTn, TEM, 0xFF fill) are skipped; the others are followed by a big-endian
 * length. A frame header (SOF0 … SOF15 except DHT, JPG and DAC; DHP) must be whole. Image data (SOS)
 * before any frame header, a length below 2 or a segment running past the end: undefined.
 */
function jpegFrame(b: Uint8Array): { width: number; height: number; components: number } | undefined {
  if (b[0] !== 0xff) return undefined;
  for (let at = 1; at < b.length; ) {
    const marker = b[at]!;
    if (marker === 0x01 || (marker & 0xf8) === 0xd0 || marker === 0xd8 || marker === 0xd9 || marker === 0xff) {
      at++;
      continue;
    }
    if (at + 2 >= b.length) return undefined;
    const length = (b[at + 1]! << 8) | b[at + 2]!;
    if (length < 2 || at + 1 + length > b.length || marker === 0xda) return undefined;
    if (((marker & 0xf0) === 0xc0 && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) || marker === 0xde) {
      // Precision, height, width, component count, then 3 bytes per component.
      if (length < 8) return undefined;
      return { height: (b[at + 4]! << 8) | b[at + 5]!, width: (b[at + 6]! << 8) | b[at + 7]!, components: b[at + 8]! };
    }
    at += 1 + length;
  }
  return undefined;
}

function ascii(b: Uint8Array, from: number, length: number): string {
  let s = '';
  for (let i = from; i < Math.min(b.length, from + length); i++) s += String.fromCharCode(b[i]!);
  return s;
}
