import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Locks } from '../services/locks';
import { err, ok } from '../services/result';

// Delete only our own lock: a lock that expired and was taken by another holder must survive our release.
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
// Extend only our own lock, for a hold that outlasts a third of its TTL (a slow provider or model answer).
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

export interface RedisLockOptions {
  prefix: string;
  /** How long a holder may keep the lock if it dies without releasing it. */
  ttlMs?: number;
  /** How long a caller waits for its turn before giving up. */
  waitMs?: number;
  onReleaseError?: (e: unknown) => void;
  /** Renew the TTL while the holder runs (it must end on its own: a hung holder keeps the lock as long as it lives). */
  renew?: boolean;
}

export function createRedisLocks(redis: Redis, opts: RedisLockOptions): Locks {
  const ttlMs = opts.ttlMs ?? 10_000;
  const waitMs = opts.waitMs ?? 5_000;
  return {
    async withLock(name, fn) {
      const key = `${opts.prefix}lock:${name}`;
      const token = randomBytes(12).toString('hex');
      const deadline = Date.now() + waitMs;
      let delay = 5;
      while ((await redis.set(key, token, 'PX', ttlMs, 'NX')) !== 'OK') {
        if (Date.now() >= deadline) return err('LOCK_TIMEOUT', `'${name}' is busy; try again`);
        await new Promise((r) => setTimeout(r, delay + Math.random() * delay));
        delay = Math.min(delay * 2, 100);
      }
      // Short holds (nearly all) cost nothing more; a long one keeps its lock while this process lives.
      const renew = opts.renew ? setInterval(() => void redis.eval(RENEW, 1, key, token, String(ttlMs)).catch((e: unknown) => opts.onReleaseError?.(e)), ttlMs / 3) : undefined;
      try {
        return ok(await fn());
      } finally {
        clearInterval(renew);
        // The work is done (and maybe committed): a failed release must not turn it into an error; the TTL frees it.
        await redis.eval(RELEASE, 1, key, token).catch((e: unknown) => opts.onReleaseError?.(e));
      }
    },
  };
}
