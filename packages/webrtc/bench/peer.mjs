// A benchmark peer process: built @scenesync/webrtc + @scenesync/core (mode "scenesync") or plain
// y-webrtc with a plain Y.Map (mode "raw"). JSON lines in on stdin, JSON lines out on stdout.
import { createInterface } from 'node:readline';
import * as Y from 'yjs';
import { SceneDoc } from '@scenesync/core';
import { joinRoom } from '@scenesync/webrtc';

const now = () => performance.timeOrigin + performance.now();
const ydoc = new Y.Doc();
const scene = new SceneDoc(ydoc);
let room = null;
let provider = null;
let mode = 'scenesync';
const latencies = [];
let updateBytes = 0;
ydoc.on('update', (u) => { updateBytes += u.length; });
let cpuMark = process.cpuUsage();
let cpuAt = performance.now();
let joinedAt = 0;
let materializedAt = 0;

function send(msg) { process.stdout.write(JSON.stringify(msg) + '\n'); }

async function handle(cmd) {
  switch (cmd.cmd) {
    case 'join': {
      mode = cmd.mode;
      joinedAt = now();
      if (cmd.expectNodes) {
        // Late joiner: note when the whole scene is materialised (scenesync) or present (raw).
        const check = () => {
          if (materializedAt) return;
          const n = mode === 'raw' ? ydoc.getMap('nodes').size : scene.children(scene.rootId).length;
          if (n >= cmd.expectNodes) materializedAt = now();
        };
        if (mode === 'raw') ydoc.getMap('nodes').observe(check); else scene.observe(check);
      }
      if (mode === 'raw') {
        const { WebrtcProvider } = await import('y-webrtc');
        const ws = await import('ws');
        globalThis.WebSocket ??= ws.WebSocket;
        const wrtc = (await import('@roamhq/wrtc')).default;
        provider = new WebrtcProvider(cmd.room, ydoc, { signaling: cmd.signaling, peerOpts: { wrtc, config: { iceServers: [] } } });
        ydoc.getMap('bench').observe((e) => {
          if (!e.transaction.local && e.keysChanged.has('stamp')) latencies.push(now() - ydoc.getMap('bench').get('stamp'));
        });
      } else {
        room = await joinRoom(scene, { room: cmd.room, signaling: cmd.signaling, iceServers: [], name: 'bench', stream: cmd.stream ?? {} });
        scene.observe((changes, info) => {
          if (info.local) return;
          for (const c of changes) if (c.kind === 'property' && c.key === 'stamp') latencies.push(now() - c.value);
        });
      }
      return true;
    }
    case 'peers':
      return mode === 'raw' ? [...(provider.room?.webrtcConns.values() ?? [])].filter((c) => c.connected).length : room.peers.length;
    case 'streamPeers':
      return room ? room.streamPeerCount : 0;
    case 'prepareLatency':
      if (mode !== 'raw') scene.addNode({ parent: scene.rootId, name: 'Probe', type: 'Node3D', id: 'probe00001' });
      return true;
    case 'hasProbe':
      return mode === 'raw' ? true : scene.hasNode('probe00001');
    case 'write': {
      // `count` stamped writes, `intervalMs` apart.
      for (let i = 0; i < cmd.count; i++) {
        if (mode === 'raw') ydoc.getMap('bench').set('stamp', now());
        else scene.setProperty('probe00001', 'stamp', now());
        await new Promise((r) => setTimeout(r, cmd.intervalMs));
      }
      return true;
    }
    case 'latencies':
      return latencies.splice(0);
    case 'addNodes': {
      const ids = [];
      if (mode === 'raw') {
        const nodes = ydoc.getMap('nodes');
        ydoc.transact(() => {
          for (let i = 0; i < cmd.count; i++) {
            const id = `n${String(i).padStart(9, '0')}`;
            nodes.set(id, { name: `Node${i}`, type: 'Node3D', transform: [1, 0, 0, 0, 1, 0, 0, 0, 1, i, 0, 0] });
            ids.push(id);
          }
        });
      } else {
        scene.transact(() => {
          for (let i = 0; i < cmd.count; i++) {
            ids.push(scene.addNode({ parent: scene.rootId, name: `Node${i}`, type: 'Node3D',
              props: { transform: { type: 'Transform3D', value: [1, 0, 0, 0, 1, 0, 0, 0, 1, i, 0, 0] } } }));
          }
        });
      }
      return ids;
    }
    case 'nodeCount':
      return mode === 'raw' ? ydoc.getMap('nodes').size : scene.children(scene.rootId).length;
    case 'claim':
      scene.transact(() => { for (const id of cmd.ids) scene.claimOwnership(id); });
      return true;
    case 'owned':
      return cmd.ids.every((id) => scene.ownerOf(id) === cmd.owner);
    case 'move': {
      // Move every node every tick for durationMs: through the stream (naive=false) or as document
      // writes of the transform (naive=true), one transaction per tick.
      const start = performance.now();
      let ticks = 0;
      await new Promise((resolve) => {
        const timer = setInterval(() => {
          const t = (performance.now() - start) / 1000;
          if (performance.now() - start >= cmd.durationMs) { clearInterval(timer); resolve(); return; }
          ticks++;
          const write = () => {
            for (let i = 0; i < cmd.ids.length; i++) {
              const a = t + i * 0.01;
              const tr = [Math.cos(a), 0, Math.sin(a), 0, 1, 0, -Math.sin(a), 0, Math.cos(a), Math.cos(a) * 5, i * 0.01, Math.sin(a) * 5];
              if (cmd.naive) scene.setProperty(cmd.ids[i], 'transform', { type: 'Transform3D', value: tr });
              else room.stream.move(cmd.ids[i], tr);
            }
          };
          if (cmd.naive) scene.transact(write); else write();
        }, 1000 / cmd.hz);
      });
      return { ticks };
    }
    case 'mark':
      cpuMark = process.cpuUsage();
      cpuAt = performance.now();
      updateBytes = 0;
      return { docBytes: Y.encodeStateAsUpdate(ydoc).length, streamBytes: room?.stream.stats.bytesReceived ?? 0, streamSent: room?.stream.stats.bytesSent ?? 0 };
    case 'measure': {
      const cpu = process.cpuUsage(cpuMark);
      const seconds = (performance.now() - cpuAt) / 1000;
      return {
        seconds, cpuPercent: ((cpu.user + cpu.system) / 1e6 / seconds) * 100, updateBytes,
        docBytes: Y.encodeStateAsUpdate(ydoc).length, streamBytes: room?.stream.stats.bytesReceived ?? 0,
        streamSent: room?.stream.stats.bytesSent ?? 0, stats: room?.stream.stats ?? null,
      };
    }
    case 'lateJoin':
      return { joinedAt, materializedAt };
    case 'exit':
      setTimeout(() => process.exit(0), 10);
      return true;
    default:
      throw new Error(`unknown ${cmd.cmd}`);
  }
}

let queue = Promise.resolve();
createInterface({ input: process.stdin }).on('line', (line) => {
  const cmd = JSON.parse(line);
  queue = queue.then(async () => {
    try { send({ id: cmd.id, ok: true, result: await handle(cmd) }); } catch (e) { send({ id: cmd.id, ok: false, error: String(e?.stack ?? e) }); }
  });
});
send({ event: 'ready' });
