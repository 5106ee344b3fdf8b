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

const join = (c: { id: string; token: string }, locale: string) =>
  api(t.base, 'POST', `/v3/directline/conversations/${c.id}/activities`, {
    headers: { authorization: `Bearer ${c.token}` },
    body: { type: 'event', name: 'webchat/join', value: { locale }, locale, from: { id: 'x', name: 'you' } },
  });

const botMessages = (activities: any[]): any[] => activities.filter((a) => a.type === 'message' && a.from.role === 'bot');

describe('the greeting when the chat opens (the page posts webchat/join once it is connected)', () => {
  test('English: one greeting with what the bot can do and the menu (numbered and as buttons), no SMS wording; a click on it is read as the choice', async () => {
    const c = await start();
    expect((await join(c, 'en-US')).status).toBe(200);
    const first = await poll(c);
    const [greeting, ...more] = botMessages(first.body.activities);
    expect(more).toEqual([]);
    expect(greeting).toMatchObject({ locale: 'en-US', from: { role: 'bot' } });
    expect(greeting.text).toBe(
      "Hi, this is Bluebonnet Imaging. I can help you request an imaging exam, get ready for it, and confirm, move or cancel your appointment. Doctor's offices can send us orders. How can we help?\n1. I'm a patient\n2. I'm with a doctor's office\n3. Talk to a person",
    );
    expect(greeting.text).not.toMatch(/reply|STOP/i);
    expect(greeting.suggestedActions.actions.map((a: { title: string }) => a.title)).toEqual(["I'm a patient", "I'm with a doctor's office", 'Talk to a person']);
    const key = `webchat/conversations/${c.id}/`;
    expect((await t.app.repos.botState.read([key]))[key]).toMatchObject({ intake: { menuShown: true }, greeting: { at: expect.any(String) } });

    // A second join (a reconnect, a page that posts it again) is not a new conversation: no second greeting.
    expect((await join(c, 'en-US')).status).toBe(200);
    const again = await poll(c, first.body.watermark);
    expect(botMessages(again.body.activities)).toEqual([]);

    await say(c, "I'm a patient");
    const next = await poll(c, again.body.watermark);
    expect(botMessages(next.body.activities).map((a: any) => a.text)).toEqual(['I can help you request an exam.', expect.stringMatching(/^What exam do you need\?/)]);
  });

  test('Spanish page: the greeting and the menu in Spanish, with the Spanish locale; the Spanish button is understood', async () => {
    const c = await start();
    await join(c, 'es-US');
    const first = await poll(c);
    const [greeting] = botMessages(first.body.activities);
    expect(greeting.locale).toBe('es-US');
    expect(greeting.text).toMatch(/^Hola, le escribe Bluebonnet Imaging\. Puedo ayudarle a pedir un estudio de imagen.*¿Cómo le ayudamos\?\n1\. Soy paciente\n2\. Llamo de un consultorio médico\n3\. Hablar con una persona$/s);
    await say(c, 'Hablar con una persona', { locale: 'es-US' });
    const next = await poll(c, first.body.watermark);
    // Then, optionally, who they are: so staff see their exam with the task.
    expect(botMessages(next.body.activities).map((a: any) => a.text)).toEqual([expect.stringMatching(/^Le pedí a nuestro equipo que le responda por aquí/), expect.stringMatching(/^Para que vean su examen junto con su mensaje: ¿cuál es el número de celular que nos dio\?/)]);
  });

  test('a conversation that has already begun is not greeted when the join event comes late', async () => {
    const c = await start();
    await say(c, 'hi');
    const first = await poll(c);
    await join(c, 'en-US');
    expect(botMessages((await poll(c, first.body.watermark)).body.activities)).toEqual([]);
  });

  test('over /api/messages (Azure Direct Line in production): a webchat join is greeted, a Teams or SMS-shaped event is not', async () => {
    const event = (channelId: string, conversationId: string) => ({
      type: 'event',
      name: 'webchat/join',
      value: { locale: 'en-US' },
      id: `ev-${conversationId}`,
      channelId,
      serviceUrl: 'https://webchat.botframework.com/',
      deliveryMode: 'expectReplies',
      conversation: { id: conversationId },
      from: { id: `user-${conversationId}`, role: 'user' },
      recipient: { id: 'intake-bot', name: 'Intake' },
    });
    const suffix = Date.now().toString(36);
    const web = await api(t.base, 'POST', '/api/messages', { body: event('webchat', `wc-join-${suffix}`) });
    expect(web.status).toBe(200);
    expect(web.body.activities.map((a: any) => a.text)).toEqual([expect.stringMatching(/^Hi, this is Bluebonnet Imaging\. I can help/)]);
    for (const channelId of ['msteams', 'sms']) {
      const other = await api(t.base, 'POST', '/api/messages', { body: event(channelId, `${channelId}-join-${suffix}`) });
      expect(other.status).toBe(200);
      expect(other.body?.activities ?? []).toEqual([]);
    }
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
