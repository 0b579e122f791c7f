import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** godot-bridge/ */
export const BRIDGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The wrapper that runs headless Godot (scripts/godot). */
export const GODOT = join(BRIDGE_DIR, 'scripts/godot');

/** Result of a finished Godot run. */
export interface GodotRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the Godot wrapper to completion (optionally inside a network namespace). */
export function runGodot(args: string[], options: { netnsPid?: number; timeoutMs?: number } = {}): Promise<GodotRun> {
  const child = spawnGodot(args, options);
  return new Promise((resolveRun, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`godot ${args.join(' ')} did not finish in ${options.timeoutMs ?? 120_000} ms\n${stdout}\n${stderr}`));
    }, options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolveRun({ code, stdout, stderr });
    });
  });
}

/** Starts the Godot wrapper; under `nsenter -t PID -n` when netnsPid is given. */
export function spawnGodot(args: string[], options: { netnsPid?: number } = {}): ChildProcess {
  const [cmd, argv] = options.netnsPid ? ['nsenter', ['-t', String(options.netnsPid), '-n', GODOT, ...args]] : [GODOT, args];
  return spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
}

let base: Promise<string> | null = null;
const made: string[] = [];

/**
 * A fresh copy of the test Godot project (test/godot/project + the addon + test/godot/unit as
 * res://tests), already imported (its class_name cache built), in a new temporary directory.
 */
export async function makeGodotProject(): Promise<string> {
  base ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scenesync-godot-base-'));
    made.push(dir);
    copyProjectFiles(dir);
    const run = await runGodot(['--path', dir, '--import'], { timeoutMs: 180_000 });
    if (run.code !== 0) throw new Error(`godot --import failed (${run.code}):\n${run.stderr}`);
    return dir;
  })();
  const from = await base;
  const dir = mkdtempSync(join(tmpdir(), 'scenesync-godot-'));
  made.push(dir);
  cpSync(from, dir, { recursive: true });
  return dir;
}

function copyProjectFiles(dir: string): void {
  cpSync(join(BRIDGE_DIR, 'test/godot/project'), dir, { recursive: true });
  cpSync(join(BRIDGE_DIR, 'addons/scenesync'), join(dir, 'addons/scenesync'), { recursive: true });
  cpSync(join(BRIDGE_DIR, 'test/godot/unit'), join(dir, 'tests'), { recursive: true });
}

/** Removes every project directory made by this process. */
export function removeGodotProjects(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  base = null;
}
