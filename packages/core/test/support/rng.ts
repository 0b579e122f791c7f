import * as prng from 'lib0/prng';

/**
 * A seeded random source for replayable tests (lib0's xoroshiro128+). Every random choice a test
 * makes goes through one of these, so a seed replays a run exactly.
 */
export class Rng {
  private readonly gen: prng.PRNG;
  constructor(readonly seed: number) {
    this.gen = prng.create(seed);
  }
  /** Float in [0, 1). */
  real(): number {
    return prng.real53(this.gen);
  }
  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return prng.int53(this.gen, min, max);
  }
  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.real() < p;
  }
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Rng.pick: empty list');
    return items[this.int(0, items.length - 1)]!;
  }
  /** A new array with the items in random order (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }
  /** A 10-character id over [0-9A-Za-z], the shape scenesync ids have (docs/scene-model.md). */
  id(): string {
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
    let s = '';
    for (let i = 0; i < 10; i++) s += alphabet[this.int(0, alphabet.length - 1)];
    return s;
  }
}

/** Reads an integer from the environment, or the default. */
export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw new Error(`${name} must be an integer, got ${raw}`);
  return n;
}
