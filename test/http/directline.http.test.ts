import { api, startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ name: 'dl' });
});
afterAll(() => t.close());

async function start() {
  const gen = await api(t.base, 'POST', '/v3/directline/tokens/generate');
  expect(gen.status).toBe(200);
  const conv = await api(t.base, 'POST', '/v3/directline/conversations', { headers: { authorization: `Bearer ${gen.body.token}` } });
  expect(conv.status).toBe(201);
  expect(conv.body.conversationId).toBe(gen.body.conversationId);
  return { id: gen.body.conversationId as string, token: gen.body.token as string, userId: gen.body.userId as string };
}

const say = (c: { id: string; token: string }, text: string, extra: Record<string, unknown> = {}) =>
  api(t.base, 'POST', `/v3/directline/conversations/${c.id}/activities`, {
    headers: { authorization: `Bearer ${c.token}` },
    body: { type: 'message', text, from: { id: 'spoofed-id', name: 'Pat' }, ...extra },
  });

const poll = (c: { id: string; token: string }, watermark?: string) =>
  api(t.base, 'GET', `/v3/directline/conversations/${c.id}/activities${watermark ? `?watermark=${watermark}` : ''}`, { headers: { authorization: `Bearer ${c.token}` } });

describe('built-in Direct Line (local Web Chat)', () => {
  test('post an activity, then poll: the user echo and the menu (numbered in the text, and as suggested actions), and a watermark that moves on', async () => {
    const c = await start();
    const posted = await say(c, 'hi');
    expect(posted.status).toBe(200);
    expect(posted.body.id).toBe(`${c.id}|0000000`);

    const first = await poll(c);
    expect(first.status).toBe(200);
    const [echo, reply] = first.body.activities;
    expect(echo).toMatchObject({ type: 'message', text: 'hi', from: { id: c.userId, role: 'user' } }); // the client's id is not trusted
    expect(reply).toMatchObject({ type: 'message', text: "Hi, this is Bluebonnet Imaging. How can we help?\n1. I'm a patient\n2. I'm with a doctor's office\n3. Talk to a person", from: { role: 'bot' }, replyToId: echo.id });
    expect(reply.suggestedActions.actions.map((a: { title: string }) => a.title)).toContain('Talk to a person');
    expect(first.body.watermark).toBe('2');

    expect((await poll(c, first.body.watermark)).body.activities).toEqual([]);
    await say(c, "I'm a patient");
    const next = await poll(c, first.body.watermark);
    expect(next.body.activities.map((a: { text: string }) => a.text)).toEqual(["I'm a patient", 'I can help you request an exam.', expect.stringMatching(/^What exam do you need\?/)]);
    expect(next.body.watermark).toBe('5');
  });

  test('a proactive message from staff appears in the conversation and is recorded', async () => {
    const c = await start();
    await say(c, 'hola');
    const token = await t.token('coordinator');
    const mine = (await t.app.repos.conversationRefs.list({ channel: 'webchat' }, 50)).find((r) => r.reference.conversation.id === c.id)!;
    const refs = await api(t.base, 'GET', '/api/v1/conversations?channel=webchat', { token });
    expect(refs.body.items.find((r: { id: string }) => r.id === mine.id)).toMatchObject({ channel: 'webchat', serviceUrl: 'urn:intake-bot:local-direct-line' });
    expect(mine.language).toBe('es');
    const sent = await api(t.base, 'POST', `/api/v1/conversations/${mine.id}/messages`, { token, body: { text: 'Su cita está confirmada.' } });
    expect(sent.status).toBe(201);
    const all = await poll(c);
    const last = all.body.activities.at(-1);
    expect(last).toMatchObject({ type: 'message', text: 'Su cita está confirmada.', from: { role: 'bot' } });
    expect(await t.app.repos.messages.findById(sent.body.message.id)).toMatchObject({ channel: 'webchat', status: 'sent', activityId: last.id, language: 'es' });
  });

  test('tokens: none → 401, unknown → 403, another conversation’s → 403; bad input → 400', async () => {
    const a = await start();
    const b = await start();
    expect((await api(t.base, 'GET', `/v3/directline/conversations/${a.id}/activities`)).status).toBe(401);
    expect((await poll({ id: a.id, token: 'nope' })).status).toBe(403);
    expect((await poll({ id: a.id, token: b.token })).status).toBe(403);
    const empty = await say(a, '   ');
    expect(empty.status).toBe(400);
    expect(empty.body.error.details[0].field).toBe('body.text');
    expect((await poll(a, 'abc')).status).toBe(400);
    expect((await poll(a)).body.activities).toEqual([]); // nothing was stored by the refused requests
  });

  test('GET /chat serves the Web Chat page and Microsoft’s bundle from node_modules', async () => {
    const page = await fetch(`${t.base}/chat`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('<script src="/chat/webchat.js"></script>');
    expect(html).toContain("domain: location.origin + '/v3/directline'");
    const js = await fetch(`${t.base}/chat/webchat.js`);
    expect(js.status).toBe(200);
    expect((await js.text()).length).toBeGreaterThan(1_000_000);
  });
});

describe('in production', () => {
  test('neither /chat nor /v3/directline is served', async () => {
    const prod = await startTestApp({ name: 'dl_prod', localChat: false });
    try {
      expect((await api(prod.base, 'GET', '/chat')).status).toBe(404);
      expect((await api(prod.base, 'POST', '/v3/directline/tokens/generate')).status).toBe(404);
    } finally {
      await prod.close();
    }
  });
});
