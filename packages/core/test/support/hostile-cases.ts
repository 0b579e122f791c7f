import * as Y from 'yjs';

const SEP = '\u0001';
const P = 'PPPPPPPPPP';
const C1 = 'C1C1C1C1C1';
const Q = 'QQQQQQQQQQ';
const X = 'XXXXXXXXXX';
export const HOSTILE_RES = 'RESOURCE01';
const RES = HOSTILE_RES;

/** One way a raw Y.Doc peer can write something wrong into the scene document (R-HOSTILE). */
export interface HostileCase {
  what: string;
  /** Which `where` observeInvalid must report (undefined: the write is tolerated, report optional). */
  report?: string | string[];
  /** Runs in a child process with a small heap: the case once made materialisation run out of memory. */
  isolate?: boolean;
  /** The write is valid enough that the spec may honour it (e.g. a move with an odd but usable key). */
  mayMove?: boolean;
  write(raw: Y.Doc, record: (id: string) => Uint8Array): void;
}

export const CASES: HostileCase[] = [
  { what: 'a node record that is a string', report: 'node', write: (r) => r.getMap('nodes').set('HOSTILE001', 'junk') },
  { what: 'a node record that is a number', report: 'node', write: (r) => r.getMap('nodes').set('HOSTILE002', 12345) },
  { what: 'a node record that is null', report: 'node', write: (r) => r.getMap('nodes').set('HOSTILE003', null) },
  { what: 'a node record of undecodable bytes', report: 'node', write: (r) => r.getMap('nodes').set('HOSTILE004', new Uint8Array([0xff, 0xff, 0xff, 0xff])) },
  { what: 'a node record that is a nested Y.Map', report: 'node', write: (r) => r.getMap('nodes').set('HOSTILE005', new Y.Map()) },
  { what: 'an empty node record', report: 'node', write: (r) => r.getMap('nodes').set('HOSTILE006', new Uint8Array(0)) },
  { what: 'a truncated node record', report: 'node', write: (r, rec) => r.getMap('nodes').set('HOSTILE007', rec(X).subarray(0, 3)) },
  { what: 'a node record for the root id', write: (r, rec) => r.getMap('nodes').set('root', rec(X)) },
  { what: 'a 4 MB node record', write: (r) => r.getMap('nodes').set('HOSTILE008', new Uint8Array(4 * 1024 * 1024).fill(7)) },
  { what: 'an edge from a node to itself', report: 'edge', write: (r) => r.getMap('edges').set(`${X}${SEP}${X}`, [1e6, 'V']) },
  { what: 'an edge that is a string', report: 'edge', write: (r) => r.getMap('edges').set(`${X}${SEP}${Q}`, 'under Q please') },
  { what: 'an edge with a NaN lamport', report: 'edge', write: (r) => r.getMap('edges').set(`${X}${SEP}${Q}`, [NaN, 'V']) },
  { what: 'an edge with swapped field types', report: 'edge', write: (r) => r.getMap('edges').set(`${X}${SEP}${Q}`, ['V', 5]) },
  { what: 'an edge with one field', report: 'edge', write: (r) => r.getMap('edges').set(`${X}${SEP}${Q}`, [7]) },
  { what: 'an edge with an infinite lamport', mayMove: true, write: (r) => r.getMap('edges').set(`${X}${SEP}${Q}`, [Infinity, 'V']) },
  { what: 'an edge with a negative lamport', write: (r) => r.getMap('edges').set(`${X}${SEP}${Q}`, [-5, 'V']) },
  { what: 'an edge with an order key of forbidden characters', mayMove: true, write: (r) => r.getMap('edges').set(`${X}${SEP}${Q}`, [1e6, '!!\u0000 ~']) },
  { what: 'an edge with a 1 MB order key', mayMove: true, write: (r) => r.getMap('edges').set(`${X}${SEP}${Q}`, [1e6, 'V'.repeat(1 << 20)]) },
  { what: 'an edge key without separator', report: 'edge', write: (r) => r.getMap('edges').set('garbagekey', [1, 'V']) },
  { what: 'an edge moving the root', isolate: true, write: (r) => r.getMap('edges').set(`root${SEP}${P}`, [1e9, 'V']) },
  { what: 'an edge to a parent that never existed', write: (r) => r.getMap('edges').set(`${X}${SEP}NEVER00000`, [1e9, 'V']) },
  { what: 'an edge for a node that never existed', write: (r) => r.getMap('edges').set(`NEVER00000${SEP}${P}`, [1e9, 'V']) },
  { what: 'an edge with a huge lamport putting P under its own child', write: (r) => r.getMap('edges').set(`${P}${SEP}${C1}`, [Number.MAX_SAFE_INTEGER, 'V']) },
  { what: 'an edge that is a nested Y.Map', report: 'edge', write: (r) => r.getMap('edges').set(`${X}${SEP}${Q}`, new Y.Map()) },
  { what: 'a name that is a number', report: 'name', write: (r) => r.getMap('names').set(X, 42) },
  { what: 'a name entry of the wrong shape', report: 'name', write: (r) => r.getMap('names').set(X, [123, 1]) },
  { what: 'a name entry that is a bare string', report: 'name', write: (r) => r.getMap('names').set(X, 'Evil') },
  { what: 'a 1 MB name', write: (r) => r.getMap('names').set(X, ['N'.repeat(1 << 20), 1e6]) },
  { what: 'a name for the root with a huge lamport', write: (r) => r.getMap('names').set('root', ['Evil/Root', 1e9]) },
  { what: 'a tombstone for the root', write: (r) => r.getMap('deleted').set('root', 1e9) },
  { what: 'a tombstone of the wrong type', write: (r) => r.getMap('deleted').set(X, { yes: true }) },
  { what: 'a tombstone for a node that never existed', write: (r) => r.getMap('deleted').set('NEVER00000', 5) },
  { what: 'a property that is a string instead of bytes', report: 'property', write: (r) => r.getMap('props').set(`${X}${SEP}transform`, 'not bytes') },
  { what: 'a property of undecodable bytes', report: 'property', write: (r) => r.getMap('props').set(`${X}${SEP}transform`, new Uint8Array([0xfe, 0xfe, 0xfe, 0xfe, 1, 2])) },
  { what: 'a property of 17 MiB', report: 'property', write: (r) => r.getMap('props').set(`${X}${SEP}huge`, new Uint8Array(17 * 1024 * 1024).fill(1)) },
  { what: 'a property key without separator', report: 'property', write: (r) => r.getMap('props').set('nokeyseparator', new Uint8Array([0])) },
  { what: 'a property for a node that never existed', write: (r) => r.getMap('props').set(`NEVER00000${SEP}k`, new Uint8Array([0])) },
  { what: 'an owner entry of the wrong shape', report: 'owner', write: (r) => r.getMap('owners').set(X, 'me') },
  { what: 'an owner entry with a string client id', report: 'owner', write: (r) => r.getMap('owners').set(X, ['a', 'b']) },
  { what: 'a resource record that is a string', report: 'resource', write: (r) => r.getMap('resources').set('RESBAD0001', 'x') },
  { what: 'a resource record of undecodable bytes', report: 'resource', write: (r) => r.getMap('resources').set('RESBAD0002', new Uint8Array([0xff, 0x00, 0xff])) },
  { what: 'a resource property of undecodable bytes', report: ['resource', 'resourceProperty', 'property'], write: (r) => r.getMap('resourceProps').set(`${RES}${SEP}size`, new Uint8Array([0xfe, 0xfe, 0xfe])) },
  { what: 'a resource tombstone of the wrong type', write: (r) => r.getMap('resourcesDeleted').set(RES, 'gone?') },
  { what: 'a schema version that is a string', report: 'meta', write: (r) => r.getMap('meta').set('schema', 'one') },
  { what: 'a negative schema version', report: 'meta', write: (r) => r.getMap('meta').set('schema', -1) },
  { what: 'a root type that is a number', write: (r) => r.getMap('root').set('type', 42) },
  { what: 'a root name that is a map', write: (r) => r.getMap('root').set('name', new Y.Map()) },
];

