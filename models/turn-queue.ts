import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Locks } from '../services/locks';
import { err, ok } from '../services/result';

export interface TurnQueueOptions {
  prefix: string;
  /** A waiter or holder that stops renewing its heartbeat for this long is presumed dead and passed over. */
  heartbeatMs?: number;
  /** How long a caller waits for its turn before giving up. */
  waitMs?: number;
}

// Ticket and place in one step, so the queue's order is always the order of the tickets.
const ENTER = `
local t = redis.call('incr', KEYS[1])
redis.call('zadd', KEYS[2], t, ARGV[1])
redis.call('set', KEYS[3], '1', 'PX', ARGV[2])
redis.call('pexpire', KEYS[1], ARGV[3])
redis.call('pexpire', KEYS[2], ARGV[3])
return t`;

/**
 * A first-come, first-served lock across processes: callers of one name run one at a time, in the order they
 * arrived (a Redis sorted set scored by a per-name ticket). Conversation turns use it so that two messages of one
 * conversation are answered in the order they were sent; a caller that dies is passed over once its heartbeat lapses.
 */
export function createTurnQueue(redis: Redis, opts: TurnQueueOptions): Locks {
  const heartbeatMs = opts.heartbeatMs ?? 15_000;
  const waitMs = opts.waitMs ?? 30_000;
  const keysTtl = String(heartbeatMs * 4);
  return {
    async withLock(name, fn) {
      const base = `${opts.prefix}turnq:${name}`;
      const ticketKey = `${base}:ticket`;
      const me = randomBytes(8).toString('hex');
      const alive = (id: string) => `${base}:alive:${id}`;
      const enter = () => redis.eval(ENTER, 3, ticketKey, base, alive(me), me, String(heartbeatMs), keysTtl);
      await enter();
      const beat = setInterval(() => {
        // The queue's own keys too: a turn longer than their TTL must not let the next caller start.
        void redis.multi().set(alive(me), '1', 'PX', heartbeatMs).pexpire(base, keysTtl).pexpire(ticketKey, keysTtl).exec().catch(() => undefined); // the next beat tries again
      }, heartbeatMs / 3);
      try {
        const deadline = Date.now() + waitMs;
        let delay = 5;
        for (;;) {
          const [head] = await redis.zrange(base, 0, 0);
          if (head === me) break;
          if (head === undefined || (await redis.zscore(base, me)) === null) {
            // Passed over after a stall of this process: queue again at the back, never ahead of a running turn.
            await enter();
            continue;
          }
          if (!(await redis.exists(alive(head)))) {
            await redis.zrem(base, head);
            continue;
          }
          if (Date.now() >= deadline) return err('LOCK_TIMEOUT', `'${name}' is busy; try again`);
          await new Promise((r) => setTimeout(r, delay));
          delay = Math.min(delay * 2, 50);
        }
        return ok(await fn());
      } finally {
        clearInterval(beat);
        await redis.multi().zrem(base, me).del(alive(me)).exec();
      }
    },
  };
}
