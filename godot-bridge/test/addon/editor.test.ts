import type { ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import type { NodeId, SceneTree } from '@scenesync/core';
import { startSidecar, type Sidecar } from '../../src/index.js';
import { makeGodotProject, removeGodotProjects, spawnGodot } from '../helpers/godot.js';

let editor: ChildProcess | undefined;
afterAll(() => {
  editor?.kill('SIGKILL');
  removeGodotProjects();
});

async function until(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`not reached in ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const names = (t: SceneTree): string[] => t.children.map((c) => c.name);

describe('the addon inside the Godot editor (EditorPlugin + @tool autoload)', () => {
  it('mirrors the edited scene, applies remote changes to it, and resends it to a restarted (empty) sidecar (B-RESYNC-2)', async () => {
    const project = await makeGodotProject();
    let sidecar: Sidecar = await startSidecar({ token: 'editor-token' });
    const port = sidecar.server.port;
    editor = spawnGodot(['--editor', '--path', project, 'res://driver.tscn', '--', `--scenesync-port=${port}`, '--scenesync-token=editor-token', '--scenesync-reconnect-interval=0.2']);
    let log = '';
    editor.stdout!.on('data', (d: Buffer) => (log += d.toString()));
    editor.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    // The edited scene's root is Driver; its child World reaches the document.
    await until(() => names(sidecar.scene.toTree()).includes('World'), `World in the document; editor log:\n${log}`);
    const world = sidecar.scene.toTree().children.find((c) => c.name === 'World')!.id;
    sidecar.scene.addNode({ parent: world as NodeId, name: 'FromTheRoom', type: 'OmniLight3D', props: { omni_range: 9.5 } });
    await new Promise((r) => setTimeout(r, 1000));
    await sidecar.close();
    sidecar = await startSidecar({ token: 'editor-token', port });
    const restarted = sidecar;
    await until(() => {
      const w = restarted.scene.toTree().children.find((c) => c.name === 'World');
      return w !== undefined && w.children.some((c) => c.name === 'FromTheRoom');
    }, `the editor re-sent its scene with the remote node; editor log:\n${log}`);
    const light = sidecar.scene.toTree().children.find((c) => c.name === 'World')!.children.find((c) => c.name === 'FromTheRoom')!;
    expect(light.type).toBe('OmniLight3D');
    expect(light.props.omni_range).toBe(9.5);
    await sidecar.close();
    // The plugin's presence dock (SceneSyncPresencePanel) loaded and ran in the editor without a script error.
    expect(log).not.toMatch(/SCRIPT ERROR|Parse Error|Failed to load script/);
  }, 120_000);
});
