import { describe, expect, it } from 'vitest';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SceneDoc } from '@scenesync/core';
import { readTscn } from '../../src/commands/tscn-file.js';
import { CliError } from '../../src/errors.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../fixtures');

describe('reading .tscn scenes', () => {
  it('builds the scene when resources with numeric ids refer to resources written before them', () => {
    // Godot writes dependencies first, but JavaScript lists integer-like keys ("1", "2") first.
    const tree = readTscn(join(fixtures, 'numbered-ids.tscn'), () => {});
    expect(Object.keys(tree.resources).slice(0, 2)).toEqual(['1', '2']);
    const scene = SceneDoc.fromTree(tree);
    const block = scene.findByPath('Block')!;
    const mesh = scene.getResource((scene.getProperty(block, 'mesh') as { id: string }).id)!;
    expect(mesh.type).toBe('BoxMesh');
    const material = scene.getResource((mesh.props.material as { id: string }).id)!;
    expect(material.type).toBe('StandardMaterial3D');
    expect((material.props.albedo_color as unknown as { value: number[] }).value[2]).toBeCloseTo(0.9, 6);
    const sky = scene.getResource('2')!;
    expect(scene.getResource((sky.props.sky_material as { id: string }).id)!.type).toBe('ProceduralSkyMaterial');
  });

  it('reports a missing file as a CLI error that says what to pass', () => {
    expect(() => readTscn(join(fixtures, 'missing.tscn'), () => {})).toThrow(CliError);
    expect(() => readTscn(join(fixtures, 'missing.tscn'), () => {})).toThrow(/does not exist; pass the path of a Godot \.tscn scene/);
  });
});
