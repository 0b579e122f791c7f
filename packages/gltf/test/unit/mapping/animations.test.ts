/**
 * G-ANIM on hand-built trees: NodeIO read-back of channels, times and values against the source keys,
 * every reported case (G-ANIM-4…7), hostile keys, Godot's interpolation rules, and the demo scenes
 * with animations through the exporter and the Khronos validator.
 */
import type { Node } from '@gltf-transform/core';
import { describe, expect, it } from 'vitest';
import { glbFromTree } from '../../../src/export/glb-from-tree.js';
import { curveToSampler, ease, eulerToQuaternion, sampleCurve, type Curve } from '../../../src/mapping/animation-curves.js';
import type { ExportIssue } from '../../../src/report.js';
import type { GodotValue, Props, ResourceRecord } from '../../../src/scene-types.js';
import { loadFixture } from '../../helpers/fixtures.js';
import { glbJson, readGlb, validate } from '../../helpers/glb.js';
import { node, ref, res, translate, tree, v3 } from '../../helpers/scenes.js';

const f32 = (...n: number[]): GodotValue => ({ type: 'PackedFloat32Array', value: new Float32Array(n) });
const path = (p: string): GodotValue => ({ type: 'NodePath', value: p });
const sname = (s: string): GodotValue => ({ type: 'StringName', value: s });
const dict = (entries: Array<[GodotValue, GodotValue]>): GodotValue => ({ type: 'Dictionary', entries });
const quat = (x: number, y: number, z: number, w: number): GodotValue => ({ type: 'Quaternion', value: [x, y, z, w] });

/** Track properties as Godot's text format stores them. */
function track(i: number, type: string, p: string, keys: GodotValue, extra: Props = {}): Props {
  return { [`tracks/${i}/type`]: type, [`tracks/${i}/path`]: path(p), [`tracks/${i}/interp`]: 1n, [`tracks/${i}/keys`]: keys, ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [`tracks/${i}/${k}`, v])) };
}
function valueKeys(times: number[], values: GodotValue[], transitions = times.map(() => 1), update = 0n): GodotValue {
  return dict([['times', f32(...times)], ['transitions', f32(...transitions)], ['update', update], ['values', values]]);
}
function animation(id: string, props: Props, length = 2): ResourceRecord {
  return res(id, 'Animation', { length, ...props });
}
function library(id: string, anims: Record<string, string>): ResourceRecord {
  return res(id, 'AnimationLibrary', { _data: dict(Object.entries(anims).map(([n, a]) => [sname(n), ref(a)])) });
}

/** Root / Mover (Node3D) / Child, a Sprite-free 2D node, a hidden node, and a player. */
function scene(anims: ResourceRecord[], libs: ResourceRecord[], playerProps: Props, extra: { hidden?: boolean } = {}) {
  const child = node('Child', 'Node3D', { transform: translate(0, 1, 0) });
  const mover = node('Mover', 'Node3D', {}, [child]);
  const flat = node('Flat', 'Node', {});
  const ghost = node('Ghost', 'Node3D', { visible: !extra.hidden });
  const player = node('Player', 'AnimationPlayer', playerProps);
  return tree(node('Root', 'Node3D', {}, [mover, flat, ghost, player]), [...anims, ...libs]);
}

const issuesOf = (issues: readonly ExportIssue[], code: string) => issues.filter((i) => i.code === code);

describe('animations are written and read back (G-ANIM-1, G-ANIM-2, G-ANIM-8)', () => {
  it('one glTF animation per Animation, named library/name; channels, times and values match the source keys within 1e-5', async () => {
    const q1 = [0, Math.sin(0.4), 0, Math.cos(0.4)];
    const run = animation('run', {
      loop_mode: 0n,
      ...track(0, 'position_3d', 'Mover', f32(0, 1, 0, 0, 0, 0.5, 1, 1, 2, 3, 1.5, 1, -1, 0, 2)),
      ...track(1, 'rotation_3d', 'Mover', f32(0, 1, 0, 0, 0, 1, 1, 1, ...q1)),
      ...track(2, 'scale_3d', 'Mover/Child', f32(0, 1, 1, 1, 1, 2, 1, 2, 0.5, 3)),
    });
    const wave = animation('wave', {
      ...track(0, 'value', 'Mover/Child:position', valueKeys([0, 1], [v3(0, 1, 0), v3(0, 2, 0)])),
      ...track(1, 'value', 'Mover:quaternion', valueKeys([0, 1], [quat(0, 0, 0, 1), quat(...(q1 as [number, number, number, number]))]), { interp: 0n }),
    }, 1);
    const t = scene([run, wave], [library('libA', { run: 'run' }), library('libB', { wave: 'wave' })], { 'libraries/': ref('libA'), 'libraries/moves': ref('libB') });
    const glb = glbFromTree(t);
    expect(await validate(glb)).toEqual({ errors: 0, warnings: 0, messages: [] });
    const doc = await readGlb(glb);
    const anims = doc.getRoot().listAnimations();
    expect(anims.map((a) => a.getName())).toEqual(['run', 'moves/wave']);
    const json = glbJson(glb);
    expect(json.animations[0].extras).toEqual({ scenesync: { resourceId: 'run', library: '', name: 'run', loopMode: 'none', length: 2 } });
    const channel = (a: number, target: string, p: string) => {
      const c = anims[a]!.listChannels().find((ch) => (ch.getTargetNode() as Node).getName() === target && ch.getTargetPath() === p);
      if (!c) throw new Error(`no ${p} channel on ${target}`);
      const s = c.getSampler()!;
      return { interpolation: s.getInterpolation(), times: Array.from(s.getInput()!.getArray() as Float32Array), values: Array.from(s.getOutput()!.getArray() as Float32Array) };
    };
    const close = (got: number[], want: number[]) => {
      expect(got.length).toBe(want.length);
      got.forEach((x, i) => expect(Math.abs(x - want[i]!)).toBeLessThan(1e-5));
    };
    const tr = channel(0, 'Mover', 'translation');
    expect(tr.interpolation).toBe('LINEAR');
    close(tr.times, [0, 0.5, 1.5]);
    close(tr.values, [0, 0, 0, 1, 2, 3, -1, 0, 2]);
    const rot = channel(0, 'Mover', 'rotation');
    close(rot.times, [0, 1]);
    close(rot.values, [0, 0, 0, 1, ...q1]);
    const sc = channel(0, 'Child', 'scale');
    close(sc.values, [1, 1, 1, 2, 0.5, 3]);
    const pos = channel(1, 'Child', 'translation');
    close(pos.values, [0, 1, 0, 0, 2, 0]);
    const qv = channel(1, 'Mover', 'rotation');
    expect(qv.interpolation).toBe('STEP');
    close(qv.values, [0, 0, 0, 1, ...q1]);
    // Channels with the same key times share one input accessor (G-ANIM-8).
    const inputs = json.animations[1].samplers.map((s: { input: number }) => s.input);
    expect(new Set(inputs).size).toBe(1);
  });

  it('Euler rotations become quaternions in the target\'s rotation order; degrees too; transform values give T, R and S', async () => {
    const spin = animation('spin', {
      ...track(0, 'value', 'Mover:rotation_degrees', valueKeys([0, 1], [v3(0, 0, 0), v3(0, 90, 0)])),
      ...track(1, 'value', 'Mover/Child:transform', valueKeys([0, 1], [translate(1, 2, 3), { type: 'Transform3D', value: [2, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0] }])),
    }, 1);
    const glb = glbFromTree(scene([spin], [library('lib', { spin: 'spin' })], { 'libraries/': ref('lib') }));
    expect((await validate(glb)).errors).toBe(0);
    const json = glbJson(glb);
    const a = json.animations[0];
    expect(a.channels.map((c: { target: { path: string } }) => c.target.path)).toEqual(['rotation', 'translation', 'rotation', 'scale']);
    const doc = await readGlb(glb);
    const ch = doc.getRoot().listAnimations()[0]!.listChannels();
    const y90 = Array.from(ch[0]!.getSampler()!.getOutput()!.getArray() as Float32Array).slice(4);
    [0, Math.SQRT1_2, 0, Math.SQRT1_2].forEach((x, i) => expect(Math.abs(y90[i]! - x)).toBeLessThan(1e-6));
    expect(Array.from(ch[3]!.getSampler()!.getOutput()!.getArray() as Float32Array)).toEqual([1, 1, 1, 2, 2, 2]);
    // XYZ order: R = Rx·Ry·Rz, unlike Godot's default YXZ.
    const e = [0.3, 0.5, 0.7];
    const xyz = eulerToQuaternion(e, 0), yxz = eulerToQuaternion(e, 2);
    expect(Math.max(...xyz.map((x, i) => Math.abs(x - yxz[i]!)))).toBeGreaterThan(1e-2);
    // What Godot 4.6 prints for Quaternion.from_euler(Vector3(0.3, 0.5, 0.7)) (YXZ) and for
    // Basis.from_euler(Vector3(0.3, 0.5, 0.7), EULER_ORDER_XYZ).get_rotation_quaternion().
    [0.219896, 0.180146, 0.293777, 0.912627].forEach((x, i) => expect(yxz[i]).toBeCloseTo(x, 6));
    [0.219896, 0.180146, 0.363237, 0.887272].forEach((x, i) => expect(xyz[i]).toBeCloseTo(x, 6));
  });

  it('reads a `libraries` Dictionary and a custom root_node', () => {
    const a = animation('a', track(0, 'position_3d', 'Child', f32(0, 1, 0, 0, 0, 1, 1, 1, 1, 1)), 1);
    const glb = glbFromTree(scene([a], [library('lib', { go: 'a' })], { libraries: dict([[sname('named'), ref('lib')]]), root_node: path('../Mover') }));
    const json = glbJson(glb);
    expect(json.animations[0].name).toBe('named/go');
    expect(json.nodes[json.animations[0].channels[0].target.node].name).toBe('Child');
  });
});

describe('what is not written is reported (G-ANIM-4…7)', () => {
  const kinds = animation('kinds', {
    ...track(0, 'method', '.', dict([])),
    ...track(1, 'audio', 'Mover', dict([])),
    ...track(2, 'bezier', 'Mover:position:x', dict([])),
    ...track(3, 'blend_shape', 'Mover:smile', f32(0, 1, 0.5)),
    ...track(4, 'value', 'Mover:visible', valueKeys([0], [false])),
    ...track(5, 'value', 'Mover:position:y', valueKeys([0], [1])),
    ...track(6, 'position_3d', 'Mover:bone', f32(0, 1, 0, 0, 0)),
    ...track(7, 'position_3d', 'Mover', f32(0, 1, 0, 0, 0), { enabled: false }),
    ...track(8, 'position_3d', 'Nowhere', f32(0, 1, 0, 0, 0)),
    ...track(9, 'position_3d', 'Flat', f32(0, 1, 0, 0, 0)),
    ...track(10, 'position_3d', 'Ghost', f32(0, 1, 0, 0, 0)),
    ...track(11, 'position_3d', '/root/Mover', f32(0, 1, 0, 0, 0)),
    ...track(12, 'position_3d', '%Unique', f32(0, 1, 0, 0, 0)),
    ...track(13, 'position_3d', 'Mover', f32(0, 1, 0, 0, 0, 1, 1, 1, 1, 1)),
    ...track(14, 'value', 'Mover:position', valueKeys([0], [v3(1, 1, 1)])),
  });
  const t = scene([kinds], [library('lib', { kinds: 'kinds' })], { 'libraries/': ref('lib'), autoplay: sname('kinds') }, { hidden: true });

  it('every track kind without a glTF equivalent, each unresolvable target and a duplicate target, one issue each', async () => {
    const glb = glbFromTree(t, { hiddenNodes: 'exclude' });
    const issues = glb.report.issues;
    const byTrack = (i: number) => issues.filter((x) => x.property === `tracks/${i}`).map((x) => `${x.code} ${x.rule}`);
    for (const i of [0, 1, 2, 3, 4, 5, 6, 7]) expect(byTrack(i)).toEqual(['ANIMATION_TRACK_NOT_WRITTEN G-ANIM-5']);
    for (const i of [8, 9, 10, 11, 12]) expect(byTrack(i)).toEqual(['ANIMATION_TARGET_NOT_WRITTEN G-ANIM-4']);
    expect(byTrack(13)).toEqual([]);
    expect(byTrack(14)).toEqual(['ANIMATION_TRACK_NOT_WRITTEN G-ANIM-7']);
    expect(issues.find((x) => x.property === 'tracks/10')!.message).toMatch(/hidden/);
    expect(issues.every((x) => !x.code.startsWith('ANIMATION') || (x.path === 'Player' && x.resourceId === 'kinds'))).toBe(true);
    // The player's own settings are listed once; its libraries are not "lost" any more.
    const player = issuesOf(issues, 'NON_SPATIAL_NODE').filter((x) => x.path === 'Player');
    expect(player).toHaveLength(1);
    expect(player[0]!.message).toContain('autoplay');
    expect(player[0]!.message).not.toContain('libraries');
    expect(glbJson(glb).animations[0].channels).toHaveLength(1);
    expect(await validate(glb)).toEqual({ errors: 0, warnings: 0, messages: [] });
  });

  it('an animation with nothing writable is left out; libraries that are files, missing or of the wrong class are reported', () => {
    const empty = animation('empty', track(0, 'method', '.', dict([])));
    const glb = glbFromTree(scene([empty], [library('lib', { empty: 'empty', gone: 'nope' }), res('mat', 'StandardMaterial3D')], {
      'libraries/': ref('lib'),
      'libraries/file': { type: 'ExtResource', path: 'res://anims.tres', resourceType: 'AnimationLibrary' },
      'libraries/wrong': ref('mat'),
      'libraries/missing': ref('zzz'),
    }));
    expect(glbJson(glb).animations).toBeUndefined();
    const codes = glb.report.issues.filter((i) => i.path === 'Player').map((i) => i.code).sort();
    expect(codes).toEqual(['ANIMATION_NOT_WRITTEN', 'ANIMATION_TRACK_NOT_WRITTEN', 'EXTERNAL_RESOURCE', 'MISSING_RESOURCE', 'MISSING_RESOURCE']);
  });

  it('a root_node that does not resolve is reported for each animation', () => {
    const a = animation('a', track(0, 'position_3d', 'Mover', f32(0, 1, 0, 0, 0)));
    const glb = glbFromTree(scene([a], [library('lib', { a: 'a' })], { 'libraries/': ref('lib'), root_node: path('../../..') }));
    expect(glb.report.issues.filter((i) => i.code === 'ANIMATION_NOT_WRITTEN').map((i) => i.rule)).toEqual(['G-ANIM-4']);
  });
});

describe('hostile keys are skipped and reported, never thrown (G-ANIM-6)', () => {
  const bad: Array<[string, Props]> = [
    ['packed length not a whole number of keys', track(0, 'position_3d', 'Mover', f32(0, 1, 0, 0))],
    ['keys not an array', track(0, 'position_3d', 'Mover', 'nonsense')],
    ['times not increasing', track(0, 'position_3d', 'Mover', f32(1, 1, 0, 0, 0, 0.5, 1, 1, 1, 1))],
    ['negative time', track(0, 'scale_3d', 'Mover', f32(-1, 1, 0, 0, 0))],
    ['non-finite value', track(0, 'rotation_3d', 'Mover', f32(0, 1, NaN, 0, 0, 1))],
    ['values of the wrong type', track(0, 'value', 'Mover:position', valueKeys([0], [quat(0, 0, 0, 1)]))],
    ['times and values of different lengths', track(0, 'value', 'Mover:scale', valueKeys([0, 1], [v3(1, 1, 1)]))],
    ['keys not a Dictionary', track(0, 'value', 'Mover:rotation', f32(0, 1))],
    ['non-finite transition', track(0, 'value', 'Mover:position', valueKeys([0], [v3(0, 0, 0)], [Infinity]))],
    ['an eased segment of 1e9 s (would need billions of samples)', track(0, 'position_3d', 'Mover', f32(0, 2, 0, 0, 0, 1e9, 1, 1, 1, 1))],
  ];
  for (const [what, props] of bad) {
    it(what, async () => {
      const a = animation('a', { ...props, ...track(1, 'position_3d', 'Mover/Child', f32(0, 1, 0, 0, 0, 1, 1, 1, 1, 1)) });
      const glb = glbFromTree(scene([a], [library('lib', { a: 'a' })], { 'libraries/': ref('lib') }));
      expect(issuesOf(glb.report.issues, 'INVALID_ANIMATION_DATA').map((i) => i.property)).toEqual(['tracks/0']);
      expect(glbJson(glb).animations[0].channels).toHaveLength(1);
      expect((await validate(glb)).errors).toBe(0);
    });
  }
});

describe("Godot's interpolation (G-ANIM-3)", () => {
  const base: Curve = { space: 'vector', times: [0.5, 1], transitions: [1, 1], values: [0, 0, 0, 2, 4, 6], interp: 1, length: 2, wrap: false, eulerOrder: 2 };

  it('linear keys are written as they are; non-looping tracks hold their ends', () => {
    const s = curveToSampler(base);
    expect(Array.from(s.times)).toEqual([0.5, 1]);
    expect(s.bakedSegments).toBe(0);
    expect(sampleCurve(base, 0)).toEqual([0, 0, 0]);
    expect(sampleCurve(base, 1.7)).toEqual([2, 4, 6]);
    expect(sampleCurve(base, 0.75)).toEqual([1, 2, 3]);
  });

  it('a wrapping loop gets keys at 0 and at length with the values across the end', () => {
    const c = { ...base, wrap: true };
    const s = curveToSampler(c);
    expect(Array.from(s.times)).toEqual([0, 0.5, 1, 2]);
    // From the last key (t = 1) to the first (t = 0.5 + length): 1.5 s; t = 2 and t = 0 are both 1 s in.
    [2 / 3, 4 / 3, 2].forEach((x, i) => expect(s.values[9 + i]).toBeCloseTo(x, 6));
    expect(Array.from(s.values.slice(0, 3))).toEqual(Array.from(s.values.slice(9, 12)));
  });

  it('easing is sampled at 1/30 s with Math::ease; a hold adds one key; equal values need nothing', () => {
    const eased = curveToSampler({ ...base, transitions: [2, 1] });
    expect(eased.bakedSegments).toBe(1);
    expect(eased.times.length).toBe(2 + 14);
    expect(eased.values[3 * 3 + 1]).toBeCloseTo(4 * ease((Math.fround(18 / 30) - 0.5) / 0.5, 2), 5);
    const hold = curveToSampler({ ...base, transitions: [0, 1] });
    expect(Array.from(hold.times)).toEqual([0.5, Math.fround(1 - 1e-4), 1]);
    expect(Array.from(hold.values.slice(3, 6))).toEqual([0, 0, 0]);
    expect(curveToSampler({ ...base, transitions: [3, 1], values: [1, 1, 1, 1, 1, 1] }).bakedSegments).toBe(0);
    expect(ease(0.25, -2)).toBeCloseTo(0.125, 12);
    expect(ease(0.5, 0.5)).toBeCloseTo(0.75, 12);
  });

  it('nearest is STEP; Euler segments changing one angle by less than half a turn stay keys, others are sampled', () => {
    expect(curveToSampler({ ...base, interp: 0 }).interpolation).toBe('STEP');
    const one = curveToSampler({ ...base, space: 'euler', values: [0, 0, 0, 0, 3, 0] });
    expect(one.bakedSegments).toBe(0);
    const big = curveToSampler({ ...base, space: 'euler', values: [0, 0, 0, 0, 3.2, 0] });
    expect(big.bakedSegments).toBe(1);
    const two = curveToSampler({ ...base, space: 'euler', values: [0, 0, 0, 0.1, 0.2, 0] });
    expect(two.bakedSegments).toBe(1);
    // Quaternions stay in one hemisphere from key to key.
    const q = curveToSampler({ ...base, space: 'quaternion', values: [0, 0, 0, 1, 0, 0, 0, -1] });
    expect(Array.from(q.values)).toEqual([0, 0, 0, 1, -0, -0, -0, 1]);
  });
});

describe('demo scenes with animations (real .tscn files)', () => {
  for (const [file, names] of [
    ['squash_the_creeps/Player.tscn', ['float']],
    ['squash_the_creeps/Mob.tscn', ['float']],
    ['kinematic_character/level.tscn', ['updown1', 'side', 'updown1']],
  ] as const) {
    it(`${file}: ${names.join(', ')} written, validator-clean`, async () => {
      const glb = glbFromTree(loadFixture(file));
      expect(await validate(glb)).toEqual({ errors: 0, warnings: 0, messages: [] });
      const json = glbJson(glb);
      expect(json.animations.map((a: { name: string }) => a.name)).toEqual(names);
      for (const a of json.animations) expect(a.extras.scenesync.loopMode).toBe('linear');
      expect(glb.report.issues.filter((i) => i.code.startsWith('ANIMATION') && i.code !== 'ANIMATION_RESAMPLED')).toEqual([]);
    });
  }
});
