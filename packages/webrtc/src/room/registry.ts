/**
 * Room names open in this process through the shared y-webrtc module. y-webrtc keeps one room per name
 * per module instance and throws asynchronously (an unhandled rejection in Node) for a second one, so we
 * refuse it up front with a typed error instead.
 */
import { RoomError } from '../errors.js';

const openRooms = new Set<string>();

/**
 * Reserve `name` for a room on the shared y-webrtc instance.
 *
 * @throws RoomError `ROOM_IN_USE` when a room of that name is already open in this process
 */
export function reserveRoomName(name: string): void {
  if (openRooms.has(name)) {
    throw new RoomError(
      'ROOM_IN_USE',
      `Room "${name}" is already joined in this process (y-webrtc allows one document per room name per process). ` +
        'Leave the other one first (await room.leave()), use another process, or pass { isolated: true } to joinRoom (Node.js) to run this one on a private y-webrtc instance.',
    );
  }
  openRooms.add(name);
}

/** Release a name reserved by {@link reserveRoomName}. */
export function releaseRoomName(name: string): void {
  openRooms.delete(name);
}
