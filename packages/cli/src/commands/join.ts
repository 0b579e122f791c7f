/**
 * `scenesync join <room>`: joins a room, prints the tree once synced, then every change live (as
 * text, or as JSON lines with `--json`), until Ctrl+C.
 */
import { SceneDoc, type SceneChange } from '@scenesync/core';
import type { Room } from '@scenesync/webrtc';
import { joinFromCli, type CliRoomOptions } from '../room/room-session.js';
import { changeText, toJson, treeText } from '../room/tree-text.js';

/** Options of {@link runJoin}. */
export interface JoinOptions extends Omit<CliRoomOptions, 'room'> {
  /** JSON lines instead of text: `{"tree":…}` then `{"changes":[…]}` per transaction. */
  json: boolean;
}

/** A joined room that is printing; `leave()` stops. */
export interface JoinSession {
  scene: SceneDoc;
  room: Room;
  leave(): Promise<void>;
}

/** Joins and starts printing to `out` (stdout by default). */
export async function runJoin(roomName: string, options: JoinOptions, out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<JoinSession> {
  const scene = new SceneDoc();
  // Names of nodes as they were before a change list, so "removed" lines can still name them.
  const names = new Map<string, string>([[scene.rootId, scene.getNode(scene.rootId)?.name ?? 'root']]);
  const nameOf = (id: string): string => names.get(id) ?? scene.getNode(id as never)?.name ?? id;
  let printedTree = false;
  const printTree = (): void => {
    printedTree = true;
    const tree = scene.toTree();
    if (options.json) out(toJson({ tree }));
    else out(treeText(tree));
  };
  scene.observe((changes: readonly SceneChange[]) => {
    if (!printedTree) return;
    if (options.json) out(toJson({ changes }));
    else for (const change of changes) out(changeText(change, nameOf));
    for (const change of changes) {
      if (change.kind === 'added') names.set(change.id, change.name);
      else if (change.kind === 'renamed') names.set(change.id, change.name);
    }
  });
  const room = await joinFromCli(scene, { ...options, room: roomName });
  if (!options.json) out(`joined room "${roomName}"; waiting for peers (Ctrl+C to leave)`);
  void room.synced.then(() => {
    for (const id of allIds(scene)) names.set(id, scene.getNode(id as never)?.name ?? id);
    printTree();
  });
  // Presence forgets a peer's state when it leaves: remember names to say who left.
  const peerNames = new Map<number, string>();
  room.presence.on('join', (peer) => {
    if (peer.clientId === scene.doc.clientID) return;
    peerNames.set(peer.clientId, peer.name);
    out(options.json ? toJson({ peerJoined: peer }) : `* ${peer.name} (${peer.kind}) joined`);
  });
  room.presence.on('leave', (clientId) => {
    const name = peerNames.get(clientId) ?? `peer ${clientId}`;
    peerNames.delete(clientId);
    out(options.json ? toJson({ peerLeft: { clientId, name } }) : `* ${name} left`);
  });
  return { scene, room, leave: () => room.leave() };
}

function allIds(scene: SceneDoc): string[] {
  const ids: string[] = [];
  const walk = (id: string): void => {
    ids.push(id);
    for (const child of scene.children(id as never)) walk(child);
  };
  walk(scene.rootId);
  return ids;
}
