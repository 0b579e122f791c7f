/**
 * Textures the document names by `res://` path (G-FILE): with `projectDir` (Node) or `files`, PNG and
 * JPEG files are decoded and embedded like the document's own images (slots, packing, sharing);
 * anything that cannot or must not be read is reported and the export goes on. Every GLB passes the
 * Khronos validator with 0 errors and 0 warnings.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { crc32 } from 'node:zlib';
import { join } from 'node:path';
import { Document, NodeIO, type Texture } from '@gltf-transform/core';
import { decode as decodePng, encode as encodePng } from 'fast-png';
import { decode as decodeJpeg, encode as encodeJpeg } from 'jpeg-js';
import { afterAll, describe, expect, it } from 'vitest';
import { closeExportWorker, exportGlb, exportGlbSync, glbFromTree, GltfExportError, type GlbBytes } from '../../../src/index.js';
import type { GodotValue, ResourceRecord } from '../../../src/scene-types.js';
import { readGlb, validate } from '../../helpers/glb.js';
import { rng } from '../../helpers/random.js';
import { sceneFromTree } from '../../helpers/scene-doc.js';
import { node, ref, res, tangentQuad, tree } from '../../helpers/scenes.js';

const ext = (path: string): GodotValue => ({ type: 'ExtResource', path, resourceType: 'Texture2D' } as unknown as GodotValue);

/** W × H pixels, each channel a different function of x and y. */
function pattern(w: number, h: number, seed: number): Uint8Array {
  const out = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 4;
      out[i] = (x * 37 + y * 11 + seed * 5) & 255;
      out[i + 1] = (x * 13 + y * 29 + seed) & 255;
      out[i + 2] = (x * 7 + y * 3 + seed * 3) & 255;
      out[i + 3] = 255 - ((x + y * w + seed) % 64);
    }
  }
  return out;
}
const png = (w: number, h: number, seed: number): Uint8Array => encodePng({ width: w, height: h, data: pattern(w, h, seed), channels: 4, depth: 8 });
/** A smooth opaque JPEG (quality 95), so its decoded pixels are close to the pattern. */
const jpeg = (w: number, h: number): Uint8Array => {
  const data = new Uint8Array(w * h * 4);
  for (let i = 0; i < w * h; i++) data.set([(i % w) * 8, Math.floor(i / w) * 8, 128, 255], i * 4);
  return new Uint8Array(encodeJpeg({ width: w, height: h, data }, 95).data);
};

function sceneOf(materials: ResourceRecord[]) {
  const nodes = materials.map((m) => node(m.id, 'MeshInstance3D', { mesh: ref('quad'), material_override: ref(m.id) }));
  return tree(node('Root', 'Node3D', {}, nodes), [tangentQuad(), ...materials]);
}

async function checked(glb: GlbBytes) {
  const v = await validate(glb);
  expect(v.messages).toEqual([]);
  expect([v.errors, v.warnings]).toEqual([0, 0]);
  const doc = await readGlb(glb);
  const byName = new Map(doc.getRoot().listNodes().filter((n) => n.getMesh()).map((n) => [n.getName(), n.getMesh()!.listPrimitives()[0]!.getMaterial()!]));
  return { doc, material: (name: string) => byName.get(name)! };
}

/** RGBA bytes of a glTF texture's PNG. */
function rgbaOf(texture: Texture | null): Uint8Array {
  expect(texture?.getMimeType()).toBe('image/png');
  const image = decodePng(texture!.getImage()!);
  const out = new Uint8Array(image.width * image.height * 4);
  for (let i = 0; i < image.width * image.height; i++) {
    for (let c = 0; c < 4; c++) out[i * 4 + c] = c < image.channels ? image.data[i * image.channels + c]! : 255;
  }
  return out;
}

const dirs: string[] = [];
function project(files: Record<string, Uint8Array | string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'scenesync-files-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'project.godot'), 'config_version=5\n');
  for (const [path, bytes] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), bytes);
  }
  return dir;
}
afterAll(async () => {
  await closeExportWorker();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const ALBEDO = png(6, 4, 1);
const NORMAL = png(4, 4, 2);
const JPEG = jpeg(8, 8);

describe('file textures from the project directory (G-FILE)', () => {
  it('a PNG albedo, a JPEG roughness and a PNG normal map are embedded with their pixels', async () => {
    const dir = project({ 'textures/wood.png': ALBEDO, 'textures/rough.jpg': JPEG, 'maps/normal.png': NORMAL });
    const glb = exportGlbSync(sceneOf([
      res('Albedo', 'StandardMaterial3D', { albedo_texture: ext('res://textures/wood.png') }),
      res('Rough', 'StandardMaterial3D', { roughness_texture: ext('res://textures/rough.jpg'), roughness_texture_channel: 1n }),
      res('Normal', 'StandardMaterial3D', { normal_enabled: true, normal_texture: ext('res://maps/normal.png') }),
    ]), { projectDir: dir });
    expect(glb.report.issues.filter((i) => i.rule.startsWith('G-MAT') || i.rule.startsWith('G-FILE'))).toEqual([]);
    const { doc, material } = await checked(glb);
    expect(doc.getRoot().listTextures().length).toBe(3);

    const albedo = material('Albedo').getBaseColorTexture()!;
    expect(albedo.getName()).toBe('wood');
    expect(rgbaOf(albedo)).toEqual(pattern(6, 4, 1));

    // Roughness read from the JPEG's green channel (roughness_texture_channel GREEN) into G of the packed image.
    const decoded = decodeJpeg(JPEG, { useTArray: true, formatAsRGBA: true });
    const packed = rgbaOf(material('Rough').getMetallicRoughnessTexture());
    for (let i = 0; i < 64; i++) expect(packed[i * 4 + 1], `pixel ${i}`).toBe(decoded.data[i * 4 + 1]);

    // Normal map: red and green as in the file, blue recomputed (G-MAT-8).
    const normal = rgbaOf(material('Normal').getNormalTexture());
    const source = pattern(4, 4, 2);
    for (let i = 0; i < 16; i++) expect([normal[i * 4], normal[i * 4 + 1]]).toEqual([source[i * 4], source[i * 4 + 1]]);
  });

  it('a PNG or JPEG used as it is goes in undecoded: the JPEG byte for byte, the PNG without the chunks glTF warns about (G-FILE-3)', async () => {
    // A PNG as image editors write it: colour profile, gamma, chromaticities, pixel aspect, text.
    const chunk = (type: string, data: number[]): Uint8Array => {
      const body = Uint8Array.from([...Buffer.from(type, 'latin1'), ...data]);
      const out = new Uint8Array(12 + data.length);
      new DataView(out.buffer).setUint32(0, data.length);
      out.set(body, 4);
      new DataView(out.buffer).setUint32(8 + data.length, crc32(body));
      return out;
    };
    const iend = ALBEDO.length - 12;
    const extras = [chunk('gAMA', [0, 0, 0xaf, 0xc8]), chunk('cHRM', new Array(32).fill(1)), chunk('pHYs', [0, 0, 0x0b, 0x13, 0, 0, 0x0e, 0xc4, 1]), chunk('iCCP', [...Buffer.from('x\0\0'), 1, 2, 3]), chunk('tEXt', [...Buffer.from('Software\0paint')])];
    const dressed = Uint8Array.from([...ALBEDO.subarray(0, 33), ...extras.flatMap((c) => [...c]), ...ALBEDO.subarray(33, iend), ...ALBEDO.subarray(iend)]);
    const dir = project({ 'photo.jpg': JPEG, 'painted.png': dressed, 'damaged.png': Uint8Array.from(ALBEDO, (b, i) => (i === 60 ? b ^ 1 : b)) });
    const glb = exportGlbSync(sceneOf([
      res('Photo', 'StandardMaterial3D', { albedo_texture: ext('res://photo.jpg') }),
      res('Painted', 'StandardMaterial3D', { emission_enabled: true, emission_texture: ext('res://painted.png') }),
      res('Damaged', 'StandardMaterial3D', { albedo_texture: ext('res://damaged.png') }),
    ]), { projectDir: dir });
    const { material } = await checked(glb);
    const photo = material('Photo').getBaseColorTexture()!;
    expect(photo.getMimeType()).toBe('image/jpeg');
    expect(photo.getImage()).toEqual(JPEG);
    const painted = material('Painted').getEmissiveTexture()!;
    expect(painted.getImage()!.length).toBe(ALBEDO.length);
    expect(rgbaOf(painted)).toEqual(pattern(6, 4, 1));
    expect(glb.report.issues.find((i) => i.resourceId === 'Damaged')).toMatchObject({ code: 'INVALID_IMAGE_DATA', property: 'albedo_texture' });
    expect(glb.report.issues.find((i) => i.resourceId === 'Damaged')!.message).toContain('wrong CRC');
    // The same PNG embedded as it is would not pass: the validator warns about its colour chunks.
    const raw = new Document();
    raw.createBuffer();
    raw.createMaterial().setBaseColorTexture(raw.createTexture().setImage(dressed).setMimeType('image/png'));
    const unstripped = await validate(await new NodeIO().writeBinary(raw));
    expect(unstripped.messages.join('\n')).toContain('IMAGE_FEATURES_UNSUPPORTED');
  });

  it('one file used by two materials is one image in the GLB (G-MAT-10)', async () => {
    const dir = project({ 'shared.png': ALBEDO });
    const glb = exportGlbSync(sceneOf([
      res('A', 'StandardMaterial3D', { albedo_texture: ext('res://shared.png') }),
      res('B', 'StandardMaterial3D', { albedo_texture: ext('res://shared.png'), albedo_color: { type: 'Color', value: [1, 0, 0, 1] } }),
    ]), { projectDir: dir });
    const { doc } = await checked(glb);
    expect(doc.getRoot().listTextures().length).toBe(1);
  });

  it('options.files gives the same GLB as the directory, and wins over it for the paths it names', async () => {
    const materials = [res('Albedo', 'StandardMaterial3D', { albedo_texture: ext('res://textures/wood.png') })];
    const dir = project({ 'textures/wood.png': png(6, 4, 9) });
    const fromFiles = exportGlbSync(sceneOf(materials), { files: { 'res://textures/wood.png': ALBEDO } });
    const both = exportGlbSync(sceneOf(materials), { projectDir: dir, files: { 'res://textures/wood.png': ALBEDO } });
    expect(rgbaOf((await checked(fromFiles)).material('Albedo').getBaseColorTexture())).toEqual(pattern(6, 4, 1));
    expect(rgbaOf((await checked(both)).material('Albedo').getBaseColorTexture())).toEqual(pattern(6, 4, 1));
  });

  it('without projectDir or files the texture is reported, with how to embed it', () => {
    const glb = glbFromTree(sceneOf([res('Albedo', 'StandardMaterial3D', { albedo_texture: ext('res://textures/wood.png') })]));
    const issue = glb.report.issues.find((i) => i.code === 'TEXTURE_WITHOUT_IMAGE')!;
    expect(issue.message).toContain('options.projectDir');
    expect(issue.property).toBe('albedo_texture');
  });

  it('hostile or broken files are reported and the export goes on: nothing outside the project is read', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'scenesync-outside-'));
    dirs.push(outside);
    writeFileSync(join(outside, 'secret.png'), ALBEDO);
    const webp = Uint8Array.from([...Buffer.from('RIFF'), 26, 0, 0, 0, ...Buffer.from('WEBPVP8L'), 13, 0, 0, 0, 0x2f, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const dir = project({
      'big.png': png(64, 64, 3),
      'broken.png': ALBEDO.subarray(0, 40),
      'cut.jpg': JPEG.subarray(0, 30),
      'image.webp': webp,
      'notes.txt': 'not an image',
      'folder.png/inner.png': ALBEDO,
    });
    symlinkSync(join(outside, 'secret.png'), join(dir, 'link.png'));
    const cases: Array<[string, string, string]> = [
      ['Escape', 'res://../' + outside.split('/').pop() + '/secret.png', 'is not a res:// path inside the project'],
      ['Link', 'res://link.png', 'leads outside the project directory'],
      ['Missing', 'res://nowhere.png', 'is not in the project directory'],
      ['Folder', 'res://folder.png', 'is not a file'],
      ['Big', 'res://big.png', 'more than maxFileBytes'],
      ['Scheme', 'user://wood.png', 'is not a res:// path'],
    ];
    const decodeCases: Array<[string, string, string]> = [
      ['Broken', 'res://broken.png', 'INVALID_IMAGE_DATA'],
      ['Cut', 'res://cut.jpg', 'INVALID_IMAGE_DATA'],
      ['Webp', 'res://image.webp', 'TEXTURE_NOT_DECODED'],
      ['Text', 'res://notes.txt', 'TEXTURE_NOT_DECODED'],
    ];
    const materials = [...cases, ...decodeCases].map(([name, path]) => res(name, 'StandardMaterial3D', { albedo_texture: ext(path) }));
    const glb = exportGlbSync(sceneOf([...materials, res('Good', 'StandardMaterial3D', { albedo_texture: ext('res://folder.png/inner.png') })]), { projectDir: dir, maxFileBytes: 4096 });
    const { material } = await checked(glb);
    for (const [name, path, reason] of cases) {
      const issue = glb.report.issues.find((i) => i.resourceId === name);
      expect(issue, name).toMatchObject({ code: 'TEXTURE_WITHOUT_IMAGE', rule: 'G-FILE-1', property: 'albedo_texture' });
      expect(issue!.message, name).toContain(path);
      expect(issue!.message, name).toContain(reason);
      expect(material(name).getBaseColorTexture(), name).toBeNull();
    }
    for (const [name, , code] of decodeCases) {
      expect(glb.report.issues.find((i) => i.resourceId === name), name).toMatchObject({ code, rule: 'G-MAT-7', property: 'albedo_texture' });
      expect(material(name).getBaseColorTexture(), name).toBeNull();
    }
    expect(glb.report.issues.find((i) => i.resourceId === 'Webp')!.message).toContain('WebP');
    expect(rgbaOf(material('Good').getBaseColorTexture())).toEqual(pattern(6, 4, 1));
  });

  it('a JPEG above maxTexturePixels is refused from its header, before decoding', () => {
    const dir = project({ 'large.jpg': jpeg(64, 64) });
    const glb = exportGlbSync(sceneOf([res('Large', 'StandardMaterial3D', { albedo_texture: ext('res://large.jpg') })]), { projectDir: dir, maxTexturePixels: 1000 });
    expect(glb.report.issues.find((i) => i.resourceId === 'Large')).toMatchObject({ code: 'IMAGE_TOO_LARGE' });
  });

  it('wrong options are caller errors with a clear message', () => {
    const scene = sceneOf([]);
    const bad: Array<[Record<string, unknown>, RegExp]> = [
      [{ projectDir: '' }, /options\.projectDir must be a non-empty string/],
      [{ projectDir: 42 }, /options\.projectDir must be a non-empty string/],
      [{ files: [] }, /options\.files must be an object/],
      [{ files: { 'textures/a.png': new Uint8Array(1) } }, /is not a res:\/\/ path inside the project/],
      [{ files: { 'res://../a.png': new Uint8Array(1) } }, /is not a res:\/\/ path inside the project/],
      [{ files: { 'res://a.png': 'text' } }, /must be a Uint8Array/],
      [{ maxFileBytes: 0 }, /options\.maxFileBytes must be a number > 0/],
    ];
    for (const [options, message] of bad) {
      let error: unknown;
      try {
        exportGlbSync(scene, options as never);
      } catch (e) {
        error = e;
      }
      expect(error, JSON.stringify(options)).toBeInstanceOf(GltfExportError);
      expect((error as GltfExportError).code).toBe('INVALID_ARGUMENT');
      expect((error as Error).message).toMatch(message);
    }
  });
});

describe('file textures through the export worker', () => {
  it('the worker reads the project directory, and an edited file is read again on the next export', async () => {
    const dir = project({ 'wood.png': ALBEDO });
    const scene = sceneFromTree(sceneOf([res('Albedo', 'StandardMaterial3D', { albedo_texture: ext('res://wood.png') })]));
    const first = await exportGlb(scene, { projectDir: dir });
    expect(rgbaOf((await checked(first)).material('Albedo').getBaseColorTexture())).toEqual(pattern(6, 4, 1));

    writeFileSync(join(dir, 'wood.png'), png(6, 4, 7));
    utimesSync(join(dir, 'wood.png'), new Date(), new Date(Date.now() + 5000)); // a new version even on coarse clocks
    const second = await exportGlb(scene, { projectDir: dir });
    expect(rgbaOf((await checked(second)).material('Albedo').getBaseColorTexture())).toEqual(pattern(6, 4, 7));

    const viaFiles = await exportGlb(scene, { files: { 'res://wood.png': ALBEDO } });
    expect(rgbaOf((await checked(viaFiles)).material('Albedo').getBaseColorTexture())).toEqual(pattern(6, 4, 1));
  });
});

describe('damaged texture files (seeded fuzz)', () => {
  it('mutated PNG and JPEG files, used as they are and decoded, never throw: each is embedded or reported, and every GLB validates', async () => {
    const seed = Number(process.env.SCENESYNC_SEED ?? 9137);
    const random = rng(seed);
    const pick = (n: number): number => Math.floor(random() * n);
    /** A copy with bytes flipped, cut, or a PNG chunk's CRC set right again (a consistent but odd file). */
    const mutate = (source: Uint8Array): Uint8Array => {
      const out = Uint8Array.from(source);
      switch (pick(4)) {
        case 0:
          for (let k = 0, n = 1 + pick(4); k < n; k++) {
            const at = pick(out.length);
            out[at] = out[at]! ^ (1 << pick(8));
          }
          return out;
        case 1:
          return out.subarray(0, pick(out.length));
        case 2: {
          // Inside the PNG header chunk (size, depth, colour type…), CRC recomputed.
          if (out[1] !== 0x50) return out.subarray(0, out.length - 1 - pick(8));
          out[16 + pick(13)] = pick(256);
          new DataView(out.buffer).setUint32(29, crc32(out.subarray(12, 29)));
          return out;
        }
        default:
          return Uint8Array.from([...out.subarray(0, pick(out.length)), ...Array.from({ length: pick(64) }, () => pick(256))]);
      }
    };
    for (let round = 0; round < 40; round++) {
      const files: Record<string, Uint8Array> = {};
      const materials: ResourceRecord[] = [];
      for (let i = 0; i < 6; i++) {
        const path = `res://fuzz/${i}.${i % 2 ? 'jpg' : 'png'}`;
        files[path] = mutate(i % 2 ? JPEG : ALBEDO);
        materials.push(res(`Plain${i}`, 'StandardMaterial3D', { albedo_texture: ext(path) }));
        materials.push(res(`Decoded${i}`, 'StandardMaterial3D', { roughness_texture: ext(path) }));
      }
      let glb: GlbBytes;
      try {
        glb = exportGlbSync(sceneOf(materials), { files });
      } catch (e) {
        throw new Error(`seed ${seed} round ${round} (SCENESYNC_SEED=${seed} replays it): the export threw ${(e as Error).message}`);
      }
      const v = await validate(glb);
      expect([v.errors, v.warnings], `seed ${seed} round ${round}: ${v.messages.join('; ')}`).toEqual([0, 0]);
      const doc = await readGlb(glb);
      for (const node of doc.getRoot().listNodes().filter((n) => n.getMesh())) {
        const material = node.getMesh()!.listPrimitives()[0]!.getMaterial()!;
        const written = material.getBaseColorTexture() ?? material.getMetallicRoughnessTexture();
        const reported = glb.report.issues.some((i) => i.resourceId === node.getName() && ['INVALID_IMAGE_DATA', 'TEXTURE_NOT_DECODED', 'IMAGE_TOO_LARGE'].includes(i.code));
        expect(Boolean(written) !== reported, `seed ${seed} round ${round}: ${node.getName()} is written xor reported`).toBe(true);
      }
    }
  });
});
