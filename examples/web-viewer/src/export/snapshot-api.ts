/**
 * The server's GLB store, as the page reads it (docs/self-hosting.md "HTTP API"): `GET /healthz`
 * and `GET /rooms/:room/snapshots`. Uploads go through `@scenesync/gltf`'s `uploadGlb`.
 */

/** One stored snapshot, as the listing returns it. */
export interface SnapshotEntry {
  /** `<name>.glb` */
  name: string;
  size: number;
  /** ISO 8601 time of the upload. */
  time: string;
}

/** Why talking to the server's store failed; `code` is the server's error code when it sent one. */
export class SnapshotApiError extends Error {
  override readonly name = 'SnapshotApiError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The store of one room on the server the page came from. */
export class SnapshotApi {
  constructor(
    /** The server's HTTP base, e.g. `http://localhost:4444`. */
    readonly base: string,
    private readonly room: string,
  ) {}

  /** The URL a snapshot downloads from. */
  urlOf(name: string): string {
    return `${this.base}/rooms/${encodeURIComponent(this.room)}/snapshots/${encodeURIComponent(name)}`;
  }

  /**
   * Whether the server accepts uploads: `true`/`false` when its health answer says so, `undefined`
   * when it does not tell (then an upload is tried when the page has a token).
   */
  async uploadsEnabled(): Promise<boolean | undefined> {
    try {
      const response = await fetch(`${this.base}/healthz`);
      const body = (await response.json()) as { uploads?: unknown };
      return typeof body.uploads === 'boolean' ? body.uploads : undefined;
    } catch {
      return undefined;
    }
  }

  /** The room's stored snapshots, newest first. @throws SnapshotApiError */
  async list(): Promise<SnapshotEntry[]> {
    const response = await fetch(`${this.base}/rooms/${encodeURIComponent(this.room)}/snapshots`, { cache: 'no-store' });
    if (!response.ok) throw await apiError(response, 'listing snapshots');
    const body = (await response.json()) as { snapshots?: SnapshotEntry[] };
    return [...(body.snapshots ?? [])].sort((a, b) => b.time.localeCompare(a.time));
  }
}

async function apiError(response: Response, what: string): Promise<SnapshotApiError> {
  let code = `http_${response.status}`;
  let message = `${what} failed with HTTP ${response.status}`;
  try {
    const body = (await response.json()) as { error?: unknown; code?: unknown; message?: unknown };
    if (typeof body.code === 'string') code = body.code;
    else if (typeof body.error === 'string') code = body.error;
    if (typeof body.message === 'string') message = `${what} failed: ${body.message}`;
  } catch {
    // Not JSON: keep the status line.
  }
  return new SnapshotApiError(code, message);
}
