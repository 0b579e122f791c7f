import { describe, expect, it } from 'vitest';
import { checkGlbBytes, ServerError } from '../../src/index.js';
import { makeGlb } from '../support/glb.js';

async function reason(bytes: Uint8Array): Promise<string> {
  try {
    await checkGlbBytes(bytes);
  } catch (err) {
    expect(err).toBeInstanceOf(ServerError);
    expect((err as ServerError).code).toBe('bad_glb');
    expect((err as ServerError).status).toBe(400);
    return (err as ServerError).message;
  }
  throw new Error('accepted an invalid GLB');
}

function patch(bytes: Buffer, offset: number, value: number): Buffer {
  const copy = Buffer.from(bytes);
  copy.writeUInt32LE(value, offset);
  return copy;
}

describe('checkGlb (GLB 2.0 container rules)', () => {
  it('accepts a minimal GLB and one with a BIN chunk', async () => {
    const plain = makeGlb();
    expect(await checkGlbBytes(plain)).toEqual({ length: plain.length, jsonLength: plain.readUInt32LE(12), binLength: 0 });
    const withBin = makeGlb({ bin: new Uint8Array([1, 2, 3, 4, 5]) });
    expect((await checkGlbBytes(withBin)).binLength).toBe(8);
  });

  it('refuses each broken rule with a message saying which', async () => {
    const good = makeGlb({ bin: new Uint8Array(16) });
    expect(await reason(good.subarray(0, 10))).toMatch(/at least a 12-byte header/);
    expect(await reason(patch(good, 0, 0x12345678))).toMatch(/magic/);
    expect(await reason(patch(good, 4, 1))).toMatch(/version is 1/);
    expect(await reason(patch(good, 8, good.length + 4))).toMatch(/declares .* but/);
    expect(await reason(good.subarray(0, good.length - 4))).toMatch(/declares .* but/);
    expect(await reason(patch(good, 16, 0x004e4942))).toMatch(/first chunk is not JSON/);
    expect(await reason(patch(good, 12, 3))).toMatch(/multiple of 4/);
    expect(await reason(patch(good, 12, 0x7ffffff0))).toMatch(/runs past the end/);
    const jsonLen = good.readUInt32LE(12);
    expect(await reason(patch(good, 20 + jsonLen, 0x7ffffff0))).toMatch(/chunk 1 of .* runs past the end/);
    const notJson = Buffer.from(good);
    notJson.write('{{{{', 20);
    expect(await reason(notJson)).toMatch(/not valid JSON/);
    expect(await reason(makeGlb({ json: { hello: 'world' } }))).toMatch(/asset.version/);
    // Trailing garbage shorter than a chunk header, with the declared length fixed up to match.
    const trailing = Buffer.concat([good, Buffer.alloc(4)]);
    trailing.writeUInt32LE(trailing.length, 8);
    expect(await reason(trailing)).toMatch(/truncated chunk header/);
  });
});
