import { describe, expect, it } from 'vitest';
import { canon } from './support/canon.js';
import { SimNetwork } from './support/network.js';
import { OracleError, conflictingMoves, hostileWrite, randomOp, type OpWorld } from './support/random-ops.js';
import { Rng, envInt } from './support/rng.js';
import { treeProblems } from './support/tree-check.js';

/**
 * R-CONV: the seeded randomised convergence test. Each schedule: 3–8 peers, each a SceneDoc on its
 * own Y.Doc, make random edits of every kind (support/random-ops.ts); updates travel with random
 * delays, in random order, sometimes twice; partitions come and heal. At the end every peer's
 * toTree() must be identical and valid (R-TREE-6, R-NAME), and each peer's engine-tree mirror, fed
 * only by observe(), must equal its toTree() (R-EVENT).
 *
 * SCENESYNC_SCHEDULES=n runs n schedules (default 2000); SCENESYNC_SEED=s replays schedule s alone;
 * SCENESYNC_SEED_BASE moves the first seed; SCENESYNC_MAX_STEPS=n makes schedules longer (default 22).
 */
const FILE = 'packages/core/test/convergence.test.ts';
const BASE_SEED = envInt('SCENESYNC_SEED_BASE', 1);
const ONE_SEED = process.env.SCENESYNC_SEED ? envInt('SCENESYNC_SEED', 0) : undefined;
const SCHEDULES = envInt('SCENESYNC_SCHEDULES', 2000);
/** Longest schedule in steps (SCENESYNC_MAX_STEPS raises it for deeper histories; replays need the same value). */
const MAX_STEPS = envInt('SCENESYNC_MAX_STEPS', 22);

interface Outcome {
  /** peer 0's final tree, as canon text (every peer holds the same). */
  final: string;
  ops: number;
  stats: Map<string, number>;
  delivered: number;
  partitions: number;
}

/** Runs one schedule; throws an Error whose message carries the seed and the replay command. */
function runSchedule(seed: number): Outcome {
  const rng = new Rng(seed);
  const peerCount = rng.int(3, 8);
  const net = new SimNetwork(rng, peerCount, { maxDelay: rng.int(0, 6), duplicate: 0.15 });
  const world: OpWorld = { rng, everIds: [], everResources: [], stats: new Map() };
  const steps = rng.int(5, MAX_STEPS);
  let ops = 0;
  let partitions = 0;
  const fail = (what: string): never => {
    throw new Error(
      `convergence schedule failed (seed ${seed}, ${peerCount} peers): ${what}\n` +
        `replay: ${MAX_STEPS !== 22 ? `SCENESYNC_MAX_STEPS=${MAX_STEPS} ` : ''}SCENESYNC_SEED=${seed} npx vitest run ${FILE}`,
    );
  };
  try {
    for (let step = 0; step < steps; step++) {
      const burst = rng.int(1, 3);
      for (let k = 0; k < burst; k++) {
        randomOp(world, rng.pick(net.peers));
        ops++;
      }
      if (rng.chance(0.05)) hostileWrite(world, rng.pick(net.peers));
      if (rng.chance(0.12)) {
        const [first, second] = rng.shuffle(net.peers);
        conflictingMoves(world, first!, second!);
      }
      if (!net.partitioned && rng.chance(0.08)) {
        net.partition();
        partitions++;
      } else if (net.partitioned && rng.chance(0.2)) net.heal();
      const ticks = rng.int(0, 2);
      for (let t = 0; t < ticks; t++) net.tick();
    }
    // a last round of undo on some peers after they have seen others' work (R-UNDO under concurrency)
    for (const p of net.peers) if (rng.chance(0.3)) p.scene.undo();
    net.settle();
  } catch (e) {
    if (e instanceof OracleError) fail(`API contract broken during the run: ${e.message}`);
    fail(`threw during the run: ${(e as Error).stack ?? e}`);
  }
  const trees = net.peers.map((p) => p.scene.toTree());
  const texts = trees.map(canon);
  for (let i = 1; i < texts.length; i++) {
    if (texts[i] !== texts[0]) {
      fail(`peer ${i} differs from peer 0 after all updates were delivered:\n peer0=${texts[0]}\n peer${i}=${texts[i]}`);
    }
  }
  net.peers.forEach((p, i) => {
    const problems = treeProblems(p.scene, trees[i]!, world.everIds);
    if (problems.length) fail(`peer ${i} materialised an invalid tree: ${problems.slice(0, 5).join('; ')}`);
    if (p.mirrorError) fail(`peer ${i}'s observe() change list could not be applied: ${p.mirrorError.message}`);
    const mirror = canon(p.mirror.toTree());
    if (mirror !== texts[i]) fail(`peer ${i}'s observe() mirror differs from toTree():\n mirror=${mirror}\n tree  =${texts[i]}`);
    if (p.localFlagWrong) fail(`peer ${i}: observe() info.local was wrong ${p.localFlagWrong} time(s)`);
  });
  return { final: texts[0]!, ops, stats: world.stats, delivered: net.delivered, partitions };
}

const CHUNK = 100;

describe('R-CONV seeded randomised convergence (3–8 peers, random order, delays, duplicates, partitions)', () => {
  const seeds = ONE_SEED !== undefined ? [ONE_SEED] : Array.from({ length: SCHEDULES }, (_, i) => BASE_SEED + i);
  const totals = new Map<string, number>();
  let ops = 0;
  let delivered = 0;
  let partitions = 0;
  // Chunks of schedules, one test each: a long run (SCENESYNC_SCHEDULES=100000) reports progress and
  // never hits a per-test time limit.
  for (let start = 0; start < seeds.length; start += CHUNK) {
    const chunk = seeds.slice(start, start + CHUNK);
    const title =
      ONE_SEED !== undefined
        ? `R-CONV replays schedule seed ${ONE_SEED}`
        : `R-CONV, R-TREE-6, R-EVENT: schedules with seeds ${chunk[0]}–${chunk[chunk.length - 1]} converge to one valid tree`;
    it(title, () => {
      for (const seed of chunk) {
        const out = runSchedule(seed);
        ops += out.ops;
        delivered += out.delivered;
        partitions += out.partitions;
        for (const [k, v] of out.stats) totals.set(k, (totals.get(k) ?? 0) + v);
      }
      expect(ops).toBeGreaterThan(0);
    }, 240_000);
  }

  it('R-CONV: a schedule replays exactly from its seed (same final tree, same operations)', () => {
    for (const seed of [BASE_SEED, BASE_SEED + 7, BASE_SEED + 42]) {
      const first = runSchedule(seed);
      const again = runSchedule(seed);
      expect(again.final, `seed ${seed}`).toBe(first.final);
      expect([...again.stats].sort().join(), `seed ${seed}`).toBe([...first.stats].sort().join());
    }
  });

  it('R-CONV: the schedules exercised every kind of edit and every refusal the oracle expects', () => {
    expect(ops).toBeGreaterThan(0);
    expect(delivered).toBeGreaterThan(0);
    if (ONE_SEED !== undefined || SCHEDULES < 500) return;
    for (const op of [
      'addNode:ok', 'moveNode:ok', 'moveNode:CYCLE', 'moveNode:UNKNOWN_NODE', 'renameNode:ok', 'removeNode:ok',
      'setProperty:ok', 'setProperty:UNKNOWN_NODE', 'deleteProperty:ok', 'addResource:ok', 'setResourceProperty:ok',
      'removeResource:ok', 'undo:ok', 'redo:ok', 'transact:ok', 'claimOwnership:ok', 'releaseOwnership:ok',
      'conflictingMove:ok', 'hostileWrite:ok',
    ]) {
      expect(totals.get(op) ?? 0, `operation ${op} was never exercised`).toBeGreaterThan(0);
    }
    expect(partitions).toBeGreaterThan(0);
  });
});
