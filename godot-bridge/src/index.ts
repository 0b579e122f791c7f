// Public API of @scenesync/godot-bridge. Only re-exports.
export { TscnError, type TscnErrorCode } from './tscn/errors.js';
export { importTscn, projectDirOf, IMPORT_DEFAULTS, TSCN_KEYS, TSCN_KEY_PREFIX, type ImportTscnOptions, type TscnImport, type TscnReportEntry } from './tscn/import.js';
export { importTscnFile, exportTscnFile } from './tscn/files.js';
export { sceneFromTscnTree } from './tscn/scene-loader.js';
export { exportTscn, uniqueIdOf, EXPORT_DEFAULTS, type ExportTscnOptions } from './tscn/export.js';
export { readVariant, writeVariant, rawValue, rawValueText, RAW_VALUE_KEY, formatFloat, type VariantReadHooks, type VariantWriteHooks } from './tscn/variant-text.js';
export { TscnScanner } from './tscn/scanner.js';
export { BridgeProtocolError, type BridgeErrorCode } from './protocol/errors.js';
export { PROTOCOL_VERSION, parseClientMessage, parseOp, type BridgeOp, type ClientMessage } from './protocol/messages.js';
export { toWire, fromWire, treeToWire, propsToWire, propsFromWire, type WireValue, type WireTree } from './protocol/wire-values.js';
export { BridgeSession, applyOp, changeToWire, type BridgeSocket } from './sidecar/bridge-session.js';
export { startBridgeServer, BRIDGE_SERVER_DEFAULTS, type BridgeServer, type BridgeServerOptions } from './sidecar/bridge-server.js';
export { startSidecar, SIDECAR_DEFAULTS, type Sidecar, type SidecarOptions } from './sidecar/sidecar.js';
export type { RoomTransport, RoomConnection, RoomPeer, RoomStream } from './room/room-transport.js';
export { StreamBridge, STREAM_BRIDGE_DEFAULTS, type StreamBridgeOptions } from './sidecar/stream-bridge.js';
export { relayRoomTransport, startUpdateRelay, RELAY_ORIGIN, type UpdateRelay } from './room/relay-transport.js';
export { webrtcRoomTransport, type WebrtcRoomOptions } from './room/webrtc-transport.js';
