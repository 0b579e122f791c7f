import { GltfExportError } from '../errors.js';
import { convertSceneSync, treeWalk, type ConvertResult } from '../mapping/scene-to-document.js';
import { resolveConvertOptions, type ConvertOptions, type ResolvedConvertOptions } from '../options.js';
import { withReport, type ExportReport, type GlbBytes } from '../report.js';
import type { SceneTree } from '../scene-types.js';
import { writeGlb } from '../write/glb-writer.js';

/**
 * Converts a plain scene tree (the shape of `SceneDoc.toTree()`) to GLB bytes on the calling thread,
 * synchronously. The returned `Uint8Array` carries the export report as `.report`.
 *
 * This is the whole exporter without Yjs: tools, tests and the Godot import check call it with a tree
 * they built or received.
 *
 * @throws GltfExportError `INVALID_ARGUMENT` when `tree` is not a scene tree or an option is wrong.
 * @example
 * const glb = glbFromTree({ id: 'root', name: 'Root', type: 'Node3D', props: {}, children: [], resources: {} });
 * glb.report.issues // []
 */
export function glbFromTree(tree: SceneTree, options?: ConvertOptions): GlbBytes {
  const resolved = resolveConvertOptions(options, invalidArgument);
  checkTree(tree);
  return finish(convertSceneSync(treeWalk(tree), resolved));
}

/** Turns a finished conversion into GLB bytes with their report. */
export function finish(result: ConvertResult): GlbBytes {
  const glb = writeGlb(result.document, result.nodes);
  const report: ExportReport = { issues: result.issues, stats: { ...result.counts, bytes: glb.byteLength } };
  return withReport(glb, report);
}

/** Validates the top of a tree given by a caller (deeper malformations are reported, not thrown). */
export function checkTree(tree: unknown): asserts tree is SceneTree {
  if (typeof tree !== 'object' || tree === null) invalidArgument('expected a scene tree (SceneDoc.toTree()), got ' + (tree === null ? 'null' : typeof tree));
  const t = tree as Partial<SceneTree>;
  if (typeof t.name !== 'string' || typeof t.type !== 'string' || !Array.isArray(t.children) || typeof t.props !== 'object' || t.props === null) {
    invalidArgument('expected a scene tree with name, type, props and children (the shape SceneDoc.toTree() returns)');
  }
  if (t.resources !== undefined && (typeof t.resources !== 'object' || t.resources === null)) invalidArgument('tree.resources must be an object keyed by resource id');
  // Every node is checked once; a node object met twice (a cycle, or a node in two places) is refused,
  // since it would make the export loop or duplicate a subtree.
  const seen = new Set<unknown>([tree]);
  const stack: unknown[] = [...t.children];
  while (stack.length) {
    const c = stack.pop() as Partial<SceneTree> | null;
    if (typeof c !== 'object' || c === null || typeof c.name !== 'string' || typeof c.type !== 'string' || !Array.isArray(c.children) || typeof c.props !== 'object' || c.props === null) {
      invalidArgument('a node of the tree lacks name, type, props or children');
    }
    if (seen.has(c)) invalidArgument(`node ${c.name} appears twice in the tree (a cycle or a shared child); a scene tree must be a tree`);
    seen.add(c);
    for (const g of c.children) stack.push(g);
  }
}

function invalidArgument(message: string): never {
  throw new GltfExportError('INVALID_ARGUMENT', message);
}

export { resolveConvertOptions, type ResolvedConvertOptions };
