import type { GLTF, WriterContext } from '@gltf-transform/core';
import type { NodeTable } from './node-table.js';

/**
 * Writes the table's animations as `json.animations` (G-ANIM-8): channels target node *rows* (the
 * writer's node indices), so glTF-Transform's own `Animation`, which targets its `Node`s, cannot be
 * used; the sampler accessors are glTF-Transform's, already written, and are referenced by the index
 * it gave them. glTF requires `min`/`max` on sampler inputs, which glTF-Transform writes only for
 * inputs of its own samplers, so they are set here.
 */
export function writeAnimations(context: WriterContext, table: NodeTable): void {
  if (!table.animations.length) return;
  const json = context.jsonDoc.json;
  const accessors = json.accessors ?? [];
  const index = (a: Parameters<typeof context.accessorIndexMap.get>[0]): number => {
    const i = context.accessorIndexMap.get(a);
    // Every accessor of the document is written before this hook runs.
    if (i === undefined) throw new Error('animation accessor was not written');
    return i;
  };
  json.animations = table.animations.map((anim): GLTF.IAnimation => {
    const samplers: GLTF.IAnimationSampler[] = [];
    const channels: GLTF.IAnimationChannel[] = [];
    for (const ch of anim.channels) {
      const input = index(ch.input);
      const def = accessors[input]!;
      if (def.min === undefined) {
        def.min = ch.input.getMin([]).map(Math.fround);
        def.max = ch.input.getMax([]).map(Math.fround);
      }
      channels.push({ sampler: samplers.length, target: { node: ch.node, path: ch.path } });
      samplers.push({ input, output: index(ch.output), interpolation: ch.interpolation });
    }
    const out: GLTF.IAnimation = { name: anim.name, channels, samplers };
    if (anim.extras) out.extras = anim.extras;
    return out;
  });
}
