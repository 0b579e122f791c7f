import { ServerError } from '../errors.js';

/** `glTF` read as a little-endian uint32. */
export const GLB_MAGIC = 0x46546c67;
/** Chunk type `JSON`. */
export const GLB_CHUNK_JSON = 0x4e4f534a;
/** Chunk type `BIN\0`. */
export const GLB_CHUNK_BIN = 0x004e4942;

/** What {@link checkGlb} learnt about a valid GLB. */
export interface GlbLayout {
  /** Total length in bytes (header's declared length, equal to the actual length). */
  length: number;
  /** Length of the JSON chunk's data. */
  jsonLength: number;
  /** Length of the BIN chunk's data, 0 when there is none. */
  binLength: number;
}

/** Reads `length` bytes at `position` (a file, or a buffer in tests). */
export type ByteReader = (position: number, length: number) => Promise<Uint8Array>;

function bad(why: string): ServerError {
  return new ServerError('bad_glb', 400, `body is not a valid GLB 2.0 file: ${why}; upload a binary glTF (.glb) exported whole`);
}

/**
 * Checks the GLB 2.0 container (glTF 2.0 spec, section 4.4): 12-byte header with magic `glTF`,
 * version 2 and a declared length equal to the actual length; chunks that tile the rest exactly,
 * 4-byte aligned; the first chunk JSON holding an object with `asset.version`; at most one BIN
 * chunk, second. It does not validate the glTF content itself (that is the exporter's job).
 *
 * @param read reads bytes of the candidate file
 * @param actualLength how many bytes were really received
 * @throws ServerError `bad_glb` (400) saying which rule failed.
 */
export async function checkGlb(read: ByteReader, actualLength: number): Promise<GlbLayout> {
  if (actualLength < 20) throw bad(`only ${actualLength} bytes, a GLB has at least a 12-byte header and an 8-byte chunk header`);
  const header = Buffer.from(await read(0, 20));
  if (header.readUInt32LE(0) !== GLB_MAGIC) throw bad('magic is not "glTF"');
  const version = header.readUInt32LE(4);
  if (version !== 2) throw bad(`version is ${version}, only 2 is accepted`);
  const declared = header.readUInt32LE(8);
  if (declared !== actualLength) throw bad(`header declares ${declared} bytes but ${actualLength} were sent`);
  const jsonLength = header.readUInt32LE(12);
  if (header.readUInt32LE(16) !== GLB_CHUNK_JSON) throw bad('first chunk is not JSON');
  if (jsonLength === 0 || jsonLength % 4 !== 0) throw bad(`JSON chunk length ${jsonLength} is not a positive multiple of 4`);
  if (20 + jsonLength > actualLength) throw bad(`JSON chunk of ${jsonLength} bytes runs past the end`);
  let binLength = 0;
  let offset = 20 + jsonLength;
  let chunkIndex = 1;
  while (offset < actualLength) {
    if (offset + 8 > actualLength) throw bad(`truncated chunk header at byte ${offset}`);
    const chunk = Buffer.from(await read(offset, 8));
    const length = chunk.readUInt32LE(0);
    const type = chunk.readUInt32LE(4);
    if (length % 4 !== 0) throw bad(`chunk ${chunkIndex} length ${length} is not a multiple of 4`);
    if (offset + 8 + length > actualLength) throw bad(`chunk ${chunkIndex} of ${length} bytes runs past the end`);
    if (type === GLB_CHUNK_BIN) {
      if (chunkIndex !== 1) throw bad('BIN chunk must be the second chunk');
      binLength = length;
    }
    offset += 8 + length;
    chunkIndex++;
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(await read(20, jsonLength)).toString('utf8'));
  } catch {
    throw bad('JSON chunk is not valid JSON');
  }
  const asset = (json as { asset?: { version?: unknown } } | null)?.asset;
  if (typeof json !== 'object' || json === null || typeof asset?.version !== 'string') {
    throw bad('JSON chunk has no asset.version');
  }
  return { length: actualLength, jsonLength, binLength };
}

/** {@link checkGlb} on bytes in memory. */
export function checkGlbBytes(bytes: Uint8Array): Promise<GlbLayout> {
  return checkGlb(async (pos, len) => bytes.subarray(pos, pos + len), bytes.length);
}
