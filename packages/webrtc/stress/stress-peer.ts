/**
 * One peer process of the first-connection stress run (stress/first-connect.ts). Not a test.
 *
 * Joins rooms on command and reports, per y-webrtc connection, the states a stuck first connection can
 * hang in: which side initiated, simple-peer's and RTCPeerConnection's states, and how many offers,
 * answers and candidates this peer sent and received over signalling for that remote peer, and how
 * many connection objects y-webrtc made for it (a reaped or retried connection is a new object).
 *
 * Commands (JSON lines on stdin): { id, cmd: 'join', room, signaling, options? } | { id, cmd: 'diag' } |
 * { id, cmd: 'leave' } | { id, cmd: 'exit' }. Answers `{ id, ok, result }`.
 */
import { createInterface } from 'node:readline';
import * as Y from 'yjs';
import { SceneDoc } from '@scenesync/core';
import { joinRoom, type Room } from '../src/index.js';

type Json = Record<string, any>;
let room: Room | null = null;
let roomName = '';
let joinedAt = 0;
/** Per remote peer id: signalling counts and y-webrtc connection objects seen. */
const perRemote = new Map<string, { sent: Json; recv: Json; conns: Set<object>; firstConnectedMs?: number; initiators: boolean[]; log: string[] }>();
const instrumented = new WeakSet<object>();
let scanTimer: ReturnType<typeof setInterval> | undefined;

function remote(id: string) {
  let r = perRemote.get(id);
  if (!r) { r = { sent: {}, recv: {}, conns: new Set(), initiators: [], log: [] }; perRemote.set(id, r); }
  return r;
}

function kindOf(data: any): string {
  if (!data || typeof data !== 'object') return 'other';
  if (data.type === 'announce') return 'announce';
  if (data.type === 'signal') return data.signal?.type ?? (data.signal?.candidate ? 'candidate' : data.signal?.renegotiate ? 'renegotiate' : 'signal?');
  return String(data.type);
}

const t = () => Date.now() - joinedAt;

/** Record every y-webrtc connection object as it is created, and how it ends. */
function watchConns(provider: any): void {
  const conns: Map<string, any> = provider.room.webrtcConns;
  const set = conns.set.bind(conns);
  conns.set = (id: string, c: any) => {
    const r = remote(id);
    r.conns.add(c);
    r.initiators.push(!!c.peer?.initiator);
    r.log.push(`${t()} new ${c.peer?.initiator ? 'initiator' : 'answerer'}`);
    c.peer?.on('error', (e: any) => r.log.push(`${t()} error ${e?.code ?? ''} ${String(e?.message ?? e).slice(0, 80)}`));
    c.peer?.on('close', () => r.log.push(`${t()} close`));
    c.peer?.on('connect', () => r.log.push(`${t()} connect`));
    c.peer?.on('iceStateChange', (s: string) => r.log.push(`${t()} ice ${s}`));
    return set(id, c);
  };
}

function instrument(provider: any): void {
  for (const conn of provider.signalingConns as any[]) {
    if (instrumented.has(conn)) continue;
    instrumented.add(conn);
    const send = conn.send.bind(conn);
    conn.send = (m: any) => {
      if (m?.type === 'publish' && m.topic === roomName && m.data?.to) {
        const r = remote(m.data.to);
        const k = kindOf(m.data);
        r.sent[k] = (r.sent[k] ?? 0) + 1;
        if (k !== 'candidate') r.log.push(`${t()} sent ${k}`);
      }
      return send(m);
    };
    conn.on('message', (m: any) => {
      const self = (room?.provider as any)?.room?.peerId;
      if (m?.type !== 'publish' || m.topic !== roomName || !m.data || m.data.from === self) return;
      if (m.data.to !== undefined && m.data.to !== self) return;
      const r = remote(m.data.from);
      const k = kindOf(m.data);
      r.recv[k] = (r.recv[k] ?? 0) + 1;
      r.log.push(`${t()} recv ${k}${k === 'candidate' ? '' : ''}`);
    });
  }
}

function scan(): void {
  const conns: Map<string, any> | undefined = room?.provider.room?.webrtcConns;
  if (!conns) return;
  for (const [id, c] of conns) {
    const r = remote(id);
    if (c.connected && r.firstConnectedMs === undefined) r.firstConnectedMs = Date.now() - joinedAt;
  }
}

function diag(): Json {
  scan();
  const provider: any = room?.provider;
  const conns: Map<string, any> = provider?.room?.webrtcConns ?? new Map();
  const out: Json = { peerId: provider?.room?.peerId, connected: room?.peers.length ?? 0, ageMs: Date.now() - joinedAt, remotes: {} };
  for (const [id, r] of perRemote) {
    const c = conns.get(id);
    const pc = c?.peer?._pc;
    out.remotes[id] = {
      log: r.log.join('; '), sent: r.sent, recv: r.recv, connObjects: r.conns.size, initiators: r.initiators, firstConnectedMs: r.firstConnectedMs,
      current: c ? {
        connected: c.connected, closed: c.closed, initiator: c.peer?.initiator, destroyed: c.peer?.destroyed,
        glareToken: c.glareToken, spConnected: c.peer?._connected, channel: c.peer?._channel?.readyState,
        ice: pc?.iceConnectionState, conn: pc?.connectionState, signaling: pc?.signalingState, gathering: pc?.iceGatheringState,
      } : null,
    };
  }
  out.signalingConnected = (provider?.signalingConns ?? []).map((s: any) => s.connected);
  return out;
}

async function handle(cmd: Json): Promise<unknown> {
  switch (cmd.cmd) {
    case 'join': {
      perRemote.clear();
      roomName = cmd.room;
      joinedAt = Date.now();
      room = await joinRoom(new SceneDoc(new Y.Doc()), { room: cmd.room, signaling: cmd.signaling, iceServers: [], name: 'stress', ...(cmd.options ?? {}) });
      instrument(room.provider);
      await room.provider.key;
      watchConns(room.provider);
      // The signalling conn exists synchronously; instrument again shortly in case it was recreated.
      scanTimer = setInterval(() => { if (room) { instrument(room.provider); scan(); } }, 20);
      return true;
    }
    case 'diag':
      return diag();
    case 'leave':
      clearInterval(scanTimer);
      const t0 = Date.now();
      const slow = setTimeout(() => process.stderr.write(`leave still running after 5 s\n`), 5000);
      if (room) await room.leave();
      clearTimeout(slow);
      if (Date.now() - t0 > 1000) process.stderr.write(`leave took ${Date.now() - t0} ms\n`);
      room = null;
      return true;
    case 'exit':
      setTimeout(() => process.exit(0), 10);
      return true;
    default:
      throw new Error(`unknown command ${cmd.cmd}`);
  }
}

let queue = Promise.resolve();
createInterface({ input: process.stdin }).on('line', (line) => {
  const cmd = JSON.parse(line) as Json;
  queue = queue.then(async () => {
    try {
      process.stdout.write(JSON.stringify({ id: cmd.id, ok: true, result: await handle(cmd) }) + '\n');
    } catch (e) {
      process.stdout.write(JSON.stringify({ id: cmd.id, ok: false, error: String((e as Error)?.stack ?? e) }) + '\n');
    }
  });
});
process.on('unhandledRejection', (e) => process.stderr.write(`unhandledRejection ${String((e as Error)?.stack ?? e)}\n`));
process.stdout.write(JSON.stringify({ event: 'ready' }) + '\n');
