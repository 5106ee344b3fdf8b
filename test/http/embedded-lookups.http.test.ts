import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import type { MongoCommand } from '../../models/db';
import { ensureFerretDb, indexSqliteIds, startFerretDb, type FerretDbInstance } from '../../scripts/local-infra';
import { inbound, newPhone, postTwilio } from '../support/sms';
import { startTestApp, type TestApp } from '../support/test-app';

// The embedded default (FerretDB v1.24 on SQLite) serves only an exact `{ _id }` filter from an index, and only once
// the index on the expression it filters by exists: a turn must use nothing else on its growing collections.
let ferret: FerretDbInstance;
let t: TestApp;
let dir: string;
const commands: MongoCommand[] = [];

beforeAll(async () => {
  const bin = await ensureFerretDb(() => undefined);
  if (!bin) throw new Error('FerretDB binary missing');
  dir = mkdtempSync(path.join(os.tmpdir(), 'lookups-'));
  ferret = await startFerretDb(bin, dir); // SQLite, as `npm start` without MONGODB_URI
  t = await startTestApp({ mongoUri: ferret.url, name: 'lookups', onMongoCommand: (c) => commands.push(c) });
}, 60_000);
afterAll(async () => {
  await t.close();
  await ferret.stop();
  rmSync(dir, { recursive: true, force: true });
});

const sqlite = (sql: string) => execFileSync('sqlite3', ['-cmd', '.timeout 10000', path.join(dir, `${t.dbName}.sqlite`), sql], { encoding: 'utf8' }).trim();
const tableOf = (collection: string) => sqlite(`SELECT table_name FROM _ferretdb_collections WHERE name = '${collection}'`);

test("every collection gets an index on the expression FerretDB filters _id by, and SQLite uses it", async () => {
  expect((await postTwilio(t.base, '/api/sms/inbound', inbound(newPhone(), 'hi'))).status).toBe(200); // every collection a turn uses now exists
  await indexSqliteIds(dir);
  for (const collection of ['messages', 'consents', 'bot_state', 'sms_numbers']) {
    const plan = sqlite(`EXPLAIN QUERY PLAN SELECT _ferretdb_sjson FROM "${tableOf(collection)}" WHERE _ferretdb_sjson->'$._id' = '"x"'`);
    expect(plan).toContain(`USING INDEX ${tableOf(collection)}_iib_id_path`);
  }
  expect(await indexSqliteIds(dir)).toBe(0); // already there: nothing made twice
});

test('a collection made later gets the index within seconds, with no restart', async () => {
  const client = new mongoose.mongo.MongoClient(ferret.url);
  try {
    await client.db(t.dbName).collection('made_later').insertOne({ _id: 'a' } as never);
    const deadline = Date.now() + 15_000;
    while (!sqlite(`SELECT name FROM sqlite_master WHERE type = 'index' AND name = '${tableOf('made_later')}_iib_id_path'`)) {
      if (Date.now() > deadline) throw new Error('the new collection got no _id index');
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await client.close();
  }
});

test("an SMS turn reads and writes messages, counters, consent and conversation state by _id only", async () => {
  const phone = newPhone();
  const turnFilters = async (body: string) => {
    commands.length = 0;
    expect((await postTwilio(t.base, '/api/sms/inbound', inbound(phone, body))).status).toBe(200);
    return commands.filter((c) => ['messages', 'sms_numbers', 'consents', 'bot_state', 'live_handoffs'].includes(c.collection ?? '') && c.name !== 'insert');
  };
  for (const body of ['hello', 'what are your hours?']) {
    const used = await turnFilters(body); // a new number first, then a known one
    expect(used.length).toBeGreaterThan(3);
    expect(used.filter((c) => Object.keys(c.filter ?? {}).join() !== '_id' || typeof c.filter?.['_id'] !== 'string').map((c) => `${c.name} ${c.collection} ${JSON.stringify(c.filter)}`)).toEqual([]);
  }
  expect(t.smsOut.filter((l) => l.includes(phone.slice(-4))).length).toBeGreaterThanOrEqual(2);
});

test('a menu reply of a known number reads its consent once, and no collection that grows with handoffs or campaigns', async () => {
  const phone = newPhone();
  expect((await postTwilio(t.base, '/api/sms/inbound', inbound(phone, 'hello'))).status).toBe(200);
  commands.length = 0;
  expect((await postTwilio(t.base, '/api/sms/inbound', inbound(phone, 'what are your hours?'))).status).toBe(200);
  const on = (collection: string) => commands.filter((c) => c.collection === collection).map((c) => `${c.name} ${JSON.stringify(c.filter)}`);
  // The keyword layer, the care consent note and the gateway's check all ask; the turn reads each purpose once.
  expect(on('consents')).toHaveLength(2);
  expect(on('live_handoffs')).toHaveLength(1);
  // No campaign texted this number (none ran): the recipients are not searched, nor the tasks for a live handoff.
  expect([...on('tasks'), ...on('campaign_recipients'), ...on('campaigns')]).toEqual([]);
  // Its outbound message: stored, then moved to sending and to sent by `_id`, with no read in between.
  expect(on('messages').filter((c) => c.startsWith('find '))).toHaveLength(1); // the inbound text, read for its turn
  expect(t.smsOut.filter((l) => l.includes(phone.slice(-4)))).toHaveLength(2);
});
