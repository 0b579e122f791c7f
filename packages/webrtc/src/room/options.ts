/**
 * Options of {@link joinRoom} with their one `DEFAULTS`.
 */
import type { PeerKind } from '../presence/presence.js';
import type { WrtcImplementation } from '../runtime/node-runtime.js';
import { STREAM_DEFAULTS, type StreamOptions } from '../stream/transform-stream.js';

/** Options of `joinRoom`. `room` and `signaling` are required; the rest default to {@link DEFAULTS}. */
export interface RoomOptions {
  /** Room name; peers with the same name (and password) share the document. */
  room: string;
  /** Signalling server URLs (`ws://` or `wss://`), e.g. `@scenesync/server` or y-webrtc's bin/server.js. */
  signaling: string[];
  /** Room password: signalling is end-to-end encrypted as y-webrtc does it. */
  password?: string;
  /** Presence name of this peer. */
  name: string;
  /** Presence kind of this peer. */
  kind: PeerKind;
  /** Presence colour; derived from the name when omitted. */
  color?: string;
  /** WebRTC implementation; found automatically (`@roamhq/wrtc` in Node, built-in in browsers). */
  wrtc?: WrtcImplementation;
  /** WebSocket constructor; found automatically (`ws` in Node, built-in in browsers). */
  WebSocket?: unknown;
  /** ICE servers for the peer connections; undefined keeps simple-peer's (public STUN). Use [] on a LAN. */
  iceServers?: Array<{ urls: string | string[]; username?: string; credential?: string }>;
  /** Most WebRTC connections this peer opens (y-webrtc `maxConns`); undefined keeps y-webrtc's 20–34. */
  maxConns?: number;
  /** Period of the state-vector exchange with every connected peer, ms. */
  antiEntropyIntervalMs: number;
  /**
   * A WebRTC connection not up after this long is dropped and retried, ms; the deadline doubles
   * for each failed attempt to the same peer (at most 8×) and resets once it connects.
   */
  connectTimeoutMs: number;
  /**
   * A scenesync peer that sent nothing on its channels (hellos come every second) for this long is
   * disconnected and reconnected (C-SILENT), ms.
   */
  silentPeerTimeoutMs: number;
  /** How often connections are checked for new stream channels, ms (C-SCAN). */
  channelScanIntervalMs: number;
  /** SCTP id of the stream's negotiated data channel (C-ID); all peers of a room must agree. */
  streamChannelId: number;
  /** Ephemeral transform stream options. */
  stream: Partial<StreamOptions>;
  /**
   * Run this room on a private instance of y-webrtc (Node ESM only), so one process may join the same
   * room name more than once. Instances in one process find each other over BroadcastChannel, not WebRTC,
   * so they share the document but not the stream.
   */
  isolated: boolean;
}

/** Defaults of {@link RoomOptions}. */
export const DEFAULTS = {
  name: 'scenesync peer',
  kind: 'tool' as PeerKind,
  antiEntropyIntervalMs: 3000,
  channelScanIntervalMs: 250,
  connectTimeoutMs: 10_000,
  silentPeerTimeoutMs: 8000,
  streamChannelId: 1000,
  stream: STREAM_DEFAULTS as Partial<StreamOptions>,
  isolated: false,
} as const satisfies Partial<RoomOptions>;

/** What callers pass: everything with a default is optional. */
export type JoinRoomOptions = Pick<RoomOptions, 'room' | 'signaling'> & Partial<Omit<RoomOptions, 'room' | 'signaling'>>;
