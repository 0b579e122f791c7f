import { describe, expect, it } from 'vitest';
import { checkRoomName, checkSnapshotFile, ServerError } from '../src/index.js';

describe('store names', () => {
  it('accepts plain names', () => {
    expect(checkRoomName('room-1_A')).toBe('room-1_A');
    expect(checkSnapshotFile('scene_2.glb')).toBe('scene_2');
  });

  it('refuses traversal, hidden files, separators, encodings and overlong names', () => {
    for (const room of ['', '..', '.hidden', 'a/b', 'a\\b', '%2e%2e', 'a b', 'ü', '-x', 'x'.repeat(129), 'a\u0000']) {
      expect(() => checkRoomName(room), room).toThrow(ServerError);
    }
    for (const file of ['x', 'x.gltf', '.glb', '..glb', '.x.glb', 'a/b.glb', 'a.b.glb', '%2e.glb', 'x.GLB', `${'y'.repeat(129)}.glb`]) {
      expect(() => checkSnapshotFile(file), file).toThrow(/<name>.glb/);
    }
  });
});
