import { randomUUID } from 'node:crypto';

/** A random id with a prefix naming its kind (`c_` case, `m_` message, …): hex, no dashes. */
export function newId(prefix: string, length = 24): string {
  return `${prefix}_${randomUUID().replace(/-/g, '').slice(0, length)}`;
}

let counter = 0;
/**
 * An id that sorts in creation order within a process (wall-clock milliseconds, then a counter), then random: for
 * messages, so a conversation reads in the order it happened even when several are written in one millisecond.
 */
export function orderedId(prefix: string): string {
  counter = (counter + 1) % 0x10000;
  return `${prefix}_${Date.now().toString(16).padStart(12, '0')}${counter.toString(16).padStart(4, '0')}${randomUUID().replace(/-/g, '').slice(0, 8)}`;
}
