import { it } from 'vitest';
import * as Y from 'yjs';
import { SceneDoc } from '../src/index.js';
it('dbg', () => {
  const s = new SceneDoc();
  let parent = 'root';
  const t0 = performance.now();
  s.transact(() => { for (let i = 0; i < 20000; i++) parent = s.addNode({ parent: parent as never, name: 'n', type: 'Node3D' }); });
  console.log('built', (performance.now() - t0).toFixed(0));
  try { s.toTree(); console.log('toTree ok'); } catch (e) { console.log('toTree threw', (e as Error).message); }
  try { console.log('path len', s.pathOf(parent as never).length); } catch (e) { console.log('pathOf threw', (e as Error).message); }
  const d2 = new Y.Doc(); 
  try { Y.applyUpdate(d2, Y.encodeStateAsUpdate(s.doc)); const s2 = new SceneDoc(d2); s2.toTree(); console.log('remote ok'); } catch (e) { console.log('remote threw', (e as Error).message); }
  try { s.removeNode(s.children('root' as never)[0]!); console.log('remove ok'); } catch (e) { console.log('remove threw', (e as Error).message); }
});
