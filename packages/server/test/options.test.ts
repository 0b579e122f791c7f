import { describe, expect, it } from 'vitest';
import { createServer, DEFAULTS, ServerError } from '../src/index.js';

describe('createServer options', () => {
  it('exports every default in DEFAULTS, matching the issue', () => {
    expect(DEFAULTS).toMatchObject({ port: 4444, host: '127.0.0.1', dataDir: './data', maxUpload: 64 * 1024 * 1024 });
    expect(DEFAULTS.token).toBeUndefined();
    expect(DEFAULTS.redis).toBeUndefined();
  });

  it('refuses out-of-range options with a typed error naming the option', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ port: 70000 }, /port/],
      [{ port: 1.5 }, /port/],
      [{ maxUpload: 0 }, /maxUpload/],
      [{ maxFrameBytes: -1 }, /maxFrameBytes/],
      [{ pingInterval: Number.NaN }, /pingInterval/],
      [{ maxMessagesPerSecond: '10' }, /maxMessagesPerSecond/],
      [{ token: 'short' }, /at least 8 characters/],
    ];
    for (const [options, message] of cases) {
      let error: unknown;
      try {
        createServer(options as never);
      } catch (err) {
        error = err;
      }
      expect(error, JSON.stringify(options)).toBeInstanceOf(ServerError);
      expect((error as ServerError).code).toBe('bad_option');
      expect((error as ServerError).message).toMatch(message);
    }
  });

  it('treats undefined options as "use the default"', async () => {
    const server = createServer({ port: 0, token: undefined, dataDir: undefined as never, log: () => {} });
    expect(server.options.dataDir).toBe(DEFAULTS.dataDir);
    expect(server.address).toBeNull();
  });
});
