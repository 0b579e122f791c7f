import { describe, expect, it } from 'vitest';
import { SceneDoc, type InvalidEntry } from '../src/index.js';
import { canon } from './support/canon.js';
import { ROOT, expectConverged, expectRefused, makePeers, nid, syncAll } from './support/peers.js';

const ALBEDO = { type: 'Color', value: [1, 0.5, 0.25, 1] } as const;

describe('R-RES resources', () => {
  it('R-EVENT-4: a resource undone and made again under the same id, seen in one update, is reported removed then added', () => {
    const [a, b] = makePeers(2);
    const size = (x: number) => ({ type: 'Vector3', value: [x, 1, 1] }) as const;
    a!.addResource({ id: 'box', type: 'BoxMesh', props: { size: size(1) } });
    syncAll([a!, b!]);
    const seen: unknown[] = [];
    b!.observe((changes) => seen.push(...changes.filter((c) => c.kind.startsWith('resource'))));
    a!.stopCapturing();
    a!.undo();
    a!.addResource({ id: 'box', type: 'PrismMesh', props: { size: size(3) } });
    syncAll([a!, b!]);
    expect(b!.getResource('box')).toEqual({ id: 'box', type: 'PrismMesh', props: { size: size(3) } });
    expect(seen).toEqual([
      { kind: 'resourceRemoved', id: 'box' },
      { kind: 'resourceAdded', id: 'box', type: 'PrismMesh', props: { size: size(3) } },
    ]);
  });

  it('R-RES: a resource has an id, a type and typed properties, and is listed in toTree().resources', () => {
    const [a, b] = makePeers(2);
    const mat = a!.addResource({ type: 'StandardMaterial3D', props: { albedo_color: ALBEDO, metallic: 0.5 } });
    expect(mat).toMatch(/^[0-9A-Za-z]{9}$/);
    syncAll([a!, b!]);
    expect(canon(b!.getResource(mat))).toBe(canon({ id: mat, type: 'StandardMaterial3D', props: { albedo_color: ALBEDO, metallic: 0.5 } }));
    expect(canon(b!.toTree().resources[mat])).toBe(canon({ id: mat, type: 'StandardMaterial3D', props: { albedo_color: ALBEDO, metallic: 0.5 } }));
  });

  it('R-RES: one mesh shared by many nodes is one record: a change to it is seen through every reference', () => {
    const [a, b] = makePeers(2);
    const mesh = a!.addResource({ type: 'BoxMesh', props: { size: { type: 'Vector3', value: [1, 1, 1] } } });
    const users = [0, 1, 2].map((i) =>
      a!.addNode({ parent: ROOT, name: `Box${i}`, type: 'MeshInstance3D', props: { mesh: { type: 'Resource', id: mesh } } }),
    );
    syncAll([a!, b!]);
    b!.setResourceProperty(mesh, 'size', { type: 'Vector3', value: [2, 2, 2] });
    syncAll([a!, b!]);
    const tree = expectConverged([a!, b!], users);
    expect(Object.keys(tree.resources)).toEqual([mesh]);
    for (const u of users) expect(a!.getProperty(u, 'mesh')).toEqual({ type: 'Resource', id: mesh });
    expect(a!.getResource(mesh)!.props.size).toEqual({ type: 'Vector3', value: [2, 2, 2] });
  });

  it('R-RES: resources nest (a material inside a mesh) by reference', () => {
    const [a, b] = makePeers(2);
    const mat = a!.addResource({ type: 'StandardMaterial3D', props: { albedo_color: ALBEDO } });
    const mesh = a!.addResource({ type: 'SphereMesh', props: { material: { type: 'Resource', id: mat }, radius: 0.5 } });
    syncAll([a!, b!]);
    const tree = b!.toTree();
    expect(tree.resources[mesh]!.props.material).toEqual({ type: 'Resource', id: mat });
    expect(tree.resources[mat]!.type).toBe('StandardMaterial3D');
  });

  it('R-RES: removing a resource leaves references dangling as they are, and reports them', () => {
    const [a, b] = makePeers(2);
    const reports: InvalidEntry[] = [];
    b!.observeInvalid((e) => reports.push(...e));
    const mesh = a!.addResource({ type: 'BoxMesh' });
    const user = a!.addNode({ parent: ROOT, name: 'User', type: 'MeshInstance3D', props: { mesh: { type: 'Resource', id: mesh } } });
    syncAll([a!, b!]);
    a!.removeResource(mesh);
    syncAll([a!, b!]);
    expect(b!.getResource(mesh)).toBeUndefined();
    expect(b!.toTree().resources[mesh]).toBeUndefined();
    expect(b!.getProperty(user, 'mesh')).toEqual({ type: 'Resource', id: mesh });
    expect(reports.length).toBeGreaterThan(0);
  });

  it('R-RES: a resource edited on one peer while removed on another is removed everywhere', () => {
    const [a, b] = makePeers(2);
    const mesh = a!.addResource({ type: 'BoxMesh' });
    syncAll([a!, b!]);
    a!.removeResource(mesh);
    b!.setResourceProperty(mesh, 'size', { type: 'Vector3', value: [3, 3, 3] });
    syncAll([a!, b!]);
    expectConverged([a!, b!]);
    expect(a!.getResource(mesh)).toBeUndefined();
    expect(b!.getResource(mesh)).toBeUndefined();
    expectRefused(b!, 'UNKNOWN_RESOURCE', () => b!.setResourceProperty(mesh, 'size', 1));
  });

  it('R-RES: concurrent writes of one resource property converge', () => {
    const [a, b, c] = makePeers(3);
    const mat = a!.addResource({ type: 'StandardMaterial3D' });
    syncAll([a!, b!, c!]);
    a!.setResourceProperty(mat, 'metallic', 0.1);
    b!.setResourceProperty(mat, 'metallic', 0.9);
    c!.setResourceProperty(mat, 'roughness', 0.3);
    syncAll([a!, b!, c!]);
    expectConverged([a!, b!, c!]);
    expect([0.1, 0.9]).toContain(c!.getResource(mat)!.props.metallic);
    expect(a!.getResource(mat)!.props.roughness).toBe(0.3);
  });

  it('R-RES: unknown resources and duplicate ids are refused and nothing is written', () => {
    const [a] = makePeers(1);
    const mesh = a!.addResource({ type: 'BoxMesh', id: 'MESH000001' });
    expect(mesh).toBe('MESH000001');
    const missing = 'NOPE000000' as never;
    expectRefused(a!, 'UNKNOWN_RESOURCE', () => a!.setResourceProperty(missing, 'size', 1));
    expectRefused(a!, 'UNKNOWN_RESOURCE', () => a!.removeResource(missing));
    expectRefused(a!, 'DUPLICATE_ID', () => a!.addResource({ type: 'BoxMesh', id: 'MESH000001' }));
    expect(a!.getResource(missing)).toBeUndefined();
  });

  it('R-RES: fromTree keeps resource ids, types and props', () => {
    const tree = {
      id: 'root',
      name: 'Root',
      type: 'Node3D',
      props: {},
      children: [
        { id: nid('MESHUSER00'), name: 'M', type: 'MeshInstance3D', props: { mesh: { type: 'Resource', id: 'MESH000001' } }, children: [] },
      ],
      resources: { MESH000001: { id: 'MESH000001', type: 'BoxMesh', props: { size: { type: 'Vector3', value: [1, 2, 3] } } } },
    };
    const s = SceneDoc.fromTree(tree as never);
    expect(canon(s.toTree())).toBe(canon(tree));
  });
});
