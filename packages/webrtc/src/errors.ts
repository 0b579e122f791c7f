/** Why a `@scenesync/webrtc` call was refused or a room reported a problem. */
export type RoomErrorCode =
  /** Another room with this name is already open in this process (y-webrtc keeps one per name). */
  | 'ROOM_IN_USE'
  /** `joinRoom` was called with missing or malformed options. */
  | 'INVALID_OPTIONS'
  /** No WebRTC implementation was found (Node without `@roamhq/wrtc`). */
  | 'NO_WEBRTC'
  /** No WebSocket implementation was found (Node without `ws`). */
  | 'NO_WEBSOCKET'
  /** A signalling message of this room could not be decrypted: a peer uses another password. */
  | 'WRONG_PASSWORD'
  /** A malformed signalling message for this room was dropped (G-SHAPE). */
  | 'BAD_SIGNAL'
  /** A y-webrtc message too large for one data-channel message could not go to a peer (C-BULK). */
  | 'MESSAGE_TOO_LARGE'
  /** The room was left; the call needs a joined room. */
  | 'ROOM_CLOSED'
  /** A stream frame was malformed (see docs/stream-protocol.md). */
  | 'BAD_FRAME'
  /** A stream call named a node this peer does not own or a value that is not a transform. */
  | 'NOT_STREAMABLE';

/**
 * The error every `@scenesync/webrtc` call throws (and every `Room` `error` event carries).
 * Its message says what to do next.
 *
 * @example
 * try { await joinRoom(scene, opts) } catch (e) { if (e instanceof RoomError && e.code === 'ROOM_IN_USE') … }
 */
export class RoomError extends Error {
  override readonly name = 'RoomError';
  constructor(
    readonly code: RoomErrorCode,
    message: string,
  ) {
    super(message);
  }
}
