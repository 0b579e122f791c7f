/**
 * `scenesync` as a library: the program behind the `scenesync` command, and each command as a
 * function (start the server, run the demo peer, export a room...) for scripts and tests.
 */
export { createProgram, CLI_VERSION, type ProgramIO, type Running } from './program.js';
export { CliError, errorLine, type CliErrorCode } from './errors.js';
export { Progress } from './progress.js';
export { ROOM_DEFAULTS, joinFromCli, roomEndpoints, waitForSync, signalingUrlOf, allLoopback, type CliRoomOptions } from './room/room-session.js';
export { treeText, changeText, valueText, toJson } from './room/tree-text.js';
export { startServe, viewerUrl, SERVE_DEFAULTS, type ServeOptions } from './commands/serve.js';
export { startDemo, type RunningDemo } from './commands/demo.js';
export { runJoin, type JoinOptions, type JoinSession } from './commands/join.js';
export { runExport, EXPORT_DEFAULTS, type ExportOptions, type ExportResult } from './commands/export.js';
export { runImport, IMPORT_DEFAULTS, type ImportOptions } from './commands/import.js';
export { runTscn2Glb } from './commands/tscn2glb.js';
export { runBridge, type BridgeOptions } from './commands/bridge.js';
export { readTscn } from './commands/tscn-file.js';
export { findViewerDir } from './viewer-dir.js';
export { buildDemoScene, type DemoNodes } from './demo/demo-scene.js';
export { animateDemo, demoPoses, DEMO_ANIMATION_DEFAULTS, type DemoAnimationOptions } from './demo/demo-animator.js';
export { startDemoPeer, DEMO_PEER_DEFAULTS, type DemoPeer, type DemoPeerOptions } from './demo/demo-peer.js';
