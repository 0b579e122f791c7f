/**
 * Converts one sRGB-encoded channel to linear, as Godot's `Color.srgb_to_linear` does (the exact
 * piecewise sRGB curve). Godot's albedo, emission and light colours are sRGB; glTF's factors are linear.
 */
export function srgbToLinear(c: number): number {
  return c < 0.04045 ? c * (1.0 / 12.92) : Math.pow((c + 0.055) * (1.0 / 1.055), 2.4);
}

/** Inverse of {@link srgbToLinear} (Godot's `Color.linear_to_srgb`). */
export function linearToSrgb(c: number): number {
  return c < 0.0031308 ? 12.92 * c : 1.055 * Math.pow(c, 1.0 / 2.4) - 0.055;
}

/** Clamps to [0, 1]; NaN becomes 0. */
export function clamp01(x: number): number {
  return x > 0 ? (x < 1 ? x : 1) : 0;
}
