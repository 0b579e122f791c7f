import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Document, NodeIO } from '@gltf-transform/core';
import { SceneDoc, type TreeNode } from '@scenesync/core';
import { exportTscnFile, importTscnFile, readVariant, sceneFromTscnTree, TscnScanner, TSCN_KEYS } from '../../src/index.js';
import { fixtureScenes } from '../helpers/fixtures.js';
import { makeGodotProject, removeGodotProjects, runGodot } from '../helpers/godot.js';
import { taggedLines } from '../helpers/lines.js';

interface GodotTree { name: string; type: string; children: GodotTree[]; mesh?: string }

afterAll(() => removeGodotProjects());

/** What Godot should show for one of our nodes: its name, class and children. */
function expected(node: TreeNode, typeOf: (n: TreeNode) => string | null): { name: string; type: string | null; children: unknown[] } {
  return { name: node.name, type: typeOf(node), children: node.children.map((c) => expected(c, typeOf)) };
}

describe('real Godot 4 opens what the exporter writes', () => {
  it('T-GODOT: every fixture scene, exported by scenesync, loads in headless Godot with the same tree', async () => {
    const project = await makeGodotProject();
    mkdirSync(join(project, 'exported'));
    const files = fixtureScenes();
    const trees = files.map((file, i) => {
      const tree = sceneFromTscnTree(importTscnFile(file).tree).scene.toTree();
      exportTscnFile(join(project, `exported/s${i}.tscn`), tree, project);
      return tree;
    });
    const types = new Set<string>();
    const allTypes = (n: TreeNode): void => {
      types.add(n.type);
      n.children.forEach(allTypes);
    };
    trees.forEach(allTypes);
    const run = await runGodot(['--path', project, '--script', 'res://inspect.gd', '--', `--classes=${[...types].join(',')}`, ...files.map((_, i) => `--scene=res://exported/s${i}.tscn`)]);
    // Classes newer than this Godot (the fixtures come from a newer demo repository) load as
    // placeholder nodes: Godot keeps the scene and reports them, as scenesync does.
    const [known] = taggedLines<Record<string, boolean>>(run.stdout, 'SCENESYNC_CLASSES');
    const loaded = taggedLines<{ path: string; loaded: boolean; tree: GodotTree }>(run.stdout, 'SCENESYNC_SCENE');
    expect(loaded.length).toBe(files.length);
    loaded.forEach((scene, i) => {
      expect(scene.loaded, `${files[i]} did not load:\n${run.stderr}`).toBe(true);
      // Instanced scenes whose file is missing become plain nodes of the recorded type; nodes
      // inside instances keep their own class. Types are compared where the file names one.
      const ours = expected(trees[i]!, (n) => (n.props[TSCN_KEYS.typeless] === true ? null : known![n.type] ? n.type : 'Node'));
      const typed = new Set<string>();
      const collect = (n: TreeNode, path: string): void => {
        if (n.props[TSCN_KEYS.typeless] !== true) typed.add(path);
        n.children.forEach((c) => collect(c, `${path}/${c.name}`));
      };
      collect(trees[i]!, '');
      const theirs = ((): unknown => {
        const walk = (n: GodotTree, path: string): unknown => ({
          name: n.name,
          type: typed.has(path) ? n.type : null,
          children: n.children.map((c) => walk(c, `${path}/${c.name}`)),
        });
        return walk(scene.tree, '');
      })();
      expect(theirs, files[i]).toEqual(ours);
    });
    expect(Object.values(known!).filter((k) => !k).length).toBeLessThan(3);
  }, 180_000);

  it('T-TRANSFORM: Transform3D text holds the basis rows: (xx, yx, zx) is basis.x, as Godot writes it', async () => {
    const project = await makeGodotProject();
    const run = await runGodot(['--path', project, '--script', 'res://inspect.gd', '--', '--transform']);
    const [t] = taggedLines<{ text: string; x: string; y: string; z: string }>(run.stdout, 'SCENESYNC_TRANSFORM');
    const hooks = { subResource: () => null, extResource: () => null, unknown: () => undefined };
    const read = (s: string): number[] => (readVariant(new TscnScanner(s), hooks) as unknown as { value: number[] }).value;
    const m = read(t!.text);
    const [x, y, z] = [read(t!.x), read(t!.y), read(t!.z)];
    expect(m.slice(9)).toEqual([1, 2, 3]);
    for (let i = 0; i < 3; i++) {
      expect(m[i * 3]).toBeCloseTo(x[i]!, 6);
      expect(m[i * 3 + 1]).toBeCloseTo(y[i]!, 6);
      expect(m[i * 3 + 2]).toBeCloseTo(z[i]!, 6);
    }
    // The rotation is not symmetric, so rows and columns differ: the check above has teeth.
    expect(Math.abs(m[1]! - m[3]!)).toBeGreaterThan(0.1);
  });

  it('T-GLB: Godot GLTFDocument imports a GLB headless', async () => {
    const project = await makeGodotProject();
    const doc = new Document();
    const buffer = doc.createBuffer();
    const position = doc.createAccessor().setType('VEC3').setArray(new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0])).setBuffer(buffer);
    const mesh = doc.createMesh('Tri').addPrimitive(doc.createPrimitive().setAttribute('POSITION', position));
    const node = doc.createNode('Triangle').setMesh(mesh).setTranslation([0, 2, 0]);
    doc.createScene('Scene').addChild(doc.createNode('Holder').addChild(node));
    const file = join(project, 'tri.glb');
    writeFileSync(file, await new NodeIO().writeBinary(doc));
    const run = await runGodot(['--path', project, '--script', 'res://inspect.gd', '--', `--glb=${file}`]);
    const [glb] = taggedLines<{ error: string; meshes: number; tree: GodotTree }>(run.stdout, 'SCENESYNC_GLB');
    expect(glb!.error).toBe('OK');
    expect(glb!.meshes).toBe(1);
    const holder = glb!.tree.children.find((c) => c.name === 'Holder')!;
    expect(holder.children.map((c) => [c.name, c.type, c.mesh])).toEqual([['Triangle', 'MeshInstance3D', 'ArrayMesh']]);
  });
  it('T-ORDER: an Animation whose tracks were added after it was made opens in Godot with every track', async () => {
    // Tracks added after creation are property overlays, which the document lists sorted by key
    // (R-PROP-ORDER): `tracks/10/…` before `tracks/2/…`, `path` before `type`. The exporter writes
    // them back in the order Godot needs.
    const scene = new SceneDoc();
    const anim = scene.addResource({ type: 'Animation', props: { length: 1 } });
    const lib = scene.addResource({ type: 'AnimationLibrary', props: { _data: { type: 'Dictionary', entries: [[{ type: 'StringName', value: 'walk' }, { type: 'Resource', id: anim }]] } } });
    const TRACKS = 12;
    for (let t = 0; t < TRACKS; t++) {
      scene.setProperty(anim, `tracks/${t}/type`, 'position_3d');
      scene.setProperty(anim, `tracks/${t}/path`, { type: 'NodePath', value: `Target${t}` });
      scene.setProperty(anim, `tracks/${t}/keys`, { type: 'PackedFloat32Array', value: new Float32Array([0, 1, t, 0, 0]) });
    }
    scene.addNode({ parent: scene.rootId, name: 'Player', type: 'AnimationPlayer', props: { libraries: { type: 'Dictionary', entries: [['', { type: 'Resource', id: lib }]] } } });
    const project = await makeGodotProject();
    exportTscnFile(join(project, 'animated.tscn'), scene.toTree(), project);
    writeFileSync(join(project, 'tracks.gd'), [
      'extends SceneTree',
      'func _init() -> void:',
      '\tvar root: Node = (load("res://animated.tscn") as PackedScene).instantiate()',
      '\tvar player: AnimationPlayer = root.get_node("Player")',
      '\tvar animation: Animation = player.get_animation(&"walk")',
      '\tvar paths: Array = []',
      '\tfor t in animation.get_track_count():',
      '\t\tpaths.append([String(animation.track_get_path(t)), animation.track_get_key_count(t), animation.position_track_interpolate(t, 0.0).x])',
      '\tprint("SCENESYNC_TRACKS " + JSON.stringify(paths))',
      '\troot.free()',
      '\tquit()',
      '',
    ].join('\n'));
    const run = await runGodot(['--path', project, '--script', 'res://tracks.gd']);
    const [tracks] = taggedLines<Array<[string, number, number]>>(run.stdout, 'SCENESYNC_TRACKS');
    expect(tracks, run.stderr).toEqual(Array.from({ length: TRACKS }, (_, t) => [`Target${t}`, 1, t]));
  });
});
