import * as Y from 'yjs';
import { writeFileSync, readFileSync, existsSync } from 'node:fs';
import { SceneDoc, transform3d } from './src/index.ts';
const N = 100_000;
if (!existsSync('/tmp/scene100k.bin')) {
  const s = new SceneDoc();
  s.transact(() => {
    const parents = [s.rootId];
    for (let i = 0; i < N; i++) {
      const parent = parents[Math.floor(i / 10)] ?? s.rootId;
      parents.push(s.addNode({ parent, name: 'Node' + i, type: 'Node3D', props: { transform: transform3d([1,0,0,0,1,0,0,0,1, (i%100)*0.25, 0, Math.floor(i/100)*0.25]) } }));
    }
  });
  writeFileSync('/tmp/scene100k.bin', Y.encodeStateAsUpdateV2(s.doc));
}
const v2 = readFileSync('/tmp/scene100k.bin');
for (let r = 0; r < 3; r++) {
  const c0 = process.cpuUsage(); const t = performance.now();
  const d = new Y.Doc(); Y.applyUpdateV2(d, v2);
  const t1 = performance.now();
  const s2 = new SceneDoc(d);
  const t2 = performance.now();
  s2.toTree();
  const t3 = performance.now();
  const cpu = process.cpuUsage(c0); console.log("cpu ms", ((cpu.user + cpu.system)/1000).toFixed(0), "apply", (t1 - t).toFixed(0), 'materialise', (t2 - t1).toFixed(0), 'toTree', (t3 - t2).toFixed(0), 'total', (t3 - t).toFixed(0));
}
