import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { InvalidEntry } from '../src/index.js';
import { canon } from './support/canon.js';
import { EngineTree } from './support/engine-tree.js';
import { CASES, type HostileCase } from './support/hostile-cases.js';
import { HP, HQ, HX, LEGIT, deliverRaw, hostileSetup, runHostileCase } from './support/hostile-run.js';
import { attachMirror, syncAll } from './support/peers.js';
import { Rng, envInt } from './support/rng.js';
import { treeProblems } from './support/tree-check.js';

// R-HOSTILE: a peer that writes straight into the Y.Maps (a raw Y.Doc, no SceneDoc) must never make
// materialisation throw; what it wrote wrong is ignored the same way on every peer and reported once
// through observeInvalid(). The scenarios live in support/hostile-cases.ts and support/hostile-run.ts.

const SEP = '\u0001';
const SEED = envInt('SCENESYNC_SEED', 9090);
const CHILD = fileURLToPath(new URL('./support/hostile-child.ts', import.meta.url));

/** Runs a scenario in a child process with a 512 MB heap and a time limit, so a runaway fails the test instead of the runner. */
function inChild(arg: string): string[] {
  const r = spawnSync(process.execPath, ['--max-old-space-size=512', '--import', 'tsx', CHILD, arg], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  const last = r.stdout?.trim().split('\n').pop() ?? '';
  if (r.status === 0 && last.startsWith('[')) return JSON.parse(last) as string[];
  const why = r.error ? String(r.error) : `exit ${r.status} ${r.signal ?? ''}`;
  return [`the scenario did not finish (${why}): ${(r.stderr ?? '').split('\n').filter((l) => /FATAL|Error/.test(l)).slice(0, 3).join(' | ')}`];
}

function title(hc: HostileCase): string {
  const report = hc.report ? `, and is reported (${[hc.report].flat().join('|')})` : '';
  return `R-HOSTILE: ${hc.what} never throws, is ignored the same way on every peer, keeps the document writable${report}`;
}

describe('R-HOSTILE values written straight into the Y.Maps by a raw Y.Doc peer', () => {
  for (const hc of CASES) {
    it(title(hc), () => {
      const problems = hc.isolate ? inChild(hc.what) : runHostileCase(hc);
      expect(problems).toEqual([]);
    });
  }

  it('R-HOSTILE, R-CLOCK: a lamport of Number.MAX_SAFE_INTEGER from a raw peer does not stop later edits from taking effect', () => {
    const { b, c, raw, sync } = hostileSetup();
    raw.getMap('names').set(HX, ['X', Number.MAX_SAFE_INTEGER]);
    deliverRaw(raw, b);
    deliverRaw(raw, c);
    const n = b.addNode({ parent: HP as never, name: 'After', type: 'Node3D' });
    expect(b.hasNode(n), 'addNode returned an id but the node is not live').toBe(true);
    b.moveNode(HQ as never, HP as never);
    expect(b.parentOf(HQ as never)).toBe(HP);
    sync([b, c]);
    expect(c.parentOf(HQ as never)).toBe(HP);
    expect(c.hasNode(n)).toBe(true);
  });

  it("R-ORDER-1, R-HOSTILE: an order key a raw peer wrote as '0' (nothing sorts before it) does not stop inserts at the front", () => {
    const { b, c, raw, sync } = hostileSetup();
    for (const key of ['0', 'V0', '00']) {
      raw.getMap('edges').set(`${HX}${SEP}${HQ}`, [1000 + key.length, key]);
      deliverRaw(raw, b);
      deliverRaw(raw, c);
      const first = b.addNode({ parent: HQ as never, name: `First${key.length}`, type: 'Node3D', index: 0 });
      expect(b.getNode(first)?.index, `key ${key}`).toBe(0);
      b.moveNode(first, HQ as never, b.children(HQ as never).length - 1);
      b.moveNode(first, HQ as never, 0);
      expect(b.getNode(first)?.index, `key ${key}`).toBe(0);
      sync([b, c]);
      expect(c.children(HQ as never)).toEqual(b.children(HQ as never));
    }
  });

  it('R-CLOCK: a timestamp above 2^40 is ignored everywhere and reported', () => {
    const { b, c, raw, reports, sync } = hostileSetup();
    raw.getMap('edges').set(`${HX}${SEP}${HQ}`, [2 ** 40 + 1, 'V']);
    raw.getMap('names').set(HQ, ['Huge', 2 ** 40 + 1]);
    deliverRaw(raw, b);
    deliverRaw(raw, c);
    sync([b, c]);
    for (const s of [b, c]) {
      expect(s.parentOf(HX as never)).toBe('root');
      expect(s.getNode(HQ as never)?.name).toBe('Q');
      expect(reports.get(s)!.length).toBeGreaterThanOrEqual(2);
    }
  });

  it('R-HOSTILE: each malformed entry is reported once, not again on every later transaction or read', () => {
    const { b, raw, reports } = hostileSetup();
    raw.getMap('nodes').set('HOSTILE001', 'junk');
    raw.getMap('edges').set(`${HX}${SEP}${HX}`, [1e6, 'V']);
    raw.getMap('props').set(`${HX}${SEP}bad`, new Uint8Array([0xfe, 0xfe, 0xfe]));
    deliverRaw(raw, b);
    b.toTree();
    b.getProperty(HX as never, 'bad');
    const first = reports.get(b)!.length;
    expect(first).toBeGreaterThan(0);
    for (let i = 0; i < 5; i++) b.setProperty(HP as never, 'n', i);
    b.toTree();
    b.getNode(HX as never);
    b.getProperty(HX as never, 'bad');
    expect(reports.get(b)!.map((e: InvalidEntry) => `${e.where}:${e.key}`)).toHaveLength(first);
  });

  it('R-HOSTILE: a SceneDoc built on a Y.Doc already full of every hostile entry does not throw and materialises a valid tree', () => {
    expect(inChild('--all-at-once')).toEqual([]);
  });

  it('R-HOSTILE: wrong Yjs types under the schema names (a Y.Array called "props", "edges") do not break peers', () => {
    const { b, c } = hostileSetup();
    const rogue = new Y.Doc();
    rogue.clientID = 777;
    rogue.getArray('props').push(['junk', 1, 2]);
    rogue.getArray('edges').push([new Uint8Array([1, 2, 3])]);
    rogue.getText('nodes').insert(0, 'text where a map belongs');
    const u = Y.encodeStateAsUpdate(rogue);
    expect(() => Y.applyUpdate(b.doc, u, 'hostile')).not.toThrow();
    syncAll([b, c]);
    expect(canon(b.toTree())).toBe(canon(c.toTree()));
    expect(treeProblems(b, b.toTree(), LEGIT)).toEqual([]);
  });

  it('R-HOSTILE: 300 seeded random mutations of valid records never throw and stay identical on two peers', () => {
    const rng = new Rng(SEED);
    const { a, b, c, raw } = hostileSetup();
    const maps = ['nodes', 'edges', 'names', 'props', 'resources', 'resourceProps', 'owners'];
    const watch = attachMirror(c);
    for (let i = 0; i < 300; i++) {
      const mapName = rng.pick(maps);
      const map = a.doc.getMap(mapName);
      const keys = [...map.keys()];
      if (keys.length === 0) continue;
      const key = rng.pick(keys);
      const value = map.get(key);
      let mutated: unknown;
      if (value instanceof Uint8Array) {
        const bytes = value.slice();
        if (bytes.length && rng.chance(0.7)) bytes[rng.int(0, bytes.length - 1)] = rng.int(0, 255);
        mutated = rng.chance(0.2) ? bytes.subarray(0, rng.int(0, bytes.length)) : bytes;
      } else if (Array.isArray(value)) {
        mutated = value.map((v) => (rng.chance(0.5) ? v : rng.pick([null, -1, 'x', 1e300, [], true])));
      } else mutated = rng.pick([null, 0, 'x', new Uint8Array([rng.int(0, 255)])]);
      // sometimes aim the mutation at a legit node's key (never at the root: see the isolated case)
      const targetKey = rng.chance(0.5) ? key : key.replace(/^[^\u0001]{10}/, rng.pick(LEGIT));
      raw.getMap(mapName).set(targetKey, mutated as never);
      if (rng.chance(0.5)) deliverRaw(raw, b);
      if (rng.chance(0.3)) deliverRaw(raw, c);
      if (rng.chance(0.2) && b.hasNode(HP as never)) b.setProperty(HP as never, 'tick', i);
      if (rng.chance(0.1)) syncAll([b, c]);
    }
    deliverRaw(raw, b);
    deliverRaw(raw, c);
    syncAll([b, c]);
    const tb = b.toTree();
    expect(canon(c.toTree()), `seed ${SEED}`).toBe(canon(tb));
    expect(treeProblems(b, tb, LEGIT), `seed ${SEED}`).toEqual([]);
    watch.check();
    expect(canon(new EngineTree(tb).toTree())).toBe(canon(tb));
    expect(HX).toBeTruthy();
  });
});
