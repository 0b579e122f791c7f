import { describe, expect, it } from 'vitest';
import type { GodotValue } from '@scenesync/core';
import { BridgeProtocolError } from '../../src/protocol/errors.js';
import { fromWire, toWire } from '../../src/protocol/wire-values.js';

/** An ArrayMesh `_surfaces` value as the document holds it: a surface dictionary with a material reference. */
const surfaces: GodotValue = [
  {
    type: 'Dictionary',
    entries: [
      ['primitive', 3n],
      ['vertex_data', { type: 'PackedByteArray', value: new Uint8Array([1, 2, 3, 4]) }],
      ['material', { type: 'Resource', id: 'Mat_abc12' as never }],
      ['name', 'Body'],
    ],
  },
];

describe('B-VAL-1: resource references nested in arrays and dictionaries', () => {
  it('travel as SubResource("<resource id>") inside the Variant text and come back as references', () => {
    const wire = toWire(surfaces);
    expect(wire).toContain('SubResource("Mat_abc12")');
    expect(fromWire(wire)).toEqual(surfaces);
  });

  it('a nested file reference travels as ExtResource("res://…", "<class>") and comes back whole', () => {
    const withFile: GodotValue = [{ type: 'ExtResource', path: 'res://materials/wood "oak".tres', resourceType: 'StandardMaterial3D' }, 7n, { type: 'Resource', id: 'abc' as never }];
    const wire = toWire(withFile);
    expect(wire).toContain('ExtResource("res://materials/wood \\"oak\\".tres", "StandardMaterial3D")');
    expect(fromWire(wire)).toEqual(withFile);
    expect(fromWire('[ExtResource("res://a.tres")]')).toEqual([{ type: 'ExtResource', path: 'res://a.tres', resourceType: 'Resource' }]);
    expect(() => fromWire('[ExtResource("")]')).toThrow(BridgeProtocolError);
  });

  it('ids the document accepts survive quoting; ids it refuses are a BAD_MESSAGE', () => {
    const odd: GodotValue = [{ type: 'Resource', id: 'a "quoted" id\\x' as never }];
    expect(fromWire(toWire(odd))).toEqual(odd);
    for (const bad of ['[SubResource("")]', `[SubResource("${'x'.repeat(129)}")]`, '[SubResource("a\\u0001b")]']) {
      expect(() => fromWire(bad), bad).toThrow(BridgeProtocolError);
    }
  });
});
