/**
 * Live handoff (issue 13, point 7): once staff replied, the person's messages go to the task and the bot stays silent
 * (consent keywords still answered), until staff close the task or it idles; then the person is told the bot is back.
 */
import { directLineTalker, smsTalker, type Talker } from '../support/channels';
import { newPhone } from '../support/sms';
import { api, startTestApp, type TestApp } from '../support/test-app';

const NOW = new Date('2026-11-30T16:00:00Z');
let clock = NOW;
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ name: 'live-handoff', now: () => clock });
});
afterAll(() => t.close());
afterEach(() => {
  clock = NOW;
});

// Web Chat as the /chat page uses it (the built-in Direct Line), so staff replies reach it without the Bot Connector.
const talker = async (channel: 'sms' | 'webchat'): Promise<Talker> => (channel === 'sms' ? smsTalker(t, newPhone()) : directLineTalker(t));

/** Says `text` and returns the handoff task it opened (this test's own: the one that was not there before). */
async function askForPerson(p: Talker, text: string) {
  const ids = new Set((await t.app.repos.tasks.list({ kind: 'human_handoff' }, 1000)).map((x) => x.id));
  const reply = await p.say(text);
  const fresh = (await t.app.repos.tasks.list({ kind: 'human_handoff' }, 1000)).filter((x) => !ids.has(x.id));
  expect(fresh).toHaveLength(1);
  return { reply, task: fresh[0]! };
}

describe.each(['sms', 'webchat'] as const)('on %s', (channel) => {
  test('after a staff reply the bot stays silent, the message counts for staff; closing the task brings the bot back, saying so', async () => {
    const p = await talker(channel);
    const { reply, task } = await askForPerson(p, 'talk to a person');
    expect(reply).toMatch(/I've asked our team to reply to you here/);
    const token = await t.token('coordinator');
    const sent = await api(t.base, 'POST', `/api/v1/tasks/${task.id}/reply`, { token, body: { text: 'Hi, this is Dana. How can I help?' } });
    expect(sent.status).toBe(201);

    expect(await p.say('thanks Dana! is there parking at your building?')).toBe('');
    expect(await p.say('also can I eat before my CT?')).toBe('');
    const live = (await t.app.repos.tasks.findById(task.id))!;
    expect(live.live).toMatchObject({ unread: 2, backNoticeSent: false });
    expect(live.live!.by).toMatch(/coordinator/);

    expect((await api(t.base, 'POST', `/api/v1/tasks/${task.id}/close`, { token })).status).toBe(200);
    const back = await p.say('is there parking at your building?');
    expect(back).toMatch(/^You're back with our automated assistant\. To reach a person again, just say "agent"\./);
    expect(back).toMatch(/Free parking in the garage/);
    // Told once: the next message is the bot's as usual.
    expect(await p.say('what are your hours?')).toMatch(/^Our hours:/);
    expect((await t.app.repos.tasks.findById(task.id))!).toMatchObject({ status: 'done', live: { backNoticeSent: true } });
  });

  test('a live handoff nobody answers for an hour ends by itself: the bot is back', async () => {
    const p = await talker(channel);
    const { task } = await askForPerson(p, 'agent please');
    expect((await api(t.base, 'POST', `/api/v1/tasks/${task.id}/reply`, { token: await t.token('scheduler'), body: { text: 'Dana here.' } })).status).toBe(201);
    clock = new Date(NOW.getTime() + 30 * 60_000);
    expect(await p.say('hello?')).toBe('');
    clock = new Date(NOW.getTime() + 95 * 60_000);
    expect(await p.say('hello??')).toMatch(/^You're back with our automated assistant/);
  });
});

test('SMS: STOP during a live handoff is still confirmed (consent keywords come before the handoff)', async () => {
  const p = smsTalker(t, newPhone());
  const { task } = await askForPerson(p, 'talk to a person');
  await api(t.base, 'POST', `/api/v1/tasks/${task.id}/reply`, { token: await t.token('coordinator'), body: { text: 'Dana here.' } });
  expect(await p.say('STOP')).toMatch(/unsubscribed|opted out|no more messages/i);
});
