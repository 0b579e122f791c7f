import { isIgnorableProperty, PropReader } from '../godot/props.js';
import { isIdentityTransform, transformToTrs } from '../math/transform.js';
import type { ResolvedConvertOptions } from '../options.js';
import { CSG_SHAPE_TYPES } from '../primitives/index.js';
import type { ExportIssueCode } from '../report.js';
import { isResourceRef, type GodotValue, type Props } from '../scene-types.js';
import { ByteWriter } from '../write/byte-writer.js';
import { readCamera, type CameraNote, type CameraParams } from './cameras.js';
import { LIGHT_TYPES, readLight, type LightNote, type LightParams } from './lights.js';

/** A node's own data: everything a description depends on (children and resources are not read). */
export interface NodeData {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly props: Props;
}

/** Something a node's description could not express; its location is added where the node is placed. */
export interface NodeNote {
  readonly code: ExportIssueCode;
  readonly rule: string;
  readonly message: string;
  readonly property?: string;
}

/** What a node carries besides its transform, resolved against the resources at export time. */
export type NodeAttachment =
  /**
   * MeshInstance3D: the raw references; `surfaceOverrides[i]` is `surface_material_override/i`. `key`
   * is the same for every node with the same references (they share one glTF mesh).
   */
  | { readonly kind: 'mesh'; readonly key: string; readonly mesh: GodotValue | undefined; readonly override: GodotValue | undefined; readonly surfaceOverrides: ReadonlyArray<GodotValue | undefined> }
  /** A CSG shape: its geometry is a function of `props` alone, cached under `key`. */
  | { readonly kind: 'csg'; readonly type: string; readonly key: string; readonly props: Props; readonly material: GodotValue | undefined }
  | { readonly kind: 'light'; readonly params: LightParams }
  | { readonly kind: 'camera'; readonly params: CameraParams };

/**
 * Everything the export writes for one node that depends on the node alone, not on its place in the
 * tree or on resources: the JSON members for name and TRS (number formatting is most of a large
 * scene's conversion time, G-WRITE-2), the extras, visibility, notes and what to attach. Plain data, so
 * the export worker keeps it between exports and re-describes only nodes that changed.
 */
export interface NodeDescription {
  readonly name: string;
  /** Hidden with `hiddenNodes: 'exclude'`: the node and its subtree are left out. */
  readonly excluded: boolean;
  /**
   * JSON members, comma-separated, without braces: `"name":…,"translation":[…],"rotation":[…],
   * "scale":[…],"extras":{…}` (each present only when not default). Kept as one flat string (cheap to
   * keep for thousands of nodes) and copied into the node array by the writer (G-WRITE-2).
   */
  readonly json: string;
  readonly hidden: boolean;
  readonly notes: readonly NodeNote[];
  readonly attachment: NodeAttachment | null;
  /** An AnimationPlayer: its animations are written (G-ANIM), and it reports its own properties. */
  readonly player: boolean;
}

/** Visual node classes whose content glTF cannot carry here; kept as empty nodes and reported (G-NODE-3). */
const UNSUPPORTED_VISUAL_TYPES = new Set([
  'GPUParticles3D', 'CPUParticles3D', 'Label3D', 'Sprite3D', 'AnimatedSprite3D', 'MultiMeshInstance3D',
  'Decal', 'FogVolume', 'ReflectionProbe', 'VoxelGI', 'LightmapGI', 'CSGMesh3D', 'CSGPolygon3D',
  'GridMap', 'Skeleton3D', 'SoftBody3D', 'Path3D',
]);
const LIGHT_SET = new Set<string>(LIGHT_TYPES);
const CSG_SET = new Set<string>(CSG_SHAPE_TYPES);
const CSG_GEOMETRY_KEYS = ['size', 'radius', 'radial_segments', 'rings', 'smooth_faces', 'height', 'sides', 'cone', 'inner_radius', 'outer_radius', 'ring_sides', 'flip_faces'];
const SURFACE_OVERRIDE_PREFIX = 'surface_material_override/';
const IDENTITY = [1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0];
const TRANSFORM_TYPES = ['Transform3D'];
const NO_NOTES: readonly NodeNote[] = [];

/**
 * Is `node` a Node3D? Godot's 3D node classes all end in "3D"; a node of another class that carries a
 * Transform3D `transform` (a script class reported by its own name) counts too (G-NODE-2).
 */
export function isSpatialNode(node: { readonly type: string; readonly props: Props }): boolean {
  if (node.type.endsWith('3D')) return true;
  const t = node.props.transform;
  return typeof t === 'object' && t !== null && (t as { type?: unknown }).type === 'Transform3D';
}

// One reader and one byte buffer serve every description (no per-node allocation for them).
const reader = new PropReader({});
const json = new ByteWriter(1024);
const COMMA = 0x2c;

/** `key` then the numbers, comma-separated, then `],`. */
function writeMember(out: ByteWriter, key: string, values: readonly number[]): void {
  out.ascii(key);
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out.byte(COMMA);
    out.number(values[i]!);
  }
  out.ascii('],');
}

/** Describes one node following docs/gltf-mapping.md (G-NODE, G-XFORM, G-PROP rules). */
export function describeNode(n: NodeData, options: ResolvedConvertOptions): NodeDescription {
  const r = reader.reset(n.props);
  let notes: NodeNote[] | undefined;
  const note = (code: ExportIssueCode, rule: string, message: string, property?: string): void => {
    (notes ??= []).push(property === undefined ? { code, rule, message } : { code, rule, message, property });
  };
  const visible = r.bool('visible', true);
  if (!visible && options.hiddenNodes === 'exclude') {
    note('HIDDEN_NODE_EXCLUDED', 'G-NODE-4', `${n.name} is hidden (visible = false) and was left out with its subtree`);
    return { name: n.name, excluded: true, json: '', hidden: true, notes: notes!, attachment: null, player: false };
  }
  // The members are written straight as bytes: building strings first doubled the time and garbage.
  const out = json;
  out.clear(); // in case a previous description threw half-way
  if (n.name) {
    out.ascii('"name":');
    out.jsonString(String(n.name));
    out.byte(COMMA);
  }
  let attachment: NodeAttachment | null = null;
  if (isSpatialNode(n)) {
    const t = r.math('transform', TRANSFORM_TYPES, 12, IDENTITY);
    if (!isIdentityTransform(t)) {
      const trs = transformToTrs(t);
      const [tx, ty, tz] = trs.translation;
      if (tx !== 0 || ty !== 0 || tz !== 0) writeMember(out, '"translation":[', trs.translation);
      if (trs.rotation[3] !== 1) writeMember(out, '"rotation":[', trs.rotation);
      const [sx, sy, sz] = trs.scale;
      if (sx !== 1 || sy !== 1 || sz !== 1) writeMember(out, '"scale":[', trs.scale);
      if (trs.degenerate) note('DEGENERATE_TRANSFORM', 'G-XFORM-3', 'transform has a zero-length axis or a non-finite number; written with scale 0 on that axis (or identity)', 'transform');
      else if (trs.shear > options.shearTolerance) note('SHEAR', 'G-XFORM-2', `transform is sheared (largest |cos| between axes ${trs.shear.toPrecision(3)}); written as the nearest rotation × scale`, 'transform');
    }
    if (n.type === 'MeshInstance3D') attachment = meshAttachment(r);
    else if (CSG_SET.has(n.type)) attachment = csgAttachment(n, r, note);
    else if (LIGHT_SET.has(n.type)) {
      const lightNotes: LightNote[] = [];
      attachment = { kind: 'light', params: readLight(n.type, r, lightNotes) };
      for (const ln of lightNotes) note('CLAMPED', 'G-LIGHT-3', ln.message, ln.property);
    } else if (n.type === 'Camera3D') {
      const cameraNotes: CameraNote[] = [];
      attachment = { kind: 'camera', params: readCamera(r, cameraNotes) };
      for (const cn of cameraNotes) note(cn.property === 'keep_aspect' || cn.property === 'projection' ? 'UNEXPRESSED_PROPERTY' : 'CLAMPED', 'G-CAM-2', cn.message, cn.property);
    } else if (UNSUPPORTED_VISUAL_TYPES.has(n.type)) {
      note('UNSUPPORTED_NODE_TYPE', 'G-NODE-3', `${n.type} content has no glTF translation here; written as an empty node with its transform`);
    }
    for (const key of r.unused()) {
      if (!isIgnorableProperty(key)) note('UNEXPRESSED_PROPERTY', 'G-PROP-1', `${n.type}.${key} has no glTF equivalent`, key);
    }
  } else if (n.type !== 'AnimationPlayer') {
    const lost = r.unused().filter((k) => !isIgnorableProperty(k));
    if (lost.length) note('NON_SPATIAL_NODE', 'G-NODE-2', `${n.type} is not a 3D node; kept as an empty node, its properties (${lost.join(', ')}) are not expressed`);
  }
  for (const key of r.invalid) note('UNEXPRESSED_PROPERTY', 'G-PROP-2', `${n.type}.${key} has a value of the wrong type; Godot's default was used`, key);
  if (options.writeExtras) {
    out.ascii('"extras":{"scenesync":{"id":');
    out.jsonString(String(n.id ?? ''));
    out.ascii(',"type":');
    out.jsonString(String(n.type));
    out.ascii('}}');
  } else if (out.size > 0) {
    out.unwrite(1); // the trailing comma
  }
  return { name: n.name, excluded: false, json: out.takeText(), hidden: !visible, notes: notes ?? NO_NOTES, attachment, player: n.type === 'AnimationPlayer' };
}

/** The mesh and material references of a MeshInstance3D (every `surface_material_override/<i>`). */
function meshAttachment(r: PropReader): NodeAttachment {
  const mesh = r.raw('mesh');
  const override = r.raw('material_override');
  const surfaceOverrides: Array<GodotValue | undefined> = [];
  for (const key in r.props) {
    if (!key.startsWith(SURFACE_OVERRIDE_PREFIX)) continue;
    const digits = key.slice(SURFACE_OVERRIDE_PREFIX.length);
    // Only canonical indices ("0", "12"): anything else stays unread and is reported as unexpressed.
    if (!/^(0|[1-9]\d{0,3})$/.test(digits)) continue;
    surfaceOverrides[Number(digits)] = r.raw(key);
  }
  let key = `${valueKey(mesh)}|${valueKey(override)}|`;
  for (let i = 0; i < surfaceOverrides.length; i++) key += `${valueKey(surfaceOverrides[i])},`;
  return { kind: 'mesh', key, mesh, override, surfaceOverrides };
}

function csgAttachment(n: NodeData, r: PropReader, note: (code: ExportIssueCode, rule: string, message: string, property?: string) => void): NodeAttachment {
  const operation = r.int('operation', 0);
  if (operation !== 0) {
    note('CSG_OPERATION_IGNORED', 'G-CSG-2', `${n.type} with operation ${operation === 1 ? 'intersection' : 'subtraction'} is written as its own shape; CSG booleans are not evaluated`, 'operation');
  }
  for (const k of CSG_GEOMETRY_KEYS) r.use(k);
  const key = `csg:${n.type}:${CSG_GEOMETRY_KEYS.map((k) => valueKey(n.props[k])).join(';')}`;
  return { kind: 'csg', type: n.type, key, props: n.props, material: r.raw('material') };
}

/** A stable text key for a property value (bigint-safe), for caching generated CSG geometry. */
function valueKey(v: GodotValue | undefined): string {
  if (v === undefined) return '';
  if (isResourceRef(v)) return `#${v.id}`;
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x));
}
