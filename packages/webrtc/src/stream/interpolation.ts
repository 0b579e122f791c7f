/**
 * The receiver side of the stream: a small per-node buffer of timestamped samples played back a fixed
 * delay behind the sender (Fiedler, "Snapshot Interpolation"), so jitter and lost frames do not show.
 * docs/stream-protocol.md §Receiving (S-INTERP-*) specifies it.
 */
import { slerp, type TransformParts } from './transform-math.js';

/** Options of {@link InterpolationBuffer}; every default lives in `INTERPOLATION_DEFAULTS`. */
export interface InterpolationOptions {
  /** How far behind the newest sample playback runs, in ms (S-INTERP-1: about three send intervals). */
  delayMs: number;
  /** Samples kept per node. */
  capacity: number;
}

/** Defaults of {@link InterpolationOptions}: 3 × (1000 / 60 Hz) ≈ 50 ms of delay, 8 samples. */
export const INTERPOLATION_DEFAULTS: Readonly<InterpolationOptions> = { delayMs: 50, capacity: 8 };

interface Sample {
  time: number;
  parts: TransformParts;
}

interface NodeTrack {
  sender: number;
  samples: Sample[];
}

/** Per-sender mapping from the sender's clock to ours. */
interface SenderClock {
  /** Best estimate of (our clock − sender clock) for the least-delayed frame. */
  target: number;
  updatedAt: number;
  /** The offset playback uses; slews toward `target` so a better estimate never makes playback jump. */
  applied: number;
  appliedAt: number;
}

/** S-INTERP-2: playback runs at most 10% faster or slower while it catches up with a new clock estimate. */
const MAX_SLEW = 0.1;

/**
 * Timestamped transform samples per node, played back `delayMs` behind the sender.
 *
 * @example
 * buf.push('abc', senderClientId, frame.time, parts, performance.now());
 * const smooth = buf.sample('abc', performance.now()); // TransformParts | undefined
 */
export class InterpolationBuffer {
  private readonly options: InterpolationOptions;
  private readonly tracks = new Map<string, NodeTrack>();
  private readonly clocks = new Map<number, SenderClock>();

  constructor(options: Partial<InterpolationOptions> = {}) {
    this.options = { ...INTERPOLATION_DEFAULTS, ...options };
  }

  /** Record a sample for `node` taken at `senderTime` on the sender's clock, received at `localNow`. */
  push(node: string, sender: number, senderTime: number, parts: TransformParts, localNow: number): void {
    this.observeClock(sender, senderTime, localNow);
    let track = this.tracks.get(node);
    if (track === undefined || track.sender !== sender) {
      // S-INTERP-3: a new owner starts a fresh track; mixing two senders' clocks would jump.
      track = { sender, samples: [] };
      this.tracks.set(node, track);
    }
    const samples = track.samples;
    // Frames travel unordered: insert by time, drop exact duplicates.
    let i = samples.length;
    while (i > 0 && samples[i - 1]!.time > senderTime) i--;
    if (i > 0 && samples[i - 1]!.time === senderTime) return;
    samples.splice(i, 0, { time: senderTime, parts });
    if (samples.length > this.options.capacity) samples.shift();
  }

  /**
   * The smoothed transform of `node` at `localNow`: interpolated between the two samples around the
   * playback time, or the nearest sample when playback is outside them (no extrapolation).
   * `undefined` when nothing was received for the node.
   */
  sample(node: string, localNow: number): TransformParts | undefined {
    const track = this.tracks.get(node);
    if (track === undefined || track.samples.length === 0) return undefined;
    const clock = this.clocks.get(track.sender)!;
    const playback = localNow - this.appliedOffset(clock, localNow) - this.options.delayMs;
    const s = track.samples;
    if (playback <= s[0]!.time) return s[0]!.parts;
    const last = s[s.length - 1]!;
    if (playback >= last.time) return last.parts;
    let i = 1;
    while (s[i]!.time < playback) i++;
    const a = s[i - 1]!, b = s[i]!;
    const t = (playback - a.time) / (b.time - a.time);
    return {
      position: [lerp(a.parts.position[0], b.parts.position[0], t), lerp(a.parts.position[1], b.parts.position[1], t), lerp(a.parts.position[2], b.parts.position[2], t)],
      rotation: slerp(a.parts.rotation, b.parts.rotation, t),
      scale: [lerp(a.parts.scale[0], b.parts.scale[0], t), lerp(a.parts.scale[1], b.parts.scale[1], t), lerp(a.parts.scale[2], b.parts.scale[2], t)],
    };
  }

  /** The newest sample's sender time for `node`, or undefined. */
  newestTime(node: string): number | undefined {
    const s = this.tracks.get(node)?.samples;
    return s && s.length > 0 ? s[s.length - 1]!.time : undefined;
  }

  /** Nodes that have samples. */
  nodes(): IterableIterator<string> {
    return this.tracks.keys();
  }

  /** Forget a node (it came to rest and its committed value is now the truth, or it was removed). */
  forget(node: string): void {
    this.tracks.delete(node);
  }

  /** Forget every node streamed by `sender` (the peer left). */
  forgetSender(sender: number): void {
    for (const [node, track] of this.tracks) if (track.sender === sender) this.tracks.delete(node);
    this.clocks.delete(sender);
  }

  private observeClock(sender: number, senderTime: number, localNow: number): void {
    const offset = localNow - senderTime;
    const clock = this.clocks.get(sender);
    if (clock === undefined) {
      this.clocks.set(sender, { target: offset, updatedAt: localNow, applied: offset, appliedAt: localNow });
      return;
    }
    // S-INTERP-2: the offset is the smallest transit seen (least-delayed frame), relaxed by 1 ms per
    // second so clock drift and a route change cannot pin it forever.
    const relaxed = clock.target + (localNow - clock.updatedAt) / 1000;
    clock.target = Math.min(relaxed, offset);
    clock.updatedAt = localNow;
  }

  private appliedOffset(clock: SenderClock, localNow: number): number {
    const maxMove = Math.max(0, localNow - clock.appliedAt) * MAX_SLEW;
    const d = clock.target - clock.applied;
    clock.applied += Math.max(-maxMove, Math.min(maxMove, d));
    clock.appliedAt = localNow;
    return clock.applied;
  }
}

function lerp(a: number, b: number, t: number): number {
  return a + (b - a) * t;
}
