/**
 * AnimationPlayer animations → glTF animations (docs/gltf-mapping.md G-ANIM).
 *
 * Resolved at export time, like meshes: a player's libraries and animations are resources, and the
 * targets are looked up by name in this export's tree, so every export reads them afresh (the worker
 * caches node descriptions only). The result is plain data ({@link AnimationPlan}); the caller turns
 * sampler keys into accessors and the writer writes `json.animations` against the node rows.
 */
import { isIgnorableProperty } from '../godot/props.js';
import { transformToTrs } from '../math/transform.js';
import type { ExportIssue } from '../report.js';
import { isExtResourceRef, isResourceRef, type GodotValue, type Props, type ResourceRecord } from '../scene-types.js';
import { curveToSampler, Interp, TooManySamples, type Curve, type CurveSpace, type SamplerKeys } from './animation-curves.js';
import { isSpatialNode, type NodeData } from './describe-node.js';

/** A glTF animation channel path. */
export type ChannelPath = 'translation' | 'rotation' | 'scale';

/** One channel to write: the target node row, its path and its sampler keys. */
export interface ChannelPlan {
  readonly node: number;
  readonly path: ChannelPath;
  readonly keys: SamplerKeys;
}

/** One glTF animation: a Godot Animation of one player's library. */
export interface AnimationPlan {
  /** `library/name`, or `name` for the default library (G-ANIM-1). */
  readonly name: string;
  readonly channels: readonly ChannelPlan[];
  /** `extras.scenesync`: the Animation's resource id, library, name, loop mode and length. */
  readonly extras: { readonly resourceId: string; readonly library: string; readonly name: string; readonly loopMode: 'none' | 'linear' | 'pingpong'; readonly length: number };
}

/** What the mapping needs from the tree being exported. `N` names a node as the walk does. */
export interface AnimationScene<N> {
  children(node: N): readonly N[];
  data(node: N): NodeData;
  /** The node's row in the node table, or undefined when it is not written (G-NODE-4 exclude). */
  rowOf(node: N): number | undefined;
  resource(id: string): ResourceRecord | undefined;
}

/** The AnimationPlayer being mapped: its ancestors from the root down to itself, its properties and where it is. */
export interface PlayerSource<N> {
  readonly chain: readonly N[];
  readonly props: Props;
  /** The player's location for issues (`nodeId`, `path`). */
  readonly location: Partial<ExportIssue>;
}

const LIBRARY_PREFIX = 'libraries/';
const LOOP_MODES = ['none', 'linear', 'pingpong'] as const;
const PLAYER_KEYS = new Set(['libraries', 'root_node']);
/** Packed key stride of Godot's 3D transform tracks: time, transition, then the value. */
const PACKED_STRIDE: Record<string, number> = { position_3d: 5, rotation_3d: 6, scale_3d: 5 };
const TRACK_PATHS: Record<string, ChannelPath> = { position_3d: 'translation', rotation_3d: 'rotation', scale_3d: 'scale' };

/**
 * Maps every animation of one AnimationPlayer (G-ANIM-1…7). Whatever cannot be written is reported
 * through `report`, never dropped silently.
 */
export function planPlayerAnimations<N>(player: PlayerSource<N>, scene: AnimationScene<N>, writeExtras: boolean, report: (issue: ExportIssue) => void): AnimationPlan[] {
  const at = player.location;
  const lost = Object.keys(player.props).filter((k) => !k.startsWith(LIBRARY_PREFIX) && !PLAYER_KEYS.has(k) && !isIgnorableProperty(k));
  if (lost.length) {
    report({ code: 'NON_SPATIAL_NODE', rule: 'G-NODE-2', message: `AnimationPlayer is not a 3D node; its animations are written (G-ANIM), its other properties (${lost.join(', ')}) are not expressed`, ...at });
  }
  const rootPath = nodePathText(player.props.root_node) ?? '..';
  const root = resolveNode(scene, player.chain, rootPath);
  const plans: AnimationPlan[] = [];
  for (const [library, ref, property] of libraryRefs(player.props)) {
    const lib = resolveRef(ref, scene, at, property, report);
    if (!lib) continue;
    if (lib.type !== 'AnimationLibrary') {
      report({ code: 'ANIMATION_NOT_WRITTEN', rule: 'G-ANIM-1', message: `${property} is a ${lib.type}, not an AnimationLibrary`, ...at, property, resourceId: lib.id });
      continue;
    }
    const data = lib.props._data;
    if (!isDictionary(data)) continue;
    for (const [key, animRef] of data.entries) {
      const animName = nameText(key);
      const animProperty = `${property}/${animName}`;
      const anim = resolveRef(animRef, scene, at, animProperty, report);
      if (!anim) continue;
      const name = library ? `${library}/${animName}` : animName;
      if (anim.type !== 'Animation') {
        report({ code: 'ANIMATION_NOT_WRITTEN', rule: 'G-ANIM-1', message: `${name} is a ${anim.type}, not an Animation`, ...at, resourceId: anim.id });
        continue;
      }
      if (typeof root === 'string') {
        report({ code: 'ANIMATION_NOT_WRITTEN', rule: 'G-ANIM-4', message: `${name}: root_node ${JSON.stringify(rootPath)} ${root}; none of its tracks can be placed`, ...at, property: 'root_node', resourceId: anim.id });
        continue;
      }
      const plan = planAnimation(anim, name, library, animName, root, scene, writeExtras, { ...at, resourceId: anim.id }, report);
      if (plan) plans.push(plan);
    }
  }
  return plans;
}

/** The player's libraries: `libraries/<name>` properties (Godot 4.x text format) or a `libraries` Dictionary. */
function libraryRefs(props: Props): Array<[string, GodotValue, string]> {
  const out: Array<[string, GodotValue, string]> = [];
  for (const key of Object.keys(props).sort()) {
    if (key.startsWith(LIBRARY_PREFIX)) out.push([key.slice(LIBRARY_PREFIX.length), props[key]!, key]);
  }
  const dict = props.libraries;
  if (isDictionary(dict)) for (const [k, v] of dict.entries) out.push([nameText(k), v, `libraries/${nameText(k)}`]);
  return out;
}

function resolveRef(value: GodotValue | undefined, scene: AnimationScene<unknown>, at: Partial<ExportIssue>, property: string, report: (issue: ExportIssue) => void): ResourceRecord | undefined {
  if (isResourceRef(value)) {
    const rec = scene.resource(value.id);
    if (!rec) report({ code: 'MISSING_RESOURCE', rule: 'G-RES-3', message: `${property} refers to resource ${value.id}, which is not in the document`, ...at, property, resourceId: value.id });
    return rec;
  }
  if (isExtResourceRef(value)) {
    report({ code: 'EXTERNAL_RESOURCE', rule: 'G-RES-2', message: `${property} refers to the file ${value.path} (${value.resourceType}), whose animations are not in the document`, ...at, property });
    return undefined;
  }
  report({ code: 'ANIMATION_NOT_WRITTEN', rule: 'G-ANIM-1', message: `${property} is not a resource reference`, ...at, property });
  return undefined;
}

/** One Animation resource → one glTF animation (undefined when no track could be written). */
function planAnimation<N>(
  anim: ResourceRecord, name: string, library: string, animName: string, root: readonly N[], scene: AnimationScene<N>,
  writeExtras: boolean, at: Partial<ExportIssue>, report: (issue: ExportIssue) => void,
): AnimationPlan | undefined {
  const p = anim.props;
  const length = finiteNumber(p.length) ?? 1;
  const loopIndex = finiteNumber(p.loop_mode) ?? 0;
  const loopMode = LOOP_MODES[loopIndex] ?? 'none';
  const channels: ChannelPlan[] = [];
  const taken = new Set<string>();
  const problem = (code: ExportIssue['code'], rule: string, i: number, message: string): void =>
    report({ code, rule, message: `${name}: track ${i}: ${message}`, ...at, property: `tracks/${i}` });
  for (let i = 0; Object.prototype.hasOwnProperty.call(p, `tracks/${i}/type`); i++) {
    const type = p[`tracks/${i}/type`];
    const pathText = nodePathText(p[`tracks/${i}/path`]) ?? '';
    if (p[`tracks/${i}/enabled`] === false) {
      problem('ANIMATION_TRACK_NOT_WRITTEN', 'G-ANIM-5', i, `${pathText} is disabled (Godot does not play it); not written`);
      continue;
    }
    if (type !== 'value' && !(typeof type === 'string' && type in PACKED_STRIDE)) {
      problem('ANIMATION_TRACK_NOT_WRITTEN', 'G-ANIM-5', i, `${String(type)} track on ${pathText}: this track type has no glTF equivalent`);
      continue;
    }
    const colon = pathText.indexOf(':');
    const nodePart = colon < 0 ? pathText : pathText.slice(0, colon);
    const subnames = colon < 0 ? [] : pathText.slice(colon + 1).split(':');
    let curves: Array<{ path: ChannelPath; curve: Curve }>;
    const interp = (finiteNumber(p[`tracks/${i}/interp`]) ?? 1) as Interp;
    const wrap = loopMode === 'linear' && p[`tracks/${i}/loop_wrap`] !== false;
    if (type === 'value' && !VALUE_PROPERTIES.has(subnames.join(':'))) {
      problem('ANIMATION_TRACK_NOT_WRITTEN', 'G-ANIM-5', i, `value track on ${JSON.stringify(subnames.join(':'))} of ${nodePart || '.'}: glTF animates only translation, rotation and scale`);
      continue;
    }
    const target = resolveNode(scene, root, nodePart);
    if (typeof target === 'string') {
      problem('ANIMATION_TARGET_NOT_WRITTEN', 'G-ANIM-4', i, `target ${JSON.stringify(nodePart)} ${target}`);
      continue;
    }
    const targetNode = target[target.length - 1]!;
    const targetData = scene.data(targetNode);
    if (typeof type === 'string' && type in PACKED_STRIDE) {
      if (subnames.length) {
        problem('ANIMATION_TRACK_NOT_WRITTEN', 'G-ANIM-5', i, `${type} track on ${pathText} animates a Skeleton3D bone; bones are not written (no skins, G-NODE-3)`);
        continue;
      }
      const parsed = packedKeys(p[`tracks/${i}/keys`], PACKED_STRIDE[type]!);
      if (typeof parsed === 'string') {
        problem('INVALID_ANIMATION_DATA', 'G-ANIM-6', i, parsed);
        continue;
      }
      const space: CurveSpace = type === 'rotation_3d' ? 'quaternion' : 'vector';
      curves = [{ path: TRACK_PATHS[type]!, curve: { space, ...parsed, interp, length, wrap, eulerOrder: 2 } }];
    } else if (type === 'value') {
      const property = subnames.join(':');
      const parsed = valueKeys(p[`tracks/${i}/keys`], property, finiteNumber(targetData.props.rotation_order) ?? 2);
      if (typeof parsed === 'string') {
        problem('INVALID_ANIMATION_DATA', 'G-ANIM-6', i, parsed);
        continue;
      }
      // A discrete value track (update mode 1) jumps from key to key whatever its interpolation.
      const effective = parsed.discrete ? Interp.Nearest : interp;
      curves = parsed.curves.map((c) => ({ path: c.path, curve: { ...c.curve, interp: effective, length, wrap } }));
    } else {
      continue;
    }
    if (!isSpatialNode(targetData)) {
      problem('ANIMATION_TARGET_NOT_WRITTEN', 'G-ANIM-4', i, `target ${JSON.stringify(nodePart)} is a ${targetData.type}, not a 3D node; its transform is not written`);
      continue;
    }
    const row = scene.rowOf(targetNode);
    if (row === undefined) {
      problem('ANIMATION_TARGET_NOT_WRITTEN', 'G-ANIM-4', i, `target ${JSON.stringify(nodePart)} is not in the file (left out as hidden, G-NODE-4)`);
      continue;
    }
    for (const { path, curve } of curves) {
      const key = `${row}|${path}`;
      if (taken.has(key)) {
        problem('ANIMATION_TRACK_NOT_WRITTEN', 'G-ANIM-7', i, `a track before it already animates the ${path} of ${nodePart || '.'}; glTF allows one channel per node and path`);
        continue;
      }
      let keys: SamplerKeys;
      try {
        keys = curveToSampler(curve);
      } catch (e) {
        if (!(e instanceof TooManySamples)) throw e;
        problem('INVALID_ANIMATION_DATA', 'G-ANIM-6', i, `${pathText}: ${e.message} (length ${length} s); not written`);
        continue;
      }
      taken.add(key);
      if (keys.bakedSegments) problem('ANIMATION_RESAMPLED', 'G-ANIM-3', i, `${pathText}: ${keys.bakedSegments} segment(s) sampled at 30 fps (easing, cubic or multi-axis Euler interpolation has no glTF equivalent)`);
      channels.push({ node: row, path, keys });
    }
  }
  if (!channels.length) return undefined;
  return { name, channels, extras: { resourceId: anim.id, library, name: animName, loopMode, length } };
}

/** Value-track properties written (G-ANIM-2). */
const VALUE_PROPERTIES = new Set(['position', 'rotation', 'rotation_degrees', 'quaternion', 'scale', 'transform']);

interface KeyLists {
  times: number[];
  transitions: number[];
  values: number[];
}

/** A 3D transform track's PackedFloat32Array: per key time, transition, then 3 or 4 numbers. */
function packedKeys(v: GodotValue | undefined, stride: number): KeyLists | string {
  const arr = numberList(v);
  if (!arr) return 'keys are not a packed float array';
  if (arr.length % stride) return `${arr.length} numbers is not a whole number of keys (${stride} per key)`;
  const out: KeyLists = { times: [], transitions: [], values: [] };
  for (let k = 0; k < arr.length; k += stride) {
    out.times.push(arr[k]!);
    out.transitions.push(arr[k + 1]!);
    for (let j = 2; j < stride; j++) out.values.push(arr[k + j]!);
  }
  return checkKeys(out);
}

/** A value track's Dictionary `{ times, transitions, update, values }` for one of {@link VALUE_PROPERTIES}. */
function valueKeys(v: GodotValue | undefined, property: string, eulerOrder: number): { curves: Array<{ path: ChannelPath; curve: Omit<Curve, 'interp' | 'length' | 'wrap'> }>; discrete: boolean } | string {
  if (!isDictionary(v)) return 'keys are not a Dictionary';
  const get = (name: string): GodotValue | undefined => v.entries.find(([k]) => nameText(k) === name)?.[1];
  const times = numberList(get('times'));
  const values = get('values');
  if (!times || !Array.isArray(values) || values.length !== times.length) return 'keys need times and values of the same length';
  const transitions = numberList(get('transitions')) ?? times.map(() => 1);
  if (transitions.length !== times.length) return 'transitions and times differ in length';
  const update = finiteNumber(get('update')) ?? 0;
  const want = property === 'quaternion' ? ['Quaternion', 4] : property === 'transform' ? ['Transform3D', 12] : ['Vector3', 3];
  const comps: number[][] = [];
  for (const x of values as GodotValue[]) {
    const c = mathValue(x, want[0] as string, want[1] as number);
    if (!c) return `a key value is not a ${want[0]}`;
    comps.push(c);
  }
  const base = { times: [...times], transitions: [...transitions], eulerOrder };
  const lists = (f: (c: number[], i: number) => number[]): KeyLists | string => checkKeys({ ...base, values: comps.flatMap(f) });
  const curves: Array<{ path: ChannelPath; curve: Omit<Curve, 'interp' | 'length' | 'wrap'> }> = [];
  const add = (path: ChannelPath, space: CurveSpace, f: (c: number[], i: number) => number[]): string | undefined => {
    const k = lists(f);
    if (typeof k === 'string') return k;
    curves.push({ path, curve: { space, ...k, eulerOrder } });
    return undefined;
  };
  let err: string | undefined;
  const DEG = Math.PI / 180;
  switch (property) {
    case 'position': err = add('translation', 'vector', (c) => c); break;
    case 'scale': err = add('scale', 'vector', (c) => c); break;
    case 'rotation': err = add('rotation', 'euler', (c) => c); break;
    case 'rotation_degrees': err = add('rotation', 'euler', (c) => c.map((x) => x * DEG)); break;
    case 'quaternion': err = add('rotation', 'quaternion', (c) => c); break;
    case 'transform': {
      const trs = comps.map((c) => transformToTrs(c));
      err = add('translation', 'vector', (_c, i) => trs[i]!.translation) ??
        add('rotation', 'quaternion', (_c, i) => trs[i]!.rotation) ??
        add('scale', 'vector', (_c, i) => trs[i]!.scale);
      break;
    }
  }
  return err ?? { curves, discrete: update === 1 };
}

/** Times finite, ≥ 0 and strictly increasing; values finite. */
function checkKeys(k: KeyLists): KeyLists | string {
  if (!k.times.length) return 'the track has no keys';
  for (let i = 0; i < k.times.length; i++) {
    const t = k.times[i]!;
    if (!Number.isFinite(t) || t < 0) return `key ${i} has time ${t}`;
    if (i > 0 && !(t > k.times[i - 1]!)) return `key times are not increasing at key ${i}`;
    if (!Number.isFinite(k.transitions[i]!)) return `key ${i} has a non-finite transition`;
  }
  if (!k.values.every(Number.isFinite)) return 'a key value is not finite';
  return k;
}

/**
 * Resolves a relative NodePath from `start` (the chain of nodes from the scene root down to the
 * start node). Returns the chain to the target, or why it cannot be resolved.
 */
function resolveNode<N>(scene: AnimationScene<N>, start: readonly N[], path: string): N[] | string {
  if (path.startsWith('/')) return 'is an absolute path; only paths relative to the AnimationPlayer are resolved';
  const chain = [...start];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (chain.length <= 1) return 'leads above the scene root';
      chain.pop();
      continue;
    }
    if (part.startsWith('%')) return 'uses a scene-unique name (%), which is not resolved';
    const child = scene.children(chain[chain.length - 1]!).find((c) => scene.data(c).name === part);
    if (child === undefined) return `does not exist (no node ${JSON.stringify(part)})`;
    chain.push(child);
  }
  return chain;
}

function isDictionary(v: GodotValue | undefined): v is { type: 'Dictionary'; entries: ReadonlyArray<readonly [GodotValue, GodotValue]> } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && (v as { type?: unknown }).type === 'Dictionary' && Array.isArray((v as { entries?: unknown }).entries);
}

/** Text of a String/StringName key. */
function nameText(v: GodotValue): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && v !== null && !Array.isArray(v) && (v as { type?: unknown }).type === 'StringName') return String((v as { value: unknown }).value);
  return String(v);
}

function nodePathText(v: GodotValue | undefined): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && v !== null && !Array.isArray(v) && (v as { type?: unknown }).type === 'NodePath') return String((v as { value: unknown }).value);
  return undefined;
}

function finiteNumber(v: GodotValue | undefined): number | undefined {
  if (typeof v === 'bigint') return Number(v);
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** Numbers of a packed float/int array or a plain Array of numbers. */
function numberList(v: GodotValue | undefined): number[] | undefined {
  if (Array.isArray(v)) return v.every((x) => typeof x === 'number') ? (v as number[]) : undefined;
  if (typeof v !== 'object' || v === null) return undefined;
  const inner = (v as { value?: unknown }).value;
  if (ArrayBuffer.isView(inner) && !(inner instanceof DataView) && !(inner instanceof BigInt64Array) && !(inner instanceof BigUint64Array)) return Array.from(inner as Float32Array);
  return undefined;
}

function mathValue(v: GodotValue, type: string, size: number): number[] | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || (v as { type?: unknown }).type !== type) return undefined;
  const c = (v as { value?: unknown }).value;
  return Array.isArray(c) && c.length === size && c.every((x) => typeof x === 'number') ? (c as number[]) : undefined;
}
