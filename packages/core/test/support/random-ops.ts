import { SceneError, type GodotValue, type NodeId, type SceneErrorCode } from '../../src/index.js';
import { canon } from './canon.js';
import type { SimPeer } from './network.js';
import type { Rng } from './rng.js';
import { randomValue } from './values-gen.js';

/** Names that collide on purpose, carry a serial number, or need R-NAME-2 cleaning. */
export const NAME_POOL = ['Box', 'Box', 'Box', 'Box2', 'Box7', 'box', 'Camera', 'Light', 'a/b', '', 'P.1', 'Mesh'];
/** The pool without the empty name, for edits that must succeed. */
export const CLEAN_NAMES = NAME_POOL.filter((n) => n !== '');
export const TYPE_POOL = ['Node3D', 'MeshInstance3D', 'Camera3D', 'OmniLight3D'];
export const KEY_POOL = ['transform', 'visible', 'mesh', 'data', 'position'];

/** What the randomised tests know globally: every id ever created anywhere. */
export interface OpWorld {
  readonly rng: Rng;
  readonly everIds: string[];
  readonly everResources: string[];
  /** Count of each operation tried and each outcome, for the summary and to prove coverage. */
  readonly stats: Map<string, number>;
}

/** A random operation broke the API contract on the peer that made it (not a convergence failure). */
export class OracleError extends Error {}

function bump(world: OpWorld, key: string): void {
  world.stats.set(key, (world.stats.get(key) ?? 0) + 1);
}

const ROOT = 'root' as NodeId;

function isAncestorOrSelf(peer: SimPeer, ancestor: string, node: string): boolean {
  for (let n: string | null | undefined = node; n; n = peer.scene.parentOf(n as NodeId)) {
    if (n === ancestor) return true;
  }
  return false;
}

function subtreeIds(peer: SimPeer, id: string): string[] {
  const out = [id];
  for (let i = 0; i < out.length; i++) out.push(...peer.scene.children(out[i] as NodeId));
  return out;
}

/** Parent of every live node but `except`, as one string (to prove an edit moved nothing else). */
function parentsOf(world: OpWorld, peer: SimPeer, except: string): string {
  return world.everIds
    .filter((id) => id !== except && peer.scene.hasNode(id as NodeId))
    .map((id) => `${id}<${peer.scene.parentOf(id as NodeId)}`)
    .join(' ');
}

/** An id this peer may or may not know: mostly live ones, sometimes stale or the root. */
function someNode(world: OpWorld, peer: SimPeer, rootChance = 0.15): string {
  const { rng } = world;
  if (world.everIds.length === 0 || rng.chance(rootChance)) return ROOT;
  const live = world.everIds.filter((id) => peer.scene.hasNode(id as NodeId));
  if (live.length > 0 && rng.chance(0.85)) return rng.pick(live);
  return rng.pick(world.everIds);
}

/**
 * Runs `fn` as one API call under the contract's oracle: when `expected` (the codes that the
 * arguments deserve, from this peer's own view) is non-empty the call must throw a SceneError with one
 * of them; otherwise it must succeed. A throwing call must not have written anything (no Yjs update).
 * Returns true when the call succeeded.
 */
function call(world: OpWorld, peer: SimPeer, op: string, expected: SceneErrorCode[], fn: () => void): boolean {
  let updates = 0;
  const count = (): void => void updates++;
  peer.doc.on('update', count);
  try {
    fn();
  } catch (e) {
    peer.doc.off('update', count);
    if (!(e instanceof SceneError)) throw new OracleError(`${op} threw a non-SceneError: ${(e as Error)?.stack ?? e}`);
    if (!expected.includes(e.code)) {
      throw new OracleError(`${op} threw ${e.code} (${e.message}); expected ${expected.length ? expected.join('|') : 'success'}`);
    }
    if (updates !== 0) throw new OracleError(`${op} threw ${e.code} but wrote ${updates} update(s) to the document`);
    bump(world, `${op}:${e.code}`);
    return false;
  }
  peer.doc.off('update', count);
  if (expected.length) throw new OracleError(`${op} succeeded; expected ${expected.join('|')}`);
  bump(world, `${op}:ok`);
  return true;
}

function check(cond: boolean, what: string): void {
  if (!cond) throw new OracleError(what);
}

/** One random edit of any kind on `peer`, checked against the API contract. */
export function randomOp(world: OpWorld, peer: SimPeer): void {
  const { rng } = world;
  const s = peer.scene;
  const r = rng.real();
  if (r < 0.22) {
    // addNode (R-TREE-1, R-ORDER-1, R-NAME)
    const parent = someNode(world, peer, 0.35);
    const id = rng.id();
    const name = rng.pick(NAME_POOL);
    const type = rng.pick(TYPE_POOL);
    const live = s.hasNode(parent as NodeId);
    const count = live ? s.children(parent as NodeId).length : 0;
    const index = rng.chance(0.5) ? rng.int(0, count) : undefined;
    const props: Record<string, GodotValue> = rng.chance(0.5)
      ? { transform: { type: 'Transform3D', value: [1, 0, 0, 0, 1, 0, 0, 0, 1, rng.int(-8, 8) * 0.25, 0, 0] } }
      : {};
    // the API refuses an empty name (R-NAME-2 covers empty names written by raw peers)
    const expected: SceneErrorCode[] = [];
    if (!live) expected.push('UNKNOWN_NODE');
    if (name === '') expected.push('INVALID_ARGUMENT');
    const ok = call(world, peer, 'addNode', expected, () => {
      s.addNode({ parent: parent as NodeId, name, type, props, index, id });
    });
    if (ok) {
      world.everIds.push(id);
      const n = s.getNode(id as NodeId);
      check(!!n, `addNode: getNode(${id}) undefined right after adding`);
      check(n!.parent === parent, `addNode: parent ${n!.parent}, asked ${parent}`);
      check(n!.index === (index ?? count), `addNode: index ${n!.index}, asked ${index ?? `append at ${count}`}`);
      check(n!.type === type, `addNode: type ${n!.type}, asked ${type}`);
      check(canon(n!.props) === canon(props), `addNode: props differ`);
    }
  } else if (r < 0.42) {
    // moveNode, including attempts to move a node under itself or its descendants (R-TREE-2, CYCLE)
    const x = someNode(world, peer, 0.03);
    let p = someNode(world, peer, 0.25);
    if (s.hasNode(x as NodeId) && rng.chance(0.2)) p = rng.pick(subtreeIds(peer, x));
    const expected: SceneErrorCode[] = [];
    if (x === ROOT) expected.push('ROOT');
    if (!s.hasNode(x as NodeId) || !s.hasNode(p as NodeId)) expected.push('UNKNOWN_NODE');
    else if (isAncestorOrSelf(peer, x, p)) expected.push('CYCLE');
    const same = s.hasNode(x as NodeId) && s.parentOf(x as NodeId) === p;
    const count = s.hasNode(p as NodeId) ? s.children(p as NodeId).length - (same ? 1 : 0) : 0;
    const index = expected.length === 0 && rng.chance(0.6) ? rng.int(0, count) : undefined;
    // R-TREE-2b: a local move never moves anything but its own node
    const parentsBefore = expected.length ? '' : parentsOf(world, peer, x);
    const ok = call(world, peer, 'moveNode', expected, () => s.moveNode(x as NodeId, p as NodeId, index));
    if (ok) {
      check(parentsOf(world, peer, x) === parentsBefore, `moveNode(${x}, ${p}) moved other nodes too`);
      const n = s.getNode(x as NodeId);
      check(n?.parent === p, `moveNode(${x}, ${p}, ${index}): parent is now ${n?.parent}`);
      check(n!.index === (index ?? count), `moveNode(${x}, ${p}, ${index}): index is ${n!.index}, expected ${index ?? count}`);
    }
  } else if (r < 0.52) {
    const x = someNode(world, peer, 0);
    const name = rng.pick(NAME_POOL);
    const expected: SceneErrorCode[] = [];
    if (!s.hasNode(x as NodeId)) expected.push('UNKNOWN_NODE');
    if (name === '') expected.push('INVALID_ARGUMENT');
    const ok = call(world, peer, 'renameNode', expected, () =>
      s.renameNode(x as NodeId, name),
    );
    // R-NAME: the request is kept as asked (a clean, non-empty name reads back unchanged)
    if (ok && name !== '' && !/[.:@/"%]/.test(name)) {
      check(s.getNode(x as NodeId)!.requestedName === name, `renameNode(${x}, ${name}): requestedName is ${s.getNode(x as NodeId)!.requestedName}`);
    }
  } else if (r < 0.58) {
    const x = someNode(world, peer, 0.05);
    const expected: SceneErrorCode[] = x === ROOT ? ['ROOT'] : s.hasNode(x as NodeId) ? [] : ['UNKNOWN_NODE'];
    const gone = s.hasNode(x as NodeId) ? subtreeIds(peer, x) : [];
    const ok = call(world, peer, 'removeNode', expected, () => s.removeNode(x as NodeId));
    if (ok) for (const id of gone) check(!s.hasNode(id as NodeId), `removeNode(${x}): ${id} of its subtree is still live`);
  } else if (r < 0.72) {
    const x = someNode(world, peer, 0.1);
    const key = rng.pick(KEY_POOL);
    const value = randomValue(rng, 2, { resourceIds: world.everResources.filter((id) => s.getResource(id as never)) });
    const ok = call(world, peer, 'setProperty', s.hasNode(x as NodeId) ? [] : ['UNKNOWN_NODE'], () =>
      s.setProperty(x as NodeId, key, value),
    );
    if (ok) check(canon(s.getProperty(x as NodeId, key)) === canon(value), `setProperty(${x}, ${key}) did not read back`);
  } else if (r < 0.76) {
    const x = someNode(world, peer, 0.1);
    const key = rng.pick(KEY_POOL);
    const ok = call(world, peer, 'deleteProperty', s.hasNode(x as NodeId) ? [] : ['UNKNOWN_NODE'], () =>
      s.deleteProperty(x as NodeId, key),
    );
    if (ok) check(s.getProperty(x as NodeId, key) === undefined, `deleteProperty(${x}, ${key}) still reads a value`);
  } else if (r < 0.8) {
    const id = rng.id();
    const nested = world.everResources.filter((rid) => s.getResource(rid as never));
    const props: Record<string, GodotValue> = { size: { type: 'Vector3', value: [1, rng.int(1, 4), 1] } };
    if (nested.length && rng.chance(0.5)) props.material = { type: 'Resource', id: rng.pick(nested) as never };
    call(world, peer, 'addResource', [], () => {
      s.addResource({ id, type: rng.pick(['BoxMesh', 'StandardMaterial3D', 'SphereMesh']), props });
    });
    world.everResources.push(id);
    check(!!s.getResource(id as never), 'addResource: getResource undefined right after adding');
  } else if (r < 0.84) {
    if (world.everResources.length === 0) return;
    const id = rng.pick(world.everResources);
    const value = randomValue(rng, 1, { resourceIds: world.everResources.filter((rid) => s.getResource(rid as never)) });
    const known = !!s.getResource(id as never);
    call(world, peer, 'setResourceProperty', known ? [] : ['UNKNOWN_RESOURCE'], () =>
      s.setResourceProperty(id as never, rng.pick(['size', 'albedo_color', 'radius']), value),
    );
  } else if (r < 0.86) {
    if (world.everResources.length === 0) return;
    const id = rng.pick(world.everResources);
    const known = !!s.getResource(id as never);
    const ok = call(world, peer, 'removeResource', known ? [] : ['UNKNOWN_RESOURCE'], () => s.removeResource(id as never));
    if (ok) check(s.getResource(id as never) === undefined, 'removeResource: still readable');
  } else if (r < 0.91) {
    call(world, peer, 'undo', [], () => void s.undo());
  } else if (r < 0.94) {
    call(world, peer, 'redo', [], () => void s.redo());
  } else if (r < 0.98) {
    // several edits in one transaction: one observe() call, one undo step
    const parent = someNode(world, peer, 0.5);
    if (!s.hasNode(parent as NodeId)) return;
    const a = rng.id();
    const b = rng.id();
    call(world, peer, 'transact', [], () =>
      s.transact(() => {
        s.addNode({ parent: parent as NodeId, name: 'Group', type: 'Node3D', id: a });
        s.addNode({ parent: a as NodeId, name: rng.pick(CLEAN_NAMES), type: 'Node3D', id: b });
        s.setProperty(b as NodeId, 'visible', false);
        s.renameNode(a as NodeId, rng.pick(CLEAN_NAMES));
        if (rng.chance(0.5)) s.moveNode(b as NodeId, parent as NodeId, 0);
      }),
    );
    world.everIds.push(a, b);
  } else {
    const x = someNode(world, peer, 0);
    const live = s.hasNode(x as NodeId);
    if (rng.chance(0.5)) {
      const ok = call(world, peer, 'claimOwnership', live ? [] : ['UNKNOWN_NODE'], () => s.claimOwnership(x as NodeId));
      if (ok) check(s.ownerOf(x as NodeId) === peer.doc.clientID, 'claimOwnership: ownerOf is not this peer');
    } else {
      // releasing is a no-op unless this peer owns the node, so only live nodes are asked
      if (!live) return;
      const ok = call(world, peer, 'releaseOwnership', [], () => s.releaseOwnership(x as NodeId));
      if (ok) check(s.ownerOf(x as NodeId) !== peer.doc.clientID, 'releaseOwnership: still the owner');
    }
  }
  s.stopCapturing();
}

/**
 * The adversarial pair of R-TREE-2: two peers that have not seen each other's move put x under y and
 * y under x at the same time (each move is valid where it is made). Raises the rate of cycles, so that
 * later edits run on documents holding skipped moves.
 */
export function conflictingMoves(world: OpWorld, first: SimPeer, second: SimPeer): void {
  const { rng } = world;
  const shared = world.everIds.filter((id) => first.scene.hasNode(id as NodeId) && second.scene.hasNode(id as NodeId));
  if (shared.length < 2) return;
  const x = rng.pick(shared);
  const y = rng.pick(shared.filter((id) => id !== x));
  for (const [peer, child, parent] of [
    [first, x, y],
    [second, y, x],
  ] as const) {
    const s = peer.scene;
    const expected: SceneErrorCode[] = isAncestorOrSelf(peer, child, parent) ? ['CYCLE'] : [];
    const ok = call(world, peer, 'conflictingMove', expected, () => s.moveNode(child as NodeId, parent as NodeId));
    if (ok) check(s.parentOf(child as NodeId) === parent, `conflicting moveNode(${child}, ${parent}): parent is now ${s.parentOf(child as NodeId)}`);
    s.stopCapturing();
  }
}

/** Transaction origin of hostile writes made straight into a peer's Y.Doc (not through its SceneDoc). */
export const HOSTILE = Symbol('hostile-write');

/**
 * R-HOSTILE inside the convergence run: a faulty plugin on `peer` writes one malformed or absurd
 * entry straight into the Y.Maps (wrong shapes, undecodable bytes, the root given a parent or a
 * tombstone, a lamport beyond 2^40, edges to nodes that never existed). The network spreads it like
 * any update; every peer must still converge to the same valid tree.
 */
export function hostileWrite(world: OpWorld, peer: SimPeer): void {
  const { rng } = world;
  const doc = peer.doc;
  const some = (): string => (world.everIds.length && rng.chance(0.8) ? rng.pick(world.everIds) : 'root');
  const SEP = '\u0001';
  const writes: (() => void)[] = [
    () => doc.getMap('nodes').set(rng.id(), rng.pick<unknown>(['junk', 42, null, new Uint8Array([255, 1, 2])]) as never),
    () => doc.getMap('edges').set(`${some()}${SEP}${some()}`, rng.pick<unknown>(['x', [NaN, 'V'], ['V', 1], [1], [2 ** 41, 'V']]) as never),
    () => doc.getMap('edges').set(`root${SEP}${some()}`, [rng.int(1, 1e6), 'V']),
    () => doc.getMap('edges').set(`${some()}${SEP}NEVER${rng.int(10000, 99999)}`, [rng.int(1, 1e6), 'V']),
    () => doc.getMap('edges').set(`${some()}${SEP}${some()}`, [rng.int(1, 1e6), rng.pick(['V', 'a', 'zz', '0'])]),
    () => doc.getMap('names').set(some(), rng.pick<unknown>([42, [7, 1], 'bare', ['x/y', 2 ** 41], ['', 5]]) as never),
    () => doc.getMap('deleted').set(rng.pick(['root', some()]), rng.pick<unknown>(['yes', 2 ** 41, -1]) as never),
    () => doc.getMap('props').set(`${some()}${SEP}${rng.pick(['transform', 'x'])}`, rng.pick<unknown>(['str', new Uint8Array([254, 254])]) as never),
    () => doc.getMap('owners').set(some(), rng.pick<unknown>(['me', ['a', 1], [1, 2 ** 41]]) as never),
    () => doc.getMap('resources').set(rng.id(), rng.pick<unknown>(['x', new Uint8Array([255])]) as never),
    () => doc.getMap('meta').set('schema', rng.pick<unknown>(['one', -1, 1.5]) as never),
  ];
  doc.transact(() => rng.pick(writes)(), HOSTILE);
  bump(world, 'hostileWrite:ok');
}
