import nock from 'nock';
import { createTwilioTransport } from '../../bot/integrations/twilio.transport';
import { createPhoneHasher } from '../../services/contact/phone';
import { inbound, newPhone, newSid, postTwilio } from '../support/sms';
import { startTestApp, type TestApp } from '../support/test-app';

const ACCOUNT = `AC${'1'.repeat(32)}`;
const MESSAGES = `/2010-04-01/Accounts/${ACCOUNT}/Messages.json`;
const hash = createPhoneHasher('test-hash-key');
let clock = new Date('2026-11-28T18:00:00Z');
let t: TestApp;
const sleeps: number[] = [];

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
  t = await startTestApp({
    name: 'twilio',
    now: () => clock,
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    // keepAlive off: nock 14's interceptor never answers a request that carries `Connection: keep-alive`.
    transport: createTwilioTransport({ accountSid: ACCOUNT, authToken: 'tok', from: '+15125550100', apiBaseUrl: 'https://twilio.test', keepAlive: false, timeoutMs: 2_000 }),
  });
});
afterAll(async () => {
  await t.close();
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore(); // nock's HTTP interception is process-wide: leave none behind for the next test file
});
afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]); // every interceptor a test set up was used
  nock.cleanAll();
});

const twilioOk = (sid = newSid()) => ({ sid, status: 'queued', account_sid: ACCOUNT, body: 'x', to: '+1', from: '+1' });
const grantCare = (phone: string) => t.app.services.consent.set(hash(phone), 'care', 'granted', 'staff', 'test', clock);

test('TWILIO_API_BASE_URL is honoured and the form carries to, from, body and the status callback', async () => {
  const phone = newPhone();
  await grantCare(phone);
  let form = '';
  nock('https://twilio.test').post(MESSAGES, (b: string | Record<string, string>) => ((form = typeof b === 'string' ? b : new URLSearchParams(b).toString()), true)).reply(201, twilioOk('SM' + 'a'.repeat(32)));
  const r = await t.app.services.gateway.send({ to: phone, body: 'Your appointment is confirmed', purpose: 'care', template: 'reply', idempotencyKey: newSid(), initiated: false, language: 'en' });
  expect(r.outcome).toBe('sent');
  expect(r.message).toMatchObject({ status: 'queued', twilioSid: 'SM' + 'a'.repeat(32), attempts: 1 });
  const sent = new URLSearchParams(form);
  expect(sent.get('To')).toBe(phone);
  expect(sent.get('From')).toBe('+15125550100');
  expect(sent.get('StatusCallback')).toBe('https://intake.test/api/sms/status');
});

test('Twilio answering 21610 → consent revoked (carrier opt-out), the message failed with that code, no retry', async () => {
  const phone = newPhone();
  await grantCare(phone);
  const scope = nock('https://twilio.test').post(MESSAGES).once().reply(400, { code: 21610, message: 'Attempt to send to unsubscribed recipient', status: 400 });
  const r = await t.app.services.gateway.send({ to: phone, body: 'Reminder', purpose: 'care', template: 'reply', idempotencyKey: newSid(), initiated: false, language: 'en' });
  expect(scope.isDone()).toBe(true);
  expect(r.outcome).toBe('failed');
  expect(r.message).toMatchObject({ status: 'failed', errorCode: 21610, reason: 'carrier_opt_out', attempts: 1 });
  expect(await t.app.services.consent.statuses(hash(phone))).toEqual({ care: 'revoked', marketing: 'revoked' });
  const care = (await t.app.repos.consents.get(hash(phone))).care!;
  expect(care.history.at(-1)).toMatchObject({ source: 'carrier' });
});

test('Twilio answering 500 then 201 → one stored message, sent once, after one backoff', async () => {
  const phone = newPhone();
  await grantCare(phone);
  sleeps.length = 0;
  nock('https://twilio.test').post(MESSAGES).reply(500, { code: 20500, message: 'Internal error', status: 500 });
  nock('https://twilio.test').post(MESSAGES).reply(201, twilioOk('SM' + 'b'.repeat(32)));
  const key = newSid();
  const r = await t.app.services.gateway.send({ to: phone, body: 'Reminder', purpose: 'care', template: 'reply', idempotencyKey: key, initiated: false, language: 'en' });
  expect(r.message).toMatchObject({ status: 'queued', twilioSid: 'SM' + 'b'.repeat(32), attempts: 2 });
  expect(sleeps).toEqual([200]);
  const stored = (await t.app.repos.messages.list({ phoneHash: hash(phone) }, 10)).filter((m) => m.direction === 'outbound');
  expect(stored).toHaveLength(1);
  // The same idempotency key again: no new message, no Twilio request (nock has none left and refuses the net).
  const again = await t.app.services.gateway.send({ to: phone, body: 'Reminder', purpose: 'care', template: 'reply', idempotencyKey: key, initiated: false, language: 'en' });
  expect(again.outcome).toBe('duplicate');
});

test('after STOP no request at all reaches Twilio, for either purpose', async () => {
  const phone = newPhone();
  // The opt-out confirmation is the one message Twilio gets.
  const confirm = nock('https://twilio.test').post(MESSAGES).once().reply(201, twilioOk());
  await postTwilio(t.base, '/api/sms/inbound', inbound(phone, 'STOP'));
  expect(confirm.isDone()).toBe(true);
  for (const purpose of ['care', 'marketing'] as const) {
    const r = await t.app.services.gateway.send({ to: phone, body: 'x', purpose, template: purpose === 'care' ? 'reply' : 'campaign', idempotencyKey: newSid(), initiated: true, language: 'en' });
    expect(r.message).toMatchObject({ status: 'refused', reason: `no_consent:${purpose}:revoked` });
  }
  // nock.disableNetConnect would have failed any request: none was made (afterEach checks no mock is pending).
});

describe('quiet hours with a fixed clock, recipients in three time zones', () => {
  // 2026-11-28 standard time: New York UTC-5, Chicago UTC-6, Los Angeles UTC-8.
  test.each([
    ['212', '2026-11-29T02:30:00Z', '2026-11-29T13:00:00Z'],
    ['512', '2026-11-29T03:30:00Z', '2026-11-29T14:00:00Z'],
    ['415', '2026-11-29T05:30:00Z', '2026-11-29T16:00:00Z'],
  ])('area code %s: marketing due at 21:30 local is deferred to 08:00 local and sent then', async (area, due, opens) => {
    const phone = newPhone(area);
    clock = new Date(due);
    await t.app.services.consent.set(hash(phone), 'marketing', 'granted', 'web_form', 'screening-recall form v1', clock);
    const r = await t.app.services.gateway.send({ to: phone, body: 'Time for your annual mammogram', purpose: 'marketing', template: 'campaign', idempotencyKey: newSid(), initiated: true, language: 'en' });
    expect(r.outcome).toBe('deferred');
    expect(r.message.sendAfter?.toISOString()).toBe(new Date(opens).toISOString());
    const jobs = await t.app.deferred.queue.getDelayed();
    const job = jobs.find((j) => (j.data as { messageId: string }).messageId === r.message.id);
    expect(job?.opts.delay).toBe(new Date(opens).getTime() - new Date(due).getTime());

    // At 08:00 local the job's dispatch sends it (consent and caps checked again then).
    clock = new Date(opens);
    nock('https://twilio.test').post(MESSAGES).reply(201, twilioOk());
    const later = await t.app.services.gateway.dispatch(r.message.id);
    expect(later.outcome).toBe('sent');
  });

  test('a held text whose job was lost (Redis restarted empty) is sent by the recovery sweep once its time has passed, and only once', async () => {
    const phone = newPhone('512');
    clock = new Date('2026-11-29T03:30:00Z'); // 21:30 in Chicago
    await t.app.services.consent.set(hash(phone), 'marketing', 'granted', 'web_form', 'screening-recall form v1', clock);
    const r = await t.app.services.gateway.send({ to: phone, body: 'Time for your annual mammogram', purpose: 'marketing', template: 'campaign', idempotencyKey: newSid(), initiated: true, language: 'en' });
    expect(r.outcome).toBe('deferred');
    await (await t.app.deferred.queue.getJob(r.message.id))?.remove(); // the job is gone
    expect(await t.app.deferred.queue.getJob(r.message.id)).toBeUndefined();
    // Before the window opens the sweep leaves it alone; two minutes after, it sends it.
    clock = new Date('2026-11-29T13:00:00Z');
    await t.app.services.gateway.recoverInterrupted(120_000);
    expect((await t.app.repos.messages.findById(r.message.id))!.status).toBe('deferred');
    clock = new Date('2026-11-29T14:03:00Z');
    nock('https://twilio.test').post(MESSAGES).reply(201, twilioOk());
    expect((await t.app.services.gateway.recoverInterrupted(120_000)).dispatched).toBeGreaterThanOrEqual(1);
    expect((await t.app.repos.messages.findById(r.message.id))!.status).toBe('queued');
    await t.app.services.gateway.recoverInterrupted(120_000); // nothing more: no second request (nock would refuse it)
  });

  test.each([
    ['212', '2026-11-29T01:30:00Z'],
    ['512', '2026-11-29T02:30:00Z'],
    ['415', '2026-11-29T04:30:00Z'],
  ])('area code %s: a care message at 20:30 local goes out at once', async (area, due) => {
    const phone = newPhone(area);
    clock = new Date(due);
    await grantCare(phone);
    nock('https://twilio.test').post(MESSAGES).reply(201, twilioOk());
    const r = await t.app.services.gateway.send({ to: phone, body: 'Your prep starts tonight', purpose: 'care', template: 'reminder', idempotencyKey: newSid(), initiated: true, language: 'en' });
    expect(r.outcome).toBe('sent');
  });

  test('a reply in a conversation the person started is never held back, even at 23:00', async () => {
    const phone = newPhone('512');
    clock = new Date('2026-11-29T05:00:00Z'); // 23:00 in Chicago
    nock('https://twilio.test').post(MESSAGES).reply(201, twilioOk());
    await postTwilio(t.base, '/api/sms/inbound', inbound(phone, 'hello'));
    const out = (await t.app.repos.messages.list({ phoneHash: hash(phone) }, 10)).filter((m) => m.direction === 'outbound');
    expect(out).toHaveLength(1);
    expect(out[0]!.status).toBe('queued');
  });
});

test('a marketing template may not go out as care, nor a care template as marketing', async () => {
  const phone = newPhone();
  await grantCare(phone);
  const r = await t.app.services.gateway.send({ to: phone, body: 'Promo', purpose: 'care', template: 'campaign', idempotencyKey: newSid(), initiated: false, language: 'en' });
  expect(r.message).toMatchObject({ status: 'refused', reason: 'template_not_allowed:campaign:care' });
});

test('Twilio resetting the connection: the webhook still answers 200 with the turn complete; the reply is kept and sent once by the recovery', async () => {
  const phone = newPhone();
  nock('https://twilio.test').post(MESSAGES).replyWithError({ code: 'ECONNRESET', message: 'socket hang up' });
  const res = await postTwilio(t.base, '/api/sms/inbound', inbound(phone, 'hi'));
  expect(res.status).toBe(200);
  const mine = async () => t.app.repos.messages.list({ phoneHash: hash(phone) }, 10);
  expect((await mine()).filter((m) => m.direction === 'inbound').map((m) => m.handled)).toEqual([true]);
  const [reply] = (await mine()).filter((m) => m.direction === 'outbound');
  // Twilio may have it: kept as sending, never sent again blindly.
  // (nock's reset reaches the SDK as its timeout, ECONNABORTED; a real reset reads ECONNRESET: both are no answer.)
  expect(reply).toMatchObject({ status: 'sending', reason: expect.stringMatching(/^transport_no_answer:(ECONNRESET|ECONNABORTED)$/) });

  // The recovery asks Twilio's log; not there, so the same stored message is sent, once.
  clock = new Date(clock.getTime() + 1_000);
  const log = nock('https://twilio.test').get(MESSAGES).query(true).reply(200, { messages: [], next_page_uri: null, page: 0, page_size: 50 });
  const resend = nock('https://twilio.test').post(MESSAGES).reply(201, twilioOk('SMfeedfacefeedfacefeedfacefeedface'));
  expect(await t.app.services.gateway.recoverInterrupted(0)).toMatchObject({ resent: 1 });
  expect(log.isDone() && resend.isDone()).toBe(true);
  const after = (await mine()).filter((m) => m.direction === 'outbound');
  expect(after.map((m) => [m.id, m.status, m.twilioSid])).toEqual([[reply!.id, 'queued', 'SMfeedfacefeedfacefeedfacefeedface']]);
});
