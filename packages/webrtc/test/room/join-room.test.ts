/**
 * joinRoom's argument checks and the one-room-per-name rule, in this process. The signalling URL is a
 * closed loopback port: nothing here needs a peer.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { SceneDoc } from '@scenesync/core';
import { joinRoom, RoomError, DEFAULTS, type Room } from '../../src/index.js';

const CLOSED = ['ws://127.0.0.1:9'];
const open: Room[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.leave()));
});

async function join(scene: SceneDoc, options: Parameters<typeof joinRoom>[1]): Promise<Room> {
  const room = await joinRoom(scene, options);
  open.push(room);
  return room;
}

describe('joinRoom', () => {
  it('refuses bad arguments with RoomError INVALID_OPTIONS and a message that says what to pass', async () => {
    const scene = new SceneDoc();
    const cases: Array<[unknown, unknown, RegExp]> = [
      [null, { room: 'x', signaling: CLOSED }, /needs a SceneDoc/],
      [scene, { signaling: CLOSED }, /non-empty room name/],
      [scene, { room: '', signaling: CLOSED }, /non-empty room name/],
      [scene, { room: 'x' }, /signalling URL/],
      [scene, { room: 'x', signaling: [] }, /signalling URL/],
      [scene, { room: 'x', signaling: ['http://example.invalid'] }, /ws:\/\/ or wss:\/\//],
      [scene, { room: 'x', signaling: CLOSED, password: '' }, /password/],
      [scene, { room: 'x', signaling: CLOSED, kind: 'robot' }, /kind must be/],
      [scene, { room: 'x', signaling: CLOSED, antiEntropyIntervalMs: 0 }, /antiEntropyIntervalMs/],
      [scene, { room: 'x', signaling: CLOSED, streamChannelId: 70000 }, /streamChannelId/],
      [scene, { room: 'x', signaling: CLOSED, stream: { sendRateHz: 0 } }, /sendRateHz/],
    ];
    for (const [s, o, message] of cases) {
      const error = await joinRoom(s as SceneDoc, o as any).then(() => null, (e) => e);
      expect(error, JSON.stringify(o)).toBeInstanceOf(RoomError);
      expect(error.code).toBe('INVALID_OPTIONS');
      expect(error.message).toMatch(message);
    }
    // A refused call left nothing behind: the name is still free.
    await join(scene, { room: 'x', signaling: CLOSED });
  });

  it('a second room of the same name in one process is ROOM_IN_USE, says what to do, and breaks nothing', async () => {
    const first = await join(new SceneDoc(), { room: 'twice', signaling: CLOSED });
    const error = await joinRoom(new SceneDoc(), { room: 'twice', signaling: CLOSED }).then(() => null, (e) => e);
    expect(error).toBeInstanceOf(RoomError);
    expect(error.code).toBe('ROOM_IN_USE');
    expect(error.message).toMatch(/leave\(\)|isolated: true/);
    // After leave() the name is free again.
    await first.leave();
    open.splice(open.indexOf(first), 1);
    await join(new SceneDoc(), { room: 'twice', signaling: CLOSED });
  });

  it('{ isolated: true } is the supported way to hold one room name twice in a process; the documents sync', async () => {
    const a = new SceneDoc(new Y.Doc());
    const b = new SceneDoc(new Y.Doc());
    await join(a, { room: 'shared-name', signaling: CLOSED, isolated: true });
    await join(b, { room: 'shared-name', signaling: CLOSED, isolated: true });
    const id = a.addNode({ parent: a.rootId, name: 'FromA', type: 'Node3D' });
    // Instances in one process meet over BroadcastChannel (no WebRTC between them).
    for (let i = 0; i < 100 && !b.hasNode(id); i++) await new Promise((r) => setTimeout(r, 20));
    expect(b.getNode(id)?.name).toBe('FromA');
  });

  it('presence carries name, kind and selection; DEFAULTS is the one place defaults live', async () => {
    const scene = new SceneDoc();
    const room = await join(scene, { room: 'presence', signaling: CLOSED, name: 'Ada', kind: 'web' });
    room.presence.setSelection(['a', 'b']);
    expect(room.presence.local).toMatchObject({ name: 'Ada', kind: 'web', selection: ['a', 'b'], clientId: scene.doc.clientID });
    expect(room.options.antiEntropyIntervalMs).toBe(DEFAULTS.antiEntropyIntervalMs);
    expect(room.stream.options.sendRateHz).toBe(60);
  });
});
