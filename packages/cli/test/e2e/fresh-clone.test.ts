/**
 * The newcomer's path: a fresh clone of this repository, `npm ci` (from the local npm cache), then
 * `npm start` — which builds everything and starts scenesync-server with its embedded defaults
 * (port 4444 on localhost, ./data) serving the web viewer. The server runs inside a network
 * namespace this test makes, so port 4444 is free there and nothing is reachable from outside.
 *
 * Before the repository's first commit there is nothing to clone: the test then copies what a
 * clone would hold (the files git tracks or would track: `git ls-files --cached --others
 * --exclude-standard`).
 */
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const here = dirname(fileURLToPath(import.meta.url));

function sh(command: string, args: string[], cwd: string, timeoutMs = 60_000): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status ?? result.signal}): ${result.stderr?.slice(-2000)}`);
  return result.stdout;
}

/** Clones the repository the test runs in into `dir` (or copies its would-be tracked files before the first commit). */
function cloneInto(dir: string): string {
  const top = sh('git', ['rev-parse', '--show-toplevel'], here).trim();
  const hasHead = spawnSync('git', ['rev-parse', '--verify', '--quiet', 'HEAD'], { cwd: top }).status === 0;
  const target = join(dir, 'scenesync');
  if (hasHead) {
    sh('git', ['clone', '--quiet', '--no-hardlinks', top, target], dir);
    return 'git clone';
  }
  const files = sh('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], top).split('\0').filter(Boolean);
  for (const file of files) {
    mkdirSync(dirname(join(target, file)), { recursive: true });
    copyFileSync(join(top, file), join(target, file));
  }
  return 'copy of the would-be tracked files (no commit yet)';
}

describe('fresh clone', () => {
  it('installs with npm ci, starts with npm start, and the server answers on port 4444', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scenesync-fresh-'));
    const holder = spawn('unshare', ['-n', 'sleep', '1000000'], { stdio: 'ignore' });
    let start: ReturnType<typeof spawn> | undefined;
    try {
      const how = cloneInto(dir);
      const repo = join(dir, 'scenesync');
      sh('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], repo, 5 * 60_000);

      await new Promise((r) => setTimeout(r, 100));
      sh('nsenter', ['-t', String(holder.pid), '-n', 'ip', 'link', 'set', 'lo', 'up'], dir);
      // `npm start` exactly as README says, in its own process group so the whole tree can be stopped.
      start = spawn('nsenter', ['-t', String(holder.pid), '-n', 'npm', 'start'], { cwd: repo, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      const lines: string[] = [];
      for (const s of [start.stdout!, start.stderr!]) createInterface({ input: s }).on('line', (l) => lines.push(l));
      const deadline = Date.now() + 5 * 60_000;
      while (!lines.some((l) => l.includes('open http://localhost:4444/'))) {
        if (start.exitCode !== null) throw new Error(`npm start exited with ${start.exitCode} (${how}):\n${lines.slice(-40).join('\n')}`);
        if (Date.now() > deadline) throw new Error(`npm start printed no URL in time:\n${lines.slice(-40).join('\n')}`);
        await new Promise((r) => setTimeout(r, 250));
      }

      const fetchInNs = (path: string): { status: number; body: string } => {
        const script = `fetch('http://127.0.0.1:4444${path}').then(async r => console.log(JSON.stringify({ status: r.status, body: await r.text() }))).catch(e => { console.error(e.message); process.exit(1) })`;
        return JSON.parse(sh('nsenter', ['-t', String(holder.pid), '-n', process.execPath, '-e', script], dir)) as { status: number; body: string };
      };
      const health = fetchInNs('/healthz');
      expect(health.status).toBe(200);
      expect(JSON.parse(health.body)).toMatchObject({ ok: true });
      const page = fetchInNs('/?room=demo');
      expect(page.status).toBe(200);
      expect(page.body).toContain('<title>scenesync viewer</title>');
    } finally {
      if (start?.pid) {
        try {
          process.kill(-start.pid, 'SIGTERM');
        } catch {
          // Already gone.
        }
      }
      holder.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 12 * 60_000);
});
