import { describe, expect, it } from 'vitest';
import {
  SceneError,
  ValueDecodeError,
  color,
  decodeValue,
  dictionary,
  encodeValue,
  extResource,
  int,
  nodePath,
  resourceRef,
  stringName,
  transform3d,
  translation3d,
  valuesEqual,
  vec3,
  type GodotValue,
} from '../src/index.js';
import { canon } from './support/canon.js';
import { ROOT, expectRefused, makePeers, nid, syncAll } from './support/peers.js';
import { Rng, envInt } from './support/rng.js';
import { AWKWARD_FLOATS, AWKWARD_INTS, VALUE_KINDS, randomValue, randomValueOfKind } from './support/values-gen.js';

const SEED = envInt('SCENESYNC_SEED', 4242);
const NODE = nid('VALUES0000');
const RES = 'RESOURCE00';

function twoPeers() {
  const [a, b] = makePeers(2);
  a!.addNode({ parent: ROOT, name: 'Holder', type: 'Node3D', id: NODE });
  a!.addResource({ id: RES, type: 'StandardMaterial3D' });
  syncAll([a!, b!]);
  return [a!, b!] as const;
}

/** Float32/64 arrays with NaN payloads, signalling NaNs, -0 and denormals written as raw bits. */
function bitPatternArrays() {
  const f32 = new Float32Array(6);
  new Uint32Array(f32.buffer).set([0x7fc00001, 0xff800001, 0x80000000, 0x00000001, 0x7f800000, 0xffc12345]);
  const f64 = new Float64Array(4);
  const u = new Uint32Array(f64.buffer);
  u.set([0x00000001, 0x7ff00000, 0xdeadbeef, 0xfff80000, 0x00000000, 0x80000000, 0x00000001, 0x00000000]);
  const v3 = new Float32Array(3);
  new Uint32Array(v3.buffer).set([0x7fa00000, 0x80000000, 0x3e800000]);
  return [
    { type: 'PackedFloat32Array', value: f32 },
    { type: 'PackedFloat64Array', value: f64 },
    { type: 'PackedVector3Array', value: v3 },
    { type: 'PackedInt64Array', value: new BigInt64Array([2n ** 63n - 1n, -(2n ** 63n), 2n ** 53n + 1n]) },
    // views into a larger buffer: a codec must copy the view, not the whole buffer
    { type: 'PackedFloat32Array', value: new Float32Array(f32.buffer, 8, 3) },
    { type: 'PackedByteArray', value: new Uint8Array([9, 8, 7, 6, 5, 4]).subarray(2, 5) },
  ] as GodotValue[];
}

const bytesOf = (v: GodotValue) => encodeValue(v);

describe('R-VAL-1 exact round trips through the document', () => {
  it('R-VAL-1: every value kind (seeded random values) reads back bit-exact locally, on a peer, and in toTree()', () => {
    const [a, b] = twoPeers();
    const rng = new Rng(SEED);
    const written: [string, GodotValue][] = [];
    for (const kind of VALUE_KINDS) {
      for (let i = 0; i < 12; i++) {
        const key = `${kind}_${i}`;
        const value = randomValueOfKind(rng, kind, 3, { resourceIds: [RES] });
        a.setProperty(NODE, key, value);
        expect(canon(a.getProperty(NODE, key)), `seed ${SEED}: ${key} locally`).toBe(canon(value));
        written.push([key, value]);
      }
    }
    syncAll([a, b]);
    const props = b.toTree().children.find((c) => c.id === NODE)!.props;
    for (const [key, value] of written) {
      expect(canon(b.getProperty(NODE, key)), `seed ${SEED}: ${key} on the peer`).toBe(canon(value));
      expect(canon(props[key]), `seed ${SEED}: ${key} in toTree()`).toBe(canon(value));
    }
  });

  it('R-VAL-1: int beyond 2^53, the int64 extremes, -0, NaN and ±Infinity survive the document exactly', () => {
    const [a, b] = twoPeers();
    const values: GodotValue[] = [...AWKWARD_INTS, ...AWKWARD_FLOATS];
    values.forEach((v, i) => a.setProperty(NODE, `v${i}`, v));
    syncAll([a, b]);
    values.forEach((v, i) => {
      const got = b.getProperty(NODE, `v${i}`);
      expect(typeof got, `value #${i} kept its int/float kind`).toBe(typeof v);
      expect(canon(got), `value #${i} (${String(v)})`).toBe(canon(v));
    });
    expect(Object.is(b.getProperty(NODE, `v${values.findIndex((v) => Object.is(v, -0))}`), -0)).toBe(true);
    expect(b.getProperty(NODE, `v${values.indexOf(2n ** 63n - 1n)}`)).toBe(9223372036854775807n);
  });

  it('R-VAL-1: null (Godot Nil) is a value: it reads back as null, also over a value given at creation', () => {
    const [a, b] = twoPeers();
    a.setProperty(NODE, 'nil', null);
    const made = a.addNode({ parent: ROOT, name: 'M', type: 'MeshInstance3D', props: { mesh: { type: 'Resource', id: RES as never } } });
    a.setProperty(made, 'mesh', null);
    syncAll([a, b]);
    for (const s of [a, b]) {
      expect(s.getProperty(NODE, 'nil')).toBeNull();
      expect(s.getProperty(made, 'mesh')).toBeNull();
      expect(s.getNode(made)!.props).toEqual({ mesh: null });
    }
  });

  it('R-VAL-1: a whole float stays a float and an int stays an int (2.0 vs int(2))', () => {
    const [a, b] = twoPeers();
    a.setProperty(NODE, 'f', 2);
    a.setProperty(NODE, 'i', int(2));
    syncAll([a, b]);
    expect(b.getProperty(NODE, 'f')).toBe(2);
    expect(b.getProperty(NODE, 'i')).toBe(2n);
    expect(int(5)).toBe(5n);
  });

  it('R-VAL-1: packed float arrays keep every bit (NaN payloads, signalling NaN, -0, denormals)', () => {
    const [a, b] = twoPeers();
    const arrays = bitPatternArrays();
    arrays.forEach((v, i) => a.setProperty(NODE, `p${i}`, v));
    syncAll([a, b]);
    arrays.forEach((v, i) => expect(canon(b.getProperty(NODE, `p${i}`)), `array #${i}`).toBe(canon(v)));
  });

  it('R-VAL-1: values in a node created with props and in resource props round-trip too', () => {
    const [a, b] = twoPeers();
    const rng = new Rng(SEED + 1);
    const props: Record<string, GodotValue> = {};
    for (let i = 0; i < 40; i++) props[`k${i}`] = randomValue(rng, 3, { resourceIds: [RES] });
    const id = a.addNode({ parent: ROOT, name: 'WithProps', type: 'Node3D', props });
    const res = a.addResource({ type: 'ArrayMesh', props });
    syncAll([a, b]);
    expect(canon(b.getNode(id)!.props), `seed ${SEED + 1}`).toBe(canon(props));
    expect(canon(b.getResource(res)!.props), `seed ${SEED + 1}`).toBe(canon(props));
  });
});

describe('R-VAL-1, R-VAL-2 the binary codec (encodeValue / decodeValue)', () => {
  it('R-VAL-1: 3,000 seeded random values of every kind decode to exactly what was encoded, deterministically', () => {
    const rng = new Rng(SEED + 2);
    for (let i = 0; i < 3000; i++) {
      const v = randomValue(rng, 4);
      const bytes = encodeValue(v);
      expect(bytes).toBeInstanceOf(Uint8Array);
      const back = decodeValue(bytes);
      expect(canon(back), `seed ${SEED + 2}, value #${i}: ${canon(v)}`).toBe(canon(v));
      expect(Buffer.from(encodeValue(back)).equals(Buffer.from(bytes)), `seed ${SEED + 2}, #${i}: re-encoding differs`).toBe(true);
      expect(valuesEqual(v, back), `seed ${SEED + 2}, #${i}: valuesEqual(v, decode(encode(v)))`).toBe(true);
    }
  });

  it('R-VAL-1: the codec keeps packed-array bit patterns, -0 and the int64 range', () => {
    for (const v of [...bitPatternArrays(), -0, NaN, Infinity, -Infinity, 2n ** 63n - 1n, -(2n ** 63n)]) {
      expect(canon(decodeValue(encodeValue(v)))).toBe(canon(v));
    }
    expect(valuesEqual(int(1), 1)).toBe(false);
    expect(valuesEqual({ type: 'Vector3', value: [1, 2, 3] }, { type: 'Vector3', value: [1, 2, 4] })).toBe(false);
  });

  it('R-VAL-2: small integers take fewer bytes than large ones, float32-exact floats 4 bytes fewer than others', () => {
    expect(bytesOf(int(5)).length).toBeLessThan(bytesOf(2n ** 62n).length);
    expect(bytesOf(int(5)).length).toBeLessThanOrEqual(3);
    expect(bytesOf(0.5).length).toBeLessThanOrEqual(bytesOf(0.1).length - 4);
    expect(bytesOf(0.1).length).toBeLessThanOrEqual(10);
    const exact = { type: 'Vector3', value: [0.25, -1.5, 2] } as GodotValue;
    const inexact = { type: 'Vector3', value: [0.1, 0.2, 0.3] } as GodotValue;
    expect(bytesOf(exact).length).toBeLessThan(bytesOf(inexact).length);
    const t = { type: 'Transform3D', value: [1, 0, 0, 0, 1, 0, 0, 0, 1, 0.25, 0, -3.5] } as GodotValue;
    expect(bytesOf(t).length, 'a grid-aligned Transform3D is compact').toBeLessThanOrEqual(2 + 12 * 5);
  });
});

describe('R-VAL-3 values that are not Godot values are refused', () => {
  const NOT_VALUES: [string, unknown][] = [
    ['undefined', undefined],
    ['a function', () => 1],
    ['a symbol', Symbol('x')],
    ['a Date', new Date(0)],
    ['a class instance', new (class Thing {})()],
    ['a plain object without a type', { a: 1 }],
    ['an unknown type tag', { type: 'Vector5', value: [1, 2, 3, 4, 5] }],
    ['a Vector3 with two components', { type: 'Vector3', value: [1, 2] }],
    ['a Transform3D with 13 components', { type: 'Transform3D', value: new Array(13).fill(0) }],
    ['a non-integer in a Vector3i', { type: 'Vector3i', value: [1.5, 0, 0] }],
    ['an int32 overflow in a Vector2i', { type: 'Vector2i', value: [2 ** 31, 0] }],
    ['a string component', { type: 'Vector2', value: ['1', 2] }],
    ['a bigint component', { type: 'Vector2', value: [1n, 2] }],
    ['an int beyond int64', 2n ** 63n],
    ['an int below int64', -(2n ** 63n) - 1n],
    ['a packed array holding a plain array', { type: 'PackedFloat32Array', value: [1, 2, 3] }],
    ['a PackedVector3Array with a partial triple', { type: 'PackedVector3Array', value: new Float32Array(4) }],
    ['a packed array of the wrong typed array', { type: 'PackedInt32Array', value: new Float32Array(2) }],
    ['a PackedStringArray holding a number', { type: 'PackedStringArray', value: ['a', 1] }],
    ['a Resource reference without id', { type: 'Resource' }],
    ['a Dictionary whose entries are not pairs', { type: 'Dictionary', entries: [[1]] }],
    ['an array holding undefined', [1, undefined]],
    ['a StringName holding a number', { type: 'StringName', value: 5 }],
  ];

  for (const [what, value] of NOT_VALUES) {
    it(`R-VAL-3: setProperty refuses ${what} with INVALID_VALUE and writes nothing`, () => {
      const [a] = twoPeers();
      expectRefused(a, 'INVALID_VALUE', () => a.setProperty(NODE, 'bad', value as GodotValue));
      expect(a.getProperty(NODE, 'bad')).toBeUndefined();
    });
  }

  it('R-VAL-3: addNode, addResource and setResourceProperty refuse invalid props and write nothing', () => {
    const [a] = twoPeers();
    const bad = { good: 1, bad: { type: 'Vector3', value: [1] } } as never;
    expectRefused(a, 'INVALID_VALUE', () => a.addNode({ parent: ROOT, name: 'X', type: 'Node3D', props: bad }));
    expectRefused(a, 'INVALID_VALUE', () => a.addResource({ type: 'BoxMesh', props: bad }));
    expectRefused(a, 'INVALID_VALUE', () => a.setResourceProperty(RES as never, 'x', (() => 1) as never));
    expect(a.children(ROOT)).toEqual([NODE]);
  });

  it('R-VAL-3: encodeValue refuses what is not a Godot value with SceneError INVALID_VALUE', () => {
    for (const [, value] of NOT_VALUES) {
      let err: unknown;
      try {
        encodeValue(value as GodotValue);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(SceneError);
      expect((err as SceneError).code).toBe('INVALID_VALUE');
    }
  });
});

describe('R-VAL-4 limits', () => {
  it('R-VAL-4: nesting deeper than 64 is refused; a moderately nested value is accepted', () => {
    const [a] = twoPeers();
    let deep: GodotValue = 1;
    for (let i = 0; i < 100; i++) deep = [deep];
    expectRefused(a, 'INVALID_VALUE', () => a.setProperty(NODE, 'deep', deep));
    let ok: GodotValue = 1;
    for (let i = 0; i < 20; i++) ok = i % 2 ? [ok] : { type: 'Dictionary', entries: [['k', ok]] };
    a.setProperty(NODE, 'ok', ok);
    expect(canon(a.getProperty(NODE, 'ok'))).toBe(canon(ok));
  });

  it('R-VAL-4: a value that encodes to more than 16 MiB is refused and nothing is written', () => {
    const [a] = twoPeers();
    const big = { type: 'PackedByteArray', value: new Uint8Array(17 * 1024 * 1024) } as GodotValue;
    expectRefused(a, 'INVALID_VALUE', () => a.setProperty(NODE, 'big', big));
  });

  it('R-VAL-4: decodeValue on malformed bytes (seeded mutations) throws only its typed ValueDecodeError, and what it returns is a valid value', () => {
    const rng = new Rng(SEED + 3);
    let refused = 0;
    for (let i = 0; i < 3000; i++) {
      const bytes = encodeValue(randomValue(rng, 3)).slice();
      const mode = rng.int(0, 3);
      let broken: Uint8Array;
      if (mode === 0) {
        for (let k = 0; k < rng.int(1, 4); k++) bytes[rng.int(0, bytes.length - 1)] = rng.int(0, 255);
        broken = bytes;
      } else if (mode === 1) broken = bytes.subarray(0, rng.int(0, bytes.length - 1));
      else if (mode === 2) broken = Uint8Array.from({ length: rng.int(0, 40) }, () => rng.int(0, 255));
      else broken = Uint8Array.from([...bytes, ...Array.from({ length: rng.int(1, 8) }, () => rng.int(0, 255))]);
      let out: GodotValue | undefined;
      try {
        out = decodeValue(broken);
      } catch (e) {
        expect(e, `seed ${SEED + 3}, case #${i}: decodeValue threw an untyped error`).toBeInstanceOf(ValueDecodeError);
        refused++;
        continue;
      }
      // whatever it accepted must be a Godot value the API itself accepts
      expect(() => encodeValue(out as GodotValue), `seed ${SEED + 3}, case #${i}`).not.toThrow();
    }
    expect(refused).toBeGreaterThan(0);
  });
});

describe('R-VAL value constructors', () => {
  it('R-VAL: the constructors build the documented shapes (Transform3D: basis rows, then origin)', () => {
    expect(int(5)).toBe(5n);
    expect(int(2n ** 62n)).toBe(2n ** 62n);
    expect(vec3(1, 2, 3)).toEqual({ type: 'Vector3', value: [1, 2, 3] });
    expect(color(1, 0.5, 0)).toEqual({ type: 'Color', value: [1, 0.5, 0, 1] });
    expect(transform3d()).toEqual({ type: 'Transform3D', value: [1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0] });
    expect(translation3d(1, 2, 3).value.slice(9)).toEqual([1, 2, 3]);
    expect(stringName('a')).toEqual({ type: 'StringName', value: 'a' });
    expect(nodePath('../B')).toEqual({ type: 'NodePath', value: '../B' });
    expect(resourceRef('abc')).toEqual({ type: 'Resource', id: 'abc' });
    expect(extResource('res://a.tscn', 'PackedScene')).toEqual({ type: 'ExtResource', path: 'res://a.tscn', resourceType: 'PackedScene' });
    expect(dictionary({ a: 1 })).toEqual({ type: 'Dictionary', entries: [['a', 1]] });
    // a .tscn `Transform3D(0, 0, 1, 0, 1, 0, -1, 0, 0, 4, 5, 6)` is kept number for number
    const t = transform3d([0, 0, 1, 0, 1, 0, -1, 0, 0, 4, 5, 6]);
    expect(canon(decodeValue(encodeValue(t)))).toBe(canon(t));
  });
});

describe('string reading', () => {
  it("reads every string exactly as lib0's readVarString does, truncated ones included", async () => {
    const { readVarString } = await import('../src/values/read-string.js');
    const encoding = await import('lib0/encoding');
    const decoding = await import('lib0/decoding');
    const samples = ['', 'a', 'Mesh12', 'n00000002s', 'x'.repeat(32), 'y'.repeat(33), 'Käse', '日本', '\u0000\u007f', 'a\uD800b', '😀'.repeat(20)];
    for (const text of samples) {
      const e = encoding.createEncoder();
      encoding.writeVarString(e, text);
      encoding.writeUint8(e, 7);
      const bytes = encoding.toUint8Array(e);
      const ours = decoding.createDecoder(bytes);
      const theirs = decoding.createDecoder(bytes);
      expect(readVarString(ours)).toBe(decoding.readVarString(theirs));
      expect(ours.pos).toBe(theirs.pos);
      for (let cut = 0; cut < bytes.length - 1; cut++) {
        const short = bytes.subarray(0, cut);
        let expected: unknown;
        try { expected = decoding.readVarString(decoding.createDecoder(short)); } catch { expected = 'threw'; }
        let got: unknown;
        try { got = readVarString(decoding.createDecoder(short)); } catch { got = 'threw'; }
        expect(got, `${JSON.stringify(text)} cut at ${cut}`).toBe(expected);
      }
    }
  });
});
