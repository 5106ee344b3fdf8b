import { Redis } from 'ioredis';
import { createRedisLocks } from '../../models/redis-lock';
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
