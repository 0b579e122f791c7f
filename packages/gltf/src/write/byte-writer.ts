const encoder = new TextEncoder();
const decoder = new TextDecoder();

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
 * Appends bytes, text, JSON strings and numbers to one reusable buffer, then hands them back as one
 * flat string: node descriptions are written with it (G-WRITE-2), without a string per part.
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

  /** A finite number as JSON: `String(x)`, the shortest text that reads back as the same double. */
  number(x: number): void {
    this.ascii(String(x));
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

  private reserve(n: number): void {
    if (this.length + n <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + n) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }
}
