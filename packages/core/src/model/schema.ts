import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type * as Y from 'yjs';
import { readValue, writeValue } from '../values/codec.js';
import { readVarString } from '../values/read-string.js';
import type { GodotValue } from '../values/types.js';
import { KNOWN_STRING_CODES, KNOWN_STRINGS } from './known-strings.js';
import type { Props } from './types.js';

/** Writes a class or property name: a table code, or 0 and the string. */
function writeName(encoder: encoding.Encoder, name: string): void {
  const code = KNOWN_STRING_CODES.get(name);
  if (code !== undefined) encoding.writeVarUint(encoder, code);
  else {
    encoding.writeVarUint(encoder, 0);
    encoding.writeVarString(encoder, name);
  }
}

function readName(decoder: decoding.Decoder): string {
  const code = decoding.readVarUint(decoder);
  if (code === 0) return readVarString(decoder);
  const name = KNOWN_STRINGS[code - 1];
  if (name === undefined) throw new Error(`unknown string code ${code}`);
  return name;
}

/**
 * Largest lamport an entry may carry (R-CLOCK). An honest peer never gets near it; an entry above it is
 * a faulty or hostile one and is ignored everywhere, so it cannot saturate everyone's clock.
 */
export const MAX_LAMPORT = 2 ** 40;
const isLamport = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0 && (n as number) <= MAX_LAMPORT;

/** Schema version this build writes and fully understands (R-SCHEMA). */
export const SCHEMA_VERSION = 1;

/** The document's top-level Y.Maps (docs/scene-model.md §Document layout). */
export interface SceneMaps {
  meta: Y.Map<unknown>;
  root: Y.Map<unknown>;
  nodes: Y.Map<unknown>;
  names: Y.Map<unknown>;
  edges: Y.Map<unknown>;
  deleted: Y.Map<unknown>;
  props: Y.Map<unknown>;
  owners: Y.Map<unknown>;
  resources: Y.Map<unknown>;
  resourceProps: Y.Map<unknown>;
  resourcesDeleted: Y.Map<unknown>;
}

export function sceneMaps(doc: Y.Doc): SceneMaps {
  return {
    meta: doc.getMap('meta'),
    root: doc.getMap('root'),
    nodes: doc.getMap('nodes'),
    names: doc.getMap('names'),
    edges: doc.getMap('edges'),
    deleted: doc.getMap('deleted'),
    props: doc.getMap('props'),
    owners: doc.getMap('owners'),
    resources: doc.getMap('resources'),
    resourceProps: doc.getMap('resourceProps'),
    resourcesDeleted: doc.getMap('resourcesDeleted'),
  };
}

/** A node record as written once at creation. */
export interface NodeRecord {
  type: string;
  name: string;
  lamport: number;
  parent: string;
  key: string;
  /** Encoded initial properties, decoded on demand. */
  props: Uint8Array;
}

const RECORD_VERSION = 1;

/** Encodes initial properties (count, then key + value pairs). */
export function encodeProps(props: Props): Uint8Array {
  const encoder = encoding.createEncoder();
  writeProps(encoder, props);
  return encoding.toUint8Array(encoder);
}

function writeProps(encoder: encoding.Encoder, props: Props): void {
  const keys = Object.keys(props);
  encoding.writeVarUint(encoder, keys.length);
  for (const key of keys) {
    writeName(encoder, key);
    writeValue(encoder, props[key] as GodotValue);
  }
}

/** Decodes properties written by `encodeProps`. Throws on malformed bytes. */
export function decodeProps(bytes: Uint8Array): Map<string, GodotValue> {
  const decoder = decoding.createDecoder(bytes);
  const count = decoding.readVarUint(decoder);
  const props = new Map<string, GodotValue>();
  for (let i = 0; i < count; i++) {
    const key = readName(decoder);
    props.set(key, readValue(decoder, 0));
  }
  if (decoding.hasContent(decoder)) throw new Error('trailing bytes after properties');
  return props;
}

export function encodeNodeRecord(record: Omit<NodeRecord, 'props'>, props: Props): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeUint8(encoder, RECORD_VERSION);
  writeName(encoder, record.type);
  encoding.writeVarString(encoder, record.name);
  encoding.writeVarUint(encoder, record.lamport);
  encoding.writeVarString(encoder, record.parent);
  encoding.writeVarString(encoder, record.key);
  writeProps(encoder, props);
  return encoding.toUint8Array(encoder);
}

/** Decodes a node record's header; returns null when it is not one (R-HOSTILE). */
export function decodeNodeRecord(value: unknown): NodeRecord | null {
  if (!(value instanceof Uint8Array)) return null;
  try {
    const decoder = decoding.createDecoder(value);
    if (decoding.readUint8(decoder) !== RECORD_VERSION) return null;
    const type = readName(decoder);
    const name = readVarString(decoder);
    const lamport = decoding.readVarUint(decoder);
    const parent = readVarString(decoder);
    const key = readVarString(decoder);
    if (type === '' || parent === '' || !isLamport(lamport)) return null;
    return { type, name, lamport, parent, key, props: value.subarray(decoder.pos) };
  } catch {
    return null;
  }
}

/** A resource record: type and encoded initial properties. */
export interface ResourceRecordData {
  type: string;
  props: Uint8Array;
}

export function encodeResourceRecord(type: string, props: Props): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeUint8(encoder, RECORD_VERSION);
  writeName(encoder, type);
  writeProps(encoder, props);
  return encoding.toUint8Array(encoder);
}

export function decodeResourceRecord(value: unknown): ResourceRecordData | null {
  if (!(value instanceof Uint8Array)) return null;
  try {
    const decoder = decoding.createDecoder(value);
    if (decoding.readUint8(decoder) !== RECORD_VERSION) return null;
    const type = readName(decoder);
    if (type === '') return null;
    return { type, props: value.subarray(decoder.pos) };
  } catch {
    return null;
  }
}

/** `edges` values: `[lamport, orderKey]`. */
export function readEdgeValue(value: unknown): { lamport: number; key: string } | null {
  if (!Array.isArray(value) || value.length !== 2) return null;
  const [lamport, key] = value;
  if (!isLamport(lamport) || typeof key !== 'string' || key.length > 4096) return null;
  return { lamport, key };
}

/** `names` values: `[name, lamport]`. */
export function readNameValue(value: unknown): { name: string; lamport: number } | null {
  if (!Array.isArray(value) || value.length !== 2) return null;
  const [name, lamport] = value;
  if (typeof name !== 'string' || name.length > 4096 || !isLamport(lamport)) return null;
  return { name, lamport };
}

/** A lamport stored alone (tombstones). */
export const readLamport = (value: unknown): number | null => (isLamport(value) ? value : null);

/** `owners` values: `[clientId, lamport]`, or null for released. */
export function readOwnerValue(value: unknown): { client: number; lamport: number } | null {
  if (!Array.isArray(value) || value.length !== 2) return null;
  const [client, lamport] = value;
  if (!Number.isSafeInteger(client) || client < 0 || client > 0xffffffff || !isLamport(lamport)) return null;
  return { client, lamport };
}

/** The one-byte marker stored in `props` for a property that was deleted. */
export const DELETED_PROPERTY = new Uint8Array([255]);
export const isDeletedMarker = (v: unknown): boolean => v instanceof Uint8Array && v.length === 1 && v[0] === 255;
