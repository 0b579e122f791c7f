import { describe, expect, it } from 'vitest';
import { changeText, toJson, treeText, valueText } from '../../src/room/tree-text.js';
import { allLoopback, signalingUrlOf } from '../../src/room/room-session.js';
import { CliError, errorLine } from '../../src/errors.js';

describe('values in Godot text notation', () => {
  it('writes each kind of value as Godot would', () => {
    expect(valueText(1)).toBe('1.0');
    expect(valueText(0.25)).toBe('0.25');
    expect(valueText(5n)).toBe('5');
    expect(valueText('hi')).toBe('"hi"');
    expect(valueText(null)).toBe('null');
    expect(valueText(undefined)).toBe('<removed>');
    expect(valueText({ type: 'Vector3', value: [1, 2.5, -3] })).toBe('Vector3(1, 2.5, -3)');
    expect(valueText({ type: 'Resource', id: 'abc' } as never)).toBe('Resource(abc)');
    expect(valueText({ type: 'PackedFloat32Array', value: new Float32Array([1, 2]) })).toBe('PackedFloat32Array(1, 2)');
  });

  it('prints a tree as an indented outline and changes one per line', () => {
    const tree = {
      id: 'root', name: 'Main', type: 'Node3D', props: {}, resources: {},
      children: [{ id: 'a1', name: 'Player', type: 'Node3D', props: {}, children: [{ id: 'b2', name: 'Camera', type: 'Camera3D', props: {}, children: [] }] }],
    };
    expect(treeText(tree as never)).toBe('Main (Node3D) #root\n  Player (Node3D) #a1\n    Camera (Camera3D) #b2');
    const name = (id: string) => ({ root: 'Main', a1: 'Player' })[id] ?? id;
    expect(changeText({ kind: 'added', id: 'c3' as never, parent: 'a1' as never, index: 0, name: 'Gun', type: 'Node3D', props: {} }, name)).toBe('+ Gun (Node3D) under Player #c3');
    expect(changeText({ kind: 'property', id: 'a1' as never, key: 'visible', value: false }, name)).toBe('. Player.visible = false');
    expect(changeText({ kind: 'renamed', id: 'a1' as never, name: 'Hero', oldName: 'Player' }, name)).toBe('~ Player renamed to Hero');
  });

  it('writes JSON with bigints and typed arrays', () => {
    expect(toJson({ a: 5n, b: new Float32Array([0.5]) })).toBe('{"a":"5","b":[0.5]}');
  });
});

describe('room options', () => {
  it('derives the signalling URL from the server URL', () => {
    expect(signalingUrlOf('http://localhost:4444')).toBe('ws://localhost:4444/');
    expect(signalingUrlOf('https://scenes.example.org/')).toBe('wss://scenes.example.org/');
    expect(() => signalingUrlOf('ftp://x')).toThrow(CliError);
    expect(() => signalingUrlOf('not a url')).toThrow(/--server must be a URL/);
  });

  it('uses no STUN server when every signalling URL is on this machine', () => {
    expect(allLoopback(['ws://127.0.0.1:1/', 'ws://localhost:2/'])).toBe(true);
    expect(allLoopback(['ws://127.0.0.1:1/', 'wss://scenes.example.org/'])).toBe(false);
  });

  it('reduces any error to one line', () => {
    expect(errorLine(new CliError('FILE', 'a.tscn does not exist'))).toBe('a.tscn does not exist');
    const typed = Object.assign(new Error('first line\nsecond'), { code: 'CYCLE' });
    expect(errorLine(typed)).toBe('CYCLE: first line');
  });
});
