import type * as Y from 'yjs';
import { SceneDoc, type GodotValue, type NodeId, type ResourceRecord, type SceneTree, type TreeNode } from '@scenesync/core';

/**
 * Builds a SceneDoc from an imported tree (`importTscn(...).tree`), keeping every id. Unlike
 * `SceneDoc.fromTree` it adds resources in dependency order whatever the key order of
 * `tree.resources` (JavaScript puts integer-like ids such as Godot's `"1"` first), and writes a
 * reference to a resource that does not exist as `null` instead of failing (reported as
 * `dangling`), so a broken file never stops an import.
 */
export function sceneFromTscnTree(tree: SceneTree, doc?: Y.Doc): { scene: SceneDoc; dangling: string[] } {
  const scene = new SceneDoc(doc);
  const resources = tree.resources ?? {};
  const dangling: string[] = [];
  const clean = (v: GodotValue, where: string): GodotValue => {
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map((x) => clean(x, where));
    const t = (v as { type: string }).type;
    if (t === 'Resource') {
      const id = (v as { id: string }).id;
      if (resources[id]) return v;
      dangling.push(`${where} → ${id}`);
      return null;
    }
    if (t === 'Dictionary') {
      const d = v as { entries: ReadonlyArray<readonly [GodotValue, GodotValue]> };
      return { type: 'Dictionary', entries: d.entries.map(([k, x]) => [clean(k, where), clean(x, where)] as [GodotValue, GodotValue]) };
    }
    return v;
  };
  const cleanProps = (props: Record<string, GodotValue>, where: string): Record<string, GodotValue> => {
    const out: Record<string, GodotValue> = {};
    for (const [k, v] of Object.entries(props)) out[k] = clean(v, `${where}.${k}`);
    return out;
  };
  // Resources are added dependencies first (a Sky after its material), each referring only to what
  // exists; references to resources the file does not define are replaced by null and reported.
  scene.setRootInfo({ type: tree.type, name: tree.name });
  {
    const added = new Set<string>();
    const visiting = new Set<string>();
    const add = (res: ResourceRecord): void => {
      if (added.has(res.id) || visiting.has(res.id)) return;
      visiting.add(res.id);
      for (const dep of refsIn(Object.values(res.props))) if (resources[dep]) add(resources[dep]!);
      visiting.delete(res.id);
      added.add(res.id);
      scene.transact(() => scene.addResource({ id: res.id, type: res.type, props: cleanProps(res.props, `resource ${res.id}`) }));
    };
    for (const res of Object.values(resources)) add(res);
  }
  scene.transact(() => {
    for (const [k, v] of Object.entries(cleanProps(tree.props, 'root'))) scene.setProperty(scene.rootId, k, v);
    const addChildren = (parent: NodeId, node: TreeNode): void => {
      for (const child of node.children) {
        const id = scene.addNode({ id: child.id, parent, name: child.name, type: child.type, props: cleanProps(child.props, child.name) });
        addChildren(id, child);
      }
    };
    addChildren(scene.rootId, tree);
  });
  return { scene, dangling };
}

function refsIn(values: readonly GodotValue[], out: string[] = []): string[] {
  for (const v of values) {
    if (v === null || typeof v !== 'object') continue;
    if (Array.isArray(v)) refsIn(v, out);
    else if ((v as { type: string }).type === 'Resource') out.push((v as { id: string }).id);
    else if ((v as { type: string }).type === 'Dictionary') {
      for (const [k, x] of (v as { entries: ReadonlyArray<readonly [GodotValue, GodotValue]> }).entries) refsIn([k, x], out);
    }
  }
  return out;
}
