/**
 * Carries publishes between server instances. The hub tells the bus which topics have local
 * subscribers; the bus hands it publishes that other instances received for those topics.
 * {@link LocalBus} is the single-instance no-op, {@link RedisBus} the scale-out implementation.
 */
export interface SignallingBus {
  /** Starts receiving other instances' publishes for `topic` (its first local subscriber came). */
  join(topic: string): void;
  /** Stops receiving `topic` (its last local subscriber left). */
  leave(topic: string): void;
  /** Hands a validated publish to the other instances. `dataJson` is the client's `data`, as JSON. */
  publish(topic: string, dataJson: string): void;
  /** Sets the receiver of other instances' publishes. */
  onPublish(handler: (topic: string, dataJson: string) => void): void;
  /** Waits until the bus can carry messages (connected); resolves at once for {@link LocalBus}. */
  ready(): Promise<void>;
  /** Disconnects. */
  close(): Promise<void>;
}

/** The bus of a single instance: nothing leaves the process. */
export class LocalBus implements SignallingBus {
  join(): void {}
  leave(): void {}
  publish(): void {}
  onPublish(): void {}
  async ready(): Promise<void> {}
  async close(): Promise<void> {}
}
