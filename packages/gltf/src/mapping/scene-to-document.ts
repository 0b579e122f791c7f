import { Document, type Accessor, type Buffer, type Material, type Mesh } from '@gltf-transform/core';
import { isIgnorableProperty, PropReader } from '../godot/props.js';
import { isIdentityTransform, transformToTrs } from '../math/transform.js';
import type { ResolvedConvertOptions } from '../options.js';
import { CSG_SHAPE_TYPES, generateCsgMesh, generatePrimitiveMesh, PRIMITIVE_MESH_TYPES, type PrimitiveResult } from '../primitives/index.js';
import { toGltfWinding, type MeshArrays } from '../primitives/mesh-arrays.js';
import { IssueList, type ExportIssue, type ExportIssueCode } from '../report.js';
import { isExtResourceRef, isResourceRef, type GodotValue, type ResourceRecord, type SceneTree, type TreeNode } from '../scene-types.js';
import { NodeTable, type NodeRow } from '../write/node-table.js';
import { readArrayMesh } from './array-mesh.js';
import { convertCamera, type CameraNote } from './cameras.js';
import { convertLight, LIGHT_TYPES, type LightNote } from './lights.js';
import { convertMaterial, PBR_MATERIAL_TYPES, type MaterialNote } from './materials.js';

/** Progress yielded by {@link convertTree} between batches of nodes. */
export interface ConvertStep {
  readonly done: number;
  readonly total: number;
}

/** What {@link convertTree} returns when it finishes. */
export interface ConvertResult {
  /** Meshes, materials, cameras and lights (glTF-Transform). */
  readonly document: Document;
  /** The node hierarchy, written into the same file by `writeGlb`. */
  readonly nodes: NodeTable;
  readonly issues: readonly ExportIssue[];
  readonly counts: { nodes: number; meshes: number; materials: number; lights: number; cameras: number };
}

/** Visual node classes whose content glTF cannot carry here; kept as empty nodes and reported (G-NODE-3). */
const UNSUPPORTED_VISUAL_TYPES = new Set([
  'GPUParticles3D', 'CPUParticles3D', 'Label3D', 'Sprite3D', 'AnimatedSprite3D', 'MultiMeshInstance3D',
  'Decal', 'FogVolume', 'ReflectionProbe', 'VoxelGI', 'LightmapGI', 'CSGMesh3D', 'CSGPolygon3D',
  'GridMap', 'Skeleton3D', 'SoftBody3D', 'Path3D',
]);
const LIGHT_SET = new Set<string>(LIGHT_TYPES);
const PRIMITIVE_SET = new Set<string>(PRIMITIVE_MESH_TYPES);
const CSG_SET = new Set<string>(CSG_SHAPE_TYPES);
const PBR_SET = new Set<string>(PBR_MATERIAL_TYPES);
const CSG_GEOMETRY_KEYS = ['size', 'radius', 'radial_segments', 'rings', 'smooth_faces', 'height', 'sides', 'cone', 'inner_radius', 'outer_radius', 'ring_sides', 'flip_faces'];

/** How many nodes are converted between two yields (progress and cancellation points). */
const BATCH = 512;

/** Geometry of one surface, written once as accessors and shared by every mesh that uses it (G-MESH-7). */
interface SurfaceGeometry {
  readonly mode: number;
  readonly attributes: ReadonlyArray<readonly [string, Accessor]>;
  readonly indices: Accessor | undefined;
  /** The surface's own material reference. */
  readonly material: GodotValue | undefined;
}

/**
 * Is `node` a Node3D? Godot's 3D node classes all end in "3D"; a node of another class that carries a
 * Transform3D `transform` (a script class reported by its own name) counts too (G-NODE-2).
 */
export function isSpatialNode(node: TreeNode): boolean {
  if (node.type.endsWith('3D')) return true;
  const t = node.props.transform;
  return typeof t === 'object' && t !== null && (t as { type?: unknown }).type === 'Transform3D';
}

/**
 * The heart of the exporter: a pure conversion of a plain scene tree (`SceneDoc.toTree()`'s shape) into
 * a glTF-Transform document, following docs/gltf-mapping.md. A generator: it yields every few hundred
 * nodes so a caller can report progress and stop between batches; run it to the end with
 * {@link convertTreeSync} when neither is needed.
 */
export function* convertTree(tree: SceneTree, options: ResolvedConvertOptions): Generator<ConvertStep, ConvertResult, void> {
  const doc = new Document();
  doc.getRoot().getAsset().generator = 'scenesync @scenesync/gltf (glTF-Transform)';
  // Created with the first accessor: a GLB without geometry must not declare an empty buffer.
  let buffer: Buffer | undefined;
  const issues = new IssueList();
  const resources = tree.resources ?? {};
  const table = new NodeTable(tree.name);
  const counts = { nodes: 0, meshes: 0, materials: 0, lights: 0, cameras: 0 };

  const materialCache = new Map<string, Material | null>();
  const geometryCache = new Map<string, SurfaceGeometry[] | null>();
  const meshCache = new Map<string, Mesh | null>();

  let total = 0;
  {
    const stack: TreeNode[] = [tree];
    while (stack.length) {
      const n = stack.pop()!;
      total++;
      for (const c of n.children) stack.push(c);
    }
  }

  // ---- resources -------------------------------------------------------------------------------

  const addIssue = (code: ExportIssueCode, rule: string, message: string, extra: Partial<ExportIssue>): void => {
    issues.add({ code, rule, message, ...extra });
  };

  /** Resolves a property value that should reference a resource; reports dangling and file references. */
  const resolveResource = (value: GodotValue | undefined, where: Where, property: string): ResourceRecord | undefined => {
    if (value === undefined || value === null) return undefined;
    if (isResourceRef(value)) {
      const rec = resources[value.id];
      if (!rec) addIssue('MISSING_RESOURCE', 'G-RES-3', `${property} refers to resource ${value.id}, which is not in the document`, { ...where(), property, resourceId: value.id });
      return rec;
    }
    if (isExtResourceRef(value)) {
      addIssue('EXTERNAL_RESOURCE', 'G-RES-2', `${property} refers to the file ${value.path} (${value.resourceType}), whose content is not in the document`, { ...where(), property });
      return undefined;
    }
    addIssue('UNEXPRESSED_PROPERTY', 'G-PROP-2', `${property} is not a resource reference`, { ...where(), property });
    return undefined;
  };

  const material = (value: GodotValue | undefined, where: Where, property: string): Material | null => {
    const rec = resolveResource(value, where, property);
    if (!rec) return null;
    const cached = materialCache.get(rec.id);
    if (cached !== undefined) return cached;
    let m: Material | null = null;
    if (PBR_SET.has(rec.type)) {
      const notes: MaterialNote[] = [];
      m = convertMaterial(doc, rec, notes);
      counts.materials++;
      for (const n of notes) addIssue(n.code, n.rule, n.message, { resourceId: rec.id, property: n.property });
    } else {
      addIssue('UNSUPPORTED_MATERIAL', 'G-MAT-6', `${rec.type} has no glTF translation; surfaces using it get glTF's default material`, { resourceId: rec.id });
    }
    materialCache.set(rec.id, m);
    return m;
  };

  const accessor = (type: 'VEC2' | 'VEC3' | 'VEC4' | 'SCALAR', array: Float32Array | Uint16Array | Uint32Array): Accessor =>
    doc.createAccessor().setType(type).setArray(array).setBuffer((buffer ??= doc.createBuffer()));

  const writeGeometry = (arrays: MeshArrays, surfaceMaterial: GodotValue | undefined): SurfaceGeometry => {
    const { mode, indices } = toGltfWinding(arrays);
    const attributes: Array<[string, Accessor]> = [['POSITION', accessor('VEC3', arrays.positions)]];
    if (arrays.normals) attributes.push(['NORMAL', accessor('VEC3', arrays.normals)]);
    if (arrays.uvs) attributes.push(['TEXCOORD_0', accessor('VEC2', arrays.uvs)]);
    if (arrays.colors) attributes.push(['COLOR_0', accessor('VEC4', arrays.colors)]);
    let index: Accessor | undefined;
    if (indices) {
      // 65535 is the primitive-restart value for 16-bit indices in glTF: avoid it.
      index = accessor('SCALAR', arrays.positions.length / 3 <= 65535 ? Uint16Array.from(indices) : indices);
    }
    return { mode, attributes, indices: index, material: surfaceMaterial };
  };

  /** Geometry of a mesh resource (primitive or ArrayMesh), generated once per resource. */
  const meshGeometry = (rec: ResourceRecord): SurfaceGeometry[] | null => {
    const cached = geometryCache.get(rec.id);
    if (cached !== undefined) return cached;
    const where: Where = () => ({ resourceId: rec.id });
    const r = new PropReader(rec.props);
    let result: SurfaceGeometry[] | null = null;
    if (PRIMITIVE_SET.has(rec.type)) {
      const g: PrimitiveResult = generatePrimitiveMesh(rec.type, r, options.maxVerticesPerMesh);
      const surfaceMaterial = r.raw('material');
      if (g.ok) result = [writeGeometry(g.arrays, surfaceMaterial)];
      else addIssue(g.tooLarge ? 'MESH_TOO_LARGE' : 'INVALID_MESH_DATA', g.tooLarge ? 'G-MESH-6' : 'G-MESH-4', `${rec.type}: ${g.reason}; not written`, where());
      for (const key of r.unused()) {
        if (!isIgnorableProperty(key)) addIssue('UNEXPRESSED_PROPERTY', 'G-PROP-1', `${rec.type}.${key} has no glTF equivalent`, { ...where(), property: key });
      }
    } else if (rec.type === 'ArrayMesh') {
      const read = readArrayMesh(r.raw('_surfaces'), options.maxVerticesPerMesh);
      for (const p of read.problems) addIssue('INVALID_MESH_DATA', 'G-MESH-4', `ArrayMesh ${p}`, where());
      for (const slot of read.unexpressed) addIssue('UNEXPRESSED_PROPERTY', 'G-MESH-3', `ArrayMesh ${slot} arrays are not written`, { ...where(), property: `_surfaces.${slot}` });
      result = read.surfaces.map((s) => writeGeometry(s.arrays, s.material));
      for (const key of r.unused()) {
        if (!isIgnorableProperty(key) && key !== 'blend_shape_mode' && key !== '_blend_shape_names') {
          addIssue('UNEXPRESSED_PROPERTY', 'G-PROP-1', `ArrayMesh.${key} has no glTF equivalent`, { ...where(), property: key });
        }
      }
      if (!result.length) result = null;
    } else {
      addIssue('UNSUPPORTED_MESH', 'G-MESH-5', `${rec.type} meshes are not generated by this exporter; not written`, where());
    }
    geometryCache.set(rec.id, result);
    return result;
  };

  /**
   * The glTF mesh for geometry + the material chosen for each surface; one glTF mesh per distinct
   * combination, so nodes sharing a mesh and its materials share one glTF mesh (G-MESH-7).
   */
  const meshFor = (geometryKey: string, surfaces: SurfaceGeometry[], materials: Array<Material | null>, name: string): Mesh => {
    let key = `${geometryKey}|`;
    for (let i = 0; i < materials.length; i++) key += `${materials[i] ? materialKey(materials[i]!) : '-'},`;
    const cached = meshCache.get(key);
    if (cached) return cached;
    const mesh = doc.createMesh(name);
    surfaces.forEach((s, i) => {
      const prim = doc.createPrimitive().setMode(s.mode as 0 | 1 | 2 | 3 | 4 | 5 | 6);
      for (const [semantic, acc] of s.attributes) prim.setAttribute(semantic, acc);
      if (s.indices) prim.setIndices(s.indices);
      const m = materials[i];
      if (m) prim.setMaterial(m);
      mesh.addPrimitive(prim);
    });
    meshCache.set(key, mesh);
    counts.meshes++;
    return mesh;
  };
  const materialIds = new WeakMap<Material, string>();
  let materialSerial = 0;
  const materialKey = (m: Material): string => {
    let k = materialIds.get(m);
    if (!k) materialIds.set(m, (k = String(materialSerial++)));
    return k;
  };

  // ---- nodes -----------------------------------------------------------------------------------

  const pathOf = (f: Frame): string => {
    const parts: string[] = [];
    for (let x: Frame | null = f; x && x.up; x = x.up) parts.push(x.node.name);
    return parts.reverse().join('/');
  };

  const attachMeshInstance = (r: PropReader, target: NodeRow, where: Where): void => {
    const meshValue = r.raw('mesh');
    const rec = resolveResource(meshValue, where, 'mesh');
    if (!rec) return;
    const surfaces = meshGeometry(rec);
    if (!surfaces) return;
    const override = r.raw('material_override');
    const overrideMat = override !== undefined && override !== null ? material(override, where, 'material_override') : undefined;
    const mats = surfaces.map((s, i) => {
      if (overrideMat !== undefined) return overrideMat;
      const key = SURFACE_OVERRIDE_KEYS[i] ?? `surface_material_override/${i}`;
      const v = r.raw(key);
      if (v !== undefined && v !== null) return material(v, where, key);
      return s.material !== undefined && s.material !== null ? material(s.material, () => ({ resourceId: rec.id }), 'material') : null;
    });
    const meshName = typeof rec.props.resource_name === 'string' ? rec.props.resource_name : rec.type;
    target.mesh = meshFor(rec.id, surfaces, mats, meshName);
  };

  const attachCsg = (n: TreeNode, r: PropReader, target: NodeRow, where: Where): void => {
    const operation = r.int('operation', 0);
    if (operation !== 0) {
      addIssue('CSG_OPERATION_IGNORED', 'G-CSG-2', `${n.type} with operation ${operation === 1 ? 'intersection' : 'subtraction'} is written as its own shape; CSG booleans are not evaluated`, { ...where(), property: 'operation' });
    }
    const key = `csg:${n.type}:${CSG_GEOMETRY_KEYS.map((k) => valueKey(n.props[k])).join(';')}`;
    let surfaces = geometryCache.get(key);
    if (surfaces === undefined) {
      const g = generateCsgMesh(n.type, r, options.maxVerticesPerMesh);
      if (g.ok) surfaces = [writeGeometry(g.arrays, undefined)];
      else {
        surfaces = null;
        addIssue(g.tooLarge ? 'MESH_TOO_LARGE' : 'INVALID_MESH_DATA', g.tooLarge ? 'G-MESH-6' : 'G-MESH-4', `${n.type}: ${g.reason}; not written`, where());
      }
      geometryCache.set(key, surfaces);
    } else {
      for (const k of CSG_GEOMETRY_KEYS) r.use(k);
    }
    if (!surfaces) return;
    const mat = material(r.raw('material'), where, 'material');
    target.mesh = meshFor(key, surfaces, [mat], n.type);
  };

  const attachLight = (n: TreeNode, r: PropReader, target: NodeRow, where: Where): void => {
    const notes: LightNote[] = [];
    const light = convertLight(doc, n.type, r, notes).setName(n.name);
    for (const note of notes) addIssue('CLAMPED', 'G-LIGHT-3', note.message, { ...where(), property: note.property });
    target.light = light;
    counts.lights++;
  };

  const attachCamera = (n: TreeNode, r: PropReader, target: NodeRow, where: Where): void => {
    const notes: CameraNote[] = [];
    target.camera = convertCamera(doc, n.name, r, notes);
    for (const note of notes) addIssue(note.property === 'keep_aspect' || note.property === 'projection' ? 'UNEXPRESSED_PROPERTY' : 'CLAMPED', 'G-CAM-2', note.message, { ...where(), property: note.property });
    counts.cameras++;
  };

  // One reader and one issue location serve every node (no per-node allocations for them); issues for
  // a node are only added while that node is being converted.
  const reader = new PropReader({});
  const here: { frame: Frame | null; cache: Partial<ExportIssue> | undefined } = { frame: null, cache: undefined };
  const where: Where = () => (here.cache ??= { nodeId: here.frame!.node.id, path: pathOf(here.frame!) });

  // Explicit stack: scenes can be deeper than the JS call stack allows.
  const stack: Frame[] = [{ node: tree, parent: -1, up: null }];
  let done = 0;
  while (stack.length) {
    const frame = stack.pop()!;
    const { node: n, parent } = frame;
    done++;
    if (done % BATCH === 0) yield { done, total };
    here.frame = frame;
    here.cache = undefined;
    const r = reader.reset(n.props);
    const visible = r.bool('visible', true);
    if (!visible && options.hiddenNodes === 'exclude') {
      addIssue('HIDDEN_NODE_EXCLUDED', 'G-NODE-4', `${n.name} is hidden (visible = false) and was left out with its subtree`, where());
      continue;
    }
    const target: NodeRow = { name: n.name };
    const index = table.add(target, parent);
    counts.nodes++;
    if (options.writeExtras) target.scenesync = n;
    if (!visible) target.hidden = true;

    const spatial = isSpatialNode(n);
    if (spatial) {
      const t = r.math('transform', TRANSFORM_TYPES, 12, IDENTITY);
      if (!isIdentityTransform(t)) {
        const trs = transformToTrs(t);
        if (trs.translation[0] !== 0 || trs.translation[1] !== 0 || trs.translation[2] !== 0) target.translation = trs.translation;
        if (trs.rotation[3] !== 1) target.rotation = trs.rotation;
        if (trs.scale[0] !== 1 || trs.scale[1] !== 1 || trs.scale[2] !== 1) target.scale = trs.scale;
        if (trs.degenerate) addIssue('DEGENERATE_TRANSFORM', 'G-XFORM-3', 'transform has a zero-length axis or a non-finite number; written with scale 0 on that axis (or identity)', { ...where(), property: 'transform' });
        else if (trs.shear > options.shearTolerance) addIssue('SHEAR', 'G-XFORM-2', `transform is sheared (largest |cos| between axes ${trs.shear.toPrecision(3)}); written as the nearest rotation × scale`, { ...where(), property: 'transform' });
      }
      if (n.type === 'MeshInstance3D') attachMeshInstance(r, target, where);
      else if (CSG_SET.has(n.type)) attachCsg(n, r, target, where);
      else if (LIGHT_SET.has(n.type)) attachLight(n, r, target, where);
      else if (n.type === 'Camera3D') attachCamera(n, r, target, where);
      else if (UNSUPPORTED_VISUAL_TYPES.has(n.type)) addIssue('UNSUPPORTED_NODE_TYPE', 'G-NODE-3', `${n.type} content has no glTF translation here; written as an empty node with its transform`, where());
      for (const key of r.unused()) {
        if (!isIgnorableProperty(key)) addIssue('UNEXPRESSED_PROPERTY', 'G-PROP-1', `${n.type}.${key} has no glTF equivalent`, { ...where(), property: key });
      }
    } else {
      const lost = r.unused().filter((k) => !isIgnorableProperty(k));
      if (lost.length) addIssue('NON_SPATIAL_NODE', 'G-NODE-2', `${n.type} is not a 3D node; kept as an empty node, its properties (${lost.join(', ')}) are not expressed`, where());
    }
    for (const key of r.invalid) addIssue('UNEXPRESSED_PROPERTY', 'G-PROP-2', `${n.type}.${key} has a value of the wrong type; Godot's default was used`, { ...where(), property: key });

    for (let i = n.children.length - 1; i >= 0; i--) {
      const c = n.children[i]!;
      stack.push({ node: c, parent: index, up: frame });
    }
  }
  return { document: doc, nodes: table, issues: issues.issues, counts };
}

const IDENTITY = [1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0];
const TRANSFORM_TYPES = ['Transform3D'];
/** `surface_material_override/<i>` for the usual surface counts, built once. */
const SURFACE_OVERRIDE_KEYS = Array.from({ length: 16 }, (_, i) => `surface_material_override/${i}`);

/** Lazily built issue location (paths are only computed for nodes that have an issue). */
type Where = () => Partial<ExportIssue>;

/** One pending node of the depth-first walk; `up` links to the parent's frame for paths. */
interface Frame {
  readonly node: TreeNode;
  /** Row index of the parent in the node table; -1 for the root. */
  readonly parent: number;
  readonly up: Frame | null;
}

/** Runs {@link convertTree} to completion on the calling thread. */
export function convertTreeSync(tree: SceneTree, options: ResolvedConvertOptions): ConvertResult {
  const gen = convertTree(tree, options);
  for (;;) {
    const step = gen.next();
    if (step.done) return step.value;
  }
}

/** A stable text key for a property value (bigint-safe), for caching generated CSG geometry. */
function valueKey(v: GodotValue | undefined): string {
  if (v === undefined) return '';
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x));
}
