import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { GodotValue, NodeId, Props, ResourceId, ResourceRecord, SceneTree, TreeNode } from '@scenesync/core';
import { TscnError } from './errors.js';
import { readSections, type TscnSection } from './sections.js';
import type { VariantReadHooks } from './variant-text.js';

/** Root and node property keys the importer adds; see docs/tscn.md §Kept data. */
export const TSCN_KEYS = {
  /** Root: the scene's own `uid://…` (from `[gd_scene uid=…]`). */
  sceneUid: 'tscn:uid',
  /** Root: the root node's `unique_id` (the root's node id is always `root`). */
  rootUniqueId: 'tscn:unique_id',
  /** Root: Array of Dictionary, one per `[connection …]`, attributes as written. */
  connections: 'tscn:connections',
  /** Root: Array of String, the `[editable path=…]` entries. */
  editable: 'tscn:editable',
  /** Root: Dictionary res:// path → `uid://…` of the ext_resources. */
  extUids: 'tscn:ext_uids',
  /** Node: ExtResource ref of the PackedScene this node instances (`instance=`). */
  instance: 'tscn:instance',
  /** Node: true when the header had no `type=` (instanced or inherited node). */
  typeless: 'tscn:typeless',
} as const;

/** Prefix of every key the importer adds; such keys are data for scenesync, never Godot properties. */
export const TSCN_KEY_PREFIX = 'tscn:';

/** Something the importer kept as a reference or skipped, and tells the user about. Never fatal. */
export interface TscnReportEntry {
  readonly code: 'MISSING_FILE' | 'UNKNOWN_VALUE' | 'DANGLING_REFERENCE' | 'UNKNOWN_PARENT' | 'UNKNOWN_SECTION' | 'DUPLICATE_NAME';
  readonly message: string;
  readonly line: number;
}

/** Options of {@link importTscn}; defaults in {@link IMPORT_DEFAULTS}. */
export interface ImportTscnOptions {
  /**
   * The project directory `res://` maps to, used to check that external files exist. Null: do not
   * check. `importTscnFile` defaults it to the nearest directory above the scene with a project.godot
   * (or the scene's own directory).
   */
  projectDir: string | null;
}

/** Defaults of {@link ImportTscnOptions}. */
export const IMPORT_DEFAULTS: ImportTscnOptions = { projectDir: null };

/** What {@link importTscn} returns. */
export interface TscnImport {
  /** The scene in `SceneDoc.toTree()` shape: pass it to `SceneDoc.fromTree`. Ids are kept. */
  readonly tree: SceneTree;
  /** Everything kept as a reference or skipped (missing files, unknown values...). */
  readonly report: TscnReportEntry[];
}

/**
 * Reads a Godot 4 text scene (format=3, or format=4 from Godot 4.3+) into a scenesync tree. Node ids are the nodes' `unique_id`s
 * (the root's is kept in its `tscn:unique_id` property), resource ids the sub_resource ids. Unknown
 * values and missing files are kept and reported; only a broken structure throws `TscnError`.
 *
 * @example
 * const { tree, report } = importTscn(readFileSync('main.tscn', 'utf8'));
 * const scene = SceneDoc.fromTree(tree);
 */
export function importTscn(text: string, options: Partial<ImportTscnOptions> = {}): TscnImport {
  const opts = { ...IMPORT_DEFAULTS, ...options };
  const report: TscnReportEntry[] = [];
  const extById = new Map<string, { path: string; type: string }>();
  const subIds = new Set<string>();

  const sections = readSections(text, ({ line }) => hooksFor(line));
  const paths = new Map<TreeNode, string>();
  function hooksFor(line: number): VariantReadHooks {
    return {
      subResource(id) {
        if (!subIds.has(id)) report.push({ code: 'DANGLING_REFERENCE', message: `SubResource("${id}") is not defined before its use; kept as a dangling reference`, line });
        return { type: 'Resource', id: id as ResourceId };
      },
      extResource(id) {
        const ext = extById.get(id);
        if (!ext) {
          report.push({ code: 'DANGLING_REFERENCE', message: `ExtResource("${id}") has no [ext_resource]; kept as an empty reference`, line });
          return { type: 'ExtResource', path: '', resourceType: 'Resource' };
        }
        return { type: 'ExtResource', path: ext.path, resourceType: ext.type };
      },
      unknown(name) {
        report.push({ code: 'UNKNOWN_VALUE', message: `${name}(...) is not modelled by scenesync; kept as raw text`, line });
      },
    };
  }
  const first = sections.next();
  const header = first.done ? undefined : first.value;
  if (!header || header.tag !== 'gd_scene') throw new TscnError('NOT_A_SCENE', 'not a Godot text scene: the first section must be [gd_scene ...]; .tres resources are not scenes', header?.line);
  const format = header.attrs.get('format');
  // format=4 is what Godot 4.3+ writes when a scene holds a PackedByteArray (base64 syntax, which the
  // value parser reads); everything else is as in format=3.
  if (format !== 3n && format !== 4n) throw new TscnError('UNSUPPORTED_FORMAT', `only .tscn format=3 and format=4 (Godot 4) are supported, this file has format=${String(format)}; open and re-save it in Godot 4`, header.line);

  const resources: Record<string, ResourceRecord> = {};
  const extUids: [GodotValue, GodotValue][] = [];
  const connections: GodotValue[] = [];
  const editable: GodotValue[] = [];
  const byPath = new Map<string, TreeNode>();
  let root: SceneTree | undefined;

  for (const sec of sections) {
    switch (sec.tag) {
      case 'ext_resource': {
        const id = attrString(sec, 'id');
        const path = attrString(sec, 'path');
        const type = attrString(sec, 'type') || 'Resource';
        extById.set(id, { path, type });
        const uid = sec.attrs.get('uid');
        if (typeof uid === 'string') extUids.push([path, uid]);
        if (opts.projectDir !== null && path.startsWith('res://') && !existsSync(join(opts.projectDir, path.slice(6)))) {
          report.push({ code: 'MISSING_FILE', message: `${path} (${type}) is not in ${opts.projectDir}; kept as a reference`, line: sec.line });
        }
        break;
      }
      case 'sub_resource': {
        const id = attrString(sec, 'id');
        subIds.add(id);
        resources[id] = { id: id as ResourceId, type: attrString(sec, 'type') || 'Resource', props: propsOf(sec) };
        break;
      }
      case 'node': {
        const node = nodeFrom(sec);
        const parentAttr = sec.attrs.get('parent');
        if (parentAttr === undefined) {
          if (root) {
            report.push({ code: 'UNKNOWN_PARENT', message: `node "${node.name}" has no parent but the root is already "${root.name}"; placed under the root`, line: sec.line });
            appendChild(root, node, '.', sec.line);
            break;
          }
          const uniqueId = sec.attrs.get('unique_id');
          if (typeof uniqueId === 'bigint') node.props[TSCN_KEYS.rootUniqueId] = uniqueId;
          root = { ...node, id: 'root' as NodeId, resources };
          byPath.set('.', root);
          break;
        }
        if (!root) throw new TscnError('NO_ROOT', `node "${node.name}" comes before the root node; the first [node] must have no parent`, sec.line);
        const parentPath = typeof parentAttr === 'string' ? parentAttr : String(parentAttr);
        let parent = byPath.get(parentPath);
        if (!parent) {
          report.push({ code: 'UNKNOWN_PARENT', message: `parent "${parentPath}" of node "${node.name}" does not exist; placed under the root`, line: sec.line });
          parent = root;
        }
        appendChild(parent, node, parent === root ? '.' : pathKey(parent), sec.line);
        break;
      }
      case 'connection':
        connections.push({ type: 'Dictionary', entries: [...sec.attrs.entries()] });
        break;
      case 'editable':
        editable.push(attrString(sec, 'path'));
        break;
      default:
        report.push({ code: 'UNKNOWN_SECTION', message: `[${sec.tag}] sections are not supported; skipped`, line: sec.line });
    }
  }
  if (!root) throw new TscnError('NO_ROOT', 'the scene has no [node] section; a scene needs a root node', header.line);

  const sceneUid = header.attrs.get('uid');
  if (typeof sceneUid === 'string') root.props[TSCN_KEYS.sceneUid] = sceneUid;
  if (connections.length) root.props[TSCN_KEYS.connections] = connections;
  if (editable.length) root.props[TSCN_KEYS.editable] = editable;
  // Sorted by path so the entry order does not depend on the order ext_resources were written in.
  extUids.sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1));
  if (extUids.length) root.props[TSCN_KEYS.extUids] = { type: 'Dictionary', entries: extUids };
  return { tree: root, report };

  function appendChild(parent: TreeNode, node: TreeNode, parentPath: string, line: number): void {
    if (parent.children.some((c) => c.name === node.name)) {
      report.push({ code: 'DUPLICATE_NAME', message: `two children of "${parentPath}" are named "${node.name}"; the scene model renames the later one`, line });
    }
    parent.children.push(node);
    const path = parentPath === '.' ? node.name : `${parentPath}/${node.name}`;
    paths.set(node, path);
    byPath.set(path, node);
  }
  function pathKey(n: TreeNode): string {
    return paths.get(n) ?? '.';
  }
}

function attrString(sec: TscnSection, key: string): string {
  const v = sec.attrs.get(key);
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint' || typeof v === 'number') return String(v);
  return '';
}

function propsOf(sec: TscnSection): Props {
  const props: Props = {};
  for (const [k, v] of sec.props) props[k] = v;
  return props;
}

const NODE_HEADER_KEYS = new Set(['name', 'type', 'parent', 'unique_id', 'instance']);

function nodeFrom(sec: TscnSection): TreeNode {
  const name = attrString(sec, 'name');
  const type = attrString(sec, 'type');
  const props = propsOf(sec);
  const instance = sec.attrs.get('instance');
  if (instance !== undefined) props[TSCN_KEYS.instance] = instance;
  if (type === '') props[TSCN_KEYS.typeless] = true;
  // Any other header attribute (groups, index, node_paths, instance_placeholder, owner...) is kept
  // under `tscn:<attribute>` and written back as a header attribute.
  for (const [k, v] of sec.attrs) if (!NODE_HEADER_KEYS.has(k)) props[`tscn:${k}`] = v;
  const uniqueId = sec.attrs.get('unique_id');
  const id = typeof uniqueId === 'bigint' ? uniqueId.toString() : `n${fnv1a(`${attrString(sec, 'parent')}/${name}`)}`;
  return { id: id as NodeId, name, type: type || 'Node', props, children: [] };
}

/** 32-bit FNV-1a as base-36: a stable id for nodes written without `unique_id`. */
export function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36);
}

/**
 * Finds the directory `res://` means for a scene file: the nearest directory at or above it holding
 * a project.godot, else the scene's own directory.
 */
export function projectDirOf(scenePath: string): string {
  const start = dirname(resolve(scenePath));
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'project.godot'))) return dir;
    if (dirname(dir) === dir) return start;
  }
}
