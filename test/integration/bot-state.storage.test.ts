import type { Storage } from 'botbuilder';
import type { Connection } from 'mongoose';
import { connectMongo } from '../../models/db';
import { createMongoStorage, EtagConflictError } from '../../models/bot-state.storage';
import { testMongoUri, uniqueDbName } from '../support/test-app';

// The botbuilder Storage contract (architecture.md §3) against the real MongoDB-compatible server.
let conn: Connection;
let storage: Storage & { ensureIndexes(): Promise<void> };

beforeAll(async () => {
  conn = await connectMongo(testMongoUri(), uniqueDbName('storage'));
  storage = createMongoStorage(conn);
  await storage.ensureIndexes();
});
afterAll(async () => {
  await conn.db?.dropDatabase();
  await conn.close();
});

let n = 0;
const key = () => `webchat/conversations/c${++n}.dialog`;

test('create: a new item is read back with an eTag', async () => {
  const k = key();
  await storage.write({ [k]: { count: 1, 'with.dot': { $odd: true } } });
  const got = await storage.read([k]);
  expect(got[k]).toEqual({ count: 1, 'with.dot': { $odd: true }, eTag: expect.stringMatching(/^[0-9a-f]{16}$/) });
});

test('update with the current eTag succeeds and issues a new eTag', async () => {
  const k = key();
  await storage.write({ [k]: { count: 1 } });
  const first = (await storage.read([k]))[k];
  await storage.write({ [k]: { ...first, count: 2 } });
  const second = (await storage.read([k]))[k];
  expect(second.count).toBe(2);
  expect(second.eTag).not.toBe(first.eTag);
});

test('a stale eTag is refused and the stored item is unchanged', async () => {
  const k = key();
  await storage.write({ [k]: { count: 1 } });
  const stale = (await storage.read([k]))[k];
  await storage.write({ [k]: { ...stale, count: 2 } });
  await expect(storage.write({ [k]: { ...stale, count: 99 } })).rejects.toBeInstanceOf(EtagConflictError);
  expect((await storage.read([k]))[k].count).toBe(2);
});

test('`*` overwrites whatever is stored, and so does a write without an eTag', async () => {
  const k = key();
  await storage.write({ [k]: { count: 1 } });
  await storage.write({ [k]: { count: 5, eTag: '*' } });
  expect((await storage.read([k]))[k].count).toBe(5);
  await storage.write({ [k]: { count: 6 } });
  expect((await storage.read([k]))[k].count).toBe(6);
});

test('a write with an eTag to a missing key creates it (as MemoryStorage does)', async () => {
  const k = key();
  await storage.write({ [k]: { count: 1, eTag: 'abc' } });
  expect((await storage.read([k]))[k].count).toBe(1);
});

test('delete removes the item; deleting it again is harmless', async () => {
  const k = key();
  await storage.write({ [k]: { count: 1 } });
  await storage.delete([k]);
  expect(await storage.read([k])).toEqual({});
  await expect(storage.delete([k])).resolves.toBeUndefined();
});

test('an unknown key reads as absent', async () => {
  expect(await storage.read(['never/written'])).toEqual({});
  expect(await storage.read([])).toEqual({});
});

test('several keys in one call: written together, read together, absent ones left out', async () => {
  const [a, b, c] = [key(), key(), key()];
  await storage.write({ [a]: { v: 'a' }, [b]: { v: 'b' }, [c]: { v: 'c' } });
  const got = await storage.read([a, b, c, 'missing/key']);
  expect(Object.keys(got).sort()).toEqual([a, b, c].sort());
  expect([got[a].v, got[b].v, got[c].v]).toEqual(['a', 'b', 'c']);
  await storage.delete([a, b]);
  expect(Object.keys(await storage.read([a, b, c]))).toEqual([c]);
});

test('twenty writers holding the same eTag at once: exactly one wins', async () => {
  const k = key();
  await storage.write({ [k]: { writer: -1 } });
  const current = (await storage.read([k]))[k];
  const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => storage.write({ [k]: { ...current, writer: i } })));
  const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
  expect(won).toHaveLength(1);
  for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(EtagConflictError);
  expect((await storage.read([k]))[k].writer).toBe(won[0]);
});

test('a claim left behind by a writer that died mid-write blocks for a while, then is taken over', async () => {
  const k = key();
  await storage.write({ [k]: { v: 1 } });
  const current = (await storage.read([k]))[k];
  const claims = conn.collection('bot_state_claims');
  await claims.insertOne({ _id: `${current.eTag}:${k}` as never, at: new Date() });
  await expect(storage.write({ [k]: { ...current, v: 2 } })).rejects.toBeInstanceOf(EtagConflictError);
  await claims.updateOne({ _id: `${current.eTag}:${k}` as never }, { $set: { at: new Date(Date.now() - 60_000) } });
  await storage.write({ [k]: { ...current, v: 2 } });
  expect((await storage.read([k]))[k].v).toBe(2);
});
