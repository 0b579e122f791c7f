/** Property maps as the scene model hands them out (re-exported for the viewer's modules). */
import type { GodotValue } from '@scenesync/core';

/** Godot property name → value, as on a scene node or resource. */
export type Props = Readonly<Record<string, GodotValue>>;
