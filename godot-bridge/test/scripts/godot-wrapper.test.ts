import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GODOT } from '../helpers/godot.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A directory holding an executable `godot` that reports `version` and records its arguments. */
function godotOnPath(version: string): { bin: string; argsFile: string } {
  const bin = mkdtempSync(join(tmpdir(), 'scenesync-path-godot-'));
  dirs.push(bin);
  const argsFile = join(bin, 'args');
  writeFileSync(join(bin, 'godot'), `#!/bin/sh\nfor a in "$@"; do [ "$a" = --version ] && { echo ${version}; exit 0; }; done\necho "$@" > ${argsFile}\n`);
  chmodSync(join(bin, 'godot'), 0o755);
  return { bin, argsFile };
}

const mounts = (): string[] => readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter((l) => l.includes('scenesync-godot'));

describe('scripts/godot (the headless Godot wrapper)', () => {
  it('uses a godot 4.x found on PATH, with --headless', () => {
    const { bin, argsFile } = godotOnPath('4.5.1.stable.official');
    const run = spawnSync(GODOT, ['--path', '/some/project', '--quit'], { env: { ...process.env, PATH: `${bin}:${process.env.PATH}` }, encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(readFileSync(argsFile, 'utf8').trim()).toBe('--headless --path /some/project --quit');
  });

  it('ignores a godot 3.x on PATH and runs Godot 4 from the Debian root instead, leaving no mounts behind', () => {
    const { bin, argsFile } = godotOnPath('3.5.2.stable');
    const before = mounts();
    const project = mkdtempSync(join(tmpdir(), 'scenesync-wrapper-'));
    dirs.push(project);
    writeFileSync(join(project, 'project.godot'), 'config_version=5\n');
    writeFileSync(join(project, 'hello.gd'), 'extends SceneTree\nfunc _init() -> void:\n\tprint("hello from ", Engine.get_version_info()["major"])\n\tquit()\n');
    const run = spawnSync(GODOT, ['--path', project, '--script', 'res://hello.gd'], { env: { ...process.env, PATH: `${bin}:${process.env.PATH}` }, encoding: 'utf8' });
    expect(run.stdout).toContain('hello from 4');
    expect(() => readFileSync(argsFile)).toThrow();
    expect(mounts()).toEqual(before);
  });
});
