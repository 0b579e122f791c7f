// A real y-webrtc peer in its own process (y-webrtc allows one doc per room per process).
// argv: <signalling url> <room> <name>. It writes its name into the shared map "peers".
// stdin lines: `expect a,b,c` -> prints `converged a,b,c` once the map holds all of them;
//              `set key value` -> writes into the map; `quit` -> exits.
import * as Y from 'yjs';
import { WebrtcProvider } from 'y-webrtc';
import WebSocket from 'ws';
import wrtc from '@roamhq/wrtc';
import { createInterface } from 'node:readline';

globalThis.WebSocket = WebSocket;
const [url, room, name] = process.argv.slice(2);
const doc = new Y.Doc();
const provider = new WebrtcProvider(room, doc, { signaling: [url], peerOpts: { wrtc } });
const map = doc.getMap('peers');
map.set(name, true);
let expected = null;
const check = () => {
  if (expected && expected.every((k) => map.has(k))) {
    console.log(`converged ${[...map.keys()].sort().join(',')}`);
    expected = null;
  }
};
map.observe(check);
provider.on('peers', (e) => console.log(`peers ${e.webrtcPeers.length}`));
// Joined the room on the signalling server (the tests start peers one after another on this).
for (const conn of provider.signalingConns) conn.on('connect', () => console.log('signalling connected'));
createInterface({ input: process.stdin }).on('line', (line) => {
  const [cmd, a, b] = line.trim().split(' ');
  if (cmd === 'expect') {
    expected = a.split(',');
    check();
  } else if (cmd === 'set') {
    map.set(a, b);
  } else if (cmd === 'quit') {
    provider.destroy();
    doc.destroy();
    setTimeout(() => process.exit(0), 100);
  }
});
process.on('SIGTERM', () => process.exit(0));
console.log('ready');
