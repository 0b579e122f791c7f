// A headless Node peer for the browser test: joins a room over real WebRTC (@roamhq/wrtc) and
// answers JSON-line commands on stdin with JSON lines on stdout.
//   {"cmd":"addSphere","name":"PeerSphere","color":[r,g,b]}  → {"reply":"addSphere","id":…}
//   {"cmd":"names"}                                          → {"reply":"names","names":[…]}
//   {"cmd":"peers"}                                          → {"reply":"peers","count":n}
//   {"cmd":"origin","path":"Crate"}                          → {"reply":"origin","origin":[x,y,z]|null}
//   {"cmd":"animate","id":…}                                 → {"reply":"animate"}, then streams it
import { createInterface } from 'node:readline';
import { SceneDoc, resourceRef, transform3d } from '@scenesync/core';
import { joinFromCli } from 'scenesync';

const [server, roomName] = process.argv.slice(2);
const scene = new SceneDoc();
const room = await joinFromCli(scene, { room: roomName, server, name: 'Node peer', kind: 'tool' });
const send = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);

function names() {
  const out = [];
  const walk = (id) => {
    out.push(scene.getNode(id)?.name);
    for (const child of scene.children(id)) walk(child);
  };
  walk(scene.rootId);
  return out;
}

let animation;
const handlers = {
  addSphere({ name, color, position = [1.5, 0.6, 0.5] }) {
    const material = scene.addResource({
      type: 'StandardMaterial3D',
      props: { albedo_color: { type: 'Color', value: [...color, 1] }, roughness: 0.8 },
    });
    const mesh = scene.addResource({ type: 'SphereMesh', props: { radius: 0.6, height: 1.2, material: resourceRef(material) } });
    const id = scene.addNode({
      parent: scene.rootId,
      name,
      type: 'MeshInstance3D',
      props: { mesh: resourceRef(mesh), transform: transform3d([1, 0, 0, 0, 1, 0, 0, 0, 1, ...position]) },
    });
    return { id };
  },
  origin({ path }) {
    const id = scene.findByPath(path);
    const t = id ? scene.getProperty(id, 'transform') : undefined;
    return { origin: t ? t.value.slice(9) : null };
  },
  names() {
    return { names: names() };
  },
  peers() {
    return { count: room.presence.all().size - 1, connected: room.peers.length };
  },
  animate({ id }) {
    scene.claimOwnership(id);
    const start = performance.now();
    clearInterval(animation);
    animation = setInterval(() => {
      const t = (performance.now() - start) / 1000;
      room.stream.move(id, [1, 0, 0, 0, 1, 0, 0, 0, 1, 1.5 + Math.sin(t * 3), 0.6, 0.5]);
    }, 1000 / 30);
    return {};
  },
  stopAnimation() {
    clearInterval(animation);
    return {};
  },
};

createInterface({ input: process.stdin }).on('line', (line) => {
  let message;
  try {
    message = JSON.parse(line);
    const handler = handlers[message.cmd];
    if (!handler) throw new Error(`unknown command ${message.cmd}`);
    send({ reply: message.cmd, ...handler(message) });
  } catch (error) {
    send({ reply: message?.cmd ?? 'error', error: String(error) });
  }
});
process.on('SIGTERM', async () => {
  clearInterval(animation);
  await room.leave();
  process.exit(0);
});
send({ event: 'joined' });
