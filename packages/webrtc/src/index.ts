/**
 * `@scenesync/webrtc`: peer-to-peer scenesync rooms over y-webrtc, with presence and an ephemeral
 * transform stream. See docs/stream-protocol.md for the wire formats.
 */
export { joinRoom, Room, type RoomEvents, type RoomScene } from './room/room.js';
export { DEFAULTS, type RoomOptions, type JoinRoomOptions } from './room/options.js';
export { RoomError, type RoomErrorCode } from './errors.js';
export { Presence, colorForName, type PeerPresence, type PeerKind, type PresenceEvents } from './presence/presence.js';
export {
  TransformStream,
  STREAM_DEFAULTS,
  STREAM_COMMIT_ORIGIN,
  type StreamOptions,
  type StreamStats,
  type StreamScene,
  type TransformStreamEvents,
} from './stream/transform-stream.js';
export {
  encodeStreamFrame,
  decodeStreamFrame,
  packRotation,
  unpackRotation,
  positionExponentFor,
  STREAM_FRAME_VERSION,
  type StreamFrame,
  type TransformRecord,
  type HandleDefinition,
} from './stream/frame.js';
export { InterpolationBuffer, INTERPOLATION_DEFAULTS, type InterpolationOptions } from './stream/interpolation.js';
export { decomposeTransform, composeTransform, slerp, type TransformParts } from './stream/transform-math.js';
export { exchangeStateVectors } from './room/anti-entropy.js';
export type { WrtcImplementation } from './runtime/node-runtime.js';
