import type { NodeId, ResourceId, SceneChange, SceneDoc } from '@scenesync/core';
import { BridgeProtocolError } from '../protocol/errors.js';
import { messageType, parseClientMessage, PROTOCOL_VERSION, type BridgeOp } from '../protocol/messages.js';
import { propsToWire, toWire, treeToWire } from '../protocol/wire-values.js';
import type { StreamBridge } from './stream-bridge.js';

/** What a BridgeSession needs from its socket: send a text frame, close. */
export interface BridgeSocket {
  send(text: string): void;
  close(code: number, reason: string): void;
}

/**
 * One addon connection to the sidecar (docs/bridge-protocol.md): checks the handshake, applies the
 * addon's ops to the SceneDoc in one transaction per message, and forwards every change that did not
 * come from this session. Never throws out of `receive` (B-ERR-1).
 */
export class BridgeSession {
  private welcomed = false;
  private disposed = false;
  private readonly offObserve: () => void;
  /** The addon's display name, from `hello`. */
  name = '';

  constructor(
    private readonly scene: SceneDoc,
    private readonly socket: BridgeSocket,
    private readonly token: string,
    private readonly ready: Promise<void> | null = null,
    private readonly stream: StreamBridge | null = null,
    private readonly onWelcome: () => void = () => undefined,
    private readonly onSelect: (ids: readonly string[]) => void = () => undefined,
  ) {
    this.offObserve = scene.observe((changes, info) => {
      if (!this.welcomed || info.origin === this) return; // B-ECHO
      const touched = new Set<string>();
      for (const c of changes) {
        if (c.kind === 'added' || c.kind === 'removed') touched.add(c.parent);
        else if (c.kind === 'moved') touched.add(c.parent).add(c.oldParent);
      }
      this.send({ t: 'changes', changes: [...changes.map(changeToWire), ...this.orderOf(touched)] });
    });
  }

  /** Handles one text frame from the addon. */
  receive(text: string): void {
    try {
      this.handle(text);
    } catch (e) {
      const code = e instanceof BridgeProtocolError ? e.code : 'BAD_MESSAGE';
      this.send({ t: 'error', code, message: (e as Error).message, ref: messageType(text) });
    }
  }

  /** Stops forwarding changes (call when the socket closed). */
  dispose(): void {
    this.disposed = true;
    this.offObserve();
  }

  /** Sends a message to the addon (used by the server for presence). */
  send(message: object): void {
    try {
      this.socket.send(JSON.stringify(message));
    } catch {
      // A socket closing under us is not the document's problem; the close handler disposes us.
    }
  }

  private handle(text: string): void {
    const msg = parseClientMessage(text);
    if (msg.t === 'hello') {
      if (msg.token !== this.token) {
        this.send({ t: 'error', code: 'BAD_TOKEN', message: 'wrong session token: use the token the sidecar printed or was started with (--token)', ref: 'hello' });
        this.socket.close(4001, 'bad token');
        return;
      }
      if (msg.v !== PROTOCOL_VERSION) {
        this.send({ t: 'error', code: 'BAD_VERSION', message: `protocol version ${String(msg.v)} is not supported; this sidecar speaks ${PROTOCOL_VERSION}: update the addon or the sidecar`, ref: 'hello', supported: [PROTOCOL_VERSION] });
        this.socket.close(4002, 'bad version');
        return;
      }
      this.name = msg.name;
      const welcome = (): void => {
        if (this.disposed) return;
        this.welcomed = true;
        this.send({ t: 'welcome', v: PROTOCOL_VERSION, peer: this.scene.doc.clientID });
        this.send({ t: 'snapshot', tree: treeToWire(this.scene.toTree()) });
        this.onWelcome();
      };
      if (this.ready) void this.ready.then(welcome, welcome);
      else welcome();
      return;
    }
    if (!this.welcomed) throw new BridgeProtocolError('HELLO_FIRST', `"${msg.t}" before "hello": send {"t":"hello","v":${PROTOCOL_VERSION},"token":…} first`);
    switch (msg.t) {
      case 'ops':
        this.applyOps(msg.ops, msg.n);
        return;
      case 'resync':
        this.send({ t: 'snapshot', tree: treeToWire(this.scene.toTree()) });
        return;
      case 'dump':
        this.send({ t: 'tree', tree: treeToWire(this.scene.toTree()) });
        return;
      case 'ping':
        this.send({ t: 'pong', n: msg.n });
        return;
      case 'select':
        this.onSelect(msg.ids);
        return;
      case 'own':
      case 'release':
        try {
          if (msg.t === 'own') this.scene.claimOwnership(msg.id as NodeId);
          else this.scene.releaseOwnership(msg.id as NodeId);
        } catch (e) {
          throw new BridgeProtocolError('OP_REFUSED', (e as Error).message);
        }
        this.send({ t: 'owner', id: msg.id, owner: this.scene.ownerOf(msg.id as NodeId), self: this.scene.doc.clientID });
        return;
      case 'stream': {
        const refused: string[] = [];
        for (const [id, transform] of msg.nodes) {
          try {
            this.stream?.publish(id, transform);
          } catch (e) {
            refused.push(`${id}: ${(e as Error).message}`);
          }
        }
        if (refused.length) throw new BridgeProtocolError('OP_REFUSED', `not streamed (claim the node first with {"t":"own"}): ${refused.join('; ')}`);
        return;
      }
    }
  }

  private applyOps(ops: readonly BridgeOp[], seq: number | null = null): void {
    const refused: { op: number; message: string }[] = [];
    // One transaction per run of ops, cut after each res_add: SceneDoc sees a new resource as
    // referable only once the transaction that added it is over.
    let i = 0;
    while (i < ops.length) {
      this.scene.transact(() => {
        for (; i < ops.length; ) {
          const op = ops[i]!;
          try {
            applyOp(this.scene, op);
          } catch (e) {
            refused.push({ op: i, message: (e as Error).message });
          }
          i++;
          if (op.op === 'res_add') break;
        }
      }, this);
    }
    for (const r of refused) this.send({ t: 'error', code: 'OP_REFUSED', message: r.message, op: r.op, ref: 'ops' });
    // B-NAME: the document may give a node another name than the addon asked for (invalid
    // characters, a sibling holding it, R-NAME); tell this session, whose own changes are not echoed.
    const requested = new Map<string, string>();
    for (const op of ops) if (op.op === 'add' || op.op === 'rename') requested.set(op.id, op.name);
    const renamed: Record<string, unknown>[] = [];
    for (const [id, name] of requested) {
      const node = this.scene.getNode(id as NodeId);
      if (node && node.name !== name) renamed.push({ kind: 'renamed', id, name: node.name, oldName: name });
    }
    // B-ORDER: the document's sibling order where this batch added or moved nodes; concurrent
    // edits may have placed them differently than the addon's own tree has them.
    const touched = new Set<string>();
    for (const op of ops) if (op.op === 'add' || op.op === 'move') touched.add(op.parent);
    const order = this.orderOf(touched);
    // B-ACK: acknowledged before the corrections, which are about these very ops.
    if (seq !== null) this.send({ t: 'ack', n: seq });
    if (renamed.length || order.length) this.send({ t: 'changes', changes: [...renamed, ...order] });
  }

  /** `order` entries (B-ORDER): the live children of each parent, in document order. */
  private orderOf(parents: Iterable<string>): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    for (const parent of parents) {
      if (this.scene.hasNode(parent as NodeId)) out.push({ kind: 'order', parent, children: this.scene.children(parent as NodeId) });
    }
    return out;
  }
}

/** Applies one addon op to the document (B-OPS table). Throws what SceneDoc throws. */
export function applyOp(scene: SceneDoc, op: BridgeOp): void {
  switch (op.op) {
    case 'add':
      scene.addNode({ id: op.id, parent: op.parent as NodeId, name: op.name, type: op.type, props: op.props, ...(op.index === undefined ? {} : { index: op.index }) });
      return;
    case 'remove':
      scene.removeNode(op.id as NodeId);
      return;
    case 'move':
      scene.moveNode(op.id as NodeId, op.parent as NodeId, op.index);
      return;
    case 'rename':
      scene.renameNode(op.id as NodeId, op.name);
      return;
    case 'set':
      if (op.value === undefined) scene.deleteProperty(op.id as NodeId, op.key);
      else scene.setProperty(op.id as NodeId, op.key, op.value);
      return;
    case 'res_add':
      scene.addResource({ id: op.id, type: op.type, props: op.props });
      return;
    case 'res_set':
      if (op.value === undefined) scene.setResourceProperty(op.id as ResourceId, op.key, null);
      else scene.setResourceProperty(op.id as ResourceId, op.key, op.value);
      return;
    case 'res_remove':
      scene.removeResource(op.id as ResourceId);
      return;
    case 'root':
      scene.setRootInfo({ ...(op.type ? { type: op.type } : {}), ...(op.name ? { name: op.name } : {}) });
      return;
  }
}

/** A SceneChange with WireValues (B-CHANGES-1). */
export function changeToWire(c: SceneChange): Record<string, unknown> {
  switch (c.kind) {
    case 'added':
      return { ...c, props: propsToWire(c.props) };
    case 'resourceAdded':
      return { ...c, props: propsToWire(c.props) };
    case 'property':
    case 'resourceProperty':
      return c.value === undefined ? { kind: c.kind, id: c.id, key: c.key, unset: true } : { ...c, value: toWire(c.value) };
    default:
      return { ...c };
  }
}
