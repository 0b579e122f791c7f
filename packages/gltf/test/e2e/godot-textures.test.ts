/**
 * Proof of G-MAT-7 … G-MAT-9 against real Godot 4 (headless, one process): Godot builds materials
 * whose textures are ImageTextures of many Image formats (and a PortableCompressedTexture2D), saves
 * them in a .tscn; @scenesync/godot-bridge's importer and our exporter turn it into a GLB (Khronos
 * validator: 0 errors, 0 warnings); the same Godot process imports that GLB with GLTFDocument and we
 * compare every imported texture's pixels and slots with what Godot read from its own images. The GLB's
 * PNGs, read back with glTF-Transform's NodeIO, hold the same pixels. Also: the Godot addon's records
 * for an ImageTexture and its Image (what SceneSyncReplication and SceneSyncValueCodec send, decoded as
 * the sidecar decodes them) equal the .tscn importer's records.
 */
import { spawn } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fromWire, importTscn } from '@scenesync/godot-bridge';
import { decode } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { glbFromTree } from '../../src/export/glb-from-tree.js';
import '../../src/files/node-project-dir.js';
import type { GlbBytes } from '../../src/report.js';
import type { SceneTree } from '../../src/scene-types.js';
import { readGlb, validate } from '../helpers/glb.js';

const GODOT = fileURLToPath(new URL('../../../../godot-bridge/scripts/godot', import.meta.url));
const SCRIPT = fileURLToPath(new URL('./godot/textures.gd', import.meta.url));
const ADDON = fileURLToPath(new URL('../../../../godot-bridge/addons/scenesync/', import.meta.url));
/** 8-bit quantisation: Godot's float reading × 255 against our byte, both rounded differently at most by one. */
const TOLERANCE = 1;

type Pixels = number[]; // [width, height, r, g, b, a, ...] as floats in [0, 1]
interface Imported {
  albedo: Pixels; roughness: Pixels; roughness_channel: number; metallic: Pixels; metallic_channel: number;
  ao_enabled: boolean; ao: Pixels; ao_channel: number; normal_enabled: boolean; normal: Pixels; normal_scale: number;
  emission_enabled: boolean; emission: Pixels; texture_filter: number; texture_repeat: boolean; uv1_scale: number[]; uv1_offset: number[];
}

let workDir: string;
let phase1: { saved: number; sources: Record<string, Record<string, Pixels>>; addon: Record<string, { type: string; props: Record<string, never> }> };
let imported: { error: number; materials: Record<string, Imported> };
let tree: SceneTree;
let glb: GlbBytes;

async function waitFor(path: string, godot: Promise<unknown>, ms: number): Promise<void> {
  const until = Date.now() + ms;
  let ended = false;
  void godot.finally(() => (ended = true));
  for (;;) {
    try {
      await stat(path);
      return;
    } catch {
      if (ended || Date.now() > until) throw new Error(`Godot did not write ${path}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'scenesync-gltf-textures-'));
  await writeFile(join(workDir, 'project.godot'), 'config_version=5\n[application]\nconfig/name="gltf-textures"\n[rendering]\ntextures/lossless_compression/force_png=true\n');
  await copyFile(SCRIPT, join(workDir, 'textures.gd'));
  await copyFile(join(ADDON, 'replication.gd'), join(workDir, 'replication.gd'));
  await copyFile(join(ADDON, 'value_codec.gd'), join(workDir, 'value_codec.gd'));
  const child = spawn(GODOT, ['--path', workDir, '--script', 'res://textures.gd'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()).length > 1e6 && (stderr = stderr.slice(-1e5)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  try {
    await waitFor(join(workDir, 'phase1.json'), exited, 60_000);
    phase1 = JSON.parse(await readFile(join(workDir, 'phase1.json'), 'utf8'));
    tree = importTscn(await readFile(join(workDir, 'textures.tscn'), 'utf8')).tree as unknown as SceneTree;
    glb = glbFromTree(tree, { projectDir: workDir });
    await writeFile(join(workDir, 'textures.glb'), glb);
    await writeFile(join(workDir, 'go'), '');
    await waitFor(join(workDir, 'imported.json'), exited, 60_000);
    await exited;
    imported = JSON.parse(await readFile(join(workDir, 'imported.json'), 'utf8'));
  } catch (e) {
    child.kill();
    throw new Error(`${(e as Error).message}\n${stderr.slice(-4000)}`);
  }
}, 150_000);

afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

/** Pixels as bytes: [width, height, ...rgba 0–255]. */
const bytesOf = (p: Pixels): number[] => [p[0]!, p[1]!, ...p.slice(2).map((v) => Math.round(v * 255))];

function expectPixels(actual: Pixels, expected: Pixels, context: string, channels: ReadonlyArray<number | [number, number]> = [0, 1, 2, 3], tolerance = TOLERANCE): void {
  expect(actual.length, `${context}: pixel count`).toBeGreaterThan(2);
  expect(actual.slice(0, 2), `${context}: size`).toEqual(expected.slice(0, 2));
  const a = bytesOf(actual);
  const e = bytesOf(expected);
  let worst = 0;
  for (let i = 2; i < a.length; i += 4) {
    for (const ch of channels) {
      const [from, to] = typeof ch === 'number' ? [ch, ch] : ch;
      worst = Math.max(worst, Math.abs(a[i + to]! - e[i + from]!));
    }
  }
  expect(worst, `${context}: largest difference in 1/255`).toBeLessThanOrEqual(tolerance);
}

describe('real Godot 4: ImageTextures → GLB → Godot (G-MAT-7 … G-MAT-9)', () => {
  it('Godot saved the scene; our GLB passes the Khronos validator with 0 errors and 0 warnings', async () => {
    expect(phase1.saved).toBe(0);
    const v = await validate(glb);
    expect(v.messages).toEqual([]);
    expect([v.errors, v.warnings]).toEqual([0, 0]);
    expect(imported.error).toBe(0);
    expect(Object.keys(imported.materials).sort()).toEqual(Object.keys(phase1.sources).sort());
    const issues = glb.report.issues.filter((i) => i.rule.startsWith('G-MAT'));
    // Only the UV transform may be reported (when the GLB writer does not register KHR_texture_transform).
    expect(issues.filter((i) => i.rule !== 'G-MAT-9')).toEqual([]);
  });

  it('every Image format comes back with the same pixels (albedo)', () => {
    const formats = Object.keys(phase1.sources).filter((k) => k.startsWith('F_'));
    expect(formats.length).toBe(19);
    for (const name of formats) expectPixels(imported.materials[name]!.albedo, phase1.sources[name]!.albedo!, name);
  });

  it('the PNGs in the GLB, read back with NodeIO, hold the pixels Godot read from its images', async () => {
    const doc = await readGlb(glb);
    const byName = new Map(doc.getRoot().listNodes().map((n) => [n.getName(), n]));
    for (const name of Object.keys(phase1.sources).filter((k) => k.startsWith('F_') || k === 'S_portable')) {
      const texture = byName.get(name)!.getMesh()!.listPrimitives()[0]!.getMaterial()!.getBaseColorTexture()!;
      const png = decode(texture.getImage()!);
      const pixels: Pixels = [png.width, png.height];
      for (let i = 0; i < png.width * png.height; i++) for (let c = 0; c < 4; c++) pixels.push(c < png.channels ? png.data[i * png.channels + c]! / 255 : 1);
      expectPixels(pixels, phase1.sources[name]!.albedo!, `${name} (NodeIO)`);
    }
  });

  it('texture files of the project (a PNG albedo, a JPEG roughness packed into metallic-roughness) are embedded from projectDir and come back (G-FILE)', () => {
    const png = tree.resources[(tree.children.find((n) => n.name === 'P_file_png')!.props.material_override as { id: string }).id]!;
    expect(png.props.albedo_texture).toMatchObject({ type: 'ExtResource', path: 'res://file_albedo.png' });
    expect(glb.report.issues.filter((i) => i.code === 'TEXTURE_WITHOUT_IMAGE')).toEqual([]);
    expectPixels(imported.materials.P_file_png!.albedo, phase1.sources.P_file_png!.albedo!, 'PNG file');
    // Two JPEG decoders (Godot's and jpeg-js) reconstruct the same file a little differently (chroma
    // upsampling, IDCT rounding): measured up to 7/255 on this gradient's green channel.
    expect(imported.materials.P_file_jpg!.roughness_channel).toBe(1);
    expectPixels(imported.materials.P_file_jpg!.roughness, phase1.sources.P_file_jpg!.roughness!, 'JPEG file (G → G)', [[1, 1]], 8);
  });

  it('a JPEG file used as albedo is embedded as it is (G-FILE-3): Godot decodes it exactly as it decodes its own file', async () => {
    const doc = await readGlb(glb);
    const texture = doc.getRoot().listNodes().find((n) => n.getName() === 'P_file_jpg_albedo')!.getMesh()!.listPrimitives()[0]!.getMaterial()!.getBaseColorTexture()!;
    expect(texture.getMimeType()).toBe('image/jpeg');
    expect(texture.getImage()).toEqual(new Uint8Array(await readFile(join(workDir, 'file_rough.jpg'))));
    expectPixels(imported.materials.P_file_jpg_albedo!.albedo, phase1.sources.P_file_jpg_albedo!.albedo!, 'JPEG albedo', [0, 1, 2]);
  });

  it('a PortableCompressedTexture2D with PNG levels comes back with its level 0', () => {
    expectPixels(imported.materials.S_portable!.albedo, phase1.sources.S_portable!.albedo!, 'S_portable');
  });

  it('StandardMaterial3D roughness/metallic/ao textures come back packed, each from its channel', () => {
    const m = imported.materials.S_packed!;
    const src = phase1.sources.S_packed!;
    // Godot's importer points roughness at G and metallic at B of the metallicRoughness texture, AO at R.
    expect([m.roughness_channel, m.metallic_channel, m.ao_channel, m.ao_enabled]).toEqual([1, 2, 0, true]);
    expectPixels(m.roughness, src.roughness!, 'roughness (source G → G)', [[1, 1]]);
    expectPixels(m.metallic, src.metallic!, 'metallic (source A → B)', [[3, 2]]);
    expectPixels(m.ao, src.ao!, 'ao (source R → R)', [[0, 0]]);
  });

  it('ORMMaterial3D orm_texture comes back as occlusion + metallic-roughness', () => {
    const m = imported.materials.S_orm!;
    const src = phase1.sources.S_orm!.orm!;
    expect(m.ao_enabled).toBe(true);
    expectPixels(m.roughness, src, 'orm → roughness', [1, 2]);
    expectPixels(m.ao, src, 'orm → ao', [0]);
  });

  it('normal map: red and green as given (Godot reads only those), normal_scale kept', () => {
    const m = imported.materials.S_normal!;
    expect(m.normal_enabled).toBe(true);
    expect(m.normal_scale).toBeCloseTo(0.7, 6);
    expectPixels(m.normal, phase1.sources.S_normal!.normal!, 'normal', [0, 1]);
  });

  it('emission texture comes back', () => {
    const m = imported.materials.S_emission!;
    expect(m.emission_enabled).toBe(true);
    expectPixels(m.emission, phase1.sources.S_emission!.emission!, 'emission', [0, 1, 2]);
  });

  it('sampler: texture_filter NEAREST and texture_repeat off come back; uv1 transform when the writer writes it', () => {
    const m = imported.materials.S_sampler!;
    expect(m.texture_filter).toBe(0);
    expect(m.texture_repeat).toBe(false);
    expectPixels(m.albedo, phase1.sources.S_sampler!.albedo!, 'sampler albedo');
    const reported = glb.report.issues.some((i) => i.rule === 'G-MAT-9' && i.property === 'uv1_scale/uv1_offset');
    if (reported) expect(m.uv1_scale).toEqual([1, 1]);
    else {
      expect(m.uv1_scale).toEqual([2, 3]);
      expect(m.uv1_offset).toEqual([0.25, 0.5]);
    }
  });

  it("the addon's records for an ImageTexture and its Image equal the .tscn importer's", () => {
    const fromAddon = (kind: string) => Object.fromEntries(Object.entries(phase1.addon[kind]!.props).map(([k, v]) => [k, fromWire(v)]));
    const tex = Object.values(tree.resources).find((r) => r.type === 'ImageTexture' && tree.children.find((n) => n.name === 'F_RGBH' && (tree.resources[(n.props.material_override as { id: string }).id]!.props.albedo_texture as { id: string }).id === r.id))!;
    const image = tree.resources[(tex.props.image as { id: string }).id]!;
    expect(phase1.addon.texture!.type).toBe('ImageTexture');
    expect(phase1.addon.image!.type).toBe('Image');
    expect(fromAddon('texture').image).toEqual({ type: 'Resource', id: 'image' });
    expect(fromAddon('image')).toEqual(image.props);
  });
});
