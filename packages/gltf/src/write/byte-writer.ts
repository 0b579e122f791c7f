const encoder = new TextEncoder();

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
 * Appends bytes, ASCII text and integers to one growing buffer. The GLB's node array is written with
 * it: each node's cached JSON bytes plus its indices, with no intermediate strings.
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
