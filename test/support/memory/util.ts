/**
 * A deep copy (Dates kept): a stored row never shares objects with what callers hold, as with a database. Not
 * structuredClone: under jest its Dates come from another realm and fail zod's `instanceof Date`.
 */
export function copy<T>(x: T): T {
  if (x instanceof Date) return new Date(x.getTime()) as T;
  if (Array.isArray(x)) return x.map(copy) as T;
  if (x !== null && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, copy(v)])) as T;
  return x;
}

/** `$set` leaves out undefined fields; so do the in-memory updates. */
export function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Newest first, then by id descending: the Mongo repositories' `sort({ createdAt: -1, _id: -1 })`. */
export function byNewest(a: { createdAt: Date; id: string }, b: { createdAt: Date; id: string }): number {
  return b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

/** `sort({ field: 1 })` on ids: ascending. */
export const byId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
