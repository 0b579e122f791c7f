const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** 10^0 … 10^14, all exact doubles. */
const POW10 = Array.from({ length: 15 }, (_, i) => 10 ** i);

/** UTF-8 bytes of `text`; ASCII (almost every node's JSON) is copied without the encoder's call cost. */
export function utf8(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) return encoder.encode(text);
    out[i] = c;
  }
  return out;
}

/**
 * Appends bytes, text, JSON strings and numbers to one growing buffer. Node descriptions are written
 * with it (G-WRITE-2, G-WRITE-4), and so is the GLB's node array: each node's kept JSON plus its
 * indices, with no intermediate strings.
 */
export class ByteWriter {
  private buffer: Uint8Array;
  private length = 0;

  constructor(capacity = 1 << 16) {
    this.buffer = new Uint8Array(capacity);
  }

  bytes(b: Uint8Array): void {
    const n = b.length;
    this.reserve(n);
    // A node's JSON is a few dozen bytes: a loop beats the native call of `set` at that size.
    if (n < 128) {
      const buffer = this.buffer;
      let at = this.length;
      for (let i = 0; i < n; i++) buffer[at++] = b[i]!;
    } else {
      this.buffer.set(b, this.length);
    }
    this.length += n;
  }

  /** `text` must be ASCII (JSON punctuation, keys, extension names). */
  ascii(text: string): void {
    this.reserve(text.length);
    for (let i = 0; i < text.length; i++) this.buffer[this.length++] = text.charCodeAt(i);
  }

  byte(c: number): void {
    this.reserve(1);
    this.buffer[this.length++] = c;
  }

  /** A non-negative integer in decimal. */
  uint(n: number): void {
    if (n < 10) {
      this.byte(48 + n);
      return;
    }
    // Digits straight into the buffer, most significant first (no string per number).
    let digits = 1;
    for (let x = n; x >= 10; x = Math.floor(x / 10)) digits++;
    this.reserve(digits);
    let at = this.length + digits;
    for (let x = n; at > this.length; x = Math.floor(x / 10)) this.buffer[--at] = 48 + (x % 10);
    this.length += digits;
  }

  /**
   * `text` as a JSON string literal. Plain ASCII (names, ids, class names: nearly all of them) is
   * copied as is; anything needing an escape or beyond ASCII goes through `JSON.stringify` and UTF-8.
   */
  jsonString(text: string): void {
    const n = text.length;
    this.reserve(n + 2);
    const buffer = this.buffer;
    const start = this.length;
    let at = start;
    buffer[at++] = 0x22;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) {
        this.length = start;
        this.text(JSON.stringify(text));
        return;
      }
      buffer[at++] = c;
    }
    buffer[at++] = 0x22;
    this.length = at;
  }

  /**
   * A finite number as JSON, rounded to 9 significant digits: every float32 (what glTF readers and
   * Godot's `real_t` keep) survives exactly, a number that has at most 9 significant digits comes back
   * as the same double, and it is written straight as digits, about 4× faster than `String(x)` and
   * up to 8 bytes shorter (G-WRITE-4).
   */
  number(x: number): void {
    if (x === 0) {
      this.byte(0x30); // -0 too, as JSON.stringify writes it
      return;
    }
    let a = x;
    if (a < 0) {
      this.byte(0x2d);
      a = -a;
    }
    if (!(a >= 1e-5 && a < 1e8)) {
      // Beyond the usual range of a transform: exponent forms, rare.
      this.ascii(String(Number(a.toPrecision(9))));
      return;
    }
    // a = digits × 10^(exp - 8), digits a 9-digit integer (exp <= 7 here).
    let exp = Math.floor(Math.log10(a));
    let digits = Math.round(a * POW10[8 - exp]!);
    if (digits >= 1e9) {
      exp++;
      digits = Math.round(a * POW10[8 - exp]!);
    } else if (digits < 1e8) {
      exp--;
      digits = Math.round(a * POW10[8 - exp]!);
    }
    if (exp >= 8) {
      // a rounded up to 1e8.
      this.uint(digits);
      return;
    }
    // Drop trailing zeros of the fraction.
    let kept = 9;
    while (kept > Math.max(exp + 1, 1) && digits % 10 === 0) {
      digits /= 10;
      kept--;
    }
    this.reserve(kept + 8);
    const b = this.buffer;
    let at = this.length;
    const intDigits = exp + 1; // digits before the point (<= 0: "0.000…")
    if (intDigits <= 0) {
      b[at++] = 0x30;
      b[at++] = 0x2e;
      for (let z = intDigits; z < 0; z++) b[at++] = 0x30;
    }
    // Write the kept digits right to left, then place them.
    const end = at + kept + (intDigits > 0 && intDigits < kept ? 1 : 0);
    let pos = end;
    let written = 0;
    for (let d = digits; written < kept; written++) {
      if (intDigits > 0 && intDigits < kept && written === kept - intDigits) b[--pos] = 0x2e;
      b[--pos] = 0x30 + (d % 10);
      d = Math.floor(d / 10);
    }
    this.length = end;
  }

  /** Any text, as UTF-8: ASCII copied as is, anything else through the encoder. */
  text(text: string): void {
    const n = text.length;
    this.reserve(n);
    const buffer = this.buffer;
    let at = this.length;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c > 0x7f) {
        this.bytes(encoder.encode(text));
        return;
      }
      buffer[at++] = c;
    }
    this.length = at;
  }

  /** The bytes written so far as text (UTF-8), and starts over. */
  takeText(): string {
    const out = decoder.decode(this.buffer.subarray(0, this.length));
    this.length = 0;
    return out;
  }

  /** Starts over, keeping the buffer. */
  clear(): void {
    this.length = 0;
  }

  /** Drops the last `n` bytes written. */
  unwrite(n: number): void {
    this.length = Math.max(0, this.length - n);
  }

  /** How many bytes were written. */
  get size(): number {
    return this.length;
  }

  /** The bytes written so far (a view, no copy). */
  finish(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }

  private reserve(n: number): void {
    if (this.length + n <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + n) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }
}
