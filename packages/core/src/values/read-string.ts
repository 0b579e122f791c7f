import * as decoding from 'lib0/decoding';

/** Longest string the ASCII fast path reads; longer ones are cheaper through TextDecoder. */
const SHORT = 32;

/**
 * lib0's `readVarString`, with the same result for every input, but faster for the short ASCII
 * strings a scene is made of (names, ids, order keys): lib0 decodes each string with a TextDecoder
 * call, whose fixed cost is most of the time at that size. Anything else goes to lib0.
 */
export function readVarString(decoder: decoding.Decoder): string {
  const start = decoder.pos;
  const n = decoding.readVarUint(decoder);
  const bytes = decoder.arr;
  const from = decoder.pos;
  const end = from + n;
  if (n <= SHORT && end <= bytes.length) {
    let s = '';
    let i = from;
    for (; i < end; i++) {
      const c = bytes[i]!;
      if (c > 0x7f) break;
      s += String.fromCharCode(c);
    }
    if (i === end) {
      decoder.pos = end;
      return s;
    }
  }
  decoder.pos = start;
  return decoding.readVarString(decoder);
}
