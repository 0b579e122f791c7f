import * as Y from 'yjs';
import { SceneDoc, type SceneChange } from '../../src/index.js';
import { EngineTree } from './engine-tree.js';
import { HOSTILE } from './random-ops.js';
import type { Rng } from './rng.js';

/** The transaction origin of updates the simulated network delivers. */
export const NET = Symbol('simulated-network');

/** One simulated peer: a SceneDoc on its own Y.Doc, plus an engine-tree mirror fed by observe(). */
export class SimPeer {
  readonly doc: Y.Doc;
  readonly scene: SceneDoc;
  readonly mirror: EngineTree;
  /** Every change list observe() delivered, newest last (kept short: only for failure reports). */
  readonly recentChanges: { local: boolean; changes: readonly SceneChange[] }[] = [];
  /** The first error the mirror raised while applying a change list, if any. */
  mirrorError: Error | undefined;
  invalidReports = 0;
  localFlagWrong = 0;

  constructor(readonly index: number, clientID: number) {
    this.doc = new Y.Doc();
    // A fixed client id makes Yjs' own tie-breaks, and so the whole run, replayable from the seed.
    this.doc.clientID = clientID;
    this.scene = new SceneDoc(this.doc);
    this.mirror = new EngineTree(this.scene.toTree());
    this.scene.observe((changes, info) => {
      this.recentChanges.push({ local: info.local, changes });
      if (this.recentChanges.length > 8) this.recentChanges.shift();
      // hostile writes bypass the SceneDoc: they may be reported either way
      if (info.origin !== HOSTILE && info.local !== (info.origin !== NET)) this.localFlagWrong++;
      if (this.mirrorError) return;
      try {
        this.mirror.apply(changes);
      } catch (e) {
        this.mirrorError = e as Error;
      }
    });
    this.scene.observeInvalid((entries) => {
      this.invalidReports += entries.length;
    });
  }
}

interface Message {
  at: number;
  seq: number;
  to: number;
  update: Uint8Array;
}

/** Options of a simulated network run. */
export interface SimNetworkOptions {
  /** Largest delivery delay in ticks. */
  maxDelay: number;
  /** Probability that a message is delivered twice. */
  duplicate: number;
}

/**
 * An in-memory network between SimPeers: every local update is sent to every other peer with a
 * random delay, sometimes twice; messages due at the same tick arrive in random order; while a
 * partition is up, messages between the two sides are lost, and healing runs the Yjs sync exchange
 * (state vector → missing updates) between every pair, as a reconnecting provider does.
 */
export class SimNetwork {
  readonly peers: SimPeer[] = [];
  private queue: Message[] = [];
  private seq = 0;
  time = 0;
  /** Side of each peer while partitioned (undefined: no partition). */
  private side: number[] | undefined;
  delivered = 0;
  dropped = 0;

  constructor(
    private readonly rng: Rng,
    peerCount: number,
    private readonly opts: SimNetworkOptions,
  ) {
    for (let i = 0; i < peerCount; i++) {
      // distinct client ids from the seed (Yjs orders same-key writes by client id)
      const peer = new SimPeer(i, 1 + i + rng.int(0, 1000) * 16);
      peer.doc.on('update', (update: Uint8Array, origin: unknown) => {
        if (origin !== NET) this.broadcast(i, update);
      });
      this.peers.push(peer);
    }
  }

  private connected(a: number, b: number): boolean {
    return this.side === undefined || this.side[a] === this.side[b];
  }

  private send(from: number, to: number, update: Uint8Array): void {
    if (!this.connected(from, to)) {
      this.dropped++;
      return;
    }
    this.queue.push({ at: this.time + this.rng.int(0, this.opts.maxDelay), seq: this.seq++, to, update });
    if (this.rng.chance(this.opts.duplicate)) {
      this.queue.push({ at: this.time + this.rng.int(0, this.opts.maxDelay * 2), seq: this.seq++, to, update });
    }
  }

  private broadcast(from: number, update: Uint8Array): void {
    for (let to = 0; to < this.peers.length; to++) if (to !== from) this.send(from, to, update);
  }

  /** Splits the peers into two random non-empty sides. */
  partition(): void {
    const n = this.peers.length;
    const side: number[] = this.peers.map(() => (this.rng.chance(0.5) ? 1 : 0));
    // one random peer on each side, so neither side is empty
    const zero = this.rng.int(0, n - 1);
    side[zero] = 0;
    side[(zero + this.rng.int(1, n - 1)) % n] = 1;
    this.side = side;
  }

  get partitioned(): boolean {
    return this.side !== undefined;
  }

  /** Ends the partition and queues the sync exchange between every pair of peers. */
  heal(): void {
    this.side = undefined;
    for (const a of this.peers) {
      for (const b of this.peers) {
        if (a === b) continue;
        const diff = Y.encodeStateAsUpdate(a.doc, Y.encodeStateVector(b.doc));
        this.send(a.index, b.index, diff);
      }
    }
  }

  /** Advances one tick: delivers every message due, in random order. */
  tick(): void {
    this.time++;
    const due = this.queue.filter((m) => m.at <= this.time);
    if (due.length === 0) return;
    this.queue = this.queue.filter((m) => m.at > this.time);
    for (const m of this.rng.shuffle(due)) this.deliver(m);
  }

  private deliver(m: Message): void {
    Y.applyUpdate(this.peers[m.to]!.doc, m.update, NET);
    this.delivered++;
  }

  /** Heals, then delivers everything still in flight (random order) until all peers hold the same state. */
  settle(): void {
    if (this.side) this.heal();
    for (;;) {
      while (this.queue.length > 0) this.tick();
      // every pair in sync? (anything lost to a partition has come back through heal())
      const sv = this.peers.map((p) => Y.encodeStateVector(p.doc));
      const same = sv.every((v) => Buffer.from(v).equals(Buffer.from(sv[0]!)));
      if (same) return;
      this.heal();
    }
  }
}
