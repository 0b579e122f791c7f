/**
 * Godot StandardMaterial3D (and ORMMaterial3D) as a three.js MeshStandardMaterial: albedo, metallic,
 * roughness and emission, with Godot's defaults (white, metallic 0, roughness 1, no emission).
 */
import { Color, MeshStandardMaterial } from 'three';
import type { Props } from './props.js';
import { boolProp, colorProp, numberProp } from './godot-values.js';

/** The material classes the viewer understands; others draw with {@link defaultMaterial}. */
export const STANDARD_MATERIAL_TYPES: ReadonlySet<string> = new Set(['StandardMaterial3D', 'ORMMaterial3D']);

/** Godot's look for a mesh without a material: a light grey, fully rough surface. */
export function defaultMaterial(): MeshStandardMaterial {
  return new MeshStandardMaterial({ color: new Color().setRGB(0.8, 0.8, 0.8, 'srgb'), metalness: 0, roughness: 1 });
}

/**
 * Writes a StandardMaterial3D's properties onto a three.js material (in place, so meshes sharing it
 * update together when a peer edits the resource).
 */
export function applyStandardMaterial(material: MeshStandardMaterial, props: Props): MeshStandardMaterial {
  const albedo = colorProp(props.albedo_color, [1, 1, 1, 1]);
  material.color.copy(albedo.color);
  material.metalness = numberProp(props.metallic, 0);
  material.roughness = numberProp(props.roughness, 1);
  // Godot's transparency enum: 0 disabled, anything else blends by albedo alpha.
  const transparent = numberProp(props.transparency, 0) !== 0 && albedo.alpha < 1;
  material.transparent = transparent;
  material.opacity = transparent ? albedo.alpha : 1;
  if (boolProp(props.emission_enabled, false)) {
    material.emissive.copy(colorProp(props.emission, [0, 0, 0, 1]).color);
    material.emissiveIntensity = numberProp(props.emission_energy_multiplier, 1);
  } else {
    material.emissive.setRGB(0, 0, 0);
    material.emissiveIntensity = 1;
  }
  material.needsUpdate = true;
  return material;
}
