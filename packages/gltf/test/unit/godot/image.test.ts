/**
 * G-MAT-7: every Godot Image format decoder against hand-made bytes (layouts from Godot 4's
 * core/io/image.cpp `_get_color_at_ofs`), and hostile image data: a clear fault, never an exception,
 * never an allocation sized by the input.
 */
import { encode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { DECODED_IMAGE_FORMATS, decodeImageData, decodePngImage, decodePortableTexture, halfToFloat, type ImageResult } from '../../../src/godot/image.js';
import type { GodotValue } from '../../../src/scene-types.js';
import { rng } from '../../helpers/random.js';

const CAP = 16_777_216;

function imageData(format: string, width: number, height: number, bytes: number[] | Uint8Array, mipmaps = false): GodotValue {
  return {
    type: 'Dictionary',
    entries: [
      ['data', { type: 'PackedByteArray', value: bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes) }],
      ['format', format],
      ['height', BigInt(height)],
      ['mipmaps', mipmaps],
      ['width', BigInt(width)],
    ],
  };
}

function pixels(result: ImageResult): number[] {
  if (!result.ok) throw new Error(`decode failed: ${result.fault.message}`);
  return Array.from(result.image.rgba);
}

const le16 = (...v: number[]): number[] => v.flatMap((x) => [x & 0xff, x >> 8]);
const f32 = (...v: number[]): number[] => Array.from(new Uint8Array(new Float32Array(v).buffer));
const le32 = (...v: number[]): number[] => v.flatMap((x) => [x & 0xff, (x >>> 8) & 0xff, (x >>> 16) & 0xff, x >>> 24]);

describe('Godot Image formats → RGBA8 (G-MAT-7)', () => {
  const cases: Array<[string, number[], number[]]> = [
    // format, one or two pixels of data, expected RGBA
    ['Lum8', [0, 200], [0, 0, 0, 255, 200, 200, 200, 255]],
    ['LumAlpha8', [10, 20, 30, 40], [10, 10, 10, 20, 30, 30, 30, 40]],
    ['Red8', [7, 250], [7, 0, 0, 255, 250, 0, 0, 255]],
    ['RedGreen', [1, 2, 3, 4], [1, 2, 0, 255, 3, 4, 0, 255]],
    ['RGB8', [1, 2, 3, 4, 5, 6], [1, 2, 3, 255, 4, 5, 6, 255]],
    ['RGBA8', [1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 3, 4, 5, 6, 7, 8]],
    // r in the top nibble of the little-endian u16; 4 bits × 17.
    ['RGBA4444', le16(0xf80f, 0x1234), [255, 136, 0, 255, 17, 34, 51, 68]],
    // r 5 bits at the top, g 6, b 5: Godot names FORMAT_RGB565 "RGBA5551" in files.
    ['RGBA5551', le16(0xf800, 0x07ff), [255, 0, 0, 255, 0, 255, 255, 255]],
    ['RGB565', le16(0x0400, 0x001f), [0, Math.round((32 / 63) * 255), 0, 255, 0, 0, 255, 255]],
    ['RFloat', f32(0.25, 1), [64, 0, 0, 255, 255, 0, 0, 255]],
    ['RGFloat', f32(0.5, 0, 1, 0.2), [128, 0, 0, 255, 255, 51, 0, 255]],
    ['RGBFloat', f32(0, 0.5, 1, 0.2, 0.4, 0.6), [0, 128, 255, 255, 51, 102, 153, 255]],
    ['RGBAFloat', f32(1, 0, 0, 0.5, 0, 1, 0, 1), [255, 0, 0, 128, 0, 255, 0, 255]],
    // binary16: 0x3c00 = 1, 0x3800 = 0.5, 0x3400 = 0.25, 0 = 0.
    ['RHalf', le16(0x3800, 0x3c00), [128, 0, 0, 255, 255, 0, 0, 255]],
    ['RGHalf', le16(0x3400, 0x3800, 0, 0x3c00), [64, 128, 0, 255, 0, 255, 0, 255]],
    ['RGBHalf', le16(0x3c00, 0x3800, 0x3400, 0, 0, 0x3c00), [255, 128, 64, 255, 0, 0, 255, 255]],
    ['RGBAHalf', le16(0x3c00, 0, 0, 0x3800, 0, 0x3400, 0, 0x3c00), [255, 0, 0, 128, 0, 64, 0, 255]],
    // Shared exponent 24 (scale 2^0): mantissa 1 → 1.0; exponent 23 → 0.5.
    ['RGBE9995', le32((24 << 27) | 1, (23 << 27) | (1 << 9) | (1 << 18)), [255, 0, 0, 255, 0, 128, 128, 255]],
    ['R16', le16(65535, 32768), [255, 0, 0, 255, 128, 0, 0, 255]],
    ['RG16', le16(0, 65535, 65535, 0), [0, 255, 0, 255, 255, 0, 0, 255]],
    ['RGB16', le16(65535, 0, 65535, 0, 0, 0), [255, 0, 255, 255, 0, 0, 0, 255]],
    ['RGBA16', le16(0, 0, 0, 0, 65535, 65535, 65535, 65535), [0, 0, 0, 0, 255, 255, 255, 255]],
  ];
  for (const [format, data, expected] of cases) {
    it(`${format}`, () => {
      const r = decodeImageData(imageData(format, 2, 1, data), CAP);
      expect(pixels(r)).toEqual(expected);
    });
  }

  it('every decoded format has a case above', () => {
    expect(new Set(cases.map((c) => c[0]))).toEqual(new Set(DECODED_IMAGE_FORMATS));
  });

  it('reads mip level 0 of a mipmapped image (the whole chain must be there)', () => {
    // 4×2 RGBA8 with mipmaps: 4×2 + 2×1 + 1×1 = 11 pixels.
    const chain = Array.from({ length: 11 * 4 }, (_, i) => i);
    const r = decodeImageData(imageData('RGBA8', 4, 2, chain, true), CAP);
    expect(pixels(r)).toEqual(chain.slice(0, 32));
    const short = decodeImageData(imageData('RGBA8', 4, 2, chain.slice(0, 32), true), CAP);
    expect(short.ok).toBe(false);
  });

  it('clamps float values outside [0, 1] (NaN → 0) and counts them', () => {
    const r = decodeImageData(imageData('RGBAFloat', 1, 1, f32(2, -1, NaN, 0.5)), CAP);
    expect(pixels(r)).toEqual([255, 0, 0, 128]);
    expect(r.ok && r.clamped).toBe(3);
  });

  it('half floats: subnormals, infinities and NaN', () => {
    expect(halfToFloat(0x0001)).toBe(2 ** -24);
    expect(halfToFloat(0x7c00)).toBe(Infinity);
    expect(halfToFloat(0xfc00)).toBe(-Infinity);
    expect(halfToFloat(0x7e00)).toBeNaN();
    expect(halfToFloat(0xc000)).toBe(-2);
    expect(halfToFloat(0x3555)).toBeCloseTo(1 / 3, 3);
  });

  it('reads a little-endian buffer at an odd byte offset', () => {
    const backing = new Uint8Array(9);
    backing.set(f32(0.5, 1), 1);
    const r = decodeImageData(imageData('RGFloat', 1, 1, backing.subarray(1)), CAP);
    expect(pixels(r)).toEqual([128, 255, 0, 255]);
  });
});

describe('hostile image data (G-MAT-7)', () => {
  const faultOf = (v: GodotValue | undefined, cap = CAP) => {
    const r = decodeImageData(v, cap);
    if (r.ok) throw new Error('decoded');
    return r.fault;
  };

  it('wrong byte lengths are invalid, with what was expected', () => {
    const f = faultOf(imageData('RGB8', 2, 2, [1, 2, 3]));
    expect(f.kind).toBe('invalid');
    expect(f.message).toContain('needs 12 bytes, the data has 3');
    expect(faultOf(imageData('RGBA8', 1, 1, [1, 2, 3, 4, 5])).kind).toBe('invalid');
  });

  it('absurd sizes are refused before anything is allocated', () => {
    const f = faultOf(imageData('RGBA8', 1_000_000, 1_000_000, [0, 0, 0, 0]));
    expect(f.kind).toBe('too-large');
    expect(faultOf(imageData('RGBA8', 8, 8, new Uint8Array(256)), 63).kind).toBe('too-large');
    expect(faultOf(imageData('RGBA8', 0, 4, [])).kind).toBe('invalid');
    expect(faultOf(imageData('RGBA8', -1, 4, [])).kind).toBe('invalid');
    expect(faultOf(imageData('RGBA8', 2 ** 25, 1, [])).kind).toBe('invalid');
    const huge: GodotValue = { type: 'Dictionary', entries: [['data', { type: 'PackedByteArray', value: new Uint8Array(4) }], ['format', 'RGBA8'], ['height', 1n], ['mipmaps', false], ['width', 2n ** 70n]] };
    expect(faultOf(huge).kind).toBe('invalid');
  });

  it('missing keys and wrong types are invalid', () => {
    expect(faultOf(undefined).kind).toBe('invalid');
    expect(faultOf(null).kind).toBe('invalid');
    expect(faultOf('RGBA8').kind).toBe('invalid');
    expect(faultOf({ type: 'Dictionary', entries: [] }).kind).toBe('invalid');
    expect(faultOf({ type: 'Dictionary', entries: [['format', 5n], ['width', 1n], ['height', 1n], ['mipmaps', false], ['data', { type: 'PackedByteArray', value: new Uint8Array(4) }]] }).kind).toBe('invalid');
    expect(faultOf({ type: 'Dictionary', entries: [['format', 'RGBA8'], ['width', 1.5], ['height', 1n], ['mipmaps', false], ['data', { type: 'PackedByteArray', value: new Uint8Array(4) }]] }).kind).toBe('invalid');
    expect(faultOf({ type: 'Dictionary', entries: [['format', 'RGBA8'], ['width', 1n], ['height', 1n], ['mipmaps', 0n], ['data', { type: 'PackedByteArray', value: new Uint8Array(4) }]] }).kind).toBe('invalid');
    expect(faultOf({ type: 'Dictionary', entries: [['format', 'RGBA8'], ['width', 1n], ['height', 1n], ['mipmaps', false], ['data', [1, 2, 3, 4]]] }).kind).toBe('invalid');
    expect(faultOf(imageData('Lum9', 1, 1, [0])).kind).toBe('invalid');
  });

  it('GPU-compressed formats are reported as not decoded', () => {
    for (const format of ['DXT1 RGB8', 'DXT5 RGBA8', 'BPTC_RGBA', 'ETC2_RGBA8', 'ASTC_4x4', 'RGBA16Int']) {
      expect(faultOf(imageData(format, 4, 4, new Uint8Array(16))).kind).toBe('not-decoded');
    }
  });

  it('seeded random corruption never throws (SEED replays)', () => {
    const seed = Number(process.env.SEED ?? 777);
    const r = rng(seed);
    const formats = [...DECODED_IMAGE_FORMATS, 'DXT1 RGB8', 'nope'];
    for (let i = 0; i < 2000; i++) {
      const w = Math.floor(r() * 6) - 1;
      const h = Math.floor(r() * 6) - 1;
      const bytes = new Uint8Array(Math.floor(r() * 80));
      for (let k = 0; k < bytes.length; k++) bytes[k] = Math.floor(r() * 256);
      const v = imageData(formats[Math.floor(r() * formats.length)]!, w, h, bytes, r() < 0.3);
      let result: ImageResult | undefined;
      expect(() => (result = decodeImageData(v, CAP)), `seed ${seed}, case ${i}`).not.toThrow();
      if (result!.ok) expect(result!.image.rgba.length, `seed ${seed}, case ${i}`).toBe(result!.image.width * result!.image.height * 4);
    }
  });
});

describe('PortableCompressedTexture2D and PNG data (G-MAT-7)', () => {
  const header = (mode: number, dataFormat: number, width: number, height: number): number[] => [...le16(mode, dataFormat), ...le32(5, 1, width, height)];

  it('decodes a PNG level 0 and refuses WebP, Basis and GPU data as not decoded', () => {
    const png = encode({ width: 2, height: 1, data: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]), channels: 4, depth: 8 });
    const data = Uint8Array.from([...header(0, 2, 2, 1), ...le32(png.length), ...png]);
    expect(pixels(decodePortableTexture(data, CAP))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    // As Godot's PNG packer writes it: "PNG " before the file.
    const godot = Uint8Array.from([...header(0, 2, 2, 1), ...le32(png.length + 4), 0x50, 0x4e, 0x47, 0x20, ...png]);
    expect(pixels(decodePortableTexture(godot, CAP))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const webp = Uint8Array.from([...header(0, 3, 2, 1), ...le32(4), 0x52, 0x49, 0x46, 0x46]);
    const res = decodePortableTexture(webp, CAP);
    expect(!res.ok && res.fault.kind).toBe('not-decoded');
    expect(!res.ok && res.fault.message).toContain('WebP');
    const s3tc = decodePortableTexture(Uint8Array.from([...header(3, 1, 4, 4), ...new Array(8).fill(0)]), CAP);
    expect(!s3tc.ok && s3tc.fault.kind).toBe('not-decoded');
  });

  it('hostile headers: short data, a level longer than the data, absurd sizes, broken PNG', () => {
    const kind = (r: ImageResult) => (r.ok ? 'ok' : r.fault.kind);
    expect(kind(decodePortableTexture(undefined, CAP))).toBe('invalid');
    expect(kind(decodePortableTexture(new Uint8Array(10), CAP))).toBe('invalid');
    expect(kind(decodePortableTexture(Uint8Array.from([...header(0, 2, 2, 1), ...le32(1000), 1, 2]), CAP))).toBe('invalid');
    expect(kind(decodePortableTexture(Uint8Array.from([...header(0, 2, 100000, 100000), ...le32(0)]), CAP))).toBe('too-large');
    const png = encode({ width: 2, height: 2, data: new Uint8Array(16), channels: 4, depth: 8 });
    const broken = png.slice();
    broken.fill(7, 40);
    expect(kind(decodePngImage(broken, CAP))).toBe('invalid');
    const lying = png.slice();
    new DataView(lying.buffer).setUint32(16, 70000);
    new DataView(lying.buffer).setUint32(20, 70000);
    expect(kind(decodePngImage(lying, CAP))).toBe('too-large');
    expect(kind(decodePngImage(Uint8Array.from([1, 2, 3]), CAP))).toBe('invalid');
  });

  it('greyscale, grey-alpha, RGB, 16-bit and palette PNGs become RGBA8', () => {
    const grey = decodePngImage(encode({ width: 2, height: 1, data: Uint8Array.from([0, 200]), channels: 1, depth: 8 }), CAP);
    expect(pixels(grey)).toEqual([0, 0, 0, 255, 200, 200, 200, 255]);
    const ga = decodePngImage(encode({ width: 1, height: 1, data: Uint8Array.from([9, 90]), channels: 2, depth: 8 }), CAP);
    expect(pixels(ga)).toEqual([9, 9, 9, 90]);
    const rgb16 = decodePngImage(encode({ width: 1, height: 1, data: Uint16Array.from([65535, 0, 32896]), channels: 3, depth: 16 }), CAP);
    expect(pixels(rgb16)).toEqual([255, 0, 128, 255]);
    const pal = decodePngImage(encode({ width: 2, height: 1, data: Uint8Array.from([1, 0]), channels: 1, depth: 8, palette: [[10, 20, 30], [40, 50, 60]] }), CAP);
    expect(pixels(pal)).toEqual([40, 50, 60, 255, 10, 20, 30, 255]);
  });
});
