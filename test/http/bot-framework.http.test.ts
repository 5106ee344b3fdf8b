import { randomBytes } from 'node:crypto';
import nock from 'nock';
import { api, startTestApp, type TestApp } from '../support/test-app';
import { smsTalker, webchatActivity } from '../support/channels';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ name: 'botfw' });
  await t.app.repos.referrers.insert({
    id: 'org_lakeside',
    name: 'Lakeside Family Medicine',
    tenantId: TENANT,
    phone: null,
    fax: null,
    users: [],
    createdAt: new Date(),
  });
});
afterAll(async () => {
  await t.close();
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore(); // nock's HTTP interception is process-wide: leave none behind for the next test file
});
afterEach(() => nock.cleanAll());

const TENANT = '7a1c0e2b-1111-4c2d-9e3f-000000000001';
const BOT_ID = '28:intake-bot-id';
const TEAMS_SERVICE = 'https://smba.trafficmanager.net/amer/';
const hex = (n = 8) => randomBytes(n).toString('hex');

const webchat = webchatActivity;

function teams(conversationId: string, text: string, opts: { tenant?: string; aad?: string; mention?: boolean } = {}) {
  const tenant = opts.tenant ?? TENANT;
  const mention = opts.mention ?? true;
  return {
    type: 'message',
    id: hex(),
    channelId: 'msteams',
    serviceUrl: TEAMS_SERVICE,
    deliveryMode: 'expectReplies',
    conversation: { id: conversationId, conversationType: 'personal', tenantId: tenant },
    from: { id: `29:${hex()}`, name: 'Maya Patel', aadObjectId: opts.aad ?? `aad-${hex()}` },
    recipient: { id: BOT_ID, name: 'Intake' },
    channelData: { tenant: { id: tenant } },
    locale: 'en-US',
    text: mention ? `<at>Intake</at> ${text}` : text,
    entities: mention ? [{ type: 'mention', text: '<at>Intake</at>', mentioned: { id: BOT_ID, name: 'Intake' } }] : [],
  };
}

/** A person the office (or center staff) already approved, as enrolment leaves them. */
async function enrolled(aad = `aad-${hex()}`): Promise<string> {
  await t.app.repos.referrers.addUser('org_lakeside', { id: `u_${hex(6)}`, name: 'Maya Patel', email: null, aadObjectId: aad, status: 'active', officeAdmin: false });
  return aad;
}

const post = (body: unknown, headers: Record<string, string> = {}) => api(t.base, 'POST', '/api/messages', { body, headers });

describe('POST /api/messages (CloudAdapter)', () => {
  test('a webchat activity with expectReplies gets the menu as text with numbered choices and suggested actions; the state is stored', async () => {
    const conv = `wc-${hex()}`;
    const res = await post(webchat(conv, 'hi'));
    expect(res.status).toBe(200);
    const [reply] = res.body.activities;
    expect(reply.text).toBe("Hi, this is Bluebonnet Imaging. How can we help?\n1. I'm a patient\n2. I'm with a doctor's office\n3. Talk to a person");
    expect(reply.suggestedActions.actions.map((a: { title: string }) => a.title)).toEqual(["I'm a patient", "I'm with a doctor's office", 'Talk to a person']);
    expect(reply.suggestedActions.actions[0]).toMatchObject({ type: 'imBack', value: "I'm a patient" });
    const key = `webchat/conversations/${conv}/`; // botbuilder's ConversationState key: no phone number, no PHI
    expect((await t.app.repos.botState.read([key]))[key]).toMatchObject({ intake: { menuShown: true } });
  });

  test('a suggested action sent back (its title) picks that choice', async () => {
    const conv = `wc-${hex()}`;
    await post(webchat(conv, 'hi'));
    const res = await post(webchat(conv, 'Talk to a person'));
    expect(res.body.activities[0].text).toMatch(/^I've asked our team to reply to you here.*call \(512\) 555-0100/);
  });

  test('an msteams activity with an @mention: the mention is dropped, the tenant maps to its organization, the menu comes back as a card', async () => {
    const aad = await enrolled();
    const res = await post(teams(`a:${hex()}`, 'hi', { aad }));
    expect(res.status).toBe(200);
    const [reply] = res.body.activities;
    const card = reply.attachments.find((a: { contentType: string }) => a.contentType === 'application/vnd.microsoft.card.hero');
    expect(card.content.text).toBe('Hi, this is Bluebonnet Imaging (for Lakeside Family Medicine). How can we help?');
    expect(card.content.buttons.map((b: { title: string }) => b.title)).toEqual(["I'm a patient", "I'm with a doctor's office", 'Talk to a person']);
    const org = await t.app.repos.referrers.findById('org_lakeside');
    expect(org?.users.filter((u) => u.aadObjectId === aad)).toHaveLength(1);
  });

  test('without removing the mention "<at>Intake</at> 3" would not read as a choice: with it, choice 3 is understood', async () => {
    const conv = `a:${hex()}`;
    const aad = await enrolled();
    await post(teams(conv, 'hi', { aad }));
    const res = await post(teams(conv, '3', { aad }));
    expect(res.body.activities[0].text).toMatch(/^I've asked our team to reply to you here/);
    const org = await t.app.repos.referrers.findById('org_lakeside');
    expect(org?.users.filter((u) => u.aadObjectId === aad)).toHaveLength(1); // not added twice
  });

  test('a Teams channel conversation (where the bot is always @mentioned) gets the menu card too', async () => {
    const base = teams(`19:${hex()}@thread.tacv2;messageid=${Date.now()}`, 'hi', { aad: await enrolled() });
    const res = await post({ ...base, conversation: { ...base.conversation, conversationType: 'channel', isGroup: true } });
    const card = res.body.activities[0].attachments[0];
    expect(card.content.text).toBe('Hi, this is Bluebonnet Imaging (for Lakeside Family Medicine). How can we help?');
  });

  test('an unknown tenant gets a polite answer and one staff task, nothing more', async () => {
    const tenant = `tenant-${hex()}`;
    const first = await post(teams(`a:${hex()}`, 'hi', { tenant }));
    expect(first.body.activities).toHaveLength(1);
    expect(first.body.activities[0].text).toMatch(/isn't connected to us on Teams yet; we've let our team know/);
    expect(first.body.activities[0].attachments ?? []).toEqual([]);
    await post(teams(`a:${hex()}`, 'are you there?', { tenant }));
    const token = await t.token('coordinator');
    const tasks = await api(t.base, 'GET', '/api/v1/tasks?kind=unknown_teams_tenant', { token });
    expect(tasks.status).toBe(200);
    const mine = tasks.body.items.filter((x: { summary: string }) => x.summary.includes(tenant));
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ kind: 'unknown_teams_tenant', status: 'open' });
  });

  test('a query operator or a 5,000-character string as the tenant is no tenant: the unknown-tenant answer, and the task list still answers', async () => {
    for (const tenant of [{ $gt: '' }, { $ne: null }, 'x'.repeat(5_000)] as unknown[]) {
      const base = teams(`a:${hex()}`, 'status');
      const res = await post({ ...base, conversation: { ...base.conversation, tenantId: tenant }, channelData: { tenant: { id: tenant } } });
      expect(res.status).toBe(200);
      expect(res.body.activities[0].text).toMatch(/isn't connected to us on Teams yet/);
      expect(JSON.stringify(res.body)).not.toMatch(/open orders/);
    }
    // A task written with an oversized summary is bounded at write time, so no stored task can break the list.
    await t.app.repos.tasks.insert({ id: `t_${hex()}`, kind: 'call_patient', status: 'open', dedupeKey: `big:${hex()}`, summary: 'y'.repeat(10_160), caseId: null, referrerOrgId: null, createdAt: new Date(), updatedAt: new Date() });
    const list = await api(t.base, 'GET', '/api/v1/tasks', { token: await t.token('coordinator') });
    expect(list.status).toBe(200);
  });

  test('fields of the wrong type (an object as a name or an id, a number as a locale) read as absent, never a 500', async () => {
    for (const odd of [{ from: { id: `u-${hex()}`, name: { $gt: '' } } }, { id: { a: 1 } }, { locale: 5 }, { conversation: { id: `wc-${hex()}`, tenantId: ['x'], conversationType: {} } }, { entities: 'mention' }, { attachments: [null, 7] }]) {
      const res = await post({ ...webchat(`wc-${hex()}`, 'hi'), ...odd });
      expect([JSON.stringify(odd), res.status]).toEqual([JSON.stringify(odd), 200]);
      expect(res.body.activities[0].text).toMatch(/Bluebonnet Imaging/);
    }
    // An invoke nothing handles is the caller's request we do not serve: 400 naming it, not botbuilder's 501.
    const invoke = await post({ ...webchat(`wc-${hex()}`, 'hi'), type: 'invoke', name: 'composeExtension/query', text: undefined, deliveryMode: undefined, serviceUrl: 'http://127.0.0.1:1/' });
    expect(invoke.status).toBe(400);
    expect(invoke.body.error).toEqual({ code: 'UNSUPPORTED_INVOKE', message: "this bot does not handle the invoke 'composeExtension/query'" });
  });

  test('the Teams app being installed gets a welcome, and the conversation is kept for proactive messages', async () => {
    const conv = `a:${hex()}`;
    const res = await post({
      ...teams(conv, '', { mention: false }),
      type: 'installationUpdate',
      action: 'add',
      text: undefined,
    });
    expect(res.status).toBe(200);
    expect(res.body.activities[0].text).toMatch(/^Hi, this is Bluebonnet Imaging's intake assistant/);
    const refs = await t.app.repos.conversationRefs.list({ channel: 'msteams', tenantId: TENANT }, 100);
    expect(refs.filter((r) => r.reference.conversation.id === conv)).toHaveLength(1);
  });

  test('two activities of one conversation posted at once are answered in order and neither answer is lost', async () => {
    const conv = `wc-${hex()}`;
    const first = post(webchat(conv, 'hi'));
    await new Promise((r) => setTimeout(r, 15)); // "hi" arrives first, "1" while it is still being answered
    const second = post(webchat(conv, '1'));
    const [a, b] = await Promise.all([first, second]);
    expect(a.body.activities[0].text).toMatch(/^Hi, this is Bluebonnet Imaging\. How can we help\?\n1\. I'm a patient\n/);
    // Had the turns overlapped, "1" would have found no menu in the state and got the menu again.
    expect(b.body.activities.map((x: { text: string }) => x.text)).toEqual(['I can help you request an exam.', expect.stringMatching(/^What exam do you need\?/)]);
  });

  test('an activity without a conversation or serviceUrl → 400 naming the fields', async () => {
    const res = await post({ type: 'message', channelId: 'webchat', text: 'hi' });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toEqual(
      expect.arrayContaining(['body.serviceUrl', 'body.conversation', 'body.from', 'body.recipient']),
    );
  });
});

describe('proactive messages to a stored Teams conversation', () => {
  test('posts to the reference serviceUrl for that conversation, is stored as an outbound message, and is sent once per key', async () => {
    const conv = `a:${hex()}`;
    await post(teams(conv, 'hi', { aad: await enrolled() }));
    const token = await t.token('coordinator');
    const list = await api(t.base, 'GET', '/api/v1/conversations?channel=msteams', { token });
    const ref = list.body.items.find((r: { tenantId: string; serviceUrl: string }) => r.tenantId === TENANT && r.serviceUrl === TEAMS_SERVICE);
    expect(ref).toBeDefined();
    const stored = await t.app.repos.conversationRefs.findById(ref.id);
    expect(stored?.reference.conversation.id).toBe(conv);

    let posted: any = null;
    const scope = nock(TEAMS_SERVICE)
      .post(`/v3/conversations/${encodeURIComponent(conv)}/activities`, (body) => {
        posted = body;
        return true;
      })
      .reply(200, { id: 'teams-activity-1' });
    const send = () =>
      api(t.base, 'POST', `/api/v1/conversations/${stored!.id}/messages`, {
        token,
        headers: { 'idempotency-key': 'order-request-0001' },
        body: { text: 'Your patient asked for an MRI; please send an order.', choices: [{ value: 'accept', title: 'Send the order' }] },
      });
    const res = await send();
    expect(res.status).toBe(201);
    expect(scope.isDone()).toBe(true);
    expect(posted).toMatchObject({ type: 'message', conversation: { id: conv } });
    const card = posted.attachments[0];
    expect(card.contentType).toBe('application/vnd.microsoft.card.hero');
    expect(card.content.text).toBe('Your patient asked for an MRI; please send an order.');
    expect(res.body.outcome).toBe('sent');
    const saved = await t.app.repos.messages.findById(res.body.message.id);
    expect(saved).toMatchObject({
      direction: 'outbound',
      channel: 'msteams',
      conversationRefId: stored!.id,
      activityId: 'teams-activity-1',
      status: 'sent',
      template: 'staff_message',
      phone: null,
    });
    expect(saved?.body).toContain('1. Send the order'); // the record keeps the plain-text rendering

    // The same key again: nothing is posted (nock would refuse the request), the stored message comes back.
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1|localhost/);
    const again = await send();
    expect(again.status).toBe(200);
    expect(again.body.outcome).toBe('duplicate');
    expect(again.body.message.id).toBe(res.body.message.id);
    const staffMessages = async (id: string) => (await t.app.repos.messages.list({ conversationRefId: id }, 10)).filter((m) => m.template === 'staff_message');
    expect(await staffMessages(stored!.id)).toHaveLength(1);
    // The conversation itself is kept too: the office's message (without the @mention) and the bot's reply.
    const transcript = (await t.app.repos.messages.list({ conversationRefId: stored!.id }, 10)).filter((m) => m.template !== 'staff_message').reverse();
    expect(transcript.map((m) => `${m.direction}: ${m.body}`)).toEqual(['inbound: hi', 'outbound: Hi, this is Bluebonnet Imaging (for Lakeside Family Medicine). How can we help?']);

    // The same key with other words is a mistake, not a retry: refused, nothing sent.
    const reused = await api(t.base, 'POST', `/api/v1/conversations/${stored!.id}/messages`, {
      token,
      headers: { 'idempotency-key': 'order-request-0001' },
      body: { text: 'Something else entirely' },
    });
    expect(reused.status).toBe(409);
    expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  test('the Bot Connector refusing the message → 502, recorded as failed; an unknown conversation → 404', async () => {
    const conv = `a:${hex()}`;
    await post(teams(conv, 'hi'));
    const token = await t.token('coordinator');
    const ref = (await t.app.repos.conversationRefs.list({ channel: 'msteams' }, 50)).find((r) => r.reference.conversation.id === conv)!;
    nock(TEAMS_SERVICE).post(`/v3/conversations/${encodeURIComponent(conv)}/activities`).reply(403, { error: { code: 'BotNotInConversationRoster' } });
    const send = () => api(t.base, 'POST', `/api/v1/conversations/${ref.id}/messages`, { token, headers: { 'idempotency-key': 'hello-0001' }, body: { text: 'Hello' } });
    const res = await send();
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('CHANNEL_FAILED');
    const [m] = await t.app.repos.messages.list({ conversationRefId: ref.id }, 10);
    expect(m).toMatchObject({ status: 'failed', reason: 'channel_error:403' });
    // Retrying with the same key reports the same failure (no quiet 200) and posts nothing (no interceptor is left).
    const retry = await send();
    expect(retry.status).toBe(502);
    expect((await t.app.repos.messages.list({ conversationRefId: ref.id }, 10)).filter((m) => m.template === 'staff_message')).toHaveLength(1);
    const unknown = await api(t.base, 'POST', '/api/v1/conversations/cr_nope/messages', { token, body: { text: 'Hello' } });
    expect(unknown.status).toBe(404);
    const marketing = await api(t.base, 'POST', `/api/v1/conversations/${ref.id}/messages`, { token: await t.token('marketing'), body: { text: 'Hello' } });
    expect(marketing.status).toBe(403);
  });
});

describe('with MicrosoftAppId set', () => {
  let secured: TestApp;
  beforeAll(async () => {
    secured = await startTestApp({ name: 'botfw_auth', microsoftAppId: '00000000-0000-0000-0000-00000000beef' });
  });
  afterAll(() => secured.close());

  test('no token → 401 in our error shape, and no turn runs', async () => {
    const conv = `wc-${hex()}`;
    const res = await api(secured.base, 'POST', '/api/messages', { body: webchat(conv, 'hi') });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHORIZED');
    expect(await secured.app.repos.botState.read([`webchat/conversations/${conv}/`])).toEqual({});
  });

  test('a token that is not a Bot Framework JWT → 401', async () => {
    const res = await api(secured.base, 'POST', '/api/messages', { body: webchat(`wc-${hex()}`, 'hi'), headers: { authorization: 'Bearer not-a-jwt' } });
    expect(res.status).toBe(401);
  });
});

describe('order requests to a referring office on Teams (patient self-request with no order)', () => {
  test('a patient names a known office: the request card goes to its Teams conversation, and the patient is told', async () => {
    const conv = `a:${hex()}`;
    await post(teams(conv, 'hi', { aad: await enrolled() })); // the office talks to the bot on Teams: its conversation is kept
    let posted: any = null;
    const scope = nock(TEAMS_SERVICE)
      .post(`/v3/conversations/${encodeURIComponent(conv)}/activities`, (body) => {
        posted = body;
        return true;
      })
      .reply(200, { id: 'teams-order-request-1' });
    const patient = smsTalker(t);
    const replies: string[] = [];
    for (const line of ['I need an ultrasound of my belly', 'no', 'Maria Garcia', '03/15/1985', 'stomach pain after meals', 'Dr. Smith at Lakeside Family Medicine', 'next week', 'self pay']) {
      replies.push(await patient.say(line));
    }
    expect(scope.isDone()).toBe(true);
    expect(replies.at(-1)).toMatch(/^Thank you, Maria\. We've sent your request to Lakeside Family Medicine and asked them for the order\./);
    const card = posted.attachments.find((a: { contentType: string }) => a.contentType === 'application/vnd.microsoft.card.adaptive');
    expect(card.content.body[0].text).toMatch(/^Order request c_[a-f0-9]{24}$/);
    expect(card.content.body[1].facts).toEqual([
      { title: 'Patient', value: 'Maria Garcia' },
      { title: 'Date of birth', value: '1985-03-15' },
      { title: 'Exam', value: 'ultrasound, abdomen' },
      { title: 'Reason (patient’s words)', value: 'stomach pain after meals' },
    ]);
    const caseId = card.content.body[0].text.slice('Order request '.length);
    expect(await t.app.repos.cases.findById(caseId)).toMatchObject({ state: 'order_requested', order: { intent: 'proposal', requester: { name: 'Dr. Smith at Lakeside Family Medicine' } } });
    expect(await t.app.repos.messages.findByKey(`order-request:${caseId}`)).toMatchObject({ channel: 'msteams', status: 'sent', activityId: 'teams-order-request-1', caseId });
    expect(await t.app.repos.tasks.findByKey(`order_follow_up:${caseId}`)).toBeNull();
  });
});
