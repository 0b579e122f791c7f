import { describe, expect, it } from 'vitest';
import type { GodotValue } from '@scenesync/core';
import { rawValue, readVariant, TscnScanner, writeVariant, type VariantReadHooks, type VariantWriteHooks } from '../../src/index.js';
import { seededRandom } from '../helpers/fixtures.js';

const unknowns: string[] = [];
const READ: VariantReadHooks = {
  subResource: (id) => ({ type: 'Resource', id: id as never }),
  extResource: (id) => ({ type: 'ExtResource', path: `res://${id}.tres`, resourceType: 'Resource' }),
  unknown: (name) => unknowns.push(name),
};
const WRITE: VariantWriteHooks = { subResourceId: (id) => id, extResourceId: (path) => path.slice(6, -5) };
const read = (text: string): GodotValue => readVariant(new TscnScanner(text), READ);
const write = (v: GodotValue): string => writeVariant(v, WRITE);

describe('Variant text (docs/tscn.md §Values)', () => {
  it('reads what Godot writes', () => {
    expect(read('5')).toBe(5n);
    expect(read('5.0')).toBe(5);
    expect(read('1e-05')).toBe(1e-5);
    expect(read('-inf')).toBe(-Infinity);
    expect(read('nan')).toBeNaN();
    expect(read('"a\\"b\\\\c\nd"')).toBe('a"b\\c\nd');
    expect(read('&"walk"')).toEqual({ type: 'StringName', value: 'walk' });
    expect(read('NodePath("A/B:position")')).toEqual({ type: 'NodePath', value: 'A/B:position' });
    expect(read('Transform3D(1, 0, 0, 0, 1, 0, 0, 0, 1, 0, -1, 0)')).toEqual({ type: 'Transform3D', value: [1, 0, 0, 0, 1, 0, 0, 0, 1, 0, -1, 0] });
    expect(read('PackedVector3Array(0, 1.5, 2)')).toEqual({ type: 'PackedVector3Array', value: new Float32Array([0, 1.5, 2]) });
    expect(read('PackedStringArray("a", "b")')).toEqual({ type: 'PackedStringArray', value: ['a', 'b'] });
    expect(read('PackedByteArray("AQID")')).toEqual({ type: 'PackedByteArray', value: new Uint8Array([1, 2, 3]) });
    expect(read('Array[StringName]([&"a"])')).toEqual([{ type: 'StringName', value: 'a' }]);
    expect(read('{\n"points": PackedFloat32Array(0, 1),\n"n": 2\n}')).toEqual({
      type: 'Dictionary',
      entries: [['points', { type: 'PackedFloat32Array', value: new Float32Array([0, 1]) }], ['n', 2n]],
    });
    expect(read('SubResource("Box_1")')).toEqual({ type: 'Resource', id: 'Box_1' });
  });

  it('T-RAW: keeps constructors it does not model as raw text and reports them', () => {
    unknowns.length = 0;
    const v = read('Object(InputEventKey,"keycode":65)');
    expect(v).toEqual(rawValue('Object(InputEventKey,"keycode":65)'));
    expect(unknowns).toEqual(['Object']);
    expect(write(v)).toBe('Object(InputEventKey,"keycode":65)');
  });

  it('writes floats and ints so Godot reads them back as the same type', () => {
    expect(write(5n)).toBe('5');
    expect(write(5)).toBe('5.0');
    expect(write(-0)).toBe('-0.0');
    expect(write(Infinity)).toBe('inf');
    expect(write({ type: 'Vector3', value: [1, 0.5, -2] })).toBe('Vector3(1, 0.5, -2)');
  });

  it('round-trips random values exactly (seeded)', () => {
    const seed = 20261125;
    const rnd = seededRandom(seed);
    const float = (): number => [0, -0, 1.5, 1e-7, -3.25e20, Math.PI, NaN, Infinity][Math.floor(rnd() * 8)]!;
    const gen = (depth: number): GodotValue => {
      switch (Math.floor(rnd() * (depth > 2 ? 8 : 11))) {
        case 0: return null;
        case 1: return rnd() < 0.5;
        case 2: return float();
        case 3: return BigInt(Math.floor((rnd() - 0.5) * 2 ** 52)) * 1024n;
        case 4: return `s${rnd().toString(36)}"\\\n`;
        case 5: return { type: 'Color', value: [rnd(), rnd(), rnd(), 1] };
        case 6: return { type: 'Transform3D', value: Array.from({ length: 12 }, () => float()) };
        case 7: return { type: 'PackedVector3Array', value: Float32Array.from({ length: 6 }, () => Math.fround(rnd() * 100 - 50)) };
        case 8: return Array.from({ length: Math.floor(rnd() * 4) }, () => gen(depth + 1));
        case 9: return { type: 'Dictionary', entries: Array.from({ length: Math.floor(rnd() * 3) }, (_, i) => [`k${i}`, gen(depth + 1)] as [GodotValue, GodotValue]) };
        default: return { type: 'StringName', value: `n${Math.floor(rnd() * 100)}` };
      }
    };
    for (let i = 0; i < 500; i++) {
      const v = gen(0);
      const text = write(v);
      expect(read(text), `seed ${seed}, value #${i}: ${text}`).toEqual(v);
    }
  });
});
