/**
 * `SceneMirror`: a three.js object graph that mirrors a scenesync scene. It is built once from
 * `SceneDoc.toTree()` and then follows the scene by applying the change lists `SceneDoc.observe`
 * delivers, one change at a time (never a rebuild), so a peer's edit costs what it touched.
 *
 * Data flows one way: SceneDoc → change list → SceneMirror → three.js. The mirror never writes to the
 * document; the gizmo and the UI do that through SceneDoc, and see their edits come back here.
 */
import { BufferGeometry, Light, LineSegments, Material, Matrix4, Mesh, MeshStandardMaterial, Object3D } from 'three';
import type { GodotValue, SceneChange, SceneTree, TreeNode } from '@scenesync/core';
import type { Props } from './props.js';
import { mathComponents, resourceIdOf, transform3dToMatrix4 } from './godot-values.js';
import { primitiveGeometry } from './primitive-geometry.js';
import { STANDARD_MATERIAL_TYPES, applyStandardMaterial, defaultMaterial } from './material.js';
import {
  LIGHT_TYPES,
  applyCameraProps,
  applyLightProps,
  createCameraVisual,
  createLight,
  createMeshVisual,
  isVisible,
} from './node-visuals.js';

/** Everything the mirror keeps about one scene node. */
interface MirroredNode {
  readonly id: string;
  readonly type: string;
  name: string;
  parent: string | null;
  readonly object: Object3D;
  props: Record<string, GodotValue>;
  /** The mesh, light or camera frustum drawn for this node, if its class draws one. */
  readonly visual?: Mesh | Light | LineSegments;
}

/** A resource as the mirror holds it. */
interface MirroredResource {
  readonly type: string;
  props: Record<string, GodotValue>;
}

const scratchMatrix = new Matrix4();

/** Mirrors a scene into a three.js object graph; see the module comment. */
export class SceneMirror {
  /** The object of the scene's root node; add it to a three.js `Scene`. */
  readonly root: Object3D;
  private readonly nodes = new Map<string, MirroredNode>();
  private readonly resources = new Map<string, MirroredResource>();
  private readonly geometries = new Map<string, BufferGeometry>();
  private readonly materials = new Map<string, MeshStandardMaterial>();
  private readonly fallbackMaterial = defaultMaterial();
  private readonly emptyGeometry = new BufferGeometry();

  /** Builds the mirror of `tree` (what `SceneDoc.toTree()` returns). */
  constructor(tree: SceneTree) {
    for (const [id, resource] of Object.entries(tree.resources)) {
      this.resources.set(id, { type: resource.type, props: { ...resource.props } });
    }
    this.root = this.createNode(tree.id, tree.type, tree.name, null, tree.props).object;
    const addChildren = (node: TreeNode): void => {
      for (const child of node.children) {
        this.createNode(child.id, child.type, child.name, node.id, child.props);
        addChildren(child);
      }
    };
    addChildren(tree);
  }

  /** The three.js object of a node, or undefined when the node is not in the scene. */
  objectOf(id: string): Object3D | undefined {
    return this.nodes.get(id)?.object;
  }

  /** The node id an object (or a visual inside it, e.g. a picked mesh) belongs to. */
  idOf(object: Object3D | null): string | undefined {
    for (let o: Object3D | null = object; o; o = o.parent) {
      if (typeof o.userData.nodeId === 'string') return o.userData.nodeId;
    }
    return undefined;
  }

  /** The Godot class of a node, or undefined when it is not in the scene. */
  typeOf(id: string): string | undefined {
    return this.nodes.get(id)?.type;
  }

  /** Ids of every mirrored node (root included). */
  ids(): IterableIterator<string> {
    return this.nodes.keys();
  }

  /** Objects that picking may hit: the drawn meshes. */
  pickables(): Object3D[] {
    const out: Object3D[] = [];
    for (const node of this.nodes.values()) if (node.visual instanceof Mesh && node.object.visible) out.push(node.visual);
    return out;
  }

  /**
   * Applies one `SceneDoc.observe` change list, in order (the list is built to be applied that way:
   * parents before children, moves before removals).
   */
  apply(changes: readonly SceneChange[]): void {
    for (const change of changes) this.applyOne(change);
  }

  /** Puts a node's committed transform back (e.g. when a peer's stream of it stops). */
  resetTransform(id: string): void {
    const node = this.nodes.get(id);
    if (node) this.applyTransform(node);
  }

  private applyOne(change: SceneChange): void {
    switch (change.kind) {
      case 'added':
        this.createNode(change.id, change.type, change.name, change.parent, change.props);
        break;
      case 'removed':
        this.removeSubtree(change.id);
        break;
      case 'moved': {
        const node = this.nodes.get(change.id);
        const parent = this.nodes.get(change.parent);
        if (node && parent) {
          parent.object.add(node.object);
          node.parent = change.parent;
        }
        break;
      }
      case 'renamed': {
        const node = this.nodes.get(change.id);
        if (node) {
          node.name = change.name;
          node.object.name = change.name;
        }
        break;
      }
      case 'property': {
        const node = this.nodes.get(change.id);
        if (!node) break;
        if (change.value === undefined) delete node.props[change.key];
        else node.props[change.key] = change.value;
        this.applyNodeProp(node, change.key);
        break;
      }
      case 'resourceAdded':
        this.resources.set(change.id, { type: change.type, props: { ...change.props } });
        this.refreshResource(change.id);
        break;
      case 'resourceRemoved':
        this.resources.delete(change.id);
        this.refreshResource(change.id);
        break;
      case 'resourceProperty': {
        const resource = this.resources.get(change.id);
        if (!resource) break;
        if (change.value === undefined) delete resource.props[change.key];
        else resource.props[change.key] = change.value;
        this.refreshResource(change.id);
        break;
      }
    }
  }

  private createNode(id: string, type: string, name: string, parent: string | null, props: Props): MirroredNode {
    const object = new Object3D();
    object.name = name;
    object.userData.nodeId = id;
    let visual: MirroredNode['visual'];
    if (type === 'MeshInstance3D') visual = createMeshVisual();
    else if (LIGHT_TYPES.has(type)) visual = createLight(type);
    else if (type === 'Camera3D') visual = createCameraVisual();
    if (visual) object.add(visual);
    const node: MirroredNode = { id, type, name, parent, object, props: { ...props }, visual };
    this.nodes.set(id, node);
    if (parent !== null) this.nodes.get(parent)?.object.add(object);
    this.applyTransform(node);
    object.visible = isVisible(node.props);
    this.applyLook(node);
    return node;
  }

  private removeSubtree(id: string): void {
    const node = this.nodes.get(id);
    if (!node) return;
    node.object.removeFromParent();
    node.object.traverse((o) => {
      const childId = o.userData.nodeId;
      if (typeof childId === 'string') this.nodes.delete(childId);
    });
  }

  private applyNodeProp(node: MirroredNode, key: string): void {
    if (key === 'transform') this.applyTransform(node);
    else if (key === 'visible') node.object.visible = isVisible(node.props);
    else this.applyLook(node);
  }

  private applyTransform(node: MirroredNode): void {
    const t = mathComponents(node.props.transform, 'Transform3D', 12);
    if (t) transform3dToMatrix4(t, scratchMatrix).decompose(node.object.position, node.object.quaternion, node.object.scale);
    else {
      node.object.position.set(0, 0, 0);
      node.object.quaternion.identity();
      node.object.scale.set(1, 1, 1);
    }
  }

  /** Mesh, material, light and camera properties: everything but transform and visibility. */
  private applyLook(node: MirroredNode): void {
    const visual = node.visual;
    if (visual instanceof Mesh) {
      const meshId = resourceIdOf(node.props.mesh);
      visual.geometry = (meshId && this.geometryOf(meshId)) || this.emptyGeometry;
      visual.material = this.materialOf(node);
    } else if (visual instanceof Light) {
      applyLightProps(visual, node.props);
    } else if (visual instanceof LineSegments) {
      applyCameraProps(visual, node.props);
    }
  }

  private geometryOf(meshId: string): BufferGeometry | undefined {
    const cached = this.geometries.get(meshId);
    if (cached) return cached;
    const resource = this.resources.get(meshId);
    if (!resource) return undefined;
    const geometry = primitiveGeometry(resource.type, resource.props);
    if (geometry) this.geometries.set(meshId, geometry);
    return geometry;
  }

  /** Godot's precedence: material_override, then the surface override, then the mesh's own material. */
  private materialOf(node: MirroredNode): Material {
    const meshId = resourceIdOf(node.props.mesh);
    const materialId =
      resourceIdOf(node.props.material_override) ??
      resourceIdOf(node.props['surface_material_override/0']) ??
      (meshId ? resourceIdOf(this.resources.get(meshId)?.props.material) : undefined);
    if (!materialId) return this.fallbackMaterial;
    const cached = this.materials.get(materialId);
    if (cached) return cached;
    const resource = this.resources.get(materialId);
    if (!resource || !STANDARD_MATERIAL_TYPES.has(resource.type)) return this.fallbackMaterial;
    const material = applyStandardMaterial(new MeshStandardMaterial(), resource.props);
    this.materials.set(materialId, material);
    return material;
  }

  /**
   * A resource was added, changed or removed: a material is updated in place (meshes share it);
   * a mesh's geometry is rebuilt and handed to the nodes that draw it.
   */
  private refreshResource(id: string): void {
    const resource = this.resources.get(id);
    const material = this.materials.get(id);
    if (material && resource && STANDARD_MATERIAL_TYPES.has(resource.type)) {
      applyStandardMaterial(material, resource.props);
      return;
    }
    if (material) {
      // Meshes still using it are given the fallback below (applyLook) before it goes.
      this.materials.delete(id);
    }
    const geometry = this.geometries.get(id);
    if (geometry) {
      geometry.dispose();
      this.geometries.delete(id);
    }
    for (const node of this.nodes.values()) {
      if (!(node.visual instanceof Mesh)) continue;
      const refs = [node.props.mesh, node.props.material_override, node.props['surface_material_override/0']];
      if (refs.some((ref) => resourceIdOf(ref) === id) || this.meshMaterialIs(node, id)) this.applyLook(node);
    }
    material?.dispose();
  }

  private meshMaterialIs(node: MirroredNode, id: string): boolean {
    const meshId = resourceIdOf(node.props.mesh);
    return meshId !== undefined && resourceIdOf(this.resources.get(meshId)?.props.material) === id;
  }
}
