import { createPhoneHasher } from '../../services/contact/phone';
import { inbound, newPhone, newSid, postTwilio } from '../support/sms';
import { startTestApp, type TestApp } from '../support/test-app';

// Two deployments (say staging and production) on one Redis, each with its own REDIS_PREFIX (the test apps' are unique).
const hash = createPhoneHasher('test-hash-key');
let a: TestApp;
let b: TestApp;

beforeAll(async () => {
  [a, b] = await Promise.all([startTestApp({ name: 'shared_a' }), startTestApp({ name: 'shared_b' })]);
});
afterAll(async () => {
  await a.close();
  await b.close();
});

test('two services on one Redis never meet: the same MessageSid is a new text to each, and each answers its own', async () => {
  const phone = newPhone();
  const sid = newSid();
  for (const app of [a, b]) expect((await postTwilio(app.base, '/api/sms/inbound', inbound(phone, 'hi', sid))).status).toBe(200);
  for (const app of [a, b]) {
    const mine = await app.app.repos.messages.list({ phoneHash: hash(phone) }, 10);
    expect(mine.filter((m) => m.direction === 'inbound').map((m) => [m.twilioSid, m.handled])).toEqual([[sid, true]]);
    expect(mine.filter((m) => m.direction === 'outbound')).toHaveLength(1);
  }
  // And a repeat to one of them is that one's duplicate only.
  expect((await postTwilio(a.base, '/api/sms/inbound', inbound(phone, 'hi', sid))).status).toBe(200);
  expect((await a.app.repos.messages.list({ phoneHash: hash(phone) }, 10)).filter((m) => m.direction === 'outbound')).toHaveLength(1);
});
