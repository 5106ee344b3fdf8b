import type { Connection } from 'mongoose';
import { connectMongo } from '../../models/db';
import { createRepositories, type Repositories } from '../../models';
import type { Case } from '../../services/cases/case.schema';
import { testMongoUri, uniqueDbName } from '../support/test-app';
import { Redis } from 'ioredis';
import { createRedisLocks } from '../../models/redis-lock';
import { createConsentService } from '../../services/consent/consent.service';

let conn: Connection;
let repos: Repositories;

beforeAll(async () => {
  conn = await connectMongo(testMongoUri(), uniqueDbName('repo'));
  repos = createRepositories(conn);
  await repos.ensureIndexes();
});
afterAll(async () => {
  await conn.db?.dropDatabase();
  await conn.close();
});

function newCase(id: string, at = new Date('2026-11-28T10:00:00Z')): Case {
  return {
    id,
    state: 'received',
    track: 'standard',
    version: 0,
    source: 'fax',
    patientId: 'p_1',
    referrerOrgId: null,
    order: {
      intent: 'order',
      priority: 'routine',
      code: { modality: 'ct', contrast: 'with' },
      bodySite: { text: 'abdomen', laterality: null },
      reasonCode: ['R10.9'],
      reasonText: null,
      requester: null,
      insurance: { selfPay: true },
      note: [],
    },
    missing: [],
    appointment: null,
    screening: null,
    authorization: null,
    history: [{ from: null, to: 'received', event: 'create', actor: 'system', channel: 'fax', at }],
    createdAt: at,
    updatedAt: at,
  };
}

describe('case repository on the real MongoDB-compatible server', () => {
  test('insert is idempotent on the id, and the row reads back exactly', async () => {
    const c = newCase('c_aaaaaaaaaaaaaaaaaaaaaaaa');
    expect(await repos.cases.insert(c)).toBe(true);
    expect(await repos.cases.insert(c)).toBe(false);
    expect(await repos.cases.findById(c.id)).toEqual(c);
  });

  test('a transition is one conditional update: state, version and history move together; a stale expectation matches nothing', async () => {
    const c = newCase('c_bbbbbbbbbbbbbbbbbbbbbbbb');
    await repos.cases.insert(c);
    const at = new Date('2026-11-28T11:00:00Z');
    const entry = { from: 'received', to: 'ready_to_schedule', event: 'mark_ready', actor: 'staff:s1', channel: 'api', at } as const;
    const moved = await repos.cases.applyTransition(c.id, { state: 'received', version: 0 }, { state: 'ready_to_schedule', entry, now: at });
    expect(moved).toMatchObject({ state: 'ready_to_schedule', version: 1, updatedAt: at });
    expect(moved?.history).toEqual([...c.history, entry]);

    // The same expectation again (a writer that read before the first one wrote) changes nothing.
    const stale = await repos.cases.applyTransition(c.id, { state: 'received', version: 0 }, { state: 'cancelled', entry, now: at });
    expect(stale).toBeNull();
    const wrongState = await repos.cases.applyTransition(c.id, { state: 'received', version: 1 }, { state: 'cancelled', entry, now: at });
    expect(wrongState).toBeNull();
    expect(await repos.cases.findById(c.id)).toMatchObject({ state: 'ready_to_schedule', version: 1 });
    expect((await repos.cases.findById(c.id))?.history).toHaveLength(2);
  });

  test('an unknown id reads as null and transitions nothing', async () => {
    expect(await repos.cases.findById('c_cccccccccccccccccccccccc')).toBeNull();
    const entry = { from: 'received', to: 'ready_to_schedule', event: 'mark_ready', actor: 'system', channel: 'api', at: new Date() } as const;
    expect(await repos.cases.applyTransition('c_cccccccccccccccccccccccc', { state: 'received', version: 0 }, { state: 'ready_to_schedule', entry, now: new Date() })).toBeNull();
  });

  test('indexes exist for every field the service queries', async () => {
    const keys = async (coll: string) => (await conn.db!.collection(coll).indexes()).map((i) => Object.keys(i.key).join(','));
    expect(await keys('cases')).toEqual(expect.arrayContaining(['state', 'track', 'patientId', 'referrerOrgId', 'createdAt,_id']));
    expect(await keys('patients')).toEqual(expect.arrayContaining(['phoneHash']));
    expect(await keys('referrers')).toEqual(expect.arrayContaining(['tenantId']));
    const tokenIdx = (await conn.db!.collection('staff_tokens').indexes()).find((i) => Object.keys(i.key).join() === 'tokenHash');
    expect(tokenIdx?.unique).toBe(true);
  });

  test('a staff token hash is unique, enforced by the database', async () => {
    const rec = { id: 's1', name: 'A', role: 'admin' as const, tokenHash: 'h'.repeat(64), referrerOrgId: null, createdAt: new Date(), expiresAt: null, revokedAt: null };
    await repos.staffTokens.insert(rec);
    await expect(repos.staffTokens.insert({ ...rec, id: 's2' })).rejects.toMatchObject({ code: 11000 });
  });
});

describe('first writes for one number in parallel', () => {
  test('consent: every change is kept in the history and none fails on the race to insert', async () => {
    const redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
    try {
      const at = new Date('2026-11-28T10:00:00Z');
      const consent = createConsentService({ consents: repos.consents, now: () => at, locks: createRedisLocks(redis, { prefix: `${uniqueDbName('r')}:` }) });
      const evidence = Array.from({ length: 8 }, (_, i) => `order ${i}`);
      await Promise.all(evidence.map((e) => consent.set('hash-race', 'care', 'granted', 'referral', e, at)));
      const rec = await repos.consents.get('hash-race');
      expect(rec.care?.status).toBe('granted');
      expect(rec.care?.history.map((h) => h.evidence).sort()).toEqual(evidence);
    } finally {
      redis.disconnect();
    }
  });
});

test('tasks: urgent first (re-raised on top), then newest first; tasks stored before the urgent fields sort with the other non-urgent ones after start-up', async () => {
  const at = (m: number) => new Date(Date.UTC(2026, 10, 30, 16, m));
  const base = { status: 'open' as const, caseId: null, referrerOrgId: null, replyTo: null };
  // Written as the older code wrote it: no urgent, dueAt or escalatedAt field at all.
  await conn.collection('tasks').insertOne({ _id: 't_legacy' as never, kind: 'call_patient', status: 'open', dedupeKey: 'legacy', summary: 'old', caseId: null, referrerOrgId: null, replyTo: null, conversationKey: null, live: null, createdAt: at(3), updatedAt: at(3) });
  await repos.tasks.insert({ ...base, id: 't_routine', kind: 'call_patient', dedupeKey: 'routine', summary: 'routine', createdAt: at(1), updatedAt: at(1) });
  await repos.tasks.insert({ ...base, id: 't_urgent', kind: 'schedule_by_phone', dedupeKey: 'urgent', summary: 'stat', urgent: true, dueAt: at(15), createdAt: at(0), updatedAt: at(0) });
  await repos.tasks.insert({ ...base, id: 't_raised', kind: 'schedule_by_phone', dedupeKey: 'raised', summary: 'stat 2', urgent: true, dueAt: at(14), createdAt: at(-1), updatedAt: at(-1) });
  expect(await repos.tasks.escalate('raised', 'OVERDUE stat 2', at(20))).toBe(true);
  expect(await repos.tasks.escalate('raised', 'again', at(21))).toBe(false);
  await repos.ensureIndexes();
  const order = (await repos.tasks.list({ status: 'open' }, 10)).map((x) => x.id).filter((id) => ['t_legacy', 't_routine', 't_urgent', 't_raised'].includes(id));
  expect(order).toEqual(['t_raised', 't_urgent', 't_legacy', 't_routine']);
  expect(await repos.tasks.findByKey('raised')).toMatchObject({ summary: 'OVERDUE stat 2', escalatedAt: at(20) });
});
