import { Document, type Accessor, type Buffer, type Material } from '@gltf-transform/core';
import type { ResolvedConvertOptions } from '../options.js';
import { IssueList, type ExportIssue } from '../report.js';
import { isExtResourceRef, isResourceRef, type GodotValue, type ResourceRecord, type SceneTree, type TreeNode } from '../scene-types.js';
import { NodeTable, type AnimationChannelRow, type NodeRow } from '../write/node-table.js';
import { planPlayerAnimations, type PlayerSource } from './animations.js';
import { createCamera } from './cameras.js';
import { describeNode, type NodeAttachment, type NodeData, type NodeDescription, type NodeNote } from './describe-node.js';
import { csgGeometry, meshResourceGeometry, type Geometry, type SurfaceArrays } from './geometry.js';
import { createLight } from './lights.js';
import { convertMaterial, PBR_MATERIAL_TYPES, type MaterialNote } from './materials.js';
import { projectFileReader } from '../files/project-files.js';
import { ExportTextures, ImageCache } from './textures.js';

export { isSpatialNode } from './describe-node.js';

/** Progress yielded by {@link convertScene} between batches of nodes. */
export interface ConvertStep {
  readonly done: number;
  readonly total: number;
}

/** What {@link convertScene} returns when it finishes. */
export interface ConvertResult {
  /** Meshes, materials, cameras and lights (glTF-Transform). */
  readonly document: Document;
  /** The node hierarchy, written into the same file by `writeGlb`. */
  readonly nodes: NodeTable;
  readonly issues: readonly ExportIssue[];
  readonly counts: { nodes: number; meshes: number; materials: number; lights: number; cameras: number; nodesReused: number };
}

/**
 * What a conversion walks: a plain tree ({@link treeWalk}), or the export worker's live mirror of a
 * document. `N` is whatever the source uses to name a node.
 */
export interface SceneWalk<N> {
  readonly root: N;
  /** Number of nodes, for progress. */
  count(): number;
  children(node: N): readonly N[];
  /** The node's scenesync id (for the report). */
  idOf(node: N): string;
  /** The node's own data (read only when its description is not cached). */
  data(node: N): NodeData;
  resource(id: string): ResourceRecord | undefined;
  /**
   * Descriptions and geometry kept between exports, when the source can say which nodes and
   * resources changed in between (it then drops their entries).
   */
  readonly cache?: ConversionCache<N>;
}

/**
 * Conversion results that depend only on a node's own data or on one resource, kept between exports
 * by a source that invalidates them on change (the export worker's mirror, src/worker/scene-mirror.ts).
 */
export class ConversionCache<N> {
  readonly descriptions = new Map<N, NodeDescription>();
  /** By resource id, or by CSG shape key. */
  readonly geometry = new Map<string, Geometry>();
  /** Encoded texture images, by image resource id (G-MAT-10). */
  readonly images = new ImageCache();
  private optionsKey = '';

  /** Forgets everything when the options differ from the previous export's. */
  useOptions(options: ResolvedConvertOptions): void {
    // Project files are not in the key: their cache entries are keyed by path and version (G-FILE-2).
    const key = `${options.hiddenNodes}|${options.shearTolerance}|${options.maxVerticesPerMesh}|${options.writeExtras}|${options.maxTexturePixels}`;
    if (key === this.optionsKey) return;
    this.optionsKey = key;
    this.descriptions.clear();
    this.geometry.clear();
    this.images.clear();
  }
}

/** A plain scene tree (`SceneDoc.toTree()`'s shape) as a {@link SceneWalk}. */
export function treeWalk(tree: SceneTree): SceneWalk<TreeNode> {
  const resources = tree.resources ?? {};
  return {
    root: tree,
    count() {
      let total = 0;
      const stack: TreeNode[] = [tree];
      while (stack.length) {
        const n = stack.pop()!;
        total++;
        for (const c of n.children) stack.push(c);
      }
      return total;
    },
    children: (n) => n.children,
    idOf: (n) => n.id,
    data: (n) => n,
    resource: (id) => (Object.prototype.hasOwnProperty.call(resources, id) ? resources[id] : undefined),
  };
}

const PBR_SET = new Set<string>(PBR_MATERIAL_TYPES);
/** How many nodes are converted between two yields (progress and cancellation points). */
const BATCH = 512;
/** CSG shape geometry kept between exports, at most (the keys come from document content). */
const MAX_CACHED_CSG_SHAPES = 256;

/** One pending node of the depth-first walk; `up` links to the parent's frame for issue paths. */
interface Frame<N> {
  readonly node: N;
  /** Row index of the parent in the node table; -1 for the root. */
  readonly parent: number;
  readonly up: Frame<N> | null;
  name: string;
}

/**
 * The heart of the exporter: converts a scene into a glTF-Transform document (meshes, materials,
 * lights, cameras) plus a node table, following docs/gltf-mapping.md. A generator: it yields every few
 * hundred nodes so a caller can report progress and stop between batches.
 *
 * Per node it takes the node's description (cached by the source when it can, see
 * {@link ConversionCache}), then resolves the description's mesh, materials, light or camera in this
 * export's document: what depends on resources is always resolved afresh, so a changed material
 * reaches every node that uses it.
 */
export function* convertScene<N>(walk: SceneWalk<N>, options: ResolvedConvertOptions): Generator<ConvertStep, ConvertResult, void> {
  const doc = new Document();
  doc.getRoot().getAsset().generator = 'scenesync @scenesync/gltf (glTF-Transform)';
  // Created with the first accessor: a GLB without geometry must not declare an empty buffer.
  let buffer: Buffer | undefined;
  const issues = new IssueList();
  const counts = { nodes: 0, meshes: 0, materials: 0, lights: 0, cameras: 0, nodesReused: 0 };
  const cache = walk.cache;
  cache?.useOptions(options);

  // Per export: glTF objects of this document, by resource id (or CSG key).
  const materials = new Map<string, Material | null>();
  const surfacesUsed = new Map<string, readonly SurfaceArrays[] | null>();
  const meshes = new Map<string, number>();
  const materialSerial = new Map<Material, number>();

  const rootData = walk.data(walk.root);
  const table = new NodeTable(rootData.name);
  const total = walk.count();

  // ---- where an issue is -----------------------------------------------------------------------

  const here: { frame: Frame<N> | null; nodeId: string; location: Partial<ExportIssue> | undefined } = { frame: null, nodeId: '', location: undefined };
  const pathOf = (f: Frame<N>): string => {
    const parts: string[] = [];
    for (let x: Frame<N> | null = f; x && x.up; x = x.up) parts.push(x.name);
    return parts.reverse().join('/');
  };
  /** The current node's location (paths are only computed for nodes that have an issue). */
  /** Issues located at a node so far (a mesh resolution that raised none can be reused as is). */
  let nodeIssues = 0;
  const atNode = (): Partial<ExportIssue> => {
    nodeIssues++;
    return (here.location ??= { nodeId: here.nodeId, path: pathOf(here.frame!) });
  };
  const addNote = (n: NodeNote, location: Partial<ExportIssue>): void => {
    issues.add({ code: n.code, rule: n.rule, message: n.message, ...location, ...(n.property === undefined ? {} : { property: n.property }) });
  };
  const atResource = (id: string): Partial<ExportIssue> => ({ resourceId: id });

  // ---- resources -------------------------------------------------------------------------------

  /** Resolves a property value that should reference a resource; reports dangling and file references. */
  const resolveResource = (value: GodotValue | undefined, location: () => Partial<ExportIssue>, property: string): ResourceRecord | undefined => {
    if (value === undefined || value === null) return undefined;
    if (isResourceRef(value)) {
      const rec = walk.resource(value.id);
      if (!rec) issues.add({ code: 'MISSING_RESOURCE', rule: 'G-RES-3', message: `${property} refers to resource ${value.id}, which is not in the document`, ...location(), property, resourceId: value.id });
      return rec;
    }
    if (isExtResourceRef(value)) {
      issues.add({ code: 'EXTERNAL_RESOURCE', rule: 'G-RES-2', message: `${property} refers to the file ${value.path} (${value.resourceType}), whose content is not in the document`, ...location(), property });
      return undefined;
    }
    issues.add({ code: 'UNEXPRESSED_PROPERTY', rule: 'G-PROP-2', message: `${property} is not a resource reference`, ...location(), property });
    return undefined;
  };

  let textures: ExportTextures | undefined;
  const material = (value: GodotValue | undefined, location: () => Partial<ExportIssue>, property: string): Material | null => {
    const rec = resolveResource(value, location, property);
    if (!rec) return null;
    const known = materials.get(rec.id);
    if (known !== undefined) return known;
    let m: Material | null = null;
    if (PBR_SET.has(rec.type)) {
      const notes: MaterialNote[] = [];
      textures ??= new ExportTextures(doc, (id) => walk.resource(id), cache?.images, options.maxTexturePixels, () => void (buffer ??= doc.createBuffer()), projectFileReader(options));
      m = convertMaterial(doc, rec, notes, textures);
      materialSerial.set(m, materialSerial.size);
      counts.materials++;
      for (const n of notes) issues.add({ code: n.code, rule: n.rule, message: n.message, resourceId: rec.id, property: n.property });
    } else {
      issues.add({ code: 'UNSUPPORTED_MATERIAL', rule: 'G-MAT-6', message: `${rec.type} has no glTF translation; surfaces using it get glTF's default material`, resourceId: rec.id });
    }
    materials.set(rec.id, m);
    return m;
  };

  const accessor = (type: 'VEC2' | 'VEC3' | 'VEC4' | 'SCALAR', array: Float32Array | Uint16Array | Uint32Array): Accessor =>
    doc.createAccessor().setType(type).setArray(array).setBuffer((buffer ??= doc.createBuffer()));

  /**
   * A geometry's surfaces for this export, from the cache when the source keeps one. Its notes are
   * reported the first time it is used in this export; the writer writes its arrays once, however many
   * meshes share it (G-MESH-7).
   */
  const surfacesOf = (key: string, make: () => Geometry, location: () => Partial<ExportIssue>): readonly SurfaceArrays[] | null => {
    const known = surfacesUsed.get(key);
    if (known !== undefined) return known;
    let geometry = cache?.geometry.get(key);
    if (!geometry) {
      geometry = make();
      if (cache) {
        if (key.startsWith('csg:') && cache.geometry.size >= MAX_CACHED_CSG_SHAPES) {
          for (const k of cache.geometry.keys()) if (k.startsWith('csg:')) cache.geometry.delete(k);
        }
        cache.geometry.set(key, geometry);
      }
    }
    for (const n of geometry.notes) addNote(n, location());
    surfacesUsed.set(key, geometry.surfaces);
    return geometry.surfaces;
  };

  /**
   * The glTF mesh for a geometry + the material chosen for each surface; one glTF mesh per distinct
   * combination, so nodes sharing a mesh and its materials share one glTF mesh (G-MESH-7). A surface
   * whose material has a normal texture also gets the generated mesh's TANGENT (G-MESH-9).
   */
  const meshFor = (geometryKey: string, surfaces: readonly SurfaceArrays[], chosen: Array<Material | null>, name: string): number => {
    let key = `${geometryKey}|`;
    for (const m of chosen) key += m ? `${materialSerial.get(m)},` : '-,';
    const known = meshes.get(key);
    if (known !== undefined) return known;
    const index = table.meshes.add({
      name,
      primitives: surfaces.map((surface, i) => {
        const material = chosen[i] ?? null;
        return { surface, material, tangents: !!(material && surface.tangentsForNormalMaps && material.getNormalTexture()) };
      }),
    });
    meshes.set(key, index);
    counts.meshes++;
    return index;
  };

  // ---- attachments -----------------------------------------------------------------------------

  /**
   * Nodes with the same mesh and material references get the same glTF mesh: once one of them was
   * resolved without an issue of its own, the others take its result (issues located at a node are
   * raised again for every node that has them).
   */
  const meshByReferences = new Map<string, number | null>();
  const attachMesh = (a: Extract<NodeAttachment, { kind: 'mesh' }>, row: NodeRow): void => {
    const known = meshByReferences.get(a.key);
    if (known !== undefined) {
      if (known !== null) row.mesh = known;
      return;
    }
    const issuesBefore = nodeIssues;
    resolveMesh(a, row);
    if (nodeIssues === issuesBefore) meshByReferences.set(a.key, row.mesh ?? null);
  };

  const resolveMesh = (a: Extract<NodeAttachment, { kind: 'mesh' }>, row: NodeRow): void => {
    const rec = resolveResource(a.mesh, atNode, 'mesh');
    if (!rec) return;
    const surfaces = surfacesOf(rec.id, () => meshResourceGeometry(rec, options), () => atResource(rec.id));
    if (!surfaces) return;
    const hasOverride = a.override !== undefined && a.override !== null;
    const overrideMaterial = hasOverride ? material(a.override, atNode, 'material_override') : undefined;
    const chosen = surfaces.map((surface, i) => {
      if (overrideMaterial !== undefined) return overrideMaterial;
      const v = a.surfaceOverrides[i];
      if (v !== undefined && v !== null) return material(v, atNode, `surface_material_override/${i}`);
      return surface.material !== undefined && surface.material !== null ? material(surface.material, () => atResource(rec.id), 'material') : null;
    });
    for (let i = surfaces.length; i < a.surfaceOverrides.length; i++) {
      if (a.surfaceOverrides[i] === undefined) continue;
      const property = `surface_material_override/${i}`;
      issues.add({ code: 'UNEXPRESSED_PROPERTY', rule: 'G-PROP-1', message: `MeshInstance3D.${property} has no glTF equivalent (the mesh has ${surfaces.length} surface${surfaces.length === 1 ? '' : 's'})`, ...atNode(), property });
    }
    const meshName = typeof rec.props.resource_name === 'string' ? rec.props.resource_name : rec.type;
    row.mesh = meshFor(rec.id, surfaces, chosen, meshName);
  };

  const attach = (a: NodeAttachment, d: NodeDescription, row: NodeRow): void => {
    switch (a.kind) {
      case 'mesh':
        attachMesh(a, row);
        return;
      case 'csg': {
        const surfaces = surfacesOf(a.key, () => csgGeometry(a, options), atNode);
        if (surfaces) row.mesh = meshFor(a.key, surfaces, [material(a.material, atNode, 'material')], a.type);
        return;
      }
      case 'light':
        row.light = createLight(doc, a.params, d.name);
        counts.lights++;
        return;
      case 'camera':
        row.camera = createCamera(doc, a.params, d.name);
        counts.cameras++;
        return;
    }
  };

  // ---- nodes -----------------------------------------------------------------------------------

  // The node of each row, in row order (to place animation targets), and the AnimationPlayers met.
  const rowNodes: N[] = [];
  const players: Array<{ frame: Frame<N>; location: Partial<ExportIssue> }> = [];

  // Explicit stack: scenes can be deeper than the JS call stack allows.
  const stack: Frame<N>[] = [{ node: walk.root, parent: -1, up: null, name: '' }];
  let done = 0;
  while (stack.length) {
    const frame = stack.pop()!;
    done++;
    if (done % BATCH === 0) yield { done, total };
    const isRoot = frame.parent < 0;
    let d = isRoot ? undefined : cache?.descriptions.get(frame.node);
    if (!d) {
      d = describeNode(isRoot ? rootData : walk.data(frame.node), options);
      // The root is described every time: its class and name change without a node event.
      if (cache && !isRoot) cache.descriptions.set(frame.node, d);
    } else {
      counts.nodesReused++;
    }
    frame.name = d.name;
    here.frame = frame;
    here.nodeId = walk.idOf(frame.node);
    here.location = undefined;
    for (const n of d.notes) addNote(n, atNode());
    if (d.excluded) continue;
    const row: NodeRow = { json: d.json, hidden: d.hidden };
    const index = table.add(row, frame.parent);
    rowNodes.push(frame.node);
    if (d.player && !isRoot) players.push({ frame, location: { nodeId: here.nodeId, path: pathOf(frame) } });
    counts.nodes++;
    if (d.attachment) attach(d.attachment, d, row);
    const children = walk.children(frame.node);
    for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i]!, parent: index, up: frame, name: '' });
  }
  if (players.length) writeAnimationRows(players);
  return { document: doc, nodes: table, issues: issues.issues, counts };

  /**
   * Maps the players' animations against the rows written (G-ANIM): sampler keys become this
   * export's accessors (an input shared by several channels of one animation is written once), the
   * channels reference rows; the writer writes `json.animations`.
   */
  function writeAnimationRows(found: Array<{ frame: Frame<N>; location: Partial<ExportIssue> }>): void {
    const rowOf = new Map<N, number>();
    rowNodes.forEach((n, i) => rowOf.set(n, i));
    const scene = {
      children: (n: N) => walk.children(n),
      data: (n: N) => (n === walk.root ? rootData : walk.data(n)),
      rowOf: (n: N) => rowOf.get(n),
      resource: (id: string) => walk.resource(id),
    };
    for (const { frame, location } of found) {
      const chain: N[] = [];
      for (let f: Frame<N> | null = frame; f; f = f.up) chain.push(f.node);
      chain.reverse();
      const source: PlayerSource<N> = { chain, props: walk.data(frame.node).props, location };
      for (const plan of planPlayerAnimations(source, scene, options.writeExtras, (issue) => issues.add(issue))) {
        const inputs = new Map<string, Accessor>();
        const channels = plan.channels.map((c): AnimationChannelRow => {
          const timesKey = c.keys.times.join(',');
          let input = inputs.get(timesKey);
          if (!input) inputs.set(timesKey, (input = accessor('SCALAR', c.keys.times)));
          return { node: c.node, path: c.path, interpolation: c.keys.interpolation, input, output: accessor(c.path === 'rotation' ? 'VEC4' : 'VEC3', c.keys.values) };
        });
        table.animations.push({ name: plan.name, channels, ...(options.writeExtras ? { extras: { scenesync: plan.extras } } : {}) });
      }
    }
  }
}

/**
 * Fills a source's cache ahead of an export: describes every node not described yet and makes the
 * geometry of every mesh resource and CSG shape they use, exactly as {@link convertScene} would (so
 * the export that follows reuses it). Yields every few hundred nodes. Does nothing without a cache.
 */
export function* prepareScene<N>(walk: SceneWalk<N>, options: ResolvedConvertOptions): Generator<void, void, void> {
  const cache = walk.cache;
  if (!cache) return;
  cache.useOptions(options);
  const stack: N[] = [...walk.children(walk.root)];
  let done = 0;
  while (stack.length) {
    const node = stack.pop()!;
    if (++done % BATCH === 0) yield;
    let d = cache.descriptions.get(node);
    if (!d) cache.descriptions.set(node, (d = describeNode(walk.data(node), options)));
    if (d.excluded) continue;
    const a = d.attachment;
    if (a?.kind === 'mesh' && isResourceRef(a.mesh) && !cache.geometry.has(a.mesh.id)) {
      const rec = walk.resource(a.mesh.id);
      if (rec) cache.geometry.set(rec.id, meshResourceGeometry(rec, options));
    } else if (a?.kind === 'csg' && !cache.geometry.has(a.key) && cache.geometry.size < MAX_CACHED_CSG_SHAPES) {
      cache.geometry.set(a.key, csgGeometry(a, options));
    }
    for (const c of walk.children(node)) stack.push(c);
  }
}

/** Runs a conversion to completion on the calling thread. */
export function convertSceneSync<N>(walk: SceneWalk<N>, options: ResolvedConvertOptions): ConvertResult {
  const gen = convertScene(walk, options);
  for (;;) {
    const step = gen.next();
    if (step.done) return step.value;
  }
}
