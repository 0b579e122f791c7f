/**
 * Dense order keys for siblings (docs/scene-model.md R-ORDER). Keys are strings over `[0-9A-Za-z]`,
 * compared as plain strings; siblings sort by `(key, nodeId)`.
 *
 * Every generated key is `between(left, right) + peerTag + counter`. The tag separates two peers that
 * insert into the same gap at once; the counter lets one peer continue its own run (`prefix + counter+1`)
 * so a run of inserts stays contiguous even when another peer inserts a run in the same gap (R-ORDER-2).
 */

const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BASE = DIGITS.length;
const digitValue = (c: string): number => DIGITS.indexOf(c);

/** Width of the run counter; its digits avoid '0' so a key never ends in the smallest digit. */
const COUNTER_WIDTH = 3;
const COUNTER_BASE = BASE - 1;
const COUNTER_MAX = COUNTER_BASE ** COUNTER_WIDTH - 1;

function encodeCounter(n: number): string {
  let out = '';
  for (let i = 0; i < COUNTER_WIDTH; i++) {
    out = DIGITS[1 + (n % COUNTER_BASE)] + out;
    n = Math.floor(n / COUNTER_BASE);
  }
  return out;
}

/** A peer's tag: four key digits derived from its Yjs client id. */
export function peerTag(clientId: number): string {
  let n = clientId >>> 0;
  let out = '';
  for (let i = 0; i < 4; i++) {
    out += DIGITS[1 + (n % COUNTER_BASE)];
    n = Math.floor(n / COUNTER_BASE);
  }
  return out;
}

/** Digit value of a key character; `/` (and anything below `0`) is the escape digit -1, below `0`. */
const digitAt = (key: string, i: number): number => {
  if (i >= key.length) return ENDED;
  const c = key[i]!;
  if (c < '0') return ESCAPE;
  const v = DIGITS.indexOf(c);
  return v >= 0 ? v : BASE;
};
const ENDED = -2;
const ESCAPE = -1;
const digitChar = (v: number): string => (v === ESCAPE ? '/' : DIGITS[v]!);

/**
 * The shortest key strictly between `a` and `b` (`null` = unbounded) that is not a prefix of `b`, so
 * that any extension of it also sorts before `b`. Keys we generate never end in `0`, so there is always
 * room; a faulty peer's key that ends in `0` is passed with the escape digit `/`, which sorts below `0`.
 */
export function keyBetween(a: string | null, b: string | null): string {
  const lo = a ?? '';
  if (b !== null && lo >= b) throw new RangeError(`keyBetween: ${JSON.stringify(a)} is not before ${JSON.stringify(b)}`);
  // At an open end, step the first digit by one while there is room: 61 appends (or prepends) fit in
  // one digit instead of the ~6 that halving allows. Everything else takes the middle.
  if (b === null && lo !== '') {
    const first = digitAt(lo, 0);
    if (first >= 0 && first < BASE - 2) return DIGITS[first + 1]!;
  }
  if (a === null && b !== null) {
    const first = digitAt(b, 0);
    if (first >= 2 && first < BASE) return DIGITS[first - 1]!;
  }
  return between(lo, b);
}

function between(lo: string, b: string | null): string {
  let prefix = '';
  for (let i = 0; ; i++) {
    const da = digitAt(lo, i);
    const db = b === null ? BASE : i < b.length ? digitAt(b, i) : ENDED;
    if (da === db && da !== ENDED) {
      prefix += lo[i];
      continue;
    }
    if (db - da > 1) {
      // A digit strictly between the two (from our alphabet when possible); the result differs from b here.
      const mid = Math.max(da + 1, Math.min(db - 1, (da + db + 1) >> 1));
      return prefix + digitChar(mid === ENDED ? ESCAPE : mid);
    }
    // Adjacent digits: keep a's digit and continue above a's rest with b unbounded...
    if (da !== ENDED) return prefix + lo[i] + between(lo.slice(i + 1), null);
    // ...or, a having ended, descend under b's digit.
    const rest = (b as string).slice(i + 1);
    if (rest === '') return prefix + (b as string)[i]; // no key fits: a faulty peer's key; ties break by id
    return prefix + (b as string)[i] + between('', rest);
  }
}

/** Remembers this peer's last generated key under each parent to continue runs. */
export class OrderKeyGenerator {
  private readonly lastRun = new Map<string, { key: string; prefix: string; counter: number }>();
  /** Highest counter handed out under each run prefix. */
  private readonly lastCounter = new Map<string, number>();
  /** Lowest counter handed out under each run prefix. */
  private readonly lowCounter = new Map<string, number>();

  private lastLow(prefix: string): number {
    return this.lowCounter.get(prefix) ?? Number.POSITIVE_INFINITY;
  }

  constructor(private readonly tag: string) {}

  /**
   * A key for a node placed between siblings with keys `left` and `right` under `parent`.
   * `left`/`right` are null at the ends.
   */
  next(parent: string, left: string | null, right: string | null): string {
    const run = this.lastRun.get(parent);
    // Inserting again right before our last key (prepending, or filling one gap from the right) runs
    // downwards: every key of the run shares the prefix, which lies between the run's bounds.
    if (run && right === run.key && run.counter === this.lastLow(run.prefix) && run.counter > 0) {
      const candidate = run.prefix + encodeCounter(run.counter - 1);
      if (left === null || candidate > left) {
        this.lastRun.set(parent, { key: candidate, prefix: run.prefix, counter: run.counter - 1 });
        this.lowCounter.set(run.prefix, Math.min(run.counter - 1, this.lastLow(run.prefix)));
        return candidate;
      }
    }
    // Appending again right after our last key runs upwards; only from the top of the run, so no
    // counter is handed out twice.
    if (run && left === run.key && run.counter === this.lastCounter.get(run.prefix) && run.counter < COUNTER_MAX) {
      const candidate = run.prefix + encodeCounter(run.counter + 1);
      if (right === null || candidate < right) {
        this.lastRun.set(parent, { key: candidate, prefix: run.prefix, counter: run.counter + 1 });
        this.lastCounter.set(run.prefix, Math.max(run.counter + 1, this.lastCounter.get(run.prefix) ?? 0));
        return candidate;
      }
    }
    // A run may restart in a gap this peer used before (its node removed, then revived by undo): go on
    // counting where that run stopped, so this peer never hands out the same key twice.
    let prefix = keyBetween(left, right) + this.tag;
    let counter = (this.lastCounter.get(prefix) ?? Math.floor(COUNTER_MAX / 2) - 1) + 1;
    while (counter > COUNTER_MAX) {
      prefix += DIGITS[BASE >> 1];
      counter = (this.lastCounter.get(prefix) ?? Math.floor(COUNTER_MAX / 2) - 1) + 1;
    }
    const key = prefix + encodeCounter(counter);
    this.lastCounter.set(prefix, counter);
    if (!this.lowCounter.has(prefix)) this.lowCounter.set(prefix, counter);
    this.lastRun.set(parent, { key, prefix, counter });
    return key;
  }
}
