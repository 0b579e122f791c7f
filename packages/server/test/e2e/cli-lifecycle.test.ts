// The real `scenesync-server` process: its flags, the no-token warning, graceful SIGTERM that
// finishes a running upload and exits 0, and a restart that keeps stored files (issue 4).
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { BIN, startCli } from '../support/processes.js';
import { makeGlbOfSize } from '../support/glb.js';
import { SignalClient } from '../support/ws-client.js';

describe('scenesync-server CLI', () => {
  it('[CLI-1] --help documents every flag with its default', () => {
    const help = execFileSync(process.execPath, [BIN, '--help']).toString();
    for (const flag of ['--port', '--host', '--data-dir', '--token', '--redis', '--max-upload', '--cors', '--viewer-dir', '--room-secret', '--max-frame', '--max-topics', '--max-messages-per-second', '--ping-interval']) {
      expect(help).toContain(flag);
    }
    expect(help).toMatch(/--port <port>.*\(default: 4444\)/);
    expect(help).toMatch(/--host <host>.*\(default: "127\.0\.0\.1"\)/);
    expect(help).toMatch(/--data-dir <dir>[\s\S]*?\(default: "\.\/data"\)/);
    expect(help).toMatch(/--max-upload <size>.*\(default: 64MiB\)/);
    expect(help).toContain('SCENESYNC_TOKEN');
  });

  it('refuses a bad flag value with a clear message and exit code 1', () => {
    let out = '';
    try {
      execFileSync(process.execPath, [BIN, '--max-upload', 'lots'], { stdio: 'pipe' });
    } catch (err) {
      out = String((err as { stderr: Buffer }).stderr);
      expect((err as { status: number }).status).toBe(1);
    }
    expect(out).toMatch(/expected a size such as 64MiB/);
  });

  it('[CLI-2][CLI-3][STORE-8] finishes a running upload on SIGTERM, exits 0, and a restart still serves the file', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ss-cli-'));
    const noToken = await startCli(['--data-dir', dataDir]);
    await noToken.handle.waitFor(/uploads are DISABLED/);
    expect(await noToken.handle.stop()).toBe(0);

    const { handle, port } = await startCli(['--data-dir', dataDir, '--token', 'cli-upload-token']);
    const ws = await SignalClient.connect(`ws://127.0.0.1:${port}`);
    const glb = makeGlbOfSize(512 * 1024, 3);
    // Start an upload, send half of it, then SIGTERM the server, then send the rest.
    const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method: 'PUT', path: '/rooms/cli/snapshots/kept.glb', headers: { authorization: 'Bearer cli-upload-token', 'content-length': glb.length } }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.write(glb.subarray(0, glb.length / 2));
      setTimeout(() => {
        handle.proc.kill('SIGTERM');
        setTimeout(() => req.end(glb.subarray(glb.length / 2)), 300);
      }, 200);
    });
    await handle.waitFor(/SIGTERM received/);
    // Stopped accepting: a new connection is refused while the upload is still running.
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    expect((await ws.closed).code).toBe(1001);
    const res = await response;
    expect(res.status).toBe(201);
    expect(JSON.parse(res.body)).toMatchObject({ name: 'kept.glb', size: glb.length });
    expect(await handle.exited).toBe(0);

    // The token from the environment this time.
    const again = await startCli(['--data-dir', dataDir], undefined, { SCENESYNC_TOKEN: 'env-upload-token' });
    try {
      const listing = await (await fetch(`http://127.0.0.1:${again.port}/rooms/cli/snapshots`)).json();
      expect(listing.snapshots.map((s: { name: string }) => s.name)).toEqual(['kept.glb']);
      const bytes = Buffer.from(await (await fetch(`http://127.0.0.1:${again.port}/rooms/cli/snapshots/kept.glb`)).arrayBuffer());
      expect(bytes.equals(glb)).toBe(true);
      const del = await fetch(`http://127.0.0.1:${again.port}/rooms/cli/snapshots/kept.glb`, { method: 'DELETE', headers: { authorization: 'Bearer env-upload-token' } });
      expect(del.status).toBe(204);
    } finally {
      expect(await again.handle.stop()).toBe(0);
    }
  });

  it('prints a room token the server accepts', async () => {
    const token = execFileSync(process.execPath, [BIN, 'room-token', 'cli-room', '--ttl', '60'], { env: { ...process.env, SCENESYNC_ROOM_SECRET: 'cli-room-secret' } }).toString().trim();
    const { handle, port } = await startCli(['--data-dir', mkdtempSync(join(tmpdir(), 'ss-cli-')), '--room-secret', 'cli-room-secret']);
    try {
      await handle.waitFor(/room auth ON/);
      const client = await SignalClient.connect(`ws://127.0.0.1:${port}/?room-token=${encodeURIComponent(token)}`);
      client.send({ type: 'subscribe', topics: ['cli-room'] });
      client.send({ type: 'publish', topic: 'cli-room', data: 'ok' });
      expect((await client.next((m) => m.type === 'publish')).data).toBe('ok');
      client.close();
    } finally {
      expect(await handle.stop()).toBe(0);
    }
  });
});
