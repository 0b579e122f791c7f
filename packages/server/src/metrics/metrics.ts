/** Why a signalling frame or connection was dropped; each reason is a label of `scenesync_dropped_total`. */
export type DropReason =
  | 'malformed-json'
  | 'binary-frame'
  | 'not-an-object'
  | 'unknown-type'
  | 'bad-field'
  | 'too-many-topics'
  | 'topic-too-long'
  | 'not-subscribed'
  | 'unauthorized-topic'
  | 'rate-limit'
  | 'flood'
  | 'frame-too-large'
  | 'protocol-error'
  | 'backpressure'
  | 'ping-timeout'
  | 'socket-error'
  | 'auth-rejected'
  | 'too-deep'
  | 'internal-error'
  | 'redis-malformed';

/**
 * The server's counters, rendered in Prometheus text format by {@link ServerMetrics.render}.
 *
 * Kept as plain numbers instead of a metrics library because several of them are bumped once per
 * delivered message on the fan-out hot path, where label hashing would cost more than the send.
 */
export class ServerMetrics {
  connectionsTotal = 0;
  messagesIn = 0;
  messagesOut = 0;
  bytesIn = 0;
  bytesOut = 0;
  uploads = 0;
  uploadsRejected = 0;
  uploadBytes = 0;
  downloads = 0;
  httpRequests = 0;
  redisErrors = 0;
  /** Publishes received from other instances through the bus. */
  busMessagesIn = 0;
  readonly dropped = new Map<DropReason, number>();

  /** Counts one dropped frame (or connection) under `reason`. */
  drop(reason: DropReason): void {
    this.dropped.set(reason, (this.dropped.get(reason) ?? 0) + 1);
  }

  /**
   * Renders every metric in Prometheus text exposition format 0.0.4.
   * @param gauges values read at scrape time (open connections, rooms with local subscribers).
   */
  render(gauges: { connections: number; rooms: number }): string {
    const out: string[] = [];
    const metric = (name: string, type: 'counter' | 'gauge', help: string, value: number) => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name} ${value}`);
    };
    metric('scenesync_connections', 'gauge', 'Open signalling WebSocket connections.', gauges.connections);
    metric('scenesync_connections_total', 'counter', 'Signalling connections accepted since start.', this.connectionsTotal);
    metric('scenesync_rooms', 'gauge', 'Rooms (topics) with at least one subscriber on this instance.', gauges.rooms);
    metric('scenesync_messages_in_total', 'counter', 'Signalling messages received from clients.', this.messagesIn);
    metric('scenesync_messages_out_total', 'counter', 'Signalling messages sent to clients.', this.messagesOut);
    metric('scenesync_bytes_in_total', 'counter', 'Signalling bytes received from clients.', this.bytesIn);
    metric('scenesync_bytes_out_total', 'counter', 'Signalling bytes sent to clients.', this.bytesOut);
    out.push('# HELP scenesync_dropped_total Frames or connections dropped, by reason.', '# TYPE scenesync_dropped_total counter');
    for (const [reason, n] of [...this.dropped].sort()) out.push(`scenesync_dropped_total{reason="${reason}"} ${n}`);
    metric('scenesync_uploads_total', 'counter', 'GLB uploads stored.', this.uploads);
    metric('scenesync_uploads_rejected_total', 'counter', 'GLB uploads refused (bad name, bad GLB, too large, auth).', this.uploadsRejected);
    metric('scenesync_upload_bytes_total', 'counter', 'Bytes of stored GLB uploads.', this.uploadBytes);
    metric('scenesync_downloads_total', 'counter', 'GLB download responses started.', this.downloads);
    metric('scenesync_http_requests_total', 'counter', 'HTTP requests handled.', this.httpRequests);
    metric('scenesync_bus_messages_in_total', 'counter', 'Publishes received from other instances (Redis).', this.busMessagesIn);
    metric('scenesync_redis_errors_total', 'counter', 'Redis errors (connection or publish).', this.redisErrors);
    const mem = process.memoryUsage();
    metric('process_resident_memory_bytes', 'gauge', 'Resident set size.', mem.rss);
    metric('nodejs_heap_size_used_bytes', 'gauge', 'V8 heap in use.', mem.heapUsed);
    return out.join('\n') + '\n';
  }
}
