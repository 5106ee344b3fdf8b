import nock from 'nock';
import { randomBytes } from 'node:crypto';
import { teamsTalker } from '../support/channels';
import { newPhone } from '../support/sms';
import { api, completeOrder, startTestApp, type TestApp } from '../support/test-app';

// Issue 15 §9: Teams users of a linked tenant are enrolled one by one; an office admin or center staff lets them in.
const MONDAY = new Date('2026-11-30T16:00:00Z');
const TENANT = 'dddddddd-0000-4000-8000-00000000000d';
const LONELY = 'eeeeeeee-0000-4000-8000-00000000000e';
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ name: 'enrol', now: () => MONDAY });
  await t.app.repos.referrers.insert({ id: 'org_mesa', name: 'Mesa Verde Clinic', tenantId: TENANT, phone: null, fax: null, users: [], createdAt: MONDAY });
  await t.app.repos.referrers.insert({ id: 'org_lonely', name: 'Lonely Pines Clinic', tenantId: LONELY, phone: null, fax: null, users: [], createdAt: MONDAY });
});
afterEach(() => nock.cleanAll());
afterAll(() => t.close());

function teamsPosts(): Array<{ conversation: string; text: string }> {
  const posted: Array<{ conversation: string; text: string }> = [];
  nock('https://smba.trafficmanager.net')
    .persist()
    .post(/\/amer\/v3\/conversations\/.+\/activities/, (body: { text?: string; conversation?: { id?: string } }) => {
      posted.push({ conversation: body.conversation?.id ?? '', text: body.text ?? '' });
      return true;
    })
    .reply(200, () => ({ id: `act-${posted.length}` }));
  return posted;
}

test('a new person of a linked tenant sees nothing until the office admin approves them; the admin is asked, the person told', async () => {
  const posted = teamsPosts();
  const admin = teamsTalker(t, { tenant: TENANT, name: 'Olga Mendez', officeAdmin: true });
  expect(await admin.say('hi')).toMatch(/^Hi, this is Bluebonnet Imaging \(for Mesa Verde Clinic\)/);
  const dana = teamsTalker(t, { tenant: TENANT, name: 'Dana Ruiz', enrolled: false });
  const pending = "Thanks, Dana Ruiz. Before you can send or follow Mesa Verde Clinic's orders here, your office's admin or our team needs to approve you. We've asked them, and I'll message you here once you're approved. Questions: (512) 555-0100.";
  expect(await dana.say('hi')).toBe(pending);
  expect(await dana.say('status of our orders')).toBe(pending); // nothing of the organization, in any words
  const org = (await t.app.repos.referrers.findById('org_mesa'))!;
  const user = org.users.find((u) => u.aadObjectId === dana.aad)!;
  expect(user).toMatchObject({ name: 'Dana Ruiz', status: 'pending', officeAdmin: false });
  expect(org.users.filter((u) => u.aadObjectId === dana.aad)).toHaveLength(1);
  const task = (await t.app.repos.tasks.findByKey(`office_enrolment:org_mesa:${user.id}`))!;
  expect(task).toMatchObject({ status: 'open', kind: 'office_enrolment', referrerOrgId: 'org_mesa', summary: `Dana Ruiz (Microsoft Teams) asks to see and send Mesa Verde Clinic's orders. Approve with POST /api/v1/referrers/org_mesa/users/${user.id}/approve if they work there, or ask the office.` });
  expect(posted).toEqual([{ conversation: admin.conversationId, text: "Dana Ruiz asks to see and send Mesa Verde Clinic's orders with us here. If they work with you, reply APPROVE Dana Ruiz." }]);

  // Someone who is not the office's admin cannot let people in.
  const colleague = teamsTalker(t, { tenant: TENANT, name: 'Sam Cho' });
  expect(await colleague.say('approve Dana Ruiz')).toBe('Only an admin of the office may approve its people.');
  expect(await admin.say('approve Dana Ruis')).toBe('Nobody named Dana Ruis is waiting for approval.');
  expect(await admin.say('APPROVE Dana Ruiz')).toBe("Done: Dana Ruiz can now send and follow your organization's orders here; we've told them.");
  expect(posted.slice(1)).toEqual([{ conversation: dana.conversationId, text: "You're approved: you can now send and follow Mesa Verde Clinic's imaging orders here. Say MENU to start." }]);
  expect((await t.app.repos.tasks.findByKey(`office_enrolment:org_mesa:${user.id}`))!.status).toBe('done');
  expect(await dana.say('status of our orders')).toBe('You have no open orders with us.');
});

test('an office set up in Spanish: its admin is asked and the new person told in Spanish; APROBAR lets them in', async () => {
  const tenant = 'ffffffff-0000-4000-8000-00000000000f';
  await t.app.repos.referrers.insert({ id: 'org_sol', name: 'Clínica del Sol', tenantId: tenant, phone: null, fax: null, users: [], language: 'es', createdAt: MONDAY });
  const posted = teamsPosts();
  const admin = teamsTalker(t, { tenant, name: 'Olga Mendez', officeAdmin: true });
  await admin.say('hola');
  const rosa = teamsTalker(t, { tenant, name: 'Rosa Díaz', enrolled: false });
  await rosa.say('hola');
  expect(posted).toEqual([{ conversation: admin.conversationId, text: 'Rosa Díaz pide ver y enviar aquí las órdenes de Clínica del Sol. Si trabaja con ustedes, responda APROBAR Rosa Díaz.' }]);
  await admin.say('APROBAR Rosa Díaz');
  expect(posted.slice(1)).toEqual([{ conversation: rosa.conversationId, text: 'Ya tiene acceso: puede enviar y seguir aquí las órdenes de imágenes de Clínica del Sol. Escriba HOLA para empezar.' }]);
  expect((await t.app.repos.referrers.findById('org_sol'))!.users.find((u) => u.aadObjectId === rosa.aad)).toMatchObject({ status: 'active' });
});

test('center staff approve a person over the API (coordinator, not scheduler); an unknown person is 404', async () => {
  const lee = teamsTalker(t, { tenant: TENANT, name: 'Lee Park', enrolled: false });
  teamsPosts();
  await lee.say('hi');
  const user = (await t.app.repos.referrers.findById('org_mesa'))!.users.find((u) => u.aadObjectId === lee.aad)!;
  const path = `/api/v1/referrers/org_mesa/users/${user.id}/approve`;
  const refused = await api(t.base, 'POST', path, { token: await t.token('scheduler'), body: {} });
  expect(refused.status).toBe(403);
  expect((await api(t.base, 'POST', '/api/v1/referrers/org_mesa/users/u_nobody/approve', { token: await t.token('coordinator'), body: {} })).status).toBe(404);
  expect((await api(t.base, 'POST', path, { token: await t.token('coordinator'), body: { officeAdmin: 'yes' } })).status).toBe(400);
  const ok = await api(t.base, 'POST', path, { token: await t.token('coordinator'), body: { officeAdmin: true } });
  expect(ok.status).toBe(200);
  expect(ok.body.users.find((u: { id: string }) => u.id === user.id)).toMatchObject({ status: 'active', officeAdmin: true });
  expect(await lee.say('my orders')).toBe('You have no open orders with us.');
});

test("a patient's details never go to a chat of someone still waiting for approval", async () => {
  const posted = teamsPosts();
  const waiting = teamsTalker(t, { tenant: LONELY, name: 'Kim Roe', enrolled: false });
  await waiting.say('hi');
  const o = completeOrder();
  const res = await api(t.base, 'POST', '/api/v1/cases', { token: await t.token('coordinator'), body: { ...o, referrerOrgId: 'org_lonely', patient: { ...o.patient, phone: newPhone(), language: 'en' } } });
  const jobs = (await t.app.followUpQueue.queue.getJobs(['delayed', 'waiting'])).filter((j) => j.data.caseId === res.body.id && j.data.kind === 'office_notice');
  expect(jobs).toHaveLength(1);
  expect(await t.app.followUps.run(jobs[0]!.data)).toBe('kept');
  expect(posted).toEqual([]);
});

test('a Web Chat sign-in stays on the device: the page keeps the token, the next visit is signed in; SIGN OUT ends it everywhere', async () => {
  const admin = await t.token('admin');
  const code = (await api(t.base, 'POST', '/api/v1/referrers/org_mesa/invites', { token: admin, body: { name: 'Rita Gomez' } })).body.code as string;
  const activity = (conversation: string, body: Record<string, unknown>) => ({ id: randomBytes(6).toString('hex'), channelId: 'webchat', serviceUrl: 'https://webchat.botframework.com/', deliveryMode: 'expectReplies', conversation: { id: conversation }, from: { id: `user-${conversation}`, role: 'user' }, recipient: { id: 'intake-bot' }, locale: 'en-US', ...body });
  type Act = { type: string; name?: string; text?: string; value?: { token?: string; expiresAt?: string } };
  const send = async (conversation: string, body: Record<string, unknown>) => (await api(t.base, 'POST', '/api/messages', { body: activity(conversation, body) })).body.activities as Act[];
  const first = `wc-${randomBytes(4).toString('hex')}`;
  await send(first, { type: 'message', text: 'hi' });
  await send(first, { type: 'message', text: '2' });
  const signedIn = await send(first, { type: 'message', text: code });
  const kept = signedIn.find((a) => a.type === 'event' && a.name === 'office/session')!;
  expect(kept.value).toEqual({ token: expect.stringMatching(/^[\w-]{43}$/), expiresAt: '2026-12-14T16:00:00.000Z' }); // 14 days (webChatSignInDays)
  expect(signedIn.find((a) => a.type === 'message')!.text).toBe('Signed in for Mesa Verde Clinic as Rita Gomez. This device stays signed in until December 14; say SIGN OUT to end it sooner.');
  // Only the token's hash is stored.
  expect(JSON.stringify(await t.app.repos.botState.read([`webchat/conversations/${first}/`]))).not.toContain(kept.value!.token);

  // The page opens again (a new conversation) with the token it kept: signed in, with the office menu.
  const second = `wc-${randomBytes(4).toString('hex')}`;
  const back = await send(second, { type: 'event', name: 'webchat/join', value: { locale: 'en-US', officeSession: kept.value!.token } });
  expect(back.filter((a) => a.type === 'message').map((a) => a.text)).toEqual(['Welcome back: signed in for Mesa Verde Clinic as Rita Gomez (on this device until December 14; say SIGN OUT to end it).', "What would you like to do?\n1. Send a new order\n2. Status of our orders\n3. Talk to a person"]);
  expect((await send(second, { type: 'message', text: 'status of our orders' })).map((a) => a.text).join('\n')).toMatch(/^You have no open orders with us\.$|^Your open orders/);

  const out = await send(second, { type: 'message', text: 'sign out' });
  expect(out.map((a) => a.name ?? a.text)).toEqual(['office/session-ended', `Signed out: this device no longer shows your office's orders. To sign in again, choose "I'm with a doctor's office" and enter a code from our team ((512) 555-0100).`]);
  // The token no longer signs anyone in: the page is told to forget it, and greeted as anyone.
  const third = `wc-${randomBytes(4).toString('hex')}`;
  const after = await send(third, { type: 'event', name: 'webchat/join', value: { locale: 'en-US', officeSession: kept.value!.token } });
  expect(after.map((a) => a.name ?? a.text?.split('\n')[0])).toEqual(['office/session-ended', expect.stringMatching(/^Hi, this is Bluebonnet Imaging\./)]);
  expect((await send(third, { type: 'message', text: 'status of our orders' })).map((a) => a.text).join('\n')).not.toMatch(/open orders/);
});
