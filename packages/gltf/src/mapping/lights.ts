import type { Document } from '@gltf-transform/core';
import { KHRLightsPunctual, type Light } from '@gltf-transform/extensions';
import type { PropReader } from '../godot/props.js';
import { srgbToLinear } from '../math/color.js';

/** Light node classes written as KHR_lights_punctual (G-LIGHT-1). */
export const LIGHT_TYPES = ['OmniLight3D', 'SpotLight3D', 'DirectionalLight3D'] as const;

/** A value that had to change to fit glTF; the caller reports it. */
export interface LightNote {
  property: string;
  message: string;
}

/** What a Godot light becomes in glTF, as plain data (so it can be kept between exports). */
export interface LightParams {
  readonly type: 'directional' | 'point' | 'spot';
  /** Linear RGB. */
  readonly color: [number, number, number];
  readonly intensity: number;
  readonly range?: number;
  readonly innerConeAngle?: number;
  readonly outerConeAngle?: number;
}

/**
 * Reads a Godot light as KHR_lights_punctual parameters, following Godot's own GLTFLight.from_node (G-LIGHT-2):
 * colour sRGB → linear; intensity = light_energy unchanged (Godot's energy is unitless, and writing it
 * as is makes Godot's importer give the same energy back; it is *not* converted to candela/lux);
 * range = omni_range / spot_range; outerConeAngle = spot_angle in radians; innerConeAngle =
 * outer × max(0, 1 − 0.2 / (0.1 + spot_angle_attenuation)), the inverse of Godot's import curve.
 */
export function readLight(type: string, r: PropReader, notes: LightNote[]): LightParams {
  const c = r.color('light_color', [1, 1, 1, 1]);
  const color: [number, number, number] = [srgbToLinear(Math.max(0, Math.min(1, c[0]))), srgbToLinear(Math.max(0, Math.min(1, c[1]))), srgbToLinear(Math.max(0, Math.min(1, c[2])))];
  let energy = r.number('light_energy', 1);
  if (energy < 0) {
    notes.push({ property: 'light_energy', message: `negative light_energy ${energy} written as 0 (glTF intensity must be >= 0)` });
    energy = 0;
  }
  if (type === 'DirectionalLight3D') return { type: 'directional', color, intensity: energy };
  const rangeKey = type === 'SpotLight3D' ? 'spot_range' : 'omni_range';
  let range: number | undefined = r.number(rangeKey, 5);
  if (!(range > 0)) {
    notes.push({ property: rangeKey, message: `${rangeKey} ${range} is not positive; written without range (infinite)` });
    range = undefined;
  }
  if (type === 'OmniLight3D') return { type: 'point', color, intensity: energy, range };
  let outer = (r.number('spot_angle', 45) * Math.PI) / 180;
  if (outer > Math.PI / 2) {
    notes.push({ property: 'spot_angle', message: `spot_angle ${((outer * 180) / Math.PI).toFixed(2)}° is above glTF's 90° limit; clamped to 90°` });
    outer = Math.PI / 2;
  }
  if (!(outer > 1e-4)) {
    notes.push({ property: 'spot_angle', message: 'spot_angle must be above 0 in glTF; clamped to 0.0001 rad' });
    outer = 1e-4;
  }
  const attenuation = r.number('spot_angle_attenuation', 1);
  const ratio = Math.max(0, 1 - 0.2 / (0.1 + attenuation));
  const inner = Number.isFinite(ratio) ? Math.min(outer * ratio, outer * 0.9999) : 0;
  return { type: 'spot', color, intensity: energy, range, outerConeAngle: outer, innerConeAngle: Math.max(0, inner) };
}

/** Adds the light described by `params` to `doc` (KHR_lights_punctual). */
export function createLight(doc: Document, params: LightParams, name: string): Light {
  const light = doc.createExtension(KHRLightsPunctual).createLight(name).setType(params.type).setColor(params.color).setIntensity(params.intensity);
  if (params.range !== undefined) light.setRange(params.range);
  if (params.outerConeAngle !== undefined) light.setOuterConeAngle(params.outerConeAngle);
  if (params.innerConeAngle !== undefined) light.setInnerConeAngle(params.innerConeAngle);
  return light;
}
