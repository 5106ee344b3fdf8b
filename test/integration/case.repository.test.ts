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
    const rec = { id: 's1', name: 'A', role: 'admin' as const, tokenHash: 'h'.repeat(64), referrerOrgId: null, createdAt: new Date(), revokedAt: null };
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
