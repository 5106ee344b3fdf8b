import type { Logger } from 'pino';
import { HttpError } from './errors';

/** The Redis commands a fixed-window counter needs (ioredis fits). */
export interface RateStore {
  incr(key: string): Promise<number>;
  pexpire(key: string, ms: number): Promise<unknown>;
}

export interface RateLimit {
  limit: number;
  windowMs: number;
}

/**
 * Fixed-window counters in Redis, shared by every web process. A Redis failure lets the request through (a text
 * must never be refused because the limiter is away); the limiter is a fence against floods, not an accounting.
 */
export function createRateLimiter(deps: { store: RateStore; prefix: string; logger: Logger; now?: () => number }) {
  const now = deps.now ?? Date.now;
  return async function check(scope: string, id: string, rule: RateLimit): Promise<void> {
    const window = Math.floor(now() / rule.windowMs);
    const key = `${deps.prefix}rl:${scope}:${id}:${window}`;
    let count: number;
    try {
      count = await deps.store.incr(key);
      if (count === 1) await deps.store.pexpire(key, rule.windowMs);
    } catch (e) {
      deps.logger.warn({ err: e, scope }, 'rate limiter unavailable; request let through');
      return;
    }
    if (count > rule.limit) {
      const retryAfter = Math.max(1, Math.ceil(((window + 1) * rule.windowMs - now()) / 1000));
      throw new HttpError(429, 'RATE_LIMITED', `too many requests; try again in ${retryAfter} s`, undefined, { 'Retry-After': String(retryAfter) });
    }
  };
}
export type RateLimiter = ReturnType<typeof createRateLimiter>;
