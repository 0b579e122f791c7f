import { ServerError } from './errors.js';

/**
 * Room and snapshot names usable as directory and file names: letters, digits, `_` and `-`, 1 to
 * 128 characters, starting with a letter or digit. No dots, so no traversal and no hidden files.
 */
export const STORE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

/** The snapshot name that always means "the newest one"; it cannot be uploaded. */
export const LATEST_NAME = 'latest';

/**
 * Checks a room name for the GLB store.
 * @throws ServerError `bad_name` (400) when it does not match {@link STORE_NAME_PATTERN}.
 */
export function checkRoomName(room: string): string {
  if (!STORE_NAME_PATTERN.test(room)) {
    throw new ServerError('bad_name', 400, `room name must match ${STORE_NAME_PATTERN} (letters, digits, _ and -, up to 128)`);
  }
  return room;
}

/**
 * Checks a snapshot file name (`<name>.glb`) and returns the name without the extension.
 * @throws ServerError `bad_name` (400) when it is not `<name>.glb` with a valid name.
 */
export function checkSnapshotFile(file: string): string {
  const name = file.endsWith('.glb') ? file.slice(0, -4) : '';
  if (!STORE_NAME_PATTERN.test(name)) {
    throw new ServerError('bad_name', 400, `snapshot must be named <name>.glb with <name> matching ${STORE_NAME_PATTERN}`);
  }
  return name;
}
