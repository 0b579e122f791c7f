import type { DictionaryValue, GodotValue, Props, ResourceRecord, SceneTree, TreeNode } from '@scenesync/core';
import { fnv1a, TSCN_KEY_PREFIX, TSCN_KEYS } from './import.js';
import { formatString, writeVariant, type VariantWriteHooks } from './variant-text.js';

/**
 * Properties Godot must receive before the others: a script before the properties it declares, a
 * mesh before its `surface_material_override/N`, a shader before its parameters.
 */
const FIRST_KEYS = ['script', 'mesh', 'shader', '_surfaces', '_data'];

/** Options of {@link exportTscn}; defaults in {@link EXPORT_DEFAULTS}. */
export interface ExportTscnOptions {
  /**
   * When set, every `ExtResource` whose res:// path it reports missing is written as `null` (and a
   * node instancing a missing scene becomes a plain node of its recorded type), so Godot opens the
   * file in a project that lacks those files. Null: write every reference as is.
   */
  fileExists: ((resPath: string) => boolean) | null;
}

/** Defaults of {@link ExportTscnOptions}. */
export const EXPORT_DEFAULTS: ExportTscnOptions = { fileExists: null };

/**
 * Writes a scenesync tree (`SceneDoc.toTree()` shape) as a Godot 4 text scene (format=3) that Godot
 * opens. Node `unique_id`s are the node ids when numeric, else a stable hash of the id; `tscn:*`
 * properties written by `importTscn` become headers, connections and uids again (docs/tscn.md).
 * Dangling `Resource` refs are written as `null` (Godot would refuse the file otherwise).
 */
export function exportTscn(tree: SceneTree, options: Partial<ExportTscnOptions> = {}): string {
  const opts = { ...EXPORT_DEFAULTS, ...options };
  const resources = tree.resources ?? {};
  const missing = (v: GodotValue): boolean =>
    opts.fileExists !== null && v !== null && typeof v === 'object' && !Array.isArray(v) &&
    (v as { type: string }).type === 'ExtResource' && !opts.fileExists((v as { path: string }).path);
  const extIds = new Map<string, { id: string; path: string; type: string }>();
  const uids = new Map<string, string>();
  const uidEntries = tree.props[TSCN_KEYS.extUids];
  if (uidEntries && typeof uidEntries === 'object' && !Array.isArray(uidEntries) && (uidEntries as { type?: string }).type === 'Dictionary') {
    for (const [k, v] of (uidEntries as DictionaryValue).entries) if (typeof k === 'string' && typeof v === 'string') uids.set(k, v);
  }
  const hooks: VariantWriteHooks = {
    subResourceId: (id) => id,
    extResourceId(path, type) {
      const key = `${type}\u0001${path}`;
      let ext = extIds.get(key);
      if (!ext) {
        ext = { id: `${extIds.size + 1}_${fnv1a(key).slice(0, 5)}`, path, type };
        extIds.set(key, ext);
      }
      return ext.id;
    },
  };
  const write = (v: GodotValue): string => writeVariant(withoutDanglingRefs(v, resources, missing), hooks);

  // Sub-resources first, each after the ones it references (Godot reads them in order).
  const resourceBlocks: string[] = [];
  const done = new Set<string>();
  const visiting = new Set<string>();
  const emit = (res: ResourceRecord): void => {
    if (done.has(res.id) || visiting.has(res.id)) return;
    visiting.add(res.id);
    for (const dep of referencedResources(Object.values(res.props))) {
      const r = resources[dep];
      if (r) emit(r);
    }
    visiting.delete(res.id);
    done.add(res.id);
    resourceBlocks.push(`[sub_resource type=${formatString(res.type)} id=${formatString(res.id)}]\n${propLines(res.props, write)}`);
  };
  for (const res of Object.values(resources)) emit(res);

  const nodeBlocks: string[] = [];
  const walk = (node: TreeNode, parentPath: string | null): void => {
    const attrs: string[] = [`name=${formatString(node.name)}`];
    const instance = node.props[TSCN_KEYS.instance];
    const instanced = instance !== undefined && !missing(instance);
    // A node whose instanced scene is missing becomes a plain node of its recorded type.
    if (node.props[TSCN_KEYS.typeless] !== true || (instance !== undefined && !instanced)) attrs.push(`type=${formatString(node.type)}`);
    if (parentPath !== null) attrs.push(`parent=${formatString(parentPath)}`);
    const uniqueId = parentPath === null ? node.props[TSCN_KEYS.rootUniqueId] : undefined;
    attrs.push(`unique_id=${typeof uniqueId === 'bigint' ? uniqueId : uniqueIdOf(node.id)}`);
    if (instanced) attrs.push(`instance=${write(instance)}`);
    for (const [k, v] of Object.entries(node.props)) {
      if (!k.startsWith(TSCN_KEY_PREFIX) || HEADERLESS_KEYS.has(k)) continue;
      attrs.push(`${k.slice(TSCN_KEY_PREFIX.length)}=${write(v)}`);
    }
    nodeBlocks.push(`[node ${attrs.join(' ')}]\n${propLines(node.props, write)}`);
    const myPath = parentPath === null ? '.' : parentPath === '.' ? node.name : `${parentPath}/${node.name}`;
    for (const child of node.children) walk(child, myPath);
  };
  walk(tree, null);

  const tail: string[] = [];
  const connections = tree.props[TSCN_KEYS.connections];
  if (Array.isArray(connections)) {
    for (const c of connections) {
      if (c && typeof c === 'object' && !Array.isArray(c) && (c as { type?: string }).type === 'Dictionary') {
        tail.push(`[connection ${(c as DictionaryValue).entries.map(([k, v]) => `${String(k)}=${write(v)}`).join(' ')}]\n`);
      }
    }
  }
  const editable = tree.props[TSCN_KEYS.editable];
  if (Array.isArray(editable)) for (const p of editable) if (typeof p === 'string') tail.push(`[editable path=${formatString(p)}]\n`);

  const sceneUid = tree.props[TSCN_KEYS.sceneUid];
  const head = `[gd_scene format=3${typeof sceneUid === 'string' ? ` uid=${formatString(sceneUid)}` : ''}]\n`;
  const extBlock = [...extIds.values()].map((e) => {
    const uid = uids.get(e.path);
    return `[ext_resource type=${formatString(e.type)}${uid ? ` uid=${formatString(uid)}` : ''} path=${formatString(e.path)} id=${formatString(e.id)}]`;
  });
  // ext_resource ids are handed out while values are written, so the header block is joined last.
  return [head, extBlock.length ? `${extBlock.join('\n')}\n` : null, ...resourceBlocks, ...nodeBlocks, ...tail]
    .filter((b): b is string => b !== null)
    .join('\n');
}

/** Root-only `tscn:*` keys and the ones written in a fixed header position. */
const HEADERLESS_KEYS = new Set<string>([
  TSCN_KEYS.sceneUid, TSCN_KEYS.rootUniqueId, TSCN_KEYS.connections, TSCN_KEYS.editable, TSCN_KEYS.extUids,
  TSCN_KEYS.instance, TSCN_KEYS.typeless,
]);

function propLines(props: Props, write: (v: GodotValue) => string): string {
  const keys = Object.keys(props).filter((k) => !k.startsWith(TSCN_KEY_PREFIX));
  const rank = (k: string): number => {
    const i = FIRST_KEYS.indexOf(k);
    return i >= 0 ? i : k.includes('/') ? FIRST_KEYS.length + 1 : FIRST_KEYS.length;
  };
  // Indexed keys (`tracks/3/path`) in the order Godot writes and needs them: by family, then by
  // index numerically, each index's `type` first. Godot makes track N from `tracks/N/type` only
  // when N is the next track, and drops the other `tracks/N/…` keys of a track it does not have;
  // the document lists properties set after creation sorted by key (R-PROP-ORDER), which puts
  // `tracks/10/…` before `tracks/2/…` and `path` before `type`. Other keys keep their place.
  const position = new Map(keys.map((k, i) => [k, i]));
  const familyStart = new Map<string, number>();
  const sortKey = new Map<string, number[]>();
  for (const k of keys) {
    const indexed = /^(.+?)\/(\d+)\/(.+)$/.exec(k);
    if (indexed && !familyStart.has(indexed[1]!)) familyStart.set(indexed[1]!, position.get(k)!);
    sortKey.set(k, indexed
      ? [rank(k), familyStart.get(indexed[1]!)!, Number(indexed[2]), indexed[3] === 'type' ? 0 : 1, position.get(k)!]
      : [rank(k), position.get(k)!, 0, 0, position.get(k)!]);
  }
  keys.sort((a, b) => {
    const x = sortKey.get(a)!;
    const y = sortKey.get(b)!;
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
    return 0;
  });
  return keys.map((k) => `${/^[A-Za-z0-9_/:.-]+$/.test(k) ? k : formatString(k)} = ${write(props[k]!)}\n`).join('');
}

/** A node's `unique_id`: its id when that is a Godot unique id already, else a stable 31-bit hash. */
export function uniqueIdOf(id: string): number {
  if (/^[0-9]{1,10}$/.test(id) && Number(id) < 2 ** 31) return Number(id);
  return parseInt(fnv1a(id), 36) & 0x7fffffff;
}

function referencedResources(values: readonly GodotValue[], out: string[] = []): string[] {
  for (const v of values) {
    if (v === null || typeof v !== 'object') continue;
    if (Array.isArray(v)) referencedResources(v, out);
    else if ((v as { type: string }).type === 'Resource') out.push((v as { id: string }).id);
    else if ((v as { type: string }).type === 'Dictionary') {
      for (const [k, x] of (v as { entries: ReadonlyArray<readonly [GodotValue, GodotValue]> }).entries) referencedResources([k, x], out);
    }
  }
  return out;
}

function withoutDanglingRefs(v: GodotValue, resources: Record<string, ResourceRecord>, missing: (v: GodotValue) => boolean): GodotValue {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => withoutDanglingRefs(x, resources, missing));
  const t = v as { type: string };
  if (t.type === 'Resource') return resources[(v as { id: string }).id] ? v : null;
  if (t.type === 'ExtResource') return missing(v) ? null : v;
  if (t.type === 'Dictionary') {
    const d = v as { entries: ReadonlyArray<readonly [GodotValue, GodotValue]> };
    return { type: 'Dictionary', entries: d.entries.map(([k, x]) => [withoutDanglingRefs(k, resources, missing), withoutDanglingRefs(x, resources, missing)] as [GodotValue, GodotValue]) };
  }
  return v;
}
