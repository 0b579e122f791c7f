/**
 * The stream frame codec: docs/stream-protocol.md is its specification (rule ids `S-…`).
 * Writer and reader are symmetrical; the reader checks every bound and throws `RoomError('BAD_FRAME')`
 * instead of reading past the end or accepting out-of-range values.
 */
import { RoomError } from '../errors.js';

/** S-VERSION: the frame format version this code writes and reads. */
export const STREAM_FRAME_VERSION = 1;
/** S-KIND: frame kind byte of a transform frame (the only kind in version 1). */
export const FRAME_KIND_TRANSFORMS = 1;
/** S-POS: allowed range of the position exponent (step = 2^e metres). */
export const MIN_POSITION_EXPONENT = -24;
export const MAX_POSITION_EXPONENT = 24;
/** S-SCALE: scale is sent in steps of 2^-10 in an int16 (range ±32). */
export const SCALE_STEP = 1 / 1024;
/** S-DEF: longest node id a definition may carry, in UTF-8 bytes. */
export const MAX_NODE_ID_BYTES = 64;
/** S-ROT: quaternion components other than the largest lie in [-1/√2, 1/√2], sent in 9 bits. */
const ROT_BITS = 9;
const ROT_MAX = (1 << ROT_BITS) - 1;
const ROT_RANGE = Math.SQRT1_2;

/** A handle definition: from this frame on, `handle` stands for `node` in frames of this sender. */
export interface HandleDefinition {
  handle: number;
  node: string;
}

/** One node's transform in a frame, as floats (quantised on write, dequantised on read). */
export interface TransformRecord {
  handle: number;
  position: [number, number, number];
  /** Unit quaternion x, y, z, w. */
  rotation: [number, number, number, number];
  scale: [number, number, number];
}

/** A decoded stream frame (docs/stream-protocol.md §Frame). */
export interface StreamFrame {
  version: number;
  /** Y.Doc clientID of the sender; receivers accept records only for nodes this client owns. */
  sender: number;
  /** Sender clock in milliseconds, modulo 2^32. */
  time: number;
  definitions: HandleDefinition[];
  /** Position step of this frame is 2^positionExponent metres. */
  positionExponent: number;
  records: TransformRecord[];
}

/**
 * The smallest position exponent whose int16 range holds every coordinate of `records`
 * (never below `minExponent`). S-POS-2: senders group records by it so near nodes keep precision.
 */
export function positionExponentFor(maxAbsCoordinate: number, minExponent: number): number {
  let e = minExponent;
  while (e < MAX_POSITION_EXPONENT && maxAbsCoordinate > 32767 * 2 ** e) e++;
  return e;
}

/** Bytes a record takes on the wire (S-REC); `handleGap` is its handle minus the previous one minus 1. */
export function recordSize(handleGap: number, scale: readonly number[]): number {
  const scaleBytes = isUnitScale(scale) ? 0 : isUniformScale(scale) ? 2 : 6;
  return varUintSize(handleGap) + 4 + 6 + scaleBytes;
}

/** Bytes of a frame header plus its definitions (everything before the first record). */
export function headerSize(sender: number, time: number, definitions: readonly HandleDefinition[], recordCount: number): number {
  let n = 2 + varUintSize(sender) + varUintSize(time >>> 0) + varUintSize(definitions.length) + 1 + varUintSize(recordCount);
  for (const d of definitions) n += varUintSize(d.handle) + varUintSize(utf8Length(d.node)) + utf8Length(d.node);
  return n;
}

/**
 * Encode one transform frame. Positions are rounded to 2^positionExponent metres and must fit an
 * int16 at that step (S-POS-1) — pick the exponent with {@link positionExponentFor}.
 *
 * @throws RoomError `BAD_FRAME` when a value cannot be represented (NaN, out of range, long node id).
 */
export function encodeStreamFrame(frame: Omit<StreamFrame, 'version'>): Uint8Array {
  let size = headerSize(frame.sender, frame.time, frame.definitions, frame.records.length);
  let prev = -1;
  for (const r of frame.records) {
    // S-REC-1: handles strictly increase within a frame and travel as gaps (usually one byte).
    if (!Number.isInteger(r.handle) || r.handle <= prev || r.handle > 0xffffffff) {
      throw new RoomError('BAD_FRAME', `Record handles must be uint32 in strictly increasing order (got ${r.handle} after ${prev}).`);
    }
    size += recordSize(r.handle - prev - 1, r.scale);
    prev = r.handle;
  }
  const w = new FrameWriter(size);
  w.u8(STREAM_FRAME_VERSION);
  w.u8(FRAME_KIND_TRANSFORMS);
  w.varUint(frame.sender);
  w.varUint(frame.time >>> 0);
  w.varUint(frame.definitions.length);
  for (const d of frame.definitions) {
    const bytes = textEncoder.encode(d.node);
    if (bytes.length === 0 || bytes.length > MAX_NODE_ID_BYTES) {
      throw new RoomError('BAD_FRAME', `Node id "${d.node}" cannot be streamed: ids must be 1..${MAX_NODE_ID_BYTES} UTF-8 bytes.`);
    }
    w.varUint(d.handle);
    w.varUint(bytes.length);
    w.bytes(bytes);
  }
  const e = frame.positionExponent;
  if (!Number.isInteger(e) || e < MIN_POSITION_EXPONENT || e > MAX_POSITION_EXPONENT) {
    throw new RoomError('BAD_FRAME', `Position exponent ${e} is outside ${MIN_POSITION_EXPONENT}..${MAX_POSITION_EXPONENT}.`);
  }
  w.i8(e);
  w.varUint(frame.records.length);
  const step = 2 ** e;
  prev = -1;
  for (const r of frame.records) {
    w.varUint(r.handle - prev - 1);
    prev = r.handle;
    const unit = isUnitScale(r.scale);
    const uniform = !unit && isUniformScale(r.scale);
    w.u32(packRotation(r.rotation) | (unit ? 0 : 1 << 29) | (uniform ? 1 << 30 : 0));
    for (let i = 0; i < 3; i++) w.i16(quantize(r.position[i]!, step, 'position'));
    if (!unit) {
      w.i16(quantize(r.scale[0], SCALE_STEP, 'scale'));
      if (!uniform) {
        w.i16(quantize(r.scale[1], SCALE_STEP, 'scale'));
        w.i16(quantize(r.scale[2], SCALE_STEP, 'scale'));
      }
    }
  }
  return w.finish();
}

/**
 * Decode one stream frame.
 *
 * @throws RoomError `BAD_FRAME` for another version (S-VERSION), an unknown kind, a truncated frame,
 *   trailing bytes, a reserved bit set, or a value out of range. Nothing is partially returned.
 */
export function decodeStreamFrame(bytes: Uint8Array): StreamFrame {
  const r = new FrameReader(bytes);
  const version = r.u8();
  if (version !== STREAM_FRAME_VERSION) {
    throw new RoomError('BAD_FRAME', `Stream frame version ${version} is not supported (this peer reads version ${STREAM_FRAME_VERSION}); update @scenesync/webrtc on every peer.`);
  }
  const kind = r.u8();
  if (kind !== FRAME_KIND_TRANSFORMS) throw new RoomError('BAD_FRAME', `Unknown stream frame kind ${kind}.`);
  const sender = r.varUint();
  const time = r.varUint();
  const defCount = r.count();
  const definitions: HandleDefinition[] = [];
  for (let i = 0; i < defCount; i++) {
    const handle = r.varUint();
    const len = r.varUint();
    if (len === 0 || len > MAX_NODE_ID_BYTES) throw new RoomError('BAD_FRAME', `Node id length ${len} is out of range.`);
    definitions.push({ handle, node: textDecoder.decode(r.bytes(len)) });
  }
  const positionExponent = r.i8();
  if (positionExponent < MIN_POSITION_EXPONENT || positionExponent > MAX_POSITION_EXPONENT) {
    throw new RoomError('BAD_FRAME', `Position exponent ${positionExponent} is out of range.`);
  }
  const step = 2 ** positionExponent;
  const recordCount = r.count();
  const records: TransformRecord[] = [];
  let prev = -1;
  for (let i = 0; i < recordCount; i++) {
    const handle = prev + 1 + r.varUint();
    if (handle > 0xffffffff) throw new RoomError('BAD_FRAME', 'Record handle exceeds uint32.');
    prev = handle;
    const word = r.u32();
    if (word >>> 31) throw new RoomError('BAD_FRAME', 'Reserved rotation bit 31 is set.');
    const rotation = unpackRotation(word);
    const position: [number, number, number] = [r.i16() * step, r.i16() * step, r.i16() * step];
    let scale: [number, number, number] = [1, 1, 1];
    if (word & (1 << 29)) {
      const sx = r.i16() * SCALE_STEP;
      scale = word & (1 << 30) ? [sx, sx, sx] : [sx, r.i16() * SCALE_STEP, r.i16() * SCALE_STEP];
    } else if (word & (1 << 30)) {
      throw new RoomError('BAD_FRAME', 'Uniform-scale bit set without the scale bit.');
    }
    records.push({ handle, position, rotation, scale });
  }
  if (!r.atEnd()) throw new RoomError('BAD_FRAME', `Stream frame has ${bytes.length - r.pos} trailing bytes.`);
  return { version, sender, time, definitions, positionExponent, records };
}

/** S-ROT-1: "smallest three" — drop the largest component (made positive), send the others in 9 bits. */
export function packRotation(q: readonly number[]): number {
  let largest = 0;
  for (let i = 1; i < 4; i++) if (Math.abs(q[i]!) > Math.abs(q[largest]!)) largest = i;
  const sign = q[largest]! < 0 ? -1 : 1;
  const n = Math.hypot(q[0]!, q[1]!, q[2]!, q[3]!);
  if (!(n > 0) || !Number.isFinite(n)) throw new RoomError('BAD_FRAME', 'Rotation is not a finite non-zero quaternion.');
  let word = largest;
  let shift = 2;
  for (let i = 0; i < 4; i++) {
    if (i === largest) continue;
    const c = (sign * q[i]!) / n;
    const v = Math.round(((Math.max(-ROT_RANGE, Math.min(ROT_RANGE, c)) + ROT_RANGE) / (2 * ROT_RANGE)) * ROT_MAX);
    word |= v << shift;
    shift += ROT_BITS;
  }
  return word >>> 0;
}

/** Inverse of {@link packRotation} (ignores bits 29–31). */
export function unpackRotation(word: number): [number, number, number, number] {
  const largest = word & 3;
  const q: [number, number, number, number] = [0, 0, 0, 0];
  let shift = 2;
  let sum = 0;
  for (let i = 0; i < 4; i++) {
    if (i === largest) continue;
    const v = ((word >>> shift) & ROT_MAX) / ROT_MAX * 2 * ROT_RANGE - ROT_RANGE;
    q[i] = v;
    sum += v * v;
    shift += ROT_BITS;
  }
  q[largest] = Math.sqrt(Math.max(0, 1 - sum));
  const n = Math.hypot(q[0], q[1], q[2], q[3]);
  return [q[0] / n, q[1] / n, q[2] / n, q[3] / n];
}

function isUnitScale(s: readonly number[]): boolean {
  return Math.abs(s[0]! - 1) < SCALE_STEP / 2 && Math.abs(s[1]! - 1) < SCALE_STEP / 2 && Math.abs(s[2]! - 1) < SCALE_STEP / 2;
}

function isUniformScale(s: readonly number[]): boolean {
  return Math.abs(s[0]! - s[1]!) < SCALE_STEP / 2 && Math.abs(s[0]! - s[2]!) < SCALE_STEP / 2;
}

function quantize(v: number, step: number, what: string): number {
  const q = Math.round(v / step);
  if (!Number.isFinite(q) || q < -32768 || q > 32767) {
    throw new RoomError('BAD_FRAME', `The ${what} component ${v} does not fit an int16 at step ${step}; choose a larger exponent (positionExponentFor).`);
  }
  return q;
}

function varUintSize(v: number): number {
  let n = 1;
  while (v >= 0x80) { v = Math.floor(v / 0x80); n++; }
  return n;
}

function utf8Length(s: string): number {
  return textEncoder.encode(s).length;
}

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder('utf-8', { fatal: false });

/** Little-endian writer into a buffer of known size. */
class FrameWriter {
  private readonly buf: Uint8Array;
  private readonly view: DataView;
  private pos = 0;
  constructor(size: number) {
    this.buf = new Uint8Array(size);
    this.view = new DataView(this.buf.buffer);
  }
  u8(v: number) { this.view.setUint8(this.pos++, v); }
  i8(v: number) { this.view.setInt8(this.pos++, v); }
  i16(v: number) { this.view.setInt16(this.pos, v, true); this.pos += 2; }
  u32(v: number) { this.view.setUint32(this.pos, v >>> 0, true); this.pos += 4; }
  bytes(b: Uint8Array) { this.buf.set(b, this.pos); this.pos += b.length; }
  varUint(v: number) {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new RoomError('BAD_FRAME', `${v} is not a uint32.`);
    while (v >= 0x80) { this.buf[this.pos++] = (v & 0x7f) | 0x80; v = Math.floor(v / 0x80); }
    this.buf[this.pos++] = v;
  }
  finish(): Uint8Array { return this.pos === this.buf.length ? this.buf : this.buf.subarray(0, this.pos); }
}

/** Bounds-checked little-endian reader. */
class FrameReader {
  pos = 0;
  private readonly view: DataView;
  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  private need(n: number) {
    if (this.pos + n > this.buf.length) throw new RoomError('BAD_FRAME', 'Stream frame is truncated.');
  }
  u8(): number { this.need(1); return this.view.getUint8(this.pos++); }
  i8(): number { this.need(1); return this.view.getInt8(this.pos++); }
  i16(): number { this.need(2); const v = this.view.getInt16(this.pos, true); this.pos += 2; return v; }
  u32(): number { this.need(4); const v = this.view.getUint32(this.pos, true); this.pos += 4; return v; }
  bytes(n: number): Uint8Array { this.need(n); const b = this.buf.subarray(this.pos, this.pos + n); this.pos += n; return b; }
  varUint(): number {
    let v = 0, mult = 1;
    for (let i = 0; i < 5; i++) {
      const b = this.u8();
      v += (b & 0x7f) * mult;
      if (b < 0x80) {
        if (v > 0xffffffff) throw new RoomError('BAD_FRAME', 'Varint exceeds uint32.');
        return v;
      }
      mult *= 0x80;
    }
    throw new RoomError('BAD_FRAME', 'Varint longer than 5 bytes.');
  }
  /** A count that cannot exceed the bytes left (each item takes at least one byte). */
  count(): number {
    const n = this.varUint();
    if (n > this.buf.length - this.pos) throw new RoomError('BAD_FRAME', `Count ${n} exceeds the frame size.`);
    return n;
  }
  atEnd(): boolean { return this.pos === this.buf.length; }
}
