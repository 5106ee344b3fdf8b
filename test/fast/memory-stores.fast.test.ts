/**
 * The in-memory stores keep the guarantees of the Mongo repositories that the use cases rely on: a unique key refuses
 * a second insert, a conditional update on a stale version or status changes nothing, a booked cell has one holder,
 * and the bot state refuses a stale eTag. Without these the fast scripts could pass where the app would fail.
 */
import { MemoryStorage } from 'botbuilder';
import type { Case } from '../../services/cases/case.schema';
import type { Message } from '../../services/messaging/message.schema';
import type { Appointment } from '../../services/scheduling/appointment.schema';
import { memoryLocks } from '../support/memory/infra.memory';
import { MemoryAppointments, MemoryCases, MemoryMessages, MemoryTasks } from '../support/memory';

const AT = new Date('2026-11-30T16:00:00Z');

const aCase = (over: Partial<Case> = {}): Case => ({
  id: 'c_000000000000000000000001',
  state: 'ready_to_schedule',
  track: 'standard',
  version: 1,
  source: 'fax',
  patientId: 'p_1',
  referrerOrgId: null,
  order: { intent: 'order', priority: 'routine', code: { modality: 'mri', contrast: 'without' }, bodySite: { text: 'lumbar spine', laterality: null }, reasonCode: [], reasonText: null, requester: null, insurance: null, note: [] },
  missing: [],
  appointment: null,
  screening: null,
  authorization: null,
  history: [],
  createdAt: AT,
  updatedAt: AT,
  ...over,
});

test('cases: a second insert of an id is refused; a transition or patch on a stale version changes nothing', async () => {
  const cases = new MemoryCases();
  expect(await cases.insert(aCase())).toBe(true);
  expect(await cases.insert(aCase({ state: 'lead' }))).toBe(false);
  const entry = { from: 'ready_to_schedule' as const, to: 'cancelled' as const, event: 'cancel' as const, actor: 'bot', channel: 'sms' as const, at: AT };
  expect(await cases.applyTransition('c_000000000000000000000001', { state: 'ready_to_schedule', version: 0 }, { state: 'cancelled', entry, now: AT })).toBeNull();
  expect(await cases.applyTransition('c_000000000000000000000001', { state: 'scheduled', version: 1 }, { state: 'cancelled', entry, now: AT })).toBeNull();
  const moved = await cases.applyTransition('c_000000000000000000000001', { state: 'ready_to_schedule', version: 1 }, { state: 'cancelled', entry, now: AT });
  expect(moved).toMatchObject({ state: 'cancelled', version: 2, history: [{ event: 'cancel' }] });
  expect(await cases.patch('c_000000000000000000000001', 1, { missing: ['x'] }, AT)).toBeNull();
  expect(await cases.patch('c_000000000000000000000001', 2, { missing: ['x'] }, AT)).toMatchObject({ version: 3, missing: ['x'] });
  // What a caller holds is a copy: changing it does not change the stored case.
  moved!.missing.push('y');
  expect((await cases.findById('c_000000000000000000000001'))!.missing).toEqual(['x']);
});

test('tasks: one task per dedupe key, open or done; messages: one per idempotency key; transitions only from the given statuses', async () => {
  const tasks = new MemoryTasks();
  const task = { id: 't_1', kind: 'call_patient' as const, status: 'open' as const, dedupeKey: 'k', summary: 's', caseId: null, referrerOrgId: null, createdAt: AT, updatedAt: AT };
  expect(await tasks.insert(task)).toBe(true);
  expect(await tasks.insert({ ...task, id: 't_2' })).toBe(false);
  expect(await tasks.close('k', AT)).toBe(true);
  expect(await tasks.close('k', AT)).toBe(false);
  expect(await tasks.insert({ ...task, id: 't_3' })).toBe(false);

  const messages = new MemoryMessages();
  const m = { id: 'm_1', direction: 'outbound', channel: 'sms', phoneHash: 'h', phone: '+15125552001', conversationRefId: null, activityId: null, body: 'hi', purpose: 'care', template: 'reply', idempotencyKey: 'reply:1', initiated: false, caseId: null, campaignId: null, language: 'en', timeZone: null, status: 'pending', statusRank: 0, statusHistory: [], twilioSid: null, errorCode: null, reason: null, sendAfter: null, attempts: 0, seq: null, handled: true, createdAt: AT, updatedAt: AT } satisfies Message;
  expect(await messages.insert(m)).toBe(true);
  expect(await messages.insert({ ...m, id: 'm_2' })).toBe(false);
  expect(await messages.transition('m_1', ['sending'], { status: 'sent' }, null, AT)).toBeNull();
  expect(await messages.transition('m_1', ['pending'], { status: 'sending' }, { status: 'sending', at: AT, errorCode: null }, AT)).toMatchObject({ status: 'sending', statusHistory: [{ status: 'sending' }] });
});

test('appointments: overlapping bookings of one scanner are refused; a cancel frees only its own cells', async () => {
  const appts = new MemoryAppointments();
  const at = (h: number, m = 0) => new Date(Date.UTC(2026, 11, 1, h, m));
  const appt = (id: string, start: Date, end: Date): Appointment => ({ id, caseId: `c_${id}`, scannerId: 'mri-1', start, end, study: { modality: 'mri', bodyPart: null, contrast: null }, status: 'booked', cancelReason: null, createdAt: AT, updatedAt: AT });
  expect(await appts.book(appt('a', at(15), at(15, 45)))).toBe(true);
  expect(await appts.book(appt('b', at(15, 30), at(16, 15)))).toBe(false);
  expect(await appts.book({ ...appt('c', at(15, 30), at(16, 15)), scannerId: 'mri-2' })).toBe(true);
  expect(await appts.cancel('a', 'moved', AT)).toMatchObject({ status: 'cancelled' });
  expect(await appts.cancel('a', 'again', AT)).toBeNull();
  expect(await appts.book(appt('d', at(15, 30), at(16, 15)))).toBe(true);
  expect(await appts.bookedBetween(['mri-1'], at(15), at(17))).toEqual([{ scannerId: 'mri-1', start: at(15, 30), end: at(16, 15) }]);
});

test('bot state: a stale eTag is refused, * overwrites (botbuilder MemoryStorage, as our Mongo storage)', async () => {
  const s = new MemoryStorage();
  await s.write({ k: { n: 1 } });
  const read = (await s.read(['k']))['k'] as { n: number; eTag: string };
  await s.write({ k: { n: 2, eTag: read.eTag } });
  await expect(s.write({ k: { n: 3, eTag: read.eTag } })).rejects.toThrow();
  await s.write({ k: { n: 4, eTag: '*' } });
  expect((await s.read(['k']))['k']).toMatchObject({ n: 4 });
});

test('locks: callers of one name take turns in arrival order', async () => {
  const locks = memoryLocks(1_000);
  const order: string[] = [];
  const first = locks.withLock('x', async () => {
    await new Promise((r) => setTimeout(r, 10));
    order.push('first');
  });
  const second = locks.withLock('x', async () => void order.push('second'));
  const other = locks.withLock('y', async () => void order.push('other name'));
  await Promise.all([first, second, other]);
  expect(order).toEqual(['other name', 'first', 'second']);
});

test('locks: a caller that waits past its budget gets LOCK_TIMEOUT, and the line moves on without it', async () => {
  const locks = memoryLocks(20);
  let release!: () => void;
  const held = locks.withLock('x', () => new Promise<void>((r) => (release = r)));
  expect(await locks.withLock('x', async () => 'late')).toMatchObject({ ok: false, error: { code: 'LOCK_TIMEOUT' } });
  release();
  await held;
  expect(await locks.withLock('x', async () => 'next')).toEqual({ ok: true, value: 'next' });
});
