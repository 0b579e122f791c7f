// The y-webrtc signalling protocol and its safety checks (issue 4, "Signalling"), against a real
// server on loopback with real WebSocket clients.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { createRoomToken, createServer, type ScenesyncServer, type DropReason } from '../../src/index.js';
import { SignalClient } from '../support/ws-client.js';

function dropped(server: ScenesyncServer, reason: DropReason): number {
  return server.metrics.dropped.get(reason) ?? 0;
}

describe('signalling protocol', () => {
  let server: ScenesyncServer;
  let url: string;

  beforeAll(async () => {
    server = createServer({
      port: 0,
      dataDir: mkdtempSync(join(tmpdir(), 'ss-hub-')),
      log: () => {},
      maxFrameBytes: 4096,
      maxTopicsPerConnection: 5,
      maxTopicLength: 64,
      maxMessagesPerSecond: 50,
      messageBurst: 100,
      floodCloseAfter: 200,
      maxBufferedBytes: 64 * 1024,
      pingInterval: 300,
    });
    const { port } = await server.listen();
    url = `ws://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    await server?.close();
  });

  it('[SIG-1][SIG-2][SIG-3] fans a publish out to every subscriber with the clients count, and answers ping with pong', async () => {
    const [a, b, c] = await Promise.all([SignalClient.connect(url), SignalClient.connect(url), SignalClient.connect(url)]);
    for (const x of [a, b]) x.send({ type: 'subscribe', topics: ['room-1'] });
    c.send({ type: 'subscribe', topics: ['room-2'] });
    await Promise.all([a.sync(), b.sync(), c.sync()]);
    a.send({ type: 'publish', topic: 'room-1', data: { type: 'announce', from: 'peer-a' } });
    const expected = { type: 'publish', topic: 'room-1', data: { type: 'announce', from: 'peer-a' }, clients: 2 };
    expect(await b.next((m) => m.type === 'publish')).toEqual(expected);
    expect(await a.next((m) => m.type === 'publish')).toEqual(expected);
    await c.sync();
    expect(c.messages.filter((m) => m.type === 'publish')).toEqual([]);

    b.send({ type: 'unsubscribe', topics: ['room-1'] });
    await b.sync();
    a.send({ type: 'publish', topic: 'room-1', data: 'second' });
    expect((await a.next((m) => m.data === 'second')).clients).toBe(1);
    await b.sync();
    expect(b.messages.filter((m) => m.data === 'second')).toEqual([]);
    for (const x of [a, b, c]) x.close();
  });

  it('[SIG-4][SIG-5] ignores and counts malformed frames, and the connection keeps working', async () => {
    const bad = await SignalClient.connect(url);
    const good = await SignalClient.connect(url);
    good.send({ type: 'subscribe', topics: ['calm'] });
    bad.send({ type: 'subscribe', topics: ['calm'] });
    await Promise.all([good.sync(), bad.sync()]);
    const before = new Map(server.metrics.dropped);
    const delta = (r: DropReason) => dropped(server, r) - (before.get(r) ?? 0);
    bad.send('{not json');
    bad.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    bad.send('42');
    bad.send('null');
    bad.send('[1,2]');
    bad.send({ type: 'dance' });
    bad.send({ type: 'subscribe', topics: 'calm' });
    bad.send({ type: 'subscribe', topics: [1, null, {}] });
    bad.send({ type: 'subscribe', topics: ['x'.repeat(65)] });
    bad.send({ type: 'publish', topic: 7, data: 1 });
    bad.send({ type: 'publish', topic: 'not-mine', data: 'spam' });
    bad.send({ type: 'subscribe', topics: ['t1', 't2', 't3', 't4', 't5', 't6'] });
    await bad.sync();
    expect(delta('malformed-json')).toBe(1);
    expect(delta('binary-frame')).toBe(1);
    expect(delta('not-an-object')).toBe(3);
    expect(delta('unknown-type')).toBe(1);
    expect(delta('bad-field')).toBe(5);
    expect(delta('topic-too-long')).toBe(1);
    expect(delta('not-subscribed')).toBe(1);
    // "calm" plus t1..t4 fill the limit of 5; t5 and t6 are refused.
    expect(delta('too-many-topics')).toBe(2);
    bad.send({ type: 'publish', topic: 'calm', data: 'still here' });
    expect((await good.next((m) => m.data === 'still here')).clients).toBe(2);
    bad.close();
    good.close();
  });

  it('[SIG-5] survives a publish nested too deep to re-encode', async () => {
    const deep = await SignalClient.connect(url);
    deep.send({ type: 'subscribe', topics: ['deep'] });
    // Within the 4 KiB frame limit of this server, 2,000 levels; the default limit allows far more.
    deep.send(`{"type":"publish","topic":"deep","data":${'['.repeat(2000)}${']'.repeat(2000)}}`);
    await deep.sync();
    const big = createServer({ port: 0, dataDir: mkdtempSync(join(tmpdir(), 'ss-deep-')), log: () => {} });
    const bigUrl = `ws://127.0.0.1:${(await big.listen()).port}`;
    const client = await SignalClient.connect(bigUrl);
    client.send({ type: 'subscribe', topics: ['deep'] });
    client.send(`{"type":"publish","topic":"deep","data":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    client.send({ type: 'publish', topic: 'deep', data: 'after' });
    expect((await client.next((m) => m.data === 'after')).clients).toBe(1);
    expect(big.metrics.dropped.get('too-deep')).toBe(1);
    client.close();
    deep.close();
    await big.close();
  });

  it('[SIG-5] closes connections that send oversize frames (1009) or flood (1008)', async () => {
    const big = await SignalClient.connect(url);
    big.send({ type: 'publish', topic: 'x', data: 'y'.repeat(5000) });
    expect((await big.closed).code).toBe(1009);
    expect(dropped(server, 'frame-too-large')).toBeGreaterThan(0);

    const flooder = await SignalClient.connect(url);
    for (let i = 0; i < 400; i++) flooder.send({ type: 'ping' });
    expect((await flooder.closed).code).toBe(1008);
    expect(dropped(server, 'rate-limit')).toBeGreaterThanOrEqual(200);
    expect(dropped(server, 'flood')).toBe(1);
  });

  it('[SIG-3] closes connections that never answer pings (half-open sockets)', async () => {
    const silent = await SignalClient.connect(url, { autoPong: false });
    const closed = await silent.closed;
    expect(closed.code).toBe(1006);
    expect(dropped(server, 'ping-timeout')).toBeGreaterThan(0);
  });
});

describe('slow receivers', () => {
  it('[SIG-5] drops messages to a receiver that does not read (backpressure) without stalling the others', async () => {
    // Its own server: generous rate limits, and no ping sweep to close the stalled client first.
    const bpServer = createServer({ port: 0, dataDir: mkdtempSync(join(tmpdir(), 'ss-bp-')), log: () => {}, maxFrameBytes: 64 * 1024, maxBufferedBytes: 64 * 1024, maxMessagesPerSecond: 100_000, messageBurst: 100_000, pingInterval: 600_000 });
    const bpUrl = `ws://127.0.0.1:${(await bpServer.listen()).port}`;
    const [sender, reader, stalled] = await Promise.all([SignalClient.connect(bpUrl), SignalClient.connect(bpUrl), SignalClient.connect(bpUrl)]);
    for (const x of [sender, reader, stalled]) x.send({ type: 'subscribe', topics: ['bp'] });
    await Promise.all([sender.sync(), reader.sync(), stalled.sync()]);
    // Stop reading the stalled client's socket: the server's send buffer towards it fills up.
    (stalled.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const before = dropped(bpServer, 'backpressure');
    const payload = 'z'.repeat(30_000);
    for (let round = 0; round < 60; round++) {
      for (let i = 0; i < 40; i++) sender.send({ type: 'publish', topic: 'bp', data: `${round}:${i}:${payload}` });
      await reader.next((m) => typeof m.data === 'string' && m.data.startsWith(`${round}:39:`));
      await new Promise((r) => setTimeout(r, 50));
      if (dropped(bpServer, 'backpressure') > before) break;
    }
    expect(dropped(bpServer, 'backpressure')).toBeGreaterThan(before);
    // The reader got every message of every round meanwhile (awaited above).
    for (const x of [sender, reader, stalled]) x.ws.terminate();
    await bpServer.close();
  });

});

describe('room auth (HMAC room tokens at the upgrade)', () => {
  const secret = 'hub-test-room-secret';
  let server: ScenesyncServer;
  let base: string;

  beforeAll(async () => {
    server = createServer({ port: 0, dataDir: mkdtempSync(join(tmpdir(), 'ss-auth-')), roomSecret: secret, log: () => {} });
    base = `ws://127.0.0.1:${(await server.listen()).port}`;
  });

  afterAll(async () => {
    await server?.close();
  });

  it('[AUTH-1] refuses upgrades without a valid token with 401', async () => {
    await expect(SignalClient.connect(base)).rejects.toMatchObject({ status: 401 });
    await expect(SignalClient.connect(`${base}/?room-token=forged.token`)).rejects.toMatchObject({ status: 401 });
    const expired = createRoomToken(secret, 'a', 10, Date.now() - 60_000);
    await expect(SignalClient.connect(`${base}/?room-token=${expired}`)).rejects.toMatchObject({ status: 401 });
    const otherSecret = createRoomToken('not-the-secret', 'a', 60);
    await expect(SignalClient.connect(`${base}/?room-token=${otherSecret}`)).rejects.toMatchObject({ status: 401 });
    expect(server.metrics.dropped.get('auth-rejected')).toBeGreaterThanOrEqual(4);
  });

  it('[AUTH-1] refuses an upgrade whose URL cannot even be parsed, and carries on', async () => {
    const port = Number(new URL(base).port);
    const reply = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(`GET //[ HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${Buffer.alloc(16, 1).toString('base64')}\r\n\r\n`);
      });
      let out = '';
      socket.on('data', (d) => (out += d));
      socket.on('close', () => resolve(out));
      socket.on('error', () => {});
    });
    expect(reply).toMatch(/^HTTP\/1.1 401/);
    await expect(SignalClient.connect(base)).rejects.toMatchObject({ status: 401 });
  });

  it('[AUTH-2] admits a connection to the rooms its tokens name and no others', async () => {
    const t1 = encodeURIComponent(createRoomToken(secret, 'room-a', 60));
    const t2 = encodeURIComponent(createRoomToken(secret, 'room-b', 60));
    const client = await SignalClient.connect(`${base}/?room-token=${t1}&room-token=${t2}`);
    client.send({ type: 'subscribe', topics: ['room-a', 'room-b', 'room-c'] });
    client.send({ type: 'publish', topic: 'room-a', data: 'hello a' });
    client.send({ type: 'publish', topic: 'room-c', data: 'hello c' });
    await client.sync();
    expect(client.messages.filter((m) => m.type === 'publish').map((m) => m.data)).toEqual(['hello a']);
    expect(server.metrics.dropped.get('unauthorized-topic')).toBe(1);
    client.close();
  });
});
