import { Redis } from 'ioredis';
import { createRedisLocks } from '../../models/redis-lock';
import { createTurnQueue } from '../../models/turn-queue';
import { uniqueDbName } from '../support/test-app';

let redis: Redis;
const prefix = `${uniqueDbName('lock')}:`;

beforeAll(() => {
  redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

test('holders of one lock take turns; the lock is released after each', async () => {
  const locks = createRedisLocks(redis, { prefix });
  let inside = 0;
  let maxInside = 0;
  const results = await Promise.all(
    Array.from({ length: 10 }, (_, i) =>
      locks.withLock('case:x', async () => {
        inside++;
        maxInside = Math.max(maxInside, inside);
        await new Promise((r) => setTimeout(r, 5));
        inside--;
        return i;
      }),
    ),
  );
  expect(results.every((r) => r.ok)).toBe(true);
  expect(maxInside).toBe(1);
  expect(await redis.exists(`${prefix}lock:case:x`)).toBe(0);
});

test('a caller that cannot get the lock in time gets LOCK_TIMEOUT and runs nothing', async () => {
  const locks = createRedisLocks(redis, { prefix, waitMs: 100 });
  await redis.set(`${prefix}lock:case:y`, 'someone-else', 'PX', 5_000);
  let ran = false;
  const r = await locks.withLock('case:y', async () => {
    ran = true;
  });
  expect(r).toMatchObject({ ok: false, error: { code: 'LOCK_TIMEOUT' } });
  expect(ran).toBe(false);
  expect(await redis.get(`${prefix}lock:case:y`)).toBe('someone-else'); // never released a lock it did not hold
});

test('a lock whose holder died expires after its TTL', async () => {
  const locks = createRedisLocks(redis, { prefix, ttlMs: 200, waitMs: 2_000 });
  await redis.set(`${prefix}lock:case:z`, 'crashed-holder', 'PX', 200);
  const r = await locks.withLock('case:z', async () => 'got it');
  expect(r).toEqual({ ok: true, value: 'got it' });
});

describe('turn queue (first come, first served)', () => {
  test('callers of one name run one at a time, in arrival order', async () => {
    const q = createTurnQueue(redis, { prefix });
    const order: number[] = [];
    let inside = 0;
    let maxInside = 0;
    const calls: Promise<unknown>[] = [];
    for (let i = 0; i < 8; i++) {
      calls.push(
        q.withLock('conv:a', async () => {
          inside++;
          maxInside = Math.max(maxInside, inside);
          order.push(i);
          await new Promise((r) => setTimeout(r, 10));
          inside--;
        }),
      );
      await new Promise((r) => setTimeout(r, 2)); // each arrives after the previous one has queued
    }
    await Promise.all(calls);
    expect(maxInside).toBe(1);
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(await redis.zcard(`${prefix}turnq:conv:a`)).toBe(0);
  });

  test('twenty callers arriving at the same instant still run one at a time', async () => {
    const q = createTurnQueue(redis, { prefix });
    let inside = 0;
    let maxInside = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        q.withLock('conv:same-instant', async () => {
          inside++;
          maxInside = Math.max(maxInside, inside);
          await new Promise((r) => setTimeout(r, 3));
          inside--;
          return i;
        }),
      ),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(maxInside).toBe(1);
  });

  test('a holder that died (no heartbeat) is passed over', async () => {
    const q = createTurnQueue(redis, { prefix, heartbeatMs: 300 });
    // A dead process's entry: queued first, heartbeat gone.
    await redis.zadd(`${prefix}turnq:conv:b`, 0, 'dead');
    const r = await q.withLock('conv:b', async () => 'ran');
    expect(r).toEqual({ ok: true, value: 'ran' });
  });

  test('a caller that cannot get its turn in time gives up with LOCK_TIMEOUT and leaves the queue', async () => {
    const q = createTurnQueue(redis, { prefix, waitMs: 100 });
    let release!: () => void;
    const holder = q.withLock('conv:c', () => new Promise<void>((r) => (release = r)));
    await new Promise((r) => setTimeout(r, 20));
    const r = await q.withLock('conv:c', async () => 'never');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('LOCK_TIMEOUT');
    expect(await redis.zcard(`${prefix}turnq:conv:c`)).toBe(1);
    release();
    await holder;
  });
});

test('a renewing lock outlives its TTL while its holder runs, and is let go after', async () => {
  const locks = createRedisLocks(redis, { prefix, ttlMs: 300, renew: true });
  const key = `${prefix}lock:turn:z`;
  const held = await locks.withLock('turn:z', async () => {
    await new Promise((r) => setTimeout(r, 1_000)); // over three TTLs
    return redis.pttl(key);
  });
  expect(held).toMatchObject({ ok: true });
  expect(held.ok && held.value).toBeGreaterThan(0); // still ours at the end of the hold
  expect(await redis.exists(key)).toBe(0);
  // Without renewing, the same hold loses the lock to its TTL.
  const plain = await createRedisLocks(redis, { prefix, ttlMs: 300 }).withLock('turn:z', async () => {
    await new Promise((r) => setTimeout(r, 1_000));
    return redis.exists(key);
  });
  expect(plain).toEqual({ ok: true, value: 0 });
});
