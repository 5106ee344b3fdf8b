import { randomUUID } from 'node:crypto';

/** A random id with a prefix naming its kind (`c_` case, `m_` message, …): hex, no dashes. */
export function newId(prefix: string, length = 24): string {
  return `${prefix}_${randomUUID().replace(/-/g, '').slice(0, length)}`;
}
