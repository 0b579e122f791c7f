export { seededRandom as rng } from '../../../../test-support/seeded-random.js';

/** Seeds to run: SEED=n replays one, otherwise a fixed list plus one fresh seed (printed on failure). */
export function seeds(count: number): number[] {
  if (process.env.SEED) return [Number(process.env.SEED)];
  const fixed = Array.from({ length: count - 1 }, (_, i) => 1000 + i * 7919);
  return [...fixed, (Date.now() % 1_000_000) + 1];
}

/** A random unit quaternion's rotation as basis columns. */
export function randomRotation(r: () => number): [number[], number[], number[]] {
  let x = r() * 2 - 1, y = r() * 2 - 1, z = r() * 2 - 1, w = r() * 2 - 1;
  const l = Math.hypot(x, y, z, w) || 1;
  x /= l; y /= l; z /= l; w /= l;
  return [
    [1 - 2 * (y * y + z * z), 2 * (x * y + w * z), 2 * (x * z - w * y)],
    [2 * (x * y - w * z), 1 - 2 * (x * x + z * z), 2 * (y * z + w * x)],
    [2 * (x * z + w * y), 2 * (y * z - w * x), 1 - 2 * (x * x + y * y)],
  ];
}

/**
 * Twelve Transform3D numbers (basis rows, origin) of rotation × scale + translation; `mirror` makes
 * one scale negative.
 */
export function randomTransform(r: () => number, mirror = false): number[] {
  const [cx, cy, cz] = randomRotation(r);
  const s = [0.5 + r() * 1.5, 0.5 + r() * 1.5, 0.5 + r() * 1.5];
  if (mirror) s[Math.floor(r() * 3)]! *= -1;
  const X = cx.map((c) => c * s[0]!), Y = cy.map((c) => c * s[1]!), Z = cz.map((c) => c * s[2]!);
  const o = [r() * 8 - 4, r() * 8 - 4, r() * 8 - 4];
  return [X[0]!, Y[0]!, Z[0]!, X[1]!, Y[1]!, Z[1]!, X[2]!, Y[2]!, Z[2]!, ...o];
}
