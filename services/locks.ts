import type { Result } from './result';

/**
 * Mutual exclusion across processes (Redis in production). Cases use it so that concurrent writers of one case
 * take turns: the conditional update alone is atomic on MongoDB, but FerretDB v1.24 runs findAndModify as a query
 * followed by an update by _id, so two writers that read the same version can both "win" there.
 */
export interface Locks {
  /** Runs fn while holding the named lock; LOCK_TIMEOUT when it could not be had within the wait budget. */
  withLock<T>(name: string, fn: () => Promise<T>): Promise<Result<T, 'LOCK_TIMEOUT'>>;
}
