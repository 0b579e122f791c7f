import { afterAll, describe, expect, it } from 'vitest';
import { makeGodotProject, removeGodotProjects, runGodot } from '../helpers/godot.js';
import { taggedLines } from '../helpers/lines.js';

afterAll(() => removeGodotProjects());

interface GdTest { file: string; name: string; ok: boolean; checks: number; failures: string[] }

describe('the addon in real headless Godot (test/godot/unit/*.gd)', () => {
  it('every GDScript test passes, with checks and without script errors', async () => {
    const project = await makeGodotProject();
    const run = await runGodot(['--path', project, '--script', 'res://run_tests.gd']);
    const results = taggedLines<GdTest>(run.stdout, 'SCENESYNC_TEST');
    const [done] = taggedLines<number>(run.stdout, 'SCENESYNC_TESTS_DONE');
    expect(done, run.stdout + run.stderr).toBe(results.length);
    expect(results.length).toBeGreaterThanOrEqual(8);
    expect(results.filter((r) => !r.ok), run.stderr).toEqual([]);
    for (const r of results) expect(r.checks, `${r.file} ${r.name} checks something`).toBeGreaterThan(0);
    // A GDScript runtime error does not stop the test method; it must not happen at all.
    expect(run.stderr.split('\n').filter((l) => l.includes('SCRIPT ERROR'))).toEqual([]);
  });

  it('the addon scripts parse with untyped declarations treated as errors', async () => {
    const project = await makeGodotProject();
    const scripts = ['plugin.gd', 'replication.gd', 'scene_mirror.gd', 'scenesync_autoload.gd', 'scenesync_client.gd', 'sidecar_launcher.gd', 'value_codec.gd'];
    for (const script of scripts) {
      const run = await runGodot(['--path', project, '--check-only', '--script', `res://addons/scenesync/${script}`]);
      expect(`${run.stdout}${run.stderr}`, script).not.toMatch(/SCRIPT ERROR|Parse Error|Failed to load/);
    }
  });
});
