import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { SignallingBus } from './bus.js';

/**
 * Shares signalling between instances through Redis pub/sub: one channel per topic
 * (`<prefix><topic>`), subscribed while the topic has local subscribers. A message is
 * `<instance id> <data JSON>`; an instance skips its own messages because it already delivered
 * them locally. Redis outages are survived: ioredis reconnects and resubscribes, and publishes made
 * meanwhile are lost (y-webrtc clients re-announce, so rooms heal).
 */
export class RedisBus implements SignallingBus {
  /** Random per process, so instances never mistake each other's messages for their own. */
  readonly instanceId = randomUUID();
  private readonly pub: Redis;
  private readonly sub: Redis;
  private handler: (topic: string, dataJson: string) => void = () => {};

  /**
   * @param url `redis://host:port[/db]`
   * @param prefix channel prefix (see DEFAULTS.redisPrefix)
   * @param onError called for each Redis error (the caller counts and logs it)
   */
  constructor(url: string, private readonly prefix: string, onError: (err: Error) => void) {
    this.pub = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 2 });
    this.sub = new Redis(url, { lazyConnect: false });
    this.pub.on('error', onError);
    this.sub.on('error', onError);
    this.sub.on('messageBuffer', (channel: Buffer, message: Buffer) => this.receive(channel, message));
  }

  private receive(channel: Buffer, message: Buffer): void {
    const text = message.toString('utf8');
    const space = text.indexOf(' ');
    if (space < 0 || text.slice(0, space) === this.instanceId) return;
    const topic = channel.toString('utf8').slice(this.prefix.length);
    this.handler(topic, text.slice(space + 1));
  }

  join(topic: string): void {
    this.sub.subscribe(this.prefix + topic).catch(() => {});
  }

  leave(topic: string): void {
    this.sub.unsubscribe(this.prefix + topic).catch(() => {});
  }

  publish(topic: string, dataJson: string): void {
    this.pub.publish(this.prefix + topic, `${this.instanceId} ${dataJson}`).catch(() => {});
  }

  onPublish(handler: (topic: string, dataJson: string) => void): void {
    this.handler = handler;
  }

  async ready(): Promise<void> {
    const wait = (r: Redis) =>
      r.status === 'ready' ? Promise.resolve() : new Promise<void>((resolve) => r.once('ready', () => resolve()));
    await Promise.all([wait(this.pub), wait(this.sub)]);
  }

  async close(): Promise<void> {
    await Promise.all([this.pub.quit().catch(() => this.pub.disconnect()), this.sub.quit().catch(() => this.sub.disconnect())]);
  }
}
