import type { Document, Material } from '@gltf-transform/core';
import { KHRMaterialsUnlit } from '@gltf-transform/extensions';
import { clamp01, srgbToLinear } from '../math/color.js';
import { isIgnorableProperty, PropReader } from '../godot/props.js';
import type { ExportIssueCode } from '../report.js';
import type { ResourceRecord } from '../scene-types.js';
import { applyTextures, hasTextureSlot, setEmission } from './material-textures.js';
import type { ExportTextures } from './textures.js';

/** Material classes translated to glTF PBR (G-MAT-1). */
export const PBR_MATERIAL_TYPES = ['StandardMaterial3D', 'ORMMaterial3D'] as const;

/** A problem met while translating one material; the caller turns it into a report issue. */
export interface MaterialNote {
  code: ExportIssueCode;
  rule: string;
  property: string;
  message: string;
}

/** Godot BaseMaterial3D enum values used below. */
const TRANSPARENCY_DISABLED = 0;
const TRANSPARENCY_ALPHA = 1;
const TRANSPARENCY_ALPHA_SCISSOR = 2;
const TRANSPARENCY_ALPHA_HASH = 3;
const TRANSPARENCY_ALPHA_DEPTH_PRE_PASS = 4;
const CULL_BACK = 0;
const CULL_FRONT = 1;
const CULL_DISABLED = 2;
const SHADING_UNSHADED = 0;

/**
 * Translates a StandardMaterial3D / ORMMaterial3D record into a glTF material (G-MAT-1 … G-MAT-5):
 * albedo → baseColorFactor (sRGB → linear), metallic and roughness always written (glTF's metallic
 * default is 1, Godot's 0), emission × energy → emissiveFactor plus KHR_materials_emissive_strength
 * above 1, transparency → alphaMode/alphaCutoff, cull_mode disabled → doubleSided, unshaded →
 * KHR_materials_unlit. Textures whose pixels are in the document are written (G-MAT-7 … G-MAT-10, through
 * `textures`, this export's shared images); references without pixels are reported, never invented.
 */
export function convertMaterial(doc: Document, rec: ResourceRecord, notes: MaterialNote[], textures: ExportTextures): Material {
  const r = new PropReader(rec.props);
  const name = typeof rec.props.resource_name === 'string' ? rec.props.resource_name : '';
  const m = doc.createMaterial(name);

  const albedo = r.color('albedo_color', [1, 1, 1, 1]);
  const base: [number, number, number, number] = [srgbToLinear(clamp01(albedo[0])), srgbToLinear(clamp01(albedo[1])), srgbToLinear(clamp01(albedo[2])), clamp01(albedo[3])];
  if (albedo.some((c) => c < 0 || c > 1)) notes.push({ code: 'CLAMPED', rule: 'G-MAT-2', property: 'albedo_color', message: 'albedo_color outside [0, 1] was clamped (glTF baseColorFactor range)' });
  m.setBaseColorFactor(base);
  const metallic = r.number('metallic', 0);
  const roughness = r.number('roughness', 1);
  if (metallic < 0 || metallic > 1 || roughness < 0 || roughness > 1) notes.push({ code: 'CLAMPED', rule: 'G-MAT-2', property: 'metallic/roughness', message: 'metallic or roughness outside [0, 1] was clamped' });
  m.setMetallicFactor(clamp01(metallic));
  m.setRoughnessFactor(clamp01(roughness));

  if (r.bool('emission_enabled', false)) {
    const e = r.color('emission', [0, 0, 0, 1]);
    const energy = Math.max(0, r.number('emission_energy_multiplier', 1));
    setEmission(doc, m, [srgbToLinear(Math.max(0, e[0])) * energy, srgbToLinear(Math.max(0, e[1])) * energy, srgbToLinear(Math.max(0, e[2])) * energy]);
  } else {
    // Godot ignores these while emission is off; so does the export.
    r.use('emission');
    r.use('emission_energy_multiplier');
  }

  applyTextures(doc, m, rec, r, notes, textures);

  const transparency = r.int('transparency', TRANSPARENCY_DISABLED);
  if (transparency === TRANSPARENCY_ALPHA || transparency === TRANSPARENCY_ALPHA_DEPTH_PRE_PASS) {
    m.setAlphaMode('BLEND');
    r.use('alpha_scissor_threshold');
  } else if (transparency === TRANSPARENCY_ALPHA_SCISSOR) {
    m.setAlphaMode('MASK');
    m.setAlphaCutoff(Math.max(0, r.number('alpha_scissor_threshold', 0.5)));
  } else if (transparency === TRANSPARENCY_ALPHA_HASH) {
    m.setAlphaMode('MASK');
    m.setAlphaCutoff(0.5);
    notes.push({ code: 'UNEXPRESSED_PROPERTY', rule: 'G-MAT-3', property: 'transparency', message: 'alpha hash has no glTF equivalent; written as alphaMode MASK with cutoff 0.5' });
    r.use('alpha_hash_scale');
  } else {
    m.setAlphaMode('OPAQUE');
    r.use('alpha_scissor_threshold');
  }

  const cull = r.int('cull_mode', CULL_BACK);
  if (cull === CULL_DISABLED) m.setDoubleSided(true);
  else if (cull === CULL_FRONT) notes.push({ code: 'UNEXPRESSED_PROPERTY', rule: 'G-MAT-4', property: 'cull_mode', message: 'front-face culling has no glTF equivalent; written single-sided (back faces culled)' });

  if (r.int('shading_mode', 1) === SHADING_UNSHADED) {
    m.setExtension('KHR_materials_unlit', doc.createExtension(KHRMaterialsUnlit).createUnlit());
  }
  // glTF always multiplies COLOR_0 into the base colour; only meshes with colours carry COLOR_0.
  r.use('vertex_color_use_as_albedo');

  for (const key of r.unused()) {
    if (isIgnorableProperty(key)) continue;
    const value = rec.props[key];
    if (hasTextureSlot(key)) {
      if (value === null || value === undefined) continue;
      const source = textures.source(value, key);
      if (source.kind === 'image') notes.push({ code: 'UNEXPRESSED_PROPERTY', rule: 'G-MAT-8', property: key, message: `${rec.type}.${key} has no glTF material slot; its image is not written` });
      else notes.push({ code: source.code, rule: source.rule, property: key, message: source.message });
      continue;
    }
    notes.push({ code: 'UNEXPRESSED_PROPERTY', rule: 'G-PROP-1', property: key, message: `${rec.type}.${key} has no glTF equivalent` });
  }
  for (const key of new Set(r.invalid)) {
    notes.push({ code: 'UNEXPRESSED_PROPERTY', rule: 'G-PROP-2', property: key, message: `${rec.type}.${key} has a value of the wrong type; Godot's default was used` });
  }
  return m;
}

