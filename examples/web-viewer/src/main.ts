/**
 * The viewer page: joins the room named in the URL over WebRTC (signalling through the server the
 * page came from), mirrors the shared scene in three.js, and wires the outliner, presence, gizmo,
 * toolbar and export panel. Each of those lives in its own module; this file only connects them.
 */
import { SceneDoc, type SceneChange } from '@scenesync/core';
import { joinRoom } from '@scenesync/webrtc';
import { readViewerConfig } from './config.js';
import { Viewport } from './viewport.js';
import { SceneMirror } from './scene/scene-mirror.js';
import { SceneEdits } from './scene/scene-edits.js';
import { Selection } from './interaction/selection.js';
import { TransformGizmo } from './interaction/gizmo.js';
import { installPicking } from './interaction/picking.js';
import { SelectionBoxes } from './interaction/selection-boxes.js';
import { Outliner } from './ui/outliner.js';
import { PresencePanel, selectionMarks } from './ui/presence-panel.js';
import { installToolbar } from './ui/toolbar.js';
import { StreamedTransforms } from './stream/streamed-transforms.js';
import { ExportPanel } from './export/export-panel.js';
import { SnapshotApi } from './export/snapshot-api.js';
import { exportGlbInWorker } from './export/glb-worker-client.js';
import { composeTransform3d } from './scene/godot-values.js';

const element = (id: string): HTMLElement => document.getElementById(id)!;

/** The change kinds the outliner shows. */
const OUTLINER_KINDS: ReadonlySet<SceneChange['kind']> = new Set(['added', 'removed', 'moved', 'renamed']);

/** Shows a one-line message at the bottom of the page (errors stay until the next message). */
function showMessage(text: string, error = false): void {
  const box = element('message');
  box.textContent = text;
  box.classList.toggle('error', error);
  if (!error) setTimeout(() => box.textContent === text && (box.textContent = ''), 4000);
}

/** Shows an error (a refused edit, a failed join) as the page's message line. */
function reportError(error: unknown): void {
  showMessage(error instanceof Error ? error.message : String(error), true);
}

async function start(): Promise<void> {
  const config = readViewerConfig(location.href);
  element('room-label').textContent = `room ${config.room} · ${config.name}`;
  document.title = `${config.room} · scenesync`;

  const scene = new SceneDoc();
  const viewport = new Viewport(element('viewport'));
  const mirror = new SceneMirror(scene.toTree());
  viewport.scene.add(mirror.root);
  const selection = new Selection();
  const edits = new SceneEdits(scene);
  const outliner = new Outliner(element('outliner'), scene, selection, edits, reportError);

  scene.observe((changes: readonly SceneChange[]) => {
    mirror.apply(changes);
    viewport.invalidate();
    // Property changes (a peer's transform commits, once a second while it animates) do not show in
    // the outliner; redrawing it for them would also cut short a click or a drag in the list.
    if (changes.some((c) => OUTLINER_KINDS.has(c.kind))) outliner.refresh();
    // A removed selection is no selection.
    if (selection.id && !scene.hasNode(selection.id)) selection.set(null);
  });

  const room = await joinRoom(scene, {
    room: config.room,
    signaling: config.signaling,
    name: config.name,
    kind: 'web',
    iceServers: config.iceServers,
  });
  const connection = element('connection');
  const showConnection = (): void => {
    const peers = room.presence.all().size - 1;
    connection.textContent =
      peers === 0 ? 'alone in the room' : `${peers} peer${peers === 1 ? '' : 's'} · ${room.isSynced ? 'synced' : 'syncing…'}`;
    connection.dataset.peers = String(peers);
  };
  showConnection();
  setInterval(showConnection, 1000);

  const gizmo = new TransformGizmo(viewport, {
    onDragStart: (id) => edits.beginDrag(id),
    onDrag: (id, object) => {
      try {
        room.stream.move(id, composeTransform3d(object.position, object.quaternion, object.scale));
      } catch (error) {
        // Another peer holds the node; the drag still commits on release (last writer wins).
        reportError(error);
      }
    },
    onCommit: (id, transform) => edits.endDrag(id, transform),
  });
  selection.onChange((id) => {
    gizmo.attach(id, id ? mirror.objectOf(id) : undefined);
    viewport.invalidate();
    room.presence.setSelection(id ? [id] : []);
  });
  installPicking(viewport, mirror, selection, gizmo);
  installToolbar(element('toolbar'), edits, selection, gizmo, reportError);

  // Show a scene that arrives with the first sync whole (an imported Godot scene may be anywhere).
  void room.synced.then(() => viewport.focus(mirror.root));
  window.addEventListener('keydown', (event) => {
    if (event.key.toLowerCase() !== 'f' || event.target instanceof HTMLInputElement || event.ctrlKey || event.metaKey) return;
    viewport.focus((selection.id && mirror.objectOf(selection.id)) || mirror.root);
  });

  const boxes = new SelectionBoxes(viewport.scene, mirror);
  new PresencePanel(element('presence'), room.presence, (id) => scene.getNode(id)?.name, (peers) => {
    outliner.setPresenceMarks(selectionMarks(peers));
    boxes.show(peers);
    viewport.invalidate();
  });

  const streamed = new StreamedTransforms(room.stream, mirror, () => (gizmo.isDragging ? selection.id : null));
  viewport.onFrame(() => {
    const posed = streamed.update();
    return boxes.update() || posed;
  });

  new ExportPanel(element('export'), new SnapshotApi(config.httpBase, config.room), config.room, () => exportGlbInWorker(scene), {
    token: config.token,
  });

  window.addEventListener('beforeunload', () => void room.leave());
  // For people debugging in the console and for the browser tests: the live objects, read-only use.
  Object.assign(window, { scenesyncViewer: { scene, room, mirror, selection, viewport } });
}

start().catch(reportError);
