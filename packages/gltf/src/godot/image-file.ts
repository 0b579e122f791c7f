import { decode as decodeJpeg } from 'jpeg-js';
import { checkSize, decodePngImage, fault, type ImageResult } from './image.js';

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
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return decodePngImage(bytes, maxPixels);
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return decodeJpegImage(bytes, maxPixels);
  const known = UNDECODED_FILES.find((f) => f.test(bytes));
  if (known) return fault('not-decoded', `a ${known.name} file is not decoded (PNG and JPEG files are)`);
  return fault('not-decoded', 'the file is neither PNG nor JPEG (the formats that are decoded)');
}

function decodeJpegImage(bytes: Uint8Array, maxPixels: number): ImageResult {
  const size = jpegSize(bytes);
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

/** Width and height from a JPEG's first frame header (SOF0 … SOF15 except DHT, JPG and DAC). */
function jpegSize(b: Uint8Array): { width: number; height: number } | undefined {
  let at = 2;
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) return undefined;
    const marker = b[at + 1]!;
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    const length = (b[at + 2]! << 8) | b[at + 3]!;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (at + 9 > b.length) return undefined;
      return { height: (b[at + 5]! << 8) | b[at + 6]!, width: (b[at + 7]! << 8) | b[at + 8]! };
    }
    if (marker === 0xda || length < 2) return undefined; // image data before any frame header
    at += 2 + length;
  }
  return undefined;
}

function ascii(b: Uint8Array, from: number, length: number): string {
  let s = '';
  for (let i = from; i < Math.min(b.length, from + length); i++) s += String.fromCharCode(b[i]!);
  return s;
}
