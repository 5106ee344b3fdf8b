import { inbound, newPhone, postTwilio } from '../support/sms';
import { api, completeOrder, startTestApp, type TestApp } from '../support/test-app';
import { parseBirthDate } from '../../dialogs/patient/parse';

// Monday 30 Nov 2026, 10:00 in Austin.
const NOW = new Date('2026-11-30T16:00:00Z');
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ name: 'status', now: () => NOW });
});
afterAll(() => t.close());

async function conversation(phone: string, lines: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const line of lines) {
    const before = t.smsOut.length;
    await postTwilio(t.base, '/api/sms/inbound', inbound(phone, line));
    out.push(t.smsOut.slice(before).join('\n'));
  }
  return out;
}

test('"where is my order?" by SMS: a wrong date of birth discloses nothing; the right one gets the state in plain words', async () => {
  const phone = newPhone();
  const token = await t.token('coordinator');
  const order = completeOrder();
  const created = await api(t.base, 'POST', '/api/v1/cases', { token, body: { ...order, patient: { ...order.patient, phone, language: 'en' } } });
  expect(created.body.state).toBe('pending_authorization');

  const [ask, , wrongName] = await conversation(phone, ['where is my order?', '04/02/1979', 'Lopez']);
  expect(ask).toMatch(/verify a few details[\s\S]*What's your date of birth\?/);
  expect(wrongName).toContain("Those details don't match our records, so I can't share anything.");
  expect(wrongName).not.toMatch(/insurance|order from/i);

  const [askName, afterName] = await conversation(phone, ['April 2, 1980', 'Ana Lopez']);
  expect(askName).toContain('And your last name?');
  expect(afterName).toContain('Your imaging order from Nov 30: we are waiting for your insurance to approve the exam.');
  expect(afterName).not.toMatch(/mri|lumbar|aetna/i);
});

test('three failed checks hand the conversation to staff', async () => {
  const phone = newPhone();
  const replies = await conversation(phone, ['status of my order', '01/01/1990', 'Smith', '01/01/1990', 'Smith', '01/01/1990', 'Smith']);
  expect(replies.at(-1)).toContain("I've asked our team to reply to you here");
  const tasks = await t.app.repos.tasks.list({ kind: 'human_handoff' }, 50);
  expect(tasks.some((x) => x.replyTo?.kind === 'sms')).toBe(true);
});

test('dates of birth in the forms people type', () => {
  expect(parseBirthDate('04/02/1980', NOW)).toBe('1980-04-02');
  expect(parseBirthDate('4-2-80', NOW)).toBe('1980-04-02');
  expect(parseBirthDate('1980-04-02', NOW)).toBe('1980-04-02');
  expect(parseBirthDate('April 2, 1980', NOW)).toBe('1980-04-02');
  expect(parseBirthDate('2 de abril de 1980', NOW)).toBe('1980-04-02');
  expect(parseBirthDate('13/45/1980', NOW)).toBeNull();
  expect(parseBirthDate('next tuesday', NOW)).toBeNull();
  expect(parseBirthDate('01/01/2030', NOW)).toBeNull();
});
