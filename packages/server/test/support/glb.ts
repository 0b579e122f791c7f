/**
 * Builds a minimal valid GLB 2.0 by hand: header, JSON chunk `{"asset":{"version":"2.0"}}` (padded
 * with spaces), optional BIN chunk (padded with zeros).
 */
export function makeGlb(options: { json?: object; bin?: Uint8Array } = {}): Buffer {
  const jsonText = JSON.stringify(options.json ?? { asset: { version: '2.0', generator: 'scenesync test' } });
  const jsonPadded = Buffer.from(jsonText.padEnd(Math.ceil(jsonText.length / 4) * 4, ' '));
  const parts: Buffer[] = [];
  const chunkHeader = (length: number, type: number) => {
    const h = Buffer.alloc(8);
    h.writeUInt32LE(length, 0);
    h.writeUInt32LE(type, 4);
    return h;
  };
  parts.push(chunkHeader(jsonPadded.length, 0x4e4f534a), jsonPadded);
  if (options.bin) {
    const binPadded = Buffer.alloc(Math.ceil(options.bin.length / 4) * 4);
    binPadded.set(options.bin);
    parts.push(chunkHeader(binPadded.length, 0x004e4942), binPadded);
  }
  const body = Buffer.concat(parts);
  const header = Buffer.alloc(12);
  header.writeUInt32LE(0x46546c67, 0);
  header.writeUInt32LE(2, 4);
  header.writeUInt32LE(12 + body.length, 8);
  return Buffer.concat([header, body]);
}

/** A valid GLB of about `size` bytes (BIN chunk filled with a pattern derived from `seed`). */
export function makeGlbOfSize(size: number, seed = 1): Buffer {
  const bin = new Uint8Array(Math.max(0, size - 64));
  for (let i = 0; i < bin.length; i++) bin[i] = (i * 31 + seed * 17) & 0xff;
  return makeGlb({ bin });
}
