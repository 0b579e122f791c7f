import type { SceneDoc } from '@scenesync/core';
import type { RoomConnection, RoomPeer, RoomTransport } from './room-transport.js';

/** Options of {@link webrtcRoomTransport}. */
export interface WebrtcRoomOptions {
  room: string;
  /** Signalling server URLs (ws://…). */
  signaling: string[];
  /** Display name in presence. */
  name: string;
  /** Room password (end-to-end encrypted signalling), when the room has one. */
  password?: string;
  /** ICE servers; `[]` on a LAN or in a test's network namespace. Undefined keeps the defaults. */
  iceServers?: Array<{ urls: string | string[] }>;
}

/** The part of `@scenesync/webrtc`'s Room this transport uses. */
interface WebrtcRoom {
  leave(): Promise<void>;
  readonly synced: Promise<void>;
  stream: {
    move(node: string, transform: readonly number[]): void;
    transformOf(node: string): number[] | undefined;
    on(event: 'received', listener: (nodes: string[]) => void): unknown;
  };
  presence: {
    on(event: 'join' | 'leave' | 'change', listener: (...args: unknown[]) => void): unknown;
    peers(): Array<{ clientId: number; name: string; kind?: string; color?: string; selection?: readonly string[] }>;
    setSelection(selection: readonly string[]): void;
  };
}

/**
 * Joins the room with `@scenesync/webrtc` (`joinRoom`, presence kind `godot`): the production
 * transport. The WebRTC stack is loaded only when this transport is used.
 */
export function webrtcRoomTransport(options: WebrtcRoomOptions): RoomTransport {
  return {
    async join(scene: SceneDoc): Promise<RoomConnection> {
      // A specifier in a variable: loaded at run time only, and this package's types do not depend
      // on @scenesync/webrtc's build.
      const specifier = '@scenesync/webrtc';
      const webrtc = (await import(specifier)) as {
        joinRoom(scene: SceneDoc, opts: Record<string, unknown>): Promise<WebrtcRoom>;
      };
      const room = await webrtc.joinRoom(scene, {
        room: options.room,
        signaling: options.signaling,
        name: options.name,
        kind: 'godot',
        ...(options.password !== undefined ? { password: options.password } : {}),
        ...(options.iceServers !== undefined ? { iceServers: options.iceServers } : {}),
      });
      return {
        leave: () => room.leave(),
        synced: room.synced,
        stream: {
          move: (node, transform) => room.stream.move(node, transform),
          transformOf: (node) => room.stream.transformOf(node),
          onReceived: (listener) => void room.stream.on('received', listener),
        },
        onPeers(listener: (peers: readonly RoomPeer[]) => void) {
          const emit = (): void =>
            listener(room.presence.peers().map((p) => ({
              id: String(p.clientId),
              name: p.name,
              ...(p.kind ? { kind: p.kind } : {}),
              ...(p.color ? { color: p.color } : {}),
              selection: [...(p.selection ?? [])],
            })));
          for (const event of ['join', 'leave', 'change'] as const) room.presence.on(event, emit);
          emit();
        },
        setSelection: (ids) => room.presence.setSelection(ids),
      };
    },
  };
}
