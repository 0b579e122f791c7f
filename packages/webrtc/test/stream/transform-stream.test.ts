/**
 * TransformStream's rules with a real SceneDoc pair and an injected clock; frames travel through the
 * stream's own transport seam (a function), ticks are called by hand. Over real WebRTC:
 * test/e2e/streaming.e2e.test.ts.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { SceneDoc } from '@scenesync/core';
import { TransformStream, RoomError, encodeStreamFrame } from '../../src/index.js';
import { rng } from '../seeded.js';

function pair() {
  const a = new SceneDoc(new Y.Doc());
  const b = new SceneDoc(new Y.Doc());
  // Document sync between the two: every update applied on the other side.
  a.doc.on('update', (u: Uint8Array, origin: unknown) => { if (origin !== 'remote') Y.applyUpdate(b.doc, u, 'remote'); });
  b.doc.on('update', (u: Uint8Array, origin: unknown) => { if (origin !== 'remote') Y.applyUpdate(a.doc, u, 'remote'); });
  let now = 1000;
  const clock = () => now;
  const frames: Uint8Array[] = [];
  const sa = new TransformStream(a, (f) => frames.push(f), {}, clock);
  const sb = new TransformStream(b, () => {}, {}, clock);
  const deliver = () => { for (const f of frames.splice(0)) sb.receive(f); };
  return { a, b, sa, sb, deliver, advance: (ms: number) => { now += ms; }, frames };
}

const T = (x: number) => [1, 0, 0, 0, 1, 0, 0, 0, 1, x, 0, 0];

describe('TransformStream', () => {
  it('S-OWN-2: only the owner may move a node; values must be 12 finite numbers', () => {
    const { a, sa } = pair();
    const id = a.addNode({ parent: a.rootId, name: 'Box', type: 'Node3D' });
    expect(() => sa.move(id, T(1))).toThrow(RoomError);
    a.claimOwnership(id);
    expect(() => sa.move(id, [1, 2, 3])).toThrow(/12 finite numbers/);
    expect(() => sa.move(id, T(Number.NaN))).toThrow(RoomError);
    sa.move(id, { type: 'Transform3D', value: T(1) });
    expect(sa.streamingNodes()).toEqual([id]);
  });

  it('S-SETTLE: frames per tick, nothing in the document until rest or the commit interval; exact values committed', () => {
    const { a, b, sa, sb, deliver, advance } = pair();
    const id = a.addNode({ parent: a.rootId, name: 'Box', type: 'Node3D' });
    a.claimOwnership(id);
    let updates = 0;
    b.doc.on('update', () => updates++);
    // Move for 900 ms at 60 Hz: frames only, no document writes (commit interval 1000 ms).
    for (let i = 0; i < 54; i++) {
      sa.move(id, T(i * 0.01 + 1e-7));
      sa.tick();
      deliver();
      advance(1000 / 60);
    }
    expect(updates).toBe(0);
    expect(sa.stats.framesSent).toBeGreaterThanOrEqual(54);
    expect(sb.stats.recordsAccepted).toBeGreaterThanOrEqual(54);
    // The viewer's smoothed value follows (≈ 50 ms behind) and is close to the moving value.
    const seen = sb.transformOf(id)!;
    expect(seen[9]).toBeGreaterThan(0.45);
    expect(seen[9]).toBeLessThan(0.54);
    // Keep moving past 1000 ms: one commit (S-SETTLE-2).
    for (let i = 54; i < 66; i++) { sa.move(id, T(i * 0.01 + 1e-7)); sa.tick(); deliver(); advance(1000 / 60); }
    expect(sa.stats.commitTransactions).toBe(1);
    expect(updates).toBe(1);
    // Stop: after restMs the exact last value is committed (S-SETTLE-1, S-SETTLE-3).
    advance(250);
    sa.tick();
    expect(sa.stats.commitTransactions).toBe(2);
    expect(updates).toBe(2);
    expect((b.getProperty(id, 'transform') as unknown as { value: number[] }).value).toEqual(T(65 * 0.01 + 1e-7));
    // S-INTERP-4: once the stream is quiet, viewers read the document value.
    advance(2000);
    expect(sb.transformOf(id)).toEqual(T(65 * 0.01 + 1e-7));
    // Resting nodes cost nothing more.
    for (let i = 0; i < 20; i++) { sa.tick(); advance(100); }
    expect(sa.stats.commitTransactions).toBe(2);
  });

  it('S-OWN-1: records for nodes the sender does not own are dropped', () => {
    const { a, b, sb } = pair();
    const id = a.addNode({ parent: a.rootId, name: 'Box', type: 'Node3D' });
    b.claimOwnership(id); // B owns it; a frame claiming to come from A is refused
    const frame = encodeStreamFrame({
      sender: a.doc.clientID, time: 5, definitions: [{ handle: 0, node: id }], positionExponent: -10,
      records: [{ handle: 0, position: [1, 2, 3], rotation: [0, 0, 0, 1], scale: [1, 1, 1] }],
    });
    sb.receive(frame);
    expect(sb.stats.notOwner).toBe(1);
    expect(sb.partsOf(id)).toBeUndefined();
  });

  it('S-HOSTILE: random bytes are counted as bad frames and never throw (seeded)', () => {
    const seed = Number(process.env.SCENESYNC_SEED ?? 4242);
    const r = rng(seed);
    const { sb } = pair();
    let events = 0;
    sb.on('badFrame', () => events++);
    for (let i = 0; i < 2000; i++) {
      const bytes = new Uint8Array(Math.floor(r() * 40));
      for (let k = 0; k < bytes.length; k++) bytes[k] = Math.floor(r() * 256);
      if (bytes.length > 0 && r() < 0.5) bytes[0] = 1;
      expect(() => sb.receive(bytes), `seed ${seed}`).not.toThrow();
    }
    expect(sb.stats.badFrames).toBeGreaterThan(1500);
    expect(events).toBe(sb.stats.badFrames);
  });

  it('S-OWN-3: a peer that loses a node stops streaming it', () => {
    const { a, b, sa } = pair();
    const id = a.addNode({ parent: a.rootId, name: 'Box', type: 'Node3D' });
    a.claimOwnership(id);
    sa.move(id, T(1));
    b.claimOwnership(id); // a later claim wins
    expect(a.ownerOf(id)).toBe(b.doc.clientID);
    sa.tick();
    expect(sa.streamingNodes()).toEqual([]);
    expect(() => sa.move(id, T(2))).toThrow(/does not own/);
  });
});
