import type { Connection } from 'mongoose';
import { connectMongo } from '../../models/db';
import { createMessageRepository } from '../../models/message.repository';
import type { Message } from '../../services/messaging/message.schema';
import { testMongoUri, uniqueDbName } from '../support/test-app';

// A number's arrival counters are a document of their own (read by `_id`); texts stored before they existed are
// counted once when the repository starts.
let conn: Connection;
beforeAll(async () => {
  conn = await connectMongo(testMongoUri(), uniqueDbName('numbers'));
});
afterAll(async () => {
  await conn.db?.dropDatabase();
  await conn.close();
});

const at = new Date('2026-11-01T15:00:00Z');
const text = (id: string, phoneHash: string, seq: number, handled: boolean) => ({
  _id: id, direction: 'inbound', channel: 'sms', phoneHash, phone: '+15125550101', conversationRefId: null, activityId: null, body: 'hi', purpose: 'care',
  template: 'inbound', idempotencyKey: `in:${id}`, initiated: false, caseId: null, campaignId: null, language: 'en', timeZone: null, status: 'received',
  statusRank: 0, statusHistory: [], twilioSid: id, errorCode: null, reason: null, sendAfter: null, attempts: 0, seq, handled, createdAt: at, updatedAt: at,
});

test('texts stored before the counters existed are counted at start; new texts and handled turns move them', async () => {
  await conn.collection('messages').insertMany([text('m1', 'hA', 1, true), text('m2', 'hA', 2, true), text('m3', 'hA', 3, false), text('m4', 'hB', 1, false)] as never[]);
  const repo = createMessageRepository(conn);
  await repo.ensureIndexes();
  expect([await repo.maxInboundSeq('hA', false), await repo.maxInboundSeq('hA', true)]).toEqual([3, 2]);
  expect([await repo.maxInboundSeq('hB', false), await repo.maxInboundSeq('hB', true)]).toEqual([1, 0]);
  expect(await repo.maxInboundSeq('hNew', false)).toBe(0);

  await repo.markHandled({ id: 'm3', phoneHash: 'hA', seq: 3 }, at);
  expect(await repo.maxInboundSeq('hA', true)).toBe(3);
  const { _id, ...m5 } = text('m5', 'hA', 4, false);
  expect(await repo.insert({ id: _id, ...m5 } as Message)).toBe(true);
  expect([await repo.maxInboundSeq('hA', false), await repo.maxInboundSeq('hA', true)]).toEqual([4, 3]);
  // A second start counts nothing again (the counters exist) and loses nothing.
  await repo.ensureIndexes();
  expect([await repo.maxInboundSeq('hA', false), await repo.maxInboundSeq('hA', true)]).toEqual([4, 3]);
});
