import { SceneDoc, type SceneChange } from '@scenesync/core';
import * as Y from 'yjs';
import type { NodeData } from '../mapping/describe-node.js';
import { ConversionCache, prepareScene, type SceneWalk } from '../mapping/scene-to-document.js';
import type { ResolvedConvertOptions } from '../options.js';
import type { ResourceRecord } from '../scene-types.js';

/**
 * The export worker's copy of one caller's document, kept between exports (G-WORKER-2): the caller
 * sends the whole document once, then only what changed since its previous export (a Yjs update
 * against the state vector it sent last). The copy is materialised incrementally by a `SceneDoc`, whose
 * change events drop exactly the cached node descriptions, geometry and resources that changed, so an
 * export of a large scene with few changes re-describes only those few nodes.
 */
export class SceneMirror {
  private readonly doc = new Y.Doc();
  private readonly scene: SceneDoc;
  private readonly cache = new ConversionCache<string>();
  private readonly resources = new Map<string, ResourceRecord | undefined>();

  /** @param snapshot the caller's whole document (`Y.encodeStateAsUpdateV2`). @throws on a corrupt snapshot. */
  constructor(snapshot: Uint8Array) {
    // Applied before the SceneDoc exists, so it loads the document in one linear pass.
    Y.applyUpdateV2(this.doc, snapshot);
    this.scene = new SceneDoc(this.doc);
    this.scene.observe((changes) => this.invalidate(changes));
  }

  /** Brings the copy up to date with what the caller changed since its previous export. @throws on a corrupt update. */
  apply(delta: Uint8Array): void {
    Y.applyUpdateV2(this.doc, delta);
  }

  /** The copy as a {@link SceneWalk} with its cache, for one export. */
  walk(): SceneWalk<string> {
    const scene = this.scene;
    this.sweep();
    return {
      root: scene.rootId,
      count: () => scene.nodeCount,
      children: (id) => scene.children(id),
      idOf: (id) => id,
      data: (id): NodeData => scene.getNode(id)!,
      resource: (id) => {
        if (!this.resources.has(id)) this.resources.set(id, scene.getResource(id));
        return this.resources.get(id);
      },
      cache: this.cache,
    };
  }

  /** Options to describe the copy with while the worker is idle (set by a `sync` with `prepare`). */
  preparing: ResolvedConvertOptions | undefined;

  /**
   * Describes, in batches, every node not described yet (see `prepareScene`); the caller runs it while
   * the worker has nothing else to do and may drop it at any batch.
   */
  prepare(options: ResolvedConvertOptions): Generator<void, void, void> {
    return prepareScene(this.walk(), options);
  }

  destroy(): void {
    this.scene.destroy();
    this.doc.destroy();
  }

  private invalidate(changes: readonly SceneChange[]): void {
    for (const c of changes) {
      switch (c.kind) {
        case 'added':
        case 'removed':
        case 'renamed':
        case 'property':
          this.cache.descriptions.delete(c.id);
          break;
        case 'moved':
          // A description does not depend on the node's place.
          break;
        case 'resourceAdded':
        case 'resourceRemoved':
        case 'resourceProperty':
          this.cache.geometry.delete(c.id);
          this.cache.images.delete(c.id);
          this.resources.delete(c.id);
          break;
      }
    }
  }

  /**
   * Removing a subtree reports only its top node, so descriptions of the nodes below it stay behind;
   * they are harmless (a node that comes back is reported as added, which drops its entry) but take
   * memory, so they are swept once they outnumber the live nodes.
   */
  private sweep(): void {
    const descriptions = this.cache.descriptions;
    if (descriptions.size < 1024 || descriptions.size < this.scene.nodeCount * 2) return;
    for (const id of descriptions.keys()) if (!this.scene.hasNode(id)) descriptions.delete(id);
  }
}
