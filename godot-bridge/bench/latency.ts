/**
 * Edit in Godot A → visible in Godot B, over the full stack (addon → sidecar → WebRTC room →
 * sidecar → addon), inside a network namespace. Run by bench/run.mjs (node --import tsx).
 * Prints one JSON line: {samples, p50Ms, p99Ms, baselineP50Ms, baselineP99Ms}.
 * Baseline, same run: the same command round trip where Godot A watches its own edit (control
 * channel + one frame), i.e. the measuring overhead without the network path.
 */
import { makeGodotProject, removeGodotProjects } from '../test/helpers/godot.js';
import { Agent, eventually, NetNs, startGodot, startSidecarProcess, startSignaling, stopChild } from '../test/e2e/netns.js';

const SAMPLES = Number(process.env.SAMPLES ?? 200);

function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))]!;
}

async function main(): Promise<void> {
  const ns = await NetNs.create();
  const agent = Agent.start(ns);
  const children = [];
  try {
    const controlPort = await agent.call<number>('control_listen');
    const signaling = await startSignaling(ns, agent, 4466);
    children.push(signaling.child);
    for (const name of ['A', 'B']) {
      const sidecar = await startSidecarProcess(ns, ['--room', 'bench', '--signaling', signaling.url, '--no-stun', '--name', name]);
      children.push(sidecar.child);
      const godot = startGodot(ns, await makeGodotProject(), [
        `--scenesync-port=${sidecar.port}`, `--scenesync-token=${sidecar.token}`, '--scenesync-root-path=/root/Driver/World',
        `--control-url=ws://127.0.0.1:${controlPort}/${name}`,
      ]);
      children.push(godot.child);
    }
    await eventually(async () => (await agent.call<string[]>('drivers')).length === 2, () => 'drivers', 60_000);
    for (const name of ['A', 'B']) await eventually(async () => (await agent.godot(name, { cmd: 'status' })).synced, () => name, 30_000);
    await agent.godot('A', { cmd: 'add', parent: '', name: 'Probe', type: 'Node3D' });
    await eventually(async () => JSON.stringify(await agent.godot('B', { cmd: 'dump' })).includes('Probe'), () => 'Probe never reached B');
    const measure = async (watcher: string, i: number): Promise<number> => {
      const value = `Transform3D(1, 0, 0, 0, 1, 0, 0, 0, 1, ${i}, ${watcher === 'A' ? 1 : 2}, 0)`;
      const watched = agent.godot(watcher, { cmd: 'watch', path: 'Probe', key: 'transform', value });
      const t0 = performance.now();
      await agent.godot('A', { cmd: 'set', path: 'Probe', key: 'transform', value });
      await watched;
      return performance.now() - t0;
    };
    const remote: number[] = [];
    const local: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      local.push(await measure('A', i));
      remote.push(await measure('B', i));
    }
    process.stdout.write(`${JSON.stringify({ samples: SAMPLES, p50Ms: pct(remote, 0.5), p99Ms: pct(remote, 0.99), baselineP50Ms: pct(local, 0.5), baselineP99Ms: pct(local, 0.99) })}\n`);
  } finally {
    for (const c of children.reverse()) await stopChild(c);
    await agent.stop();
    await ns.close();
    removeGodotProjects();
  }
}

main().catch((e) => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exit(1);
});
