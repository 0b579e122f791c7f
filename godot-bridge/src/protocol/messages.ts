import type { GodotValue, Props } from '@scenesync/core';
import { BridgeProtocolError } from './errors.js';
import { fromWire, propsFromWire } from './wire-values.js';

/** The protocol version this sidecar speaks (B-HELLO). */
export const PROTOCOL_VERSION = 1;

/** One edit from the addon (B-OPS), values already decoded. */
export type BridgeOp =
  | { op: 'add'; id: string; parent: string; index: number | undefined; name: string; type: string; props: Props }
  | { op: 'remove'; id: string }
  | { op: 'move'; id: string; parent: string; index: number | undefined }
  | { op: 'rename'; id: string; name: string }
  | { op: 'set'; id: string; key: string; value: GodotValue | undefined }
  | { op: 'res_add'; id: string; type: string; props: Props }
  | { op: 'res_set'; id: string; key: string; value: GodotValue | undefined }
  | { op: 'res_remove'; id: string }
  | { op: 'root'; type: string | undefined; name: string | undefined };

/** A message from the addon, validated (B-ERR-1: anything else is a BridgeProtocolError). */
export type ClientMessage =
  | { t: 'hello'; v: unknown; token: unknown; name: string }
  | { t: 'ops'; ops: BridgeOp[]; n: number | null }
  | { t: 'resync' }
  | { t: 'dump' }
  | { t: 'ping'; n: unknown }
  | { t: 'own'; id: string }
  | { t: 'release'; id: string }
  | { t: 'stream'; nodes: [string, number[]][] }
  | { t: 'select'; ids: string[] };

/** Most node ids one `select` message may name (B-PRESENCE-1). */
export const MAX_SELECTION = 1024;

function bad(message: string): never {
  throw new BridgeProtocolError('BAD_MESSAGE', message);
}

function str(o: Record<string, unknown>, key: string, where: string): string {
  const v = o[key];
  if (typeof v !== 'string' || v.length === 0 || v.length > 4096) bad(`${where}: "${key}" must be a non-empty string`);
  return v;
}

function optIndex(o: Record<string, unknown>, where: string): number | undefined {
  const v = o.index;
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) bad(`${where}: "index" must be a non-negative integer`);
  return v;
}

function optValue(o: Record<string, unknown>): GodotValue | undefined {
  return 'value' in o && o.value !== undefined ? fromWire(o.value) : undefined;
}

/** Parses one op of an `ops` message; `where` names it in error messages. */
export function parseOp(raw: unknown, where: string): BridgeOp {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) bad(`${where} must be an object`);
  const o = raw as Record<string, unknown>;
  switch (o.op) {
    case 'add':
      return { op: 'add', id: str(o, 'id', where), parent: str(o, 'parent', where), index: optIndex(o, where), name: str(o, 'name', where), type: str(o, 'type', where), props: propsFromWire(o.props) };
    case 'remove':
    case 'res_remove':
      return { op: o.op, id: str(o, 'id', where) };
    case 'move':
      return { op: 'move', id: str(o, 'id', where), parent: str(o, 'parent', where), index: optIndex(o, where) };
    case 'rename':
      return { op: 'rename', id: str(o, 'id', where), name: str(o, 'name', where) };
    case 'set':
    case 'res_set':
      return { op: o.op, id: str(o, 'id', where), key: str(o, 'key', where), value: o.unset === true ? undefined : optValue(o) ?? null };
    case 'res_add':
      return { op: 'res_add', id: str(o, 'id', where), type: str(o, 'type', where), props: propsFromWire(o.props) };
    case 'root':
      return { op: 'root', type: typeof o.type === 'string' ? o.type : undefined, name: typeof o.name === 'string' ? o.name : undefined };
    default:
      return bad(`${where}: unknown op ${JSON.stringify(o.op)}`);
  }
}

/** Parses one text frame from the addon. Throws BridgeProtocolError('BAD_MESSAGE') when malformed. */
export function parseClientMessage(text: string): ClientMessage {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    bad('not JSON; every frame must be one JSON object with a "t" field');
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) bad('a message must be a JSON object with a "t" field');
  const o = raw as Record<string, unknown>;
  switch (o.t) {
    case 'hello':
      return { t: 'hello', v: o.v, token: o.token, name: typeof o.name === 'string' ? o.name.slice(0, 200) : 'godot' };
    case 'ops': {
      if (!Array.isArray(o.ops)) bad('ops: "ops" must be an array');
      return { t: 'ops', ops: o.ops.map((op, i) => parseOp(op, `ops[${i}]`)), n: typeof o.n === 'number' && Number.isFinite(o.n) ? o.n : null };
    }
    case 'resync':
    case 'dump':
      return { t: o.t };
    case 'ping':
      return { t: 'ping', n: o.n ?? null };
    case 'own':
    case 'release':
      return { t: o.t, id: str(o, 'id', o.t) };
    case 'stream': {
      if (!Array.isArray(o.nodes)) bad('stream: "nodes" must be an array of [id, Transform3D text]');
      return {
        t: 'stream',
        nodes: o.nodes.map((entry, i) => {
          if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string') bad(`stream: nodes[${i}] must be [id, Transform3D text]`);
          const v = fromWire(entry[1]);
          if (v === null || typeof v !== 'object' || Array.isArray(v) || (v as { type?: string }).type !== 'Transform3D') {
            bad(`stream: nodes[${i}] is not a Transform3D`);
          }
          const value = (v as { value: readonly number[] }).value;
          if (!value.every(Number.isFinite)) bad(`stream: nodes[${i}] has a non-finite component`);
          return [entry[0], value.slice()] as [string, number[]];
        }),
      };
    }
    case 'select': {
      if (!Array.isArray(o.ids) || o.ids.length > MAX_SELECTION) bad(`select: "ids" must be an array of at most ${MAX_SELECTION} node ids`);
      return { t: 'select', ids: o.ids.map((id, i) => (typeof id === 'string' && id.length > 0 && id.length <= 64 ? id : bad(`select: ids[${i}] is not a node id`))) };
    }
    default:
      return bad(`unknown message type ${JSON.stringify(o.t)}`);
  }
}

/** The `t` field of a frame when it has one (for the `ref` of an error reply). */
export function messageType(text: string): string | null {
  try {
    const o = JSON.parse(text) as { t?: unknown };
    return typeof o?.t === 'string' ? o.t.slice(0, 40) : null;
  } catch {
    return null;
  }
}
