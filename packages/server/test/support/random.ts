/** A small seeded generator (mulberry32): the same seed replays the same run. */
export class SeededRandom {
  private state: number;
  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }
  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  bytes(n: number): Buffer {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = this.int(256);
    return b;
  }
  /** Printable ASCII without spaces (what an HTTP client library lets through in a header or path). */
  ascii(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String.fromCharCode(0x21 + this.int(0x5e));
    return s;
  }
  string(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String.fromCharCode(this.int(0x3000));
    return s;
  }
}

/** The seed of a randomised test: `SCENESYNC_SEED` to replay one, else a fresh one. */
export function testSeed(): number {
  const fromEnv = Number(process.env.SCENESYNC_SEED);
  return Number.isInteger(fromEnv) && process.env.SCENESYNC_SEED ? fromEnv : Math.floor(Math.random() * 2 ** 31);
}
