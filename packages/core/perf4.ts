import * as Y from 'yjs';
import { readFileSync } from 'node:fs';
import { SceneDoc } from './src/index.ts';
const v2 = readFileSync('/tmp/scene100k.bin');
const docs = [0,1,2].map(() => { const d = new Y.Doc(); Y.applyUpdateV2(d, v2); return d; });
for (const d of docs) { const c0 = process.cpuUsage(); const t = performance.now(); const s = new SceneDoc(d); const t1 = performance.now(); s.toTree(); const c = process.cpuUsage(c0); console.log('materialise', (t1-t).toFixed(0), 'toTree', (performance.now()-t1).toFixed(0), 'cpu', ((c.user+c.system)/1000).toFixed(0)); }
