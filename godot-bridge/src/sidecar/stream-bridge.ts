import type { NodeId, SceneDoc } from '@scenesync/core';
import type { RoomStream } from '../room/room-transport.js';
import { toWire } from '../protocol/wire-values.js';

/** Options of {@link StreamBridge}; defaults in {@link STREAM_BRIDGE_DEFAULTS}. */
export interface StreamBridgeOptions {
  /** How often interpolated samples of remote streamed nodes go to the addons, Hz. */
  sampleRateHz: number;
  /** A node no frame arrived for this long is no longer sampled (the document value holds), ms. */
  liveMs: number;
}

/** Defaults of {@link StreamBridgeOptions}. */
export const STREAM_BRIDGE_DEFAULTS: StreamBridgeOptions = { sampleRateHz: 60, liveMs: 1000 };

/**
 * Connects the addon's streamed transforms to the room's ephemeral stream (B-STREAM): the addon's
 * `stream` entries go to `stream.move` (or, without a room stream, to the document), and the
 * interpolated transforms of nodes other peers stream are sampled at `sampleRateHz` and handed to
 * `send` as `{"t":"stream","nodes":[[id, text], …]}`.
 */
export class StreamBridge {
  private readonly live = new Map<string, number>();
  private readonly timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly scene: SceneDoc,
    private readonly stream: RoomStream | null,
    private readonly send: (message: object) => void,
    options: Partial<StreamBridgeOptions> = {},
  ) {
    const opts = { ...STREAM_BRIDGE_DEFAULTS, ...options };
    if (stream) {
      stream.onReceived((nodes) => {
        const now = Date.now();
        for (const n of nodes) this.live.set(n, now);
      });
      this.timer = setInterval(() => this.sample(opts.liveMs), 1000 / opts.sampleRateHz);
      this.timer.unref();
    }
  }

  /** Publishes transforms from the addon. Throws (SceneError / RoomError) for a node not owned here. */
  publish(id: string, transform: readonly number[]): void {
    if (this.stream) this.stream.move(id, transform);
    else this.scene.setProperty(id as NodeId, 'transform', { type: 'Transform3D', value: transform });
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private sample(liveMs: number): void {
    if (this.live.size === 0 || !this.stream) return;
    const now = Date.now();
    const nodes: [string, unknown][] = [];
    for (const [id, at] of this.live) {
      if (now - at > liveMs) this.live.delete(id);
      const t = this.stream.transformOf(id);
      if (t) nodes.push([id, toWire({ type: 'Transform3D', value: t })]);
    }
    if (nodes.length) this.send({ t: 'stream', nodes });
  }
}
