import { getRandomValues } from 'lib0/webcrypto';
import type { NodeId, ResourceId } from '../values/types.js';

const ID_CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** The root node's id: a constant, so two fresh peers share their root (R-ROOT). */
export const ROOT_ID = 'root' as NodeId;

/** Random words drawn in batches: one crypto call per 1,024 words instead of one per character. */
const pool = new Uint32Array(1024);
let poolAt = pool.length;
function randomWord(): number {
  if (poolAt === pool.length) {
    getRandomValues(pool);
    poolAt = 0;
  }
  return pool[poolAt++]!;
}

/** A fresh random 9-character id (53 bits). */
export function randomId(): string {
  let id = '';
  for (let i = 0; i < 9; i++) id += ID_CHARS[randomWord() % ID_CHARS.length];
  return id;
}

/** Ids may be any non-empty string without the key separator, up to 128 characters. */
export function isValidId(id: unknown): id is string {
  return typeof id === 'string' && id.length > 0 && id.length <= 128 && !id.includes(KEY_SEPARATOR);
}

/** Joins a record id and a sub-key into one Y.Map key (edges, props). */
export const KEY_SEPARATOR = '\u0001';
export const joinKey = (a: string, b: string): string => a + KEY_SEPARATOR + b;
export function splitKey(key: string): [string, string] | null {
  const at = key.indexOf(KEY_SEPARATOR);
  return at <= 0 || at === key.length - 1 ? null : [key.slice(0, at), key.slice(at + 1)];
}

export const asNodeId = (id: string): NodeId => id as NodeId;
export const asResourceId = (id: string): ResourceId => id as ResourceId;
