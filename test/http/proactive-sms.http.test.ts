import { createPhoneHasher } from '../../services/contact/phone';
import { inbound, newPhone, postTwilio } from '../support/sms';
import { startTestApp, type TestApp } from '../support/test-app';

// 11:00 in Austin: inside every send window, so the outcome does not depend on when the test runs.
const NOW = new Date('2026-11-30T17:00:00Z');
let t: TestApp;
const hash = createPhoneHasher('test-hash-key');

beforeAll(async () => {
  t = await startTestApp({ name: 'proactive_sms', now: () => NOW });
});
afterAll(() => t.close());

test('the ProactiveSender sends to a phone number through the SMS gateway: consent checked, stored, sent once per key', async () => {
  const phone = newPhone();
  const request = {
    to: { phone },
    content: { text: 'Reminder: MRI tomorrow at 9:00.', choices: [{ value: 'C', title: 'Confirm' }] },
    purpose: 'care' as const,
    template: 'reminder',
    idempotencyKey: `reminder:${phone}:1`,
  };
  // No consent yet for this number: refused at the gateway, nothing printed.
  const refused = await t.app.services.proactive.send({ ...request, idempotencyKey: `reminder:${phone}:0` });
  expect(refused.ok && refused.value.outcome).toBe('refused');
  expect(t.smsOut.join('\n')).not.toContain('Reminder: MRI tomorrow');

  await postTwilio(t.base, '/api/sms/inbound', inbound(phone, 'hi')); // texting in gives care consent
  const sent = await t.app.services.proactive.send(request);
  expect(sent.ok && sent.value.outcome).toBe('sent');
  const again = await t.app.services.proactive.send(request);
  expect(again.ok && again.value.outcome).toBe('duplicate');
  expect(t.smsOut.filter((l) => l.includes('Reminder: MRI tomorrow at 9:00.\n    1. Confirm'))).toHaveLength(1);
  const stored = (await t.app.repos.messages.list({ phoneHash: hash(phone) }, 20)).filter((m) => m.template === 'reminder');
  expect(stored.map((m) => m.status).sort()).toEqual(['refused', 'sent']);
  expect(stored.every((m) => m.channel === 'sms' && m.initiated)).toBe(true);
});

test('marketing never goes to a chat conversation; an unknown conversation is named', async () => {
  const r = await t.app.services.proactive.send({
    to: { conversationId: 'cr_unknown' },
    content: { text: 'Spring screening special' },
    purpose: 'marketing',
    template: 'campaign',
    idempotencyKey: 'mkt-1',
  });
  expect(r.ok).toBe(false);
  if (!r.ok) expect(r.error.code).toBe('PURPOSE_NOT_ALLOWED');
  const unknown = await t.app.services.proactive.send({ to: { conversationId: 'cr_unknown' }, content: { text: 'Hi' }, purpose: 'care', template: 'staff_message', idempotencyKey: 'care-1' });
  expect(!unknown.ok && unknown.error.code).toBe('UNKNOWN_CONVERSATION');
});
