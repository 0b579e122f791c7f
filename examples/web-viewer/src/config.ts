/**
 * The viewer's settings, read from the page URL: `?room=NAME&name=Ada&token=…&signaling=ws://…`.
 * Every setting has a default in `VIEWER_DEFAULTS`, so `http://localhost:4444/` alone works.
 */

/** What the viewer needs to join a room. */
export interface ViewerConfig {
  /** Room to join (`?room=`). */
  room: string;
  /** Name shown to other people (`?name=`). */
  name: string;
  /** Signalling server URLs (`?signaling=`, repeatable); the page's own server when absent. */
  signaling: string[];
  /** Upload token for the server's GLB store (`?token=`); no uploads without it. */
  token: string | undefined;
  /** Room-join token when the server requires them (`?room-token=`). */
  roomToken: string | undefined;
  /** HTTP base of the server (snapshot store), the page's own origin. */
  httpBase: string;
  /**
   * ICE servers (`?ice=stun:host:port`, repeatable). A page served from loopback uses none (peers on
   * one machine need no STUN); elsewhere undefined keeps the WebRTC library's default STUN server.
   */
  iceServers: Array<{ urls: string }> | undefined;
}

/** True for host names that mean this machine. */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || hostname === '::1' || /^127\./.test(hostname);
}

/** Defaults of {@link ViewerConfig} that do not depend on the page's address. */
export const VIEWER_DEFAULTS = { room: 'lobby' } as const;

/** Reads the config from a page address (`location.href`). */
export function readViewerConfig(href: string): ViewerConfig {
  const url = new URL(href);
  const params = url.searchParams;
  const wsProtocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const roomToken = params.get('room-token') ?? undefined;
  const signaling = params.getAll('signaling');
  if (signaling.length === 0) {
    const own = new URL(`${wsProtocol}//${url.host}/`);
    if (roomToken) own.searchParams.set('room-token', roomToken);
    signaling.push(own.toString());
  }
  return {
    room: params.get('room') || VIEWER_DEFAULTS.room,
    name: params.get('name') || `Guest ${Math.floor(1000 + Math.random() * 9000)}`,
    signaling,
    token: params.get('token') ?? undefined,
    roomToken,
    httpBase: url.origin,
    iceServers: params.has('ice')
      ? params.getAll('ice').filter(Boolean).map((urls) => ({ urls }))
      : isLoopbackHost(url.hostname)
        ? []
        : undefined,
  };
}
