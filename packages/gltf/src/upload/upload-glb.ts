import { UploadError } from '../errors.js';

/** Where and how to upload a GLB (the `@scenesync/server` GLB store, docs in issue 4 / its README). */
export interface UploadOptions {
  /** Base URL of the server, e.g. `http://127.0.0.1:4444`. */
  server: string;
  /** Room name: letters, digits, `_` and `-`, 1–128 characters. */
  room: string;
  /** Snapshot name, same pattern (a trailing `.glb` is accepted and dropped); `latest` is reserved. */
  name: string;
  /** The server's upload token (sent as `Authorization: Bearer <token>`). */
  token: string;
  /** Cancels the upload. */
  signal?: AbortSignal;
  /** Gives up after this many milliseconds. */
  timeoutMs?: number;
  /** The fetch implementation (default: the global one). */
  fetch?: typeof fetch;
}

/** Every default of {@link UploadOptions}. */
export const UPLOAD_DEFAULTS = {
  timeoutMs: 120_000,
} as const;

/** What the server stored. */
export interface UploadResult {
  /** Absolute URL of the stored snapshot. */
  readonly url: string;
  readonly status: number;
  /** The server's JSON answer (name, size, time, etag), when it sent one. */
  readonly stored: Record<string, unknown> | undefined;
}

/** The name rule of the server's store: no dots, so no traversal and no hidden files. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

/**
 * Uploads GLB bytes to a scenesync server: `PUT {server}/rooms/{room}/snapshots/{name}.glb` with
 * `Authorization: Bearer {token}`. Checks arguments and the GLB header before sending anything.
 *
 * @throws UploadError `INVALID_ARGUMENT` (bad names, not a GLB), `NETWORK`, `HTTP` (with `status` and
 *   the server's message: 401 wrong token, 403 uploads disabled, 413 too large...), `ABORTED`.
 * @example
 * const { url } = await uploadGlb(await exportGlb(scene), { server: 'http://127.0.0.1:4444', room: 'demo', name: 'snap1', token });
 */
export async function uploadGlb(bytes: Uint8Array, options: UploadOptions): Promise<UploadResult> {
  if (!(bytes instanceof Uint8Array)) throw new UploadError('INVALID_ARGUMENT', 'uploadGlb needs the GLB as a Uint8Array');
  if (!isGlb(bytes)) throw new UploadError('INVALID_ARGUMENT', 'the bytes are not a GLB (glTF binary, version 2, with a matching length); export them with exportGlb');
  const { room, token } = options ?? ({} as UploadOptions);
  let base: URL;
  try {
    base = new URL(options.server);
  } catch {
    throw new UploadError('INVALID_ARGUMENT', `options.server must be an http(s) URL, got ${String(options?.server)}`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new UploadError('INVALID_ARGUMENT', `options.server must be http or https, got ${base.protocol}`);
  const name = typeof options.name === 'string' && options.name.endsWith('.glb') ? options.name.slice(0, -4) : options.name;
  if (typeof room !== 'string' || !NAME.test(room)) throw new UploadError('INVALID_ARGUMENT', `room must match ${NAME} (letters, digits, _ and -), got ${JSON.stringify(room)}`);
  if (typeof name !== 'string' || !NAME.test(name)) throw new UploadError('INVALID_ARGUMENT', `name must match ${NAME} (letters, digits, _ and -), got ${JSON.stringify(options.name)}`);
  if (name === 'latest') throw new UploadError('INVALID_ARGUMENT', '"latest" always means the newest snapshot on the server; choose another name');
  if (typeof token !== 'string' || token.length === 0) throw new UploadError('INVALID_ARGUMENT', 'options.token is required (the server refuses anonymous uploads)');

  const path = `${base.pathname.replace(/\/+$/, '')}/rooms/${room}/snapshots/${name}.glb`;
  const url = new URL(path, base);
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeout = AbortSignal.timeout(options.timeoutMs ?? UPLOAD_DEFAULTS.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let res: Response;
  try {
    res = await doFetch(url, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'model/gltf-binary' },
      body: bytes as Uint8Array<ArrayBuffer>,
      signal,
    });
  } catch (e) {
    if (options.signal?.aborted) throw new UploadError('ABORTED', 'the upload was cancelled', undefined, undefined, { cause: e });
    if (timeout.aborted) throw new UploadError('NETWORK', `no answer from ${base.origin} within ${options.timeoutMs ?? UPLOAD_DEFAULTS.timeoutMs} ms`, undefined, undefined, { cause: e });
    throw new UploadError('NETWORK', `could not reach ${base.origin}: ${e instanceof Error ? e.message : String(e)}; is the server running?`, undefined, undefined, { cause: e });
  }
  const text = await res.text().catch(() => '');
  let body: Record<string, unknown> | undefined;
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    const serverMessage = typeof body?.message === 'string' ? body.message : text.slice(0, 500);
    throw new UploadError('HTTP', `upload refused with HTTP ${res.status}: ${serverMessage || res.statusText}`, res.status, serverMessage);
  }
  return { url: url.href, status: res.status, stored: body };
}

/** GLB magic "glTF", version 2, declared length equal to the byte length. */
function isGlb(b: Uint8Array): boolean {
  if (b.byteLength < 20) return false;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return v.getUint32(0, true) === 0x46546c67 && v.getUint32(4, true) === 2 && v.getUint32(8, true) === b.byteLength;
}
