/**
 * Text forms of a scene for the terminal: the tree as an indented outline, each change as one line,
 * values in Godot's own text notation (`Vector3(1, 2, 3)`), and a JSON form for scripts (`--json`).
 */
import type { GodotValue, SceneChange, SceneTree, TreeNode } from '@scenesync/core';

/** A Godot value as Godot's text format would write it (shortened for long arrays). */
export function valueText(value: GodotValue | undefined): string {
  if (value === undefined) return '<removed>';
  if (value === null) return 'null';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(1) : String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.slice(0, 8).map(valueText).join(', ')}${value.length > 8 ? ', …' : ''}]`;
  const v = value as { type: string; value?: unknown; id?: string; path?: string; entries?: unknown[] };
  if (v.type === 'Resource') return `Resource(${v.id})`;
  if (v.type === 'ExtResource') return `ExtResource(${JSON.stringify(v.path)})`;
  if (v.type === 'Dictionary') return `{ ${v.entries?.length ?? 0} entries }`;
  if (v.type === 'StringName') return `&${JSON.stringify(v.value)}`;
  if (v.type === 'NodePath') return `NodePath(${JSON.stringify(v.value)})`;
  if (Array.isArray(v.value) || ArrayBuffer.isView(v.value)) {
    const items = Array.from(v.value as ArrayLike<unknown>);
    const shown = items.slice(0, 16).map((x) => (typeof x === 'number' ? String(round(x)) : String(x)));
    return `${v.type}(${shown.join(', ')}${items.length > 16 ? ', …' : ''})`;
  }
  return v.type;
}

function round(n: number): number {
  return Math.round(n * 1e4) / 1e4;
}

/** The tree as an outline, one node a line: `Name (Type) #id`, children indented. */
export function treeText(tree: SceneTree): string {
  const lines: string[] = [];
  const walk = (node: TreeNode, depth: number): void => {
    lines.push(`${'  '.repeat(depth)}${node.name} (${node.type}) #${node.id}`);
    for (const child of node.children) walk(child, depth + 1);
  };
  walk(tree, 0);
  return lines.join('\n');
}

/** One line per change; `nameOf` turns ids into names for readability. */
export function changeText(change: SceneChange, nameOf: (id: string) => string): string {
  switch (change.kind) {
    case 'added':
      return `+ ${change.name} (${change.type}) under ${nameOf(change.parent)} #${change.id}`;
    case 'removed':
      return `- ${nameOf(change.id)} #${change.id}`;
    case 'moved':
      return `> ${nameOf(change.id)} moved under ${nameOf(change.parent)} at ${change.index}`;
    case 'renamed':
      return `~ ${change.oldName} renamed to ${change.name}`;
    case 'property':
      return `. ${nameOf(change.id)}.${change.key} = ${valueText(change.value)}`;
    case 'resourceAdded':
      return `+ resource ${change.type} #${change.id}`;
    case 'resourceRemoved':
      return `- resource #${change.id}`;
    case 'resourceProperty':
      return `. resource #${change.id}.${change.key} = ${valueText(change.value)}`;
  }
}

/** JSON.stringify that writes bigints as strings and typed arrays as arrays (for `--json`). */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint') return v.toString();
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number | bigint>, (x) => (typeof x === 'bigint' ? x.toString() : x));
    return v;
  });
}
