import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportTscn, importTscn, importTscnFile, sceneFromTscnTree, TscnError, TSCN_KEYS } from '../../src/index.js';
import { fixtureScenes } from '../helpers/fixtures.js';

const scenes = fixtureScenes();

describe('.tscn import/export on every fixture scene', () => {
  it('finds the fixture scenes', () => {
    expect(scenes.length).toBeGreaterThanOrEqual(15);
  });

  for (const file of scenes) {
    it(`T-ROUNDTRIP: import → export → import gives the same SceneDoc tree: ${file.split('godot-demo-projects/')[1]}`, () => {
      const first = importTscnFile(file);
      const sceneA = sceneFromTscnTree(first.tree).scene;
      const treeA = sceneA.toTree();
      const text = exportTscn(treeA);
      const second = importTscn(text);
      const treeB = sceneFromTscnTree(second.tree).scene.toTree();
      expect(treeB).toEqual(treeA);
      // The document holds what the file holds: same node count and names as the file's headers.
      const headers = [...readFileSync(file, 'utf8').matchAll(/^\[node name="([^"]+)"/gm)].map((m) => m[1]);
      const names: string[] = [];
      const walk = (n: { name: string; children: { name: string; children: unknown[] }[] }): void => {
        names.push(n.name);
        for (const c of n.children) walk(c as never);
      };
      walk(treeA as never);
      expect(names.sort()).toEqual(headers.sort());
      expect(Object.keys(treeA.resources).length).toBe((readFileSync(file, 'utf8').match(/^\[sub_resource /gm) ?? []).length);
    });
  }

  it('T-KEEP: instanced scenes, connections, groups and unique_ids are kept as data', () => {
    const main = scenes.find((f) => f.endsWith('squash_the_creeps/Main.tscn'))!;
    const { tree, report } = importTscnFile(main);
    const player = tree.children.find((c) => c.name === 'Player')!;
    expect(player.props[TSCN_KEYS.instance]).toEqual({ type: 'ExtResource', path: 'res://Player.tscn', resourceType: 'PackedScene' });
    expect(player.props[TSCN_KEYS.typeless]).toBe(true);
    expect(player.id).toMatch(/^\d+$/);
    expect(tree.props[TSCN_KEYS.rootUniqueId]).toBe(1282231444n);
    const connections = tree.props[TSCN_KEYS.connections] as unknown[];
    expect(connections.length).toBe((readFileSync(main, 'utf8').match(/^\[connection /gm) ?? []).length);
    // Missing files are reported, never fatal: Main.gd etc. are not in the fixtures; Player.tscn is.
    const missing = report.filter((r) => r.code === 'MISSING_FILE').map((r) => r.message);
    expect(missing.some((m) => m.startsWith('res://Main.gd'))).toBe(true);
    expect(missing.some((m) => m.startsWith('res://Player.tscn'))).toBe(false);
    const text = exportTscn(tree);
    expect(text).toMatch(/\[node name="Player" parent="\." unique_id=\d+ instance=ExtResource\("[^"]+"\)\]/);
    expect(text).toContain('[connection signal=');
  });

  it('T-REPORT: unknown values and dangling references are kept and reported, never fatal', () => {
    const { tree, report } = importTscn(`[gd_scene format=3]

[node name="Root" type="Node3D"]
input = Object(InputEventKey,"resource_local_to_scene":false,"keycode":65)
mesh = SubResource("nope")
script = ExtResource("missing")

[node name="Orphan" type="Node3D" parent="Does/Not/Exist"]

[weird_section foo=1]
`);
    expect(report.map((r) => r.code).sort()).toEqual(['DANGLING_REFERENCE', 'DANGLING_REFERENCE', 'UNKNOWN_PARENT', 'UNKNOWN_SECTION', 'UNKNOWN_VALUE']);
    expect(tree.children.map((c) => c.name)).toEqual(['Orphan']);
    expect(exportTscn(tree)).toContain('input = Object(InputEventKey,"resource_local_to_scene":false,"keycode":65)');
    const { scene, dangling } = sceneFromTscnTree(tree);
    expect(dangling).toEqual(['root.mesh → nope']);
    expect(scene.getProperty(scene.rootId, 'mesh') ?? null).toBeNull();
    expect(scene.toTree().props.input).toEqual(tree.props.input);
  });

  it('reads format=4 scenes (Godot 4.3+ with byte arrays in base64)', () => {
    const { tree } = importTscn(`[gd_scene format=4]

[node name="Root" type="Node3D"]
metadata/blob = PackedByteArray("AAEC/w==")
`);
    expect(tree.props['metadata/blob']).toEqual({ type: 'PackedByteArray', value: new Uint8Array([0, 1, 2, 255]) });
  });

  it('T-ERROR: a broken structure is a TscnError with a line number', () => {
    const cases: [string, string][] = [
      ['[gd_resource type="Resource" format=3]\n', 'NOT_A_SCENE'],
      ['[gd_scene load_steps=2 format=2]\n[node name="A" type="Spatial"]\n', 'UNSUPPORTED_FORMAT'],
      ['[gd_scene format=3]\n', 'NO_ROOT'],
      ['[gd_scene format=3]\n[node name="A" type="Node3D"]\nposition = Vector3(1, 2\n', 'SYNTAX'],
      ['[gd_scene format=3]\n[node name="A" type="Node3D"]\nname = "unterminated\n', 'SYNTAX'],
      ['garbage', 'SYNTAX'],
    ];
    for (const [text, code] of cases) {
      let error: unknown;
      try {
        importTscn(text);
      } catch (e) {
        error = e;
      }
      expect(error, text).toBeInstanceOf(TscnError);
      expect((error as TscnError).code, text).toBe(code);
    }
  });

  it('T-EXPORT: a tree made without .tscn data exports with stable unique_ids', () => {
    const { scene } = sceneFromTscnTree(importTscnFile(scenes.find((f) => basename(f) === 'box.tscn')!).tree);
    scene.addNode({ parent: scene.rootId, name: 'Added', type: 'Node3D' });
    const text = exportTscn(scene.toTree());
    expect(text).toMatch(/\[node name="Added" type="Node3D" parent="\." unique_id=\d+\]/);
    expect(exportTscn(scene.toTree())).toBe(text);
  });
});
