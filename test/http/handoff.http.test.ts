import nock from 'nock';
import { teamsTalker } from '../support/channels';
import { createPhoneHasher } from '../../services/contact/phone';
import { inbound, newPhone, postTwilio } from '../support/sms';
import { api, startTestApp, type TestApp } from '../support/test-app';

// 22:30 in Austin: a staff answer to someone waiting is a reply, not held for the morning like a reminder.
const NOW = new Date('2026-12-01T04:30:00Z');
let t: TestApp;
const hash = createPhoneHasher('test-hash-key');

beforeAll(async () => {
  t = await startTestApp({ name: 'handoff', now: () => NOW });
});
afterAll(() => t.close());

const handoffTasks = async () => (await t.app.repos.tasks.list({ kind: 'human_handoff' }, 100));

test('SMS: "talk to a person" opens one handoff task; the staff reply reaches the phone at once and is recorded', async () => {
  const phone = newPhone();
  await postTwilio(t.base, '/api/sms/inbound', inbound(phone, 'hi'));
  const before = (await handoffTasks()).length;
  await postTwilio(t.base, '/api/sms/inbound', inbound(phone, '3'));
  await postTwilio(t.base, '/api/sms/inbound', inbound(phone, 'talk to a person')); // asked again: still one task
  const tasks = (await handoffTasks()).filter((x) => x.replyTo?.kind === 'sms');
  expect(tasks.length - before).toBe(1);
  const task = tasks[0]!;
  expect(task).toMatchObject({ status: 'open', replyTo: { kind: 'sms', inboundMessageKey: expect.stringMatching(/^in:SM/) } });
  expect(JSON.stringify(task)).not.toContain(phone.slice(2)); // the task holds where to reply, never the number
  expect(t.smsOut.some((l) => l.includes("I've asked our team to reply to you here"))).toBe(true);

  const token = await t.token('coordinator');
  const res = await api(t.base, 'POST', `/api/v1/tasks/${task.id}/reply`, { token, body: { text: 'Hi, this is Dana from Bluebonnet. How can I help?' } });
  expect(res.status).toBe(201);
  expect(res.body.outcome).toBe('sent');
  expect(t.smsOut.filter((l) => l.includes('Hi, this is Dana from Bluebonnet.'))).toHaveLength(1);
  const sent = (await t.app.repos.messages.list({ phoneHash: hash(phone) }, 50)).filter((m) => m.template === 'staff_message');
  expect(sent).toHaveLength(1);
  expect(sent[0]).toMatchObject({ status: 'sent', purpose: 'care', initiated: false, phone });

  expect((await api(t.base, 'POST', `/api/v1/tasks/${task.id}/reply`, { token: await t.token('marketing'), body: { text: 'x' } })).status).toBe(403);
  expect((await api(t.base, 'POST', '/api/v1/tasks/t_nope/reply', { token, body: { text: 'x' } })).status).toBe(404);
});

test('Web Chat: the handoff task points at the conversation, and the staff reply appears in it', async () => {
  const gen = (await api(t.base, 'POST', '/v3/directline/tokens/generate')).body;
  const headers = { authorization: `Bearer ${gen.token}` };
  const say = (text: string) => api(t.base, 'POST', `/v3/directline/conversations/${gen.conversationId}/activities`, { headers, body: { type: 'message', text } });
  await say('hi');
  await say('Talk to a person');
  const ref = (await t.app.repos.conversationRefs.list({ channel: 'webchat' }, 50)).find((r) => r.reference.conversation.id === gen.conversationId)!;
  const task = (await handoffTasks()).find((x) => x.replyTo?.kind === 'chat' && x.replyTo.conversationRefId === ref.id);
  expect(task).toBeDefined();
  const token = await t.token('scheduler');
  const res = await api(t.base, 'POST', `/api/v1/tasks/${task!.id}/reply`, { token, body: { text: 'Dana here: what can I do for you?' } });
  expect(res.status).toBe(201);
  const transcript = await api(t.base, 'GET', `/v3/directline/conversations/${gen.conversationId}/activities`, { headers });
  // Shown as the staff member's, not the bot's.
  expect(transcript.body.activities.at(-1)).toMatchObject({ text: expect.stringMatching(/^\*\*scheduler \d+\*\* \(staff\): Dana here: what can I do for you\?$/), channelData: { staffName: expect.stringMatching(/^scheduler \d+$/) } });
});

test('Teams: "talk to a person" opens one task a day for the conversation, and the staff reply is posted to it', async () => {
  const tenant = 'dddddddd-0000-4000-8000-00000000000d';
  await t.app.repos.referrers.insert({ id: 'org_handoff', name: 'Cedar Park Clinic', tenantId: tenant, phone: null, fax: null, users: [], createdAt: NOW });
  const office = teamsTalker(t, { tenant });
  await office.say('hi');
  expect(await office.say('talk to a person')).toMatch(/^I've asked our team to reply to you here/);
  expect(await office.say('talk to a person')).toMatch(/^I've asked our team/); // asked again the same day: still one task
  const ref = (await t.app.repos.conversationRefs.list({ channel: 'msteams' }, 50)).find((r) => r.reference.conversation.id === office.conversationId)!;
  const tasks = (await handoffTasks()).filter((x) => x.replyTo?.kind === 'chat' && x.replyTo.conversationRefId === ref.id);
  expect(tasks).toHaveLength(1);

  const posted: Array<{ text?: string }> = [];
  const teams = nock('https://smba.trafficmanager.net')
    .post(`/amer/v3/conversations/${encodeURIComponent(office.conversationId)}/activities`, (body: { text?: string }) => {
      posted.push(body);
      return true;
    })
    .reply(200, { id: 'act-staff-1' });
  const res = await api(t.base, 'POST', `/api/v1/tasks/${tasks[0]!.id}/reply`, { token: await t.token('coordinator'), body: { text: 'Dana here: how can I help with the order?' } });
  expect(res.status).toBe(201);
  expect(teams.isDone()).toBe(true);
  expect(posted[0]?.text).toMatch(/^\*\*coordinator \d+\*\* \(staff\): Dana here: how can I help with the order\?$/);
});

test('a staff reply under an Idempotency-Key: a retry sends nothing more, the same key with new words is 409', async () => {
  const phone = newPhone();
  const before = new Set((await handoffTasks()).map((x) => x.id));
  await postTwilio(t.base, '/api/sms/inbound', inbound(phone, 'talk to a person'));
  const mine = (await handoffTasks()).find((x) => !before.has(x.id))!;
  const token = await t.token('coordinator');
  const reply = (text: string) => api(t.base, 'POST', `/api/v1/tasks/${mine.id}/reply`, { token, headers: { 'idempotency-key': 'dana-reply-0001' }, body: { text } });
  const [a, b] = await Promise.all([reply('Dana here, calling you in 5 minutes.'), reply('Dana here, calling you in 5 minutes.')]);
  expect([a.status, b.status].sort()).toEqual([200, 201]);
  expect(b.body.message.id).toBe(a.body.message.id);
  const reused = await reply('Something else entirely');
  expect(reused.status).toBe(409);
  expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  const sent = (await t.app.repos.messages.list({ phoneHash: hash(phone) }, 50)).filter((m) => m.template === 'staff_message');
  expect(sent.map((m) => m.body)).toEqual(['Dana here, calling you in 5 minutes.']);
  expect(t.smsOut.filter((l) => l.includes('Something else entirely'))).toHaveLength(0);
});
