/**
 * Reading a screenshot: counts pixels by colour class, so a test can tell "the orange box and the
 * green sphere are drawn" from "the canvas is blank".
 */
import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';

/** Pixel counts of one screenshot. */
export interface PixelCensus {
  total: number;
  /** Pixels that differ clearly from the background colour. */
  nonBackground: number;
  /** Counts per named colour class. */
  classes: Record<string, number>;
}

/** A colour class: a predicate on 8-bit sRGB. */
export type ColorClass = (r: number, g: number, b: number) => boolean;

/** Decodes a PNG file and counts its pixels by `classes`. */
export function censusOf(pngPath: string, background: readonly [number, number, number], classes: Record<string, ColorClass>): PixelCensus {
  const png = PNG.sync.read(readFileSync(pngPath));
  const counts: Record<string, number> = Object.fromEntries(Object.keys(classes).map((k) => [k, 0]));
  let nonBackground = 0;
  for (let i = 0; i < png.data.length; i += 4) {
    const r = png.data[i]!, g = png.data[i + 1]!, b = png.data[i + 2]!;
    if (Math.abs(r - background[0]) + Math.abs(g - background[1]) + Math.abs(b - background[2]) > 30) nonBackground++;
    for (const [name, test] of Object.entries(classes)) if (test(r, g, b)) counts[name]!++;
  }
  return { total: png.width * png.height, nonBackground, classes: counts };
}
