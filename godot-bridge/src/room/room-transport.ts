import type { SceneDoc } from '@scenesync/core';

/** A peer in the room, as presence reports it. */
export interface RoomPeer {
  readonly id: string;
  readonly name: string;
  /** What the peer is (`godot`, `web`, `tool`), when its presence says. */
  readonly kind?: string;
  /** The peer's colour (CSS), when its presence says. */
  readonly color?: string;
  /** Ids of the nodes the peer has selected. */
  readonly selection?: readonly string[];
}

/**
 * The room's ephemeral transform stream (docs/bridge-protocol.md B-STREAM): owned nodes' transforms
 * at a high rate, outside the document; receivers interpolate.
 */
export interface RoomStream {
  /** Publishes a transform (12 numbers) of a node this peer owns; throws when it does not own it. */
  move(node: string, transform: readonly number[]): void;
  /** The smoothed (interpolated) transform of a streamed node, or the document's value. */
  transformOf(node: string): number[] | undefined;
  /** Calls `listener` with the nodes a received frame updated. */
  onReceived(listener: (nodes: string[]) => void): void;
}

/** The sidecar's live membership of a room. */
export interface RoomConnection {
  /** Leaves the room; the SceneDoc stays as it is. */
  leave(): Promise<void>;
  /**
   * Resolves once the document caught up with the room (first sync with the connected peers), so a
   * restarted sidecar does not hand its addon an empty snapshot (B-RESYNC). Resolves at once when the
   * transport cannot tell.
   */
  readonly synced: Promise<void>;
  /** The transform stream, or null when the transport has none (then streamed edits go to the document). */
  readonly stream: RoomStream | null;
  /** Calls `listener` with the current peers whenever they change (when the transport knows them). */
  onPeers(listener: (peers: readonly RoomPeer[]) => void): void;
  /** Shows this peer's selection (node ids) to the others (a no-op when the transport has no presence). */
  setSelection(ids: readonly string[]): void;
}

/**
 * How the sidecar puts its SceneDoc in a room: `@scenesync/webrtc` in production
 * ({@link webrtcRoomTransport}), a direct update relay where WebRTC is not wanted
 * ({@link relayRoomTransport}). Injected, so the sidecar does not depend on one network.
 */
export interface RoomTransport {
  /** Joins with `scene`; resolves once joining started (peers may arrive later). */
  join(scene: SceneDoc): Promise<RoomConnection>;
}
