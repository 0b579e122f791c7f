import type { GodotValue, ResourceId, SceneTree, TreeNode, Props } from '@scenesync/core';
import { TscnScanner } from '../tscn/scanner.js';
import { formatString, rawValueText, readVariant, writeVariant, type VariantReadHooks, type VariantWriteHooks } from '../tscn/variant-text.js';
import { BridgeProtocolError } from './errors.js';

/** A value on the bridge wire (docs/bridge-protocol.md §Values, B-VAL). */
export type WireValue = string | { res: string } | { ext: string; type: string } | null;

/** WireTree: `SceneDoc.toTree()` with WireValues. */
export interface WireTree {
  id: string;
  name: string;
  type: string;
  props: Record<string, WireValue>;
  children: WireTree[];
  resources?: Record<string, { id: string; type: string; props: Record<string, WireValue> }>;
}

// Nested references travel inside the Variant text (B-VAL-1): a document resource as
// `SubResource("<resource id>")`, a file resource as `ExtResource("res://…", "<class>")`. Raw values
// never reach Godot (B-VAL-2).
const NESTED_WRITE: VariantWriteHooks = {
  subResourceId: (id) => id,
  extResourceId: (path) => path,
  extResourceText: (path, resourceType) => `ExtResource(${formatString(path)}, ${formatString(resourceType)})`,
};

/** A resource id as the document accepts it (docs/scene-model.md: 1–128 characters, no U+0001). */
const isResourceIdText = (id: string): boolean => id.length > 0 && id.length <= 128 && !id.includes('\u0001');

function containsRaw(v: GodotValue): boolean {
  if (v === null || typeof v !== 'object') return false;
  if (rawValueText(v) !== undefined) return true;
  if (Array.isArray(v)) return v.some(containsRaw);
  if ((v as { type: string }).type === 'Dictionary') {
    return (v as { entries: ReadonlyArray<readonly [GodotValue, GodotValue]> }).entries.some(([k, x]) => containsRaw(k) || containsRaw(x));
  }
  return false;
}

/** GodotValue → WireValue. */
export function toWire(value: GodotValue): WireValue {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const t = (value as { type: string }).type;
    if (t === 'Resource') return { res: (value as { id: string }).id };
    if (t === 'ExtResource') return { ext: (value as { path: string }).path, type: (value as { resourceType: string }).resourceType };
  }
  if (containsRaw(value)) return null;
  return writeVariant(value, NESTED_WRITE);
}

const READ_HOOKS: VariantReadHooks = {
  subResource: (id) => {
    if (!isResourceIdText(id)) throw new BridgeProtocolError('BAD_MESSAGE', `SubResource(${JSON.stringify(id.slice(0, 70))}) does not name a resource id (B-VAL-1)`);
    return { type: 'Resource', id: id as ResourceId };
  },
  extResource: (path, resourceType) => {
    if (path.length === 0 || path.length > 4096) throw new BridgeProtocolError('BAD_MESSAGE', 'ExtResource(...) needs a file path of 1–4096 characters (B-VAL-1)');
    return { type: 'ExtResource', path, resourceType: resourceType ?? 'Resource' };
  },
  unknown: (name) => { throw new BridgeProtocolError('BAD_MESSAGE', `value uses ${name}(...), which the bridge does not carry (B-VAL-2)`); },
};

/** WireValue → GodotValue; throws BridgeProtocolError('BAD_MESSAGE') on anything malformed. */
export function fromWire(wire: unknown): GodotValue {
  if (wire === null) return null;
  if (typeof wire === 'string') {
    if (wire.length > 16 * 1024 * 1024) throw new BridgeProtocolError('BAD_MESSAGE', 'value text over 16 MiB');
    const s = new TscnScanner(wire);
    let v: GodotValue;
    try {
      v = readVariant(s, READ_HOOKS);
      s.skipSpace();
    } catch (e) {
      if (e instanceof BridgeProtocolError) throw e;
      throw new BridgeProtocolError('BAD_MESSAGE', `unreadable value ${JSON.stringify(wire.slice(0, 60))}: ${(e as Error).message}`);
    }
    if (!s.atEnd()) throw new BridgeProtocolError('BAD_MESSAGE', `trailing text after value ${JSON.stringify(wire.slice(0, 60))}`);
    return v;
  }
  if (typeof wire === 'object' && !Array.isArray(wire)) {
    const o = wire as Record<string, unknown>;
    if (typeof o.res === 'string' && Object.keys(o).length === 1) return { type: 'Resource', id: o.res as ResourceId };
    if (typeof o.ext === 'string' && typeof o.type === 'string' && Object.keys(o).length === 2) {
      return { type: 'ExtResource', path: o.ext, resourceType: o.type };
    }
  }
  throw new BridgeProtocolError('BAD_MESSAGE', `not a wire value: ${JSON.stringify(wire)?.slice(0, 60)}; expected Variant text, {"res":id} or {"ext":path,"type":class}`);
}

/** Props → wire props. */
export function propsToWire(props: Props): Record<string, WireValue> {
  const out: Record<string, WireValue> = {};
  for (const [k, v] of Object.entries(props)) out[k] = toWire(v);
  return out;
}

/** Wire props → Props; throws BridgeProtocolError on a malformed entry. */
export function propsFromWire(wire: unknown): Props {
  if (wire === undefined) return {};
  if (wire === null || typeof wire !== 'object' || Array.isArray(wire)) throw new BridgeProtocolError('BAD_MESSAGE', '"props" must be an object');
  const out: Props = {};
  for (const [k, v] of Object.entries(wire)) out[k] = fromWire(v);
  return out;
}

/** A SceneDoc tree as a WireTree. */
export function treeToWire(tree: SceneTree | TreeNode): WireTree {
  const out: WireTree = { id: tree.id, name: tree.name, type: tree.type, props: propsToWire(tree.props), children: tree.children.map(treeToWire) };
  if ('resources' in tree) {
    out.resources = {};
    for (const [id, r] of Object.entries(tree.resources)) out.resources[id] = { id: r.id, type: r.type, props: propsToWire(r.props) };
  }
  return out;
}
