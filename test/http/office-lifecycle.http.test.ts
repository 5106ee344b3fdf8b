import nock from 'nock';
import { conversationRefId } from '../../bot/channels/turn-runner';
import type { Case } from '../../services/cases/case.schema';
import { smsTalker, teamsTalker, webchatTalker, type Talker } from '../support/channels';
import { newPhone } from '../support/sms';
import { api, completeOrder, exampleSite, startTestApp, type TestApp } from '../support/test-app';

// Issue 15 §3 and §4: authorization as a record (deny, re-approve, expiry on reschedule) and the office told of every
// change once, in its office hours, on its Teams conversation.
const MONDAY = new Date('2026-11-30T16:00:00Z'); // Monday 10:00 in Austin
const TENANT = 'cccccccc-0000-4000-8000-00000000000c';
const STAFF_CHANNEL = '19:intake-coordinators@thread.tacv2';
const MRI_SAFE = ['no', 'no', 'no', 'no', 'no', 'no', 'no', 'no', 'no', 'yes', 'no'];
let t: TestApp;
let now = MONDAY;
let office: ReturnType<typeof teamsTalker>;

beforeAll(async () => {
  t = await startTestApp({ name: 'officelife', now: () => now, site: { ...exampleSite(), staffTeams: { conversationId: STAFF_CHANNEL } } });
  await t.app.repos.referrers.insert({ id: 'org_lake', name: 'Lakeway Internal Medicine', tenantId: TENANT, phone: null, fax: null, users: [], createdAt: MONDAY });
  office = teamsTalker(t, { tenant: TENANT });
  await office.say('hi'); // the office's Teams conversation with the bot
});
beforeEach(() => {
  now = MONDAY;
});
afterEach(() => nock.cleanAll());
afterAll(() => t.close());

/** What the bot posts to the office's Teams conversation, captured. */
function teamsPosts(): string[] {
  const posted: string[] = [];
  nock('https://smba.trafficmanager.net')
    .persist()
    .post(/\/amer\/v3\/conversations\/.+\/activities/, (body: { text?: string }) => {
      posted.push(body.text ?? JSON.stringify(body));
      return true;
    })
    .reply(200, () => ({ id: `act-${posted.length}` }));
  return posted;
}

async function faxOrder(phone: string, order: Record<string, unknown> = {}): Promise<Case> {
  const o = completeOrder();
  const res = await api(t.base, 'POST', '/api/v1/cases', { token: await t.token('coordinator'), body: { ...o, referrerOrgId: 'org_lake', patient: { ...o.patient, phone, language: 'en' }, order: { ...o.order, ...order } } });
  expect(res.status).toBe(201);
  return (await t.app.repos.cases.findById(res.body.id))!;
}

async function event(c: Case, role: 'admin' | 'technologist' | 'ris' | 'scheduler', body: Record<string, unknown>) {
  return api(t.base, 'POST', `/api/v1/cases/${c.id}/events`, { token: await t.token(role), body });
}

/** The office updates queued for a case (BullMQ's delayed and waiting jobs), by history index. */
async function updatesQueued(caseId: string) {
  const jobs = await t.app.followUpQueue.queue.getJobs(['delayed', 'waiting']);
  return jobs.filter((j) => j.data.caseId === caseId && j.data.kind === 'office_notice').sort((a, b) => a.data.n - b.data.n);
}
const ran = new Set<string>();

/**
 * The office update the case's latest write queued: it is in the follow-up queue for `due`; run when due (what the
 * worker does) and run again (a retry), it posts once.
 */
async function tell(caseId: string, due: Date): Promise<string> {
  const fresh = (await updatesQueued(caseId)).filter((j) => !ran.has(j.id!));
  expect(fresh).toHaveLength(1);
  const q = fresh[0]!;
  ran.add(q.id!);
  expect(new Date(now.getTime() + (q.opts.delay ?? NaN)).toISOString()).toBe(due.toISOString());
  now = due;
  expect(await t.app.followUps.run(q.data)).toBe('office_told');
  expect(await t.app.followUps.run(q.data)).toBe('office_told'); // the second run posts nothing (the same key)
  const stored = (await t.app.repos.messages.list({ caseId }, 200)).filter((m) => m.template === 'office_update' && m.idempotencyKey === `office-notice:${caseId}:${q.data.n}`);
  expect(stored).toHaveLength(1);
  return stored[0]!.body;
}
/** Updates queued so far that this test does not look at. */
const skipQueued = async (caseId: string) => (await updatesQueued(caseId)).forEach((j) => ran.add(j.id!));
const noUpdateQueued = async (caseId: string) => expect((await updatesQueued(caseId)).filter((j) => !ran.has(j.id!))).toEqual([]);
const patientTexts = async (caseId: string) => (await t.app.repos.messages.list({ caseId }, 200)).filter((m) => m.direction === 'outbound' && m.channel === 'sms').map((m) => m.body);

/** A new Web Chat session of the office: greeted, "2" (an office), then a fresh one-time code; the sign-in's reply. */
async function webChatSignIn(orgId: string, name: string, greeting: string): Promise<string> {
  const code = (await api(t.base, 'POST', `/api/v1/referrers/${orgId}/invites`, { token: await t.token('admin'), body: { name } })).body.code as string;
  const chat = webchatTalker(t);
  await chat.say(greeting);
  await chat.say('2');
  return chat.say(code);
}

async function script(p: Talker, lines: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const l of lines) out.push(await p.say(l));
  return out;
}

test('deny → the office sends what the payer needs → re-approve → booked → checked in → done → report: the office hears each once, never after hours', async () => {
  const posted = teamsPosts();
  const phone = newPhone();
  const c = await faxOrder(phone);
  expect(c).toMatchObject({ state: 'pending_authorization', authorization: { payer: 'Aetna', status: 'pending', number: null } });
  const n = c.id.slice(-6).toUpperCase();
  const head = `Update from Bluebonnet Imaging on order ${n} (Ana Lopez, MRI lumbar spine): `;
  expect(await tell(c.id, MONDAY)).toBe(`${head}we received the order; it needs prior authorization from Aetna; we'll invite the patient to book once it is approved.`);

  // Denied at 18:30 (after the office closed): recorded, the patient told in plain words, the office told at 9:00 next morning.
  now = new Date('2026-12-01T00:30:00Z');
  const denied = await event(c, 'admin', { event: 'deny_authorization', reason: 'conservative therapy not documented', data: { nextStep: 'documentation' } });
  expect(denied.status).toBe(200);
  expect(denied.body).toMatchObject({ state: 'awaiting_documentation', authorization: { status: 'denied', denialReason: 'conservative therapy not documented', nextStep: 'documentation' }, missing: ['requested: what the payer needs to approve it (denied: conservative therapy not documented)'] });
  expect(await patientTexts(c.id)).toContainEqual("Bluebonnet Imaging: your insurance has not approved your exam yet. Your doctor's office is working with them on it; there is nothing you need to do now. We'll text you as soon as it's approved. Questions: (512) 555-0100.");
  expect(posted).toHaveLength(1);
  expect(await tell(c.id, new Date('2026-12-01T15:00:00Z'))).toBe(`${head}prior authorization was denied by Aetna: conservative therapy not documented. Next step: please send what the payer needs to approve it (reply COMPLETE ${n}).`);

  // The office sends the notes on Teams: the case goes back for authorization; the office saw the answer, no update.
  const asked = await office.say(`complete ${n}`);
  expect(asked).toMatch(new RegExp(`^Order ${n} is missing: requested: what the payer needs to approve it`));
  const sent = await office.sendFile('pt-notes-6-weeks.pdf', 'https://lakeway.sharepoint.example/pt-notes.pdf');
  expect(sent).toMatch(/Send these to complete the order\?\n1\. Submit the order/);
  expect(await office.say('1')).toMatch(/needs prior authorization/);
  const back = (await t.app.repos.cases.findById(c.id))!;
  expect(back).toMatchObject({ state: 'pending_authorization', missing: [], authorization: { status: 'pending' } });
  await noUpdateQueued(c.id);

  // Re-approved with its number and dates: the patient is invited; the office told.
  const approved = await event(c, 'admin', { event: 'approve_authorization', data: { authorizationNumber: 'A-55120', validFrom: '2026-12-01', validTo: '2026-12-31', units: 1 } });
  expect(approved.body).toMatchObject({ state: 'ready_to_schedule', authorization: { status: 'approved', number: 'A-55120', validFrom: '2026-12-01', validTo: '2026-12-31', units: 1, denialReason: null } });
  expect(await tell(c.id, now)).toBe(`${head}prior authorization approved (A-55120, valid 2026-12-01 to 2026-12-31); we're inviting the patient to book.`);

  const p = smsTalker(t, phone);
  const said = await script(p, ['I need to book my MRI, my doctor sent the order', 'Ana Lopez', '04/02/1980', ...MRI_SAFE, '1']);
  expect(said.at(-1)).toMatch(/^You're booked: (\w{3}, \w{3} \d+ at [\d:]+ [AP]M)/);
  const when = /^You're booked: (\w{3}, \w{3} \d+ at [\d:]+ [AP]M)/.exec(said.at(-1)!)![1]!;
  expect(await tell(c.id, now)).toBe(`${head}scheduled for ${when}.`);

  for (const [role, ev, words] of [
    ['technologist', 'check_in', 'the patient checked in for the exam'],
    ['technologist', 'complete_imaging', 'the exam is done; the report will follow'],
  ] as const) {
    expect((await event(c, role, { event: ev })).status).toBe(200);
    expect(await tell(c.id, now)).toBe(`${head}${words}.`);
  }
  expect((await event(c, 'ris', { event: 'finalize_report' })).status).toBe(200);
  await noUpdateQueued(c.id); // a report being ready is the center's; its delivery is the office's news
  expect((await event(c, 'ris', { event: 'deliver_report' })).status).toBe(200);
  expect(await tell(c.id, now)).toBe(`${head}the report has been delivered.`);

  // Each change posted exactly once, in order.
  const updates = (await t.app.repos.messages.list({ caseId: c.id }, 200)).filter((m) => m.template === 'office_update').map((m) => m.body).reverse();
  expect(updates.map((u) => u.replace(head, '').split(/[;(]/)[0]!.trim())).toEqual(['we received the order', 'prior authorization was denied by Aetna: conservative therapy not documented. Next step: please send what the payer needs to approve it', 'prior authorization approved', `scheduled for ${when}.`, 'the patient checked in for the exam.', 'the exam is done', 'the report has been delivered.']);
  expect(posted).toEqual(updates);
});

test('a Web Chat office (no Teams) sees its updates once at sign-in; a cancellation is told with the staff reason', async () => {
  const admin = await t.token('admin');
  await t.app.repos.referrers.insert({ id: 'org_web', name: 'Westlake Pediatrics', tenantId: null, phone: null, fax: null, users: [], createdAt: MONDAY });
  const o = completeOrder();
  const res = await api(t.base, 'POST', '/api/v1/cases', { token: admin, body: { ...o, referrerOrgId: 'org_web', patient: { ...o.patient, phone: newPhone(), language: 'en' }, order: { ...o.order, modality: 'xray', bodyPart: 'chest', contrast: null, insurance: { selfPay: true } } } });
  const c = (await t.app.repos.cases.findById(res.body.id))!;
  expect((await event(c, 'admin', { event: 'cancel', reason: 'the patient had it done at the hospital' })).status).toBe(200);
  const jobs = await updatesQueued(c.id);
  expect(jobs.map((j) => j.data.n)).toEqual([0, 2]);
  for (const j of jobs) expect(await t.app.followUps.run(j.data)).toBe('kept');

  const n = c.id.slice(-6).toUpperCase();
  const signedIn = await webChatSignIn('org_web', 'Lena Ortiz', 'hi');
  expect(signedIn).toContain(`Updates on your orders since you were last here:\n- Nov 30: Update from Bluebonnet Imaging on order ${n} (Ana Lopez, X-ray chest): we received the order; it is complete; we're inviting the patient to book.\n- Nov 30: Update from Bluebonnet Imaging on order ${n} (Ana Lopez, X-ray chest): cancelled: the patient had it done at the hospital.`);
  // Shown once: the next sign-in has nothing new.
  expect(await webChatSignIn('org_web', 'Lena Ortiz', 'hi')).not.toContain('Updates on your orders');
});

test('an office set up in Spanish gets its updates in Spanish (what staff wrote stays as written), dated in Spanish at a Spanish sign-in', async () => {
  const admin = await t.token('admin');
  await t.app.repos.referrers.insert({ id: 'org_es', name: 'Clínica del Río', tenantId: null, phone: null, fax: null, users: [], language: 'es', createdAt: MONDAY });
  const o = completeOrder();
  const res = await api(t.base, 'POST', '/api/v1/cases', { token: admin, body: { ...o, referrerOrgId: 'org_es', patient: { ...o.patient, phone: newPhone(), language: 'es' } } });
  const c = (await t.app.repos.cases.findById(res.body.id))!;
  expect((await event(c, 'admin', { event: 'deny_authorization', reason: 'falta fisioterapia', data: { nextStep: 'peer_to_peer' } })).status).toBe(200);
  for (const j of await updatesQueued(c.id)) expect(await t.app.followUps.run(j.data)).toBe('kept');

  const n = c.id.slice(-6).toUpperCase();
  const head = `Novedad de Bluebonnet Imaging sobre la orden ${n} (Ana Lopez, resonancia lumbar spine): `;
  expect(await webChatSignIn('org_es', 'Lucía Ramírez', 'hola')).toContain(
    `\n- 30 nov: ${head}recibimos la orden; necesita autorización previa de Aetna; invitaremos al paciente a agendar en cuanto la aprueben.\n- 30 nov: ${head}la autorización previa fue negada por Aetna: falta fisioterapia. Siguiente paso: el médico que ordena puede pedir una revisión entre médicos (peer-to-peer) con la aseguradora; díganos aquí el resultado.`,
  );
});

test('an expired approval found on reschedule: not booked, the patient and the office told, a renewal task; a new approval invites the patient again', async () => {
  const posted = teamsPosts();
  const phone = newPhone();
  const c = await faxOrder(phone);
  await event(c, 'admin', { event: 'approve_authorization', data: { authorizationNumber: 'A-90001', validFrom: '2026-11-30', validTo: '2026-12-04' } });
  const p = smsTalker(t, phone);
  const said = await script(p, ['I need to book my MRI, my doctor sent the order', 'Ana Lopez', '04/02/1980', ...MRI_SAFE]);
  // Only times inside the approved dates are offered.
  const offered = [...said.at(-1)!.matchAll(/\d\. \w{3}, (\w{3} \d+)/g)].map((m) => m[1]);
  expect(offered.length).toBeGreaterThan(0);
  for (const d of offered) expect(['Nov 30', 'Dec 1', 'Dec 2', 'Dec 3', 'Dec 4']).toContain(d);
  expect(await p.say('1')).toMatch(/^You're booked: /);
  // The time is moved off by staff (the patient must come another day), and the patient comes back after the approval ended.
  expect((await event(c, 'scheduler', { event: 'request_reschedule', reason: 'scanner down for service' })).status).toBe(200);
  await skipQueued(c.id);
  now = new Date('2026-12-07T16:00:00Z'); // Monday after
  const before = posted.length;
  const reply = (await script(p, ['I need to reschedule my MRI', '04/02/1980', 'Lopez'])).join('\n');
  expect(reply).toContain("Your insurance's approval for this exam ended on December 4, so I can't book it yet. We've asked your doctor's office to renew it, and we'll text you as soon as it's renewed. Questions: (512) 555-0100.");
  const expired = (await t.app.repos.cases.findById(c.id))!;
  expect(expired).toMatchObject({ state: 'pending_authorization', authorization: { status: 'expired', number: 'A-90001' }, appointment: null });
  expect(expired.history.at(-1)).toMatchObject({ event: 'expire_authorization', actor: 'bot', from: 'reschedule_needed', to: 'pending_authorization' });
  expect((await t.app.repos.tasks.findByKey(`authorization:${c.id}`))).toMatchObject({ status: 'open', kind: 'authorization', summary: expect.stringMatching(/^The Aetna authorization A-90001 for case .* ended on 2026-12-04 before the exam: get it renewed/) });
  // The bot told the patient in the chat; no second text about it.
  expect((await patientTexts(c.id)).filter((b) => /approval/.test(b))).toHaveLength(0);
  expect(await tell(c.id, now)).toMatch(/: the prior authorization A-90001 ended on 2026-12-04 before the exam; please get it renewed and send us the new number and dates\.$/);
  expect(posted.length).toBe(before + 1);

  // Booking a date past a new approval's end is refused; the renewal closes the task and invites the patient.
  const renewed = await event(c, 'admin', { event: 'approve_authorization', data: { authorizationNumber: 'A-90002', validFrom: '2026-12-07', validTo: '2027-01-06' } });
  expect(renewed.body).toMatchObject({ state: 'ready_to_schedule', authorization: { status: 'approved', number: 'A-90002' } });
  expect((await t.app.repos.tasks.findByKey(`authorization:${c.id}`))!.status).toBe('done');
  expect((await patientTexts(c.id)).filter((b) => b.startsWith('Bluebonnet Imaging: your doctor sent us an order'))).toHaveLength(1);
  const past = await event(c, 'admin', { event: 'approve_authorization', data: { validTo: '2026-12-01' } });
  expect(past.status).toBe(409); // not pending any more
});

test('staff expire a booked approval: the time is held, the patient told it is held; a peer-to-peer denial keeps it pending; re-approval confirms the held time', async () => {
  teamsPosts();
  const phone = newPhone();
  const c = await faxOrder(phone);
  await event(c, 'admin', { event: 'approve_authorization', data: { authorizationNumber: 'A-3' } });
  const p = smsTalker(t, phone);
  expect((await script(p, ['I need to book my MRI, my doctor sent the order', 'Ana Lopez', '04/02/1980', ...MRI_SAFE, '1'])).at(-1)).toMatch(/^You're booked: /);
  const booked = (await t.app.repos.cases.findById(c.id))!;
  const ex = await event(c, 'admin', { event: 'expire_authorization' });
  expect(ex.body).toMatchObject({ state: 'pending_authorization', authorization: { status: 'expired' }, appointment: { id: booked.appointment!.id, status: 'pending' } });
  expect((await patientTexts(c.id))[0]).toMatch(/^Bluebonnet Imaging: your insurance's approval for your exam has ended, so we've asked your doctor's office to renew it\. We are holding your time, \w{3}, \w{3} \d+ at [\d:]+ [AP]M, until then\. We'll text you/);

  await skipQueued(c.id);
  const p2p = await event(c, 'admin', { event: 'deny_authorization', reason: 'medical director review', data: { nextStep: 'peer_to_peer' } });
  expect(p2p.body).toMatchObject({ state: 'pending_authorization', authorization: { status: 'denied', nextStep: 'peer_to_peer' }, appointment: { status: 'pending' }, missing: [] });
  expect(await tell(c.id, now)).toMatch(/prior authorization was denied by Aetna: medical director review\. Next step: the ordering doctor may request a peer-to-peer review with the payer; tell us the outcome here\.$/);
  const bad = await event(c, 'admin', { event: 'deny_authorization', reason: 'x', data: { nextStep: 'appeal' } });
  expect(bad.status).toBe(400);
  expect(bad.body.error.message).toMatch(/data\.nextStep/);

  const again = await event(c, 'admin', { event: 'approve_authorization', data: { authorizationNumber: 'A-4' } });
  expect(again.body).toMatchObject({ state: 'scheduled', appointment: { id: booked.appointment!.id, status: 'booked' } });
  expect((await patientTexts(c.id))[0]).toMatch(/^Bluebonnet Imaging: your appointment is confirmed: /);
});

test('a denial for the study itself: the office is asked for the study it orders instead, and the changed order moves on', async () => {
  teamsPosts();
  const phone = newPhone();
  const c = await faxOrder(phone);
  const n = c.id.slice(-6).toUpperCase();
  await skipQueued(c.id);
  const denied = await event(c, 'admin', { event: 'deny_authorization', reason: 'MRI not covered before X-rays', data: { nextStep: 'changed_study' } });
  expect(denied.body).toMatchObject({ state: 'awaiting_documentation', missing: ['a changed study (the payer denied this one)'], authorization: { status: 'denied', nextStep: 'changed_study' } });
  expect(await tell(c.id, now)).toMatch(new RegExp(`prior authorization was denied by Aetna: MRI not covered before X-rays\\. Next step: please send the study you will order instead \\(reply COMPLETE ${n}\\)\\.$`));
  expect(await office.say(`complete ${n}`)).toMatch(new RegExp(`^Order ${n} is missing: a changed study \\(the payer denied this one\\)\\.\\n.*Which study\\?`, 's'));
  // An X-ray needs no contrast question and, for Aetna, no authorization.
  expect(await office.say('XR lumbar spine')).toMatch(/Send these to complete the order\?/);
  expect(await office.say('1')).toMatch(/received|complete/i);
  const moved = (await t.app.repos.cases.findById(c.id))!;
  expect(moved).toMatchObject({ state: 'ready_to_schedule', missing: [], order: { code: { modality: 'xray' }, bodySite: { text: 'lumbar spine' } } });
  expect((await patientTexts(c.id)).filter((b) => b.startsWith('Bluebonnet Imaging: your doctor sent us an order'))).toHaveLength(1);
});

test('a stat order is posted to the staff Teams channel the moment its urgent task opens, and again when it is re-raised; once each', async () => {
  const posted = teamsPosts();
  const ref = conversationRefId('msteams', STAFF_CHANNEL);
  const reference = { channelId: 'msteams' as const, serviceUrl: 'https://smba.trafficmanager.net/amer/', conversation: { id: STAFF_CHANNEL, conversationType: 'channel', isGroup: true }, user: { id: '29:staff' }, bot: { id: '28:intake-bot-id' } };
  await t.app.repos.conversationRefs.upsert({ id: ref, channel: 'msteams', personKey: 'aad:staff-channel', tenantId: null, language: 'en', reference, createdAt: MONDAY, updatedAt: MONDAY });
  const c = await faxOrder(newPhone(), { modality: 'ct', bodyPart: 'head', contrast: 'without', priority: 'stat', reasonText: 'fall on apixaban, new confusion', insurance: { selfPay: true } });
  expect(posted).toEqual([`Urgent task: STAT CT head for case ${c.id}: call the patient to schedule within 15 minutes.`]);
  now = new Date(MONDAY.getTime() + 16 * 60_000);
  const job = { caseId: c.id, kind: 'urgent_call_overdue' as const, since: c.createdAt.toISOString(), n: 0 };
  expect(await t.app.followUps.run(job)).toBe('escalated');
  expect(await t.app.followUps.run(job)).toBe('stale');
  expect(posted.slice(1)).toEqual([`OVERDUE, nobody has taken it in 15 minutes (coordinator: assign it now). STAT CT head for case ${c.id}: call the patient to schedule within 15 minutes.`]);
  // No patient name or reason in the channel.
  expect(posted.join('\n')).not.toMatch(/Ana|Lopez|apixaban|confusion/);
});

test("an office's own hours: a change after it closed at noon is told when it opens at 7:30 next business day", async () => {
  await t.app.repos.referrers.insert({ id: 'org_mornings', name: 'Mornings Only Clinic', tenantId: null, phone: null, fax: null, users: [], officeHours: { open: '07:30', close: '12:00' }, createdAt: MONDAY });
  now = new Date('2026-12-04T18:30:00Z'); // Friday 12:30 in Austin
  const o = completeOrder();
  const res = await api(t.base, 'POST', '/api/v1/cases', { token: await t.token('coordinator'), body: { ...o, referrerOrgId: 'org_mornings', patient: { ...o.patient, phone: newPhone(), language: 'en' } } });
  const [job] = await updatesQueued(res.body.id);
  expect(new Date(now.getTime() + job!.opts.delay!).toISOString()).toBe('2026-12-07T13:30:00.000Z'); // Monday 07:30
  expect(await t.app.followUps.run(job!.data)).toBe('kept');
});

test('files sent outside the form go to the order they are for: asked which when not named, straight in when named', async () => {
  teamsPosts();
  const first = await faxOrder(newPhone());
  const second = await faxOrder(newPhone());
  for (const c of [first, second]) expect((await event(c, 'admin', { event: 'request_documentation', reason: 'Aetna needs the last office visit note' })).body.state).toBe('awaiting_documentation');
  const [n1, n2] = [first, second].map((c) => c.id.slice(-6).toUpperCase());
  const asked = await office.sendFile('visit-note.pdf', 'https://lakeway.sharepoint.example/visit-note.pdf');
  expect(asked).toMatch(/^Thanks\. Which order are these files for\? Reply with its number \(for example 9EAC56\)\./);
  expect(asked).toContain(`${n1} · Ana Lopez · MRI lumbar spine · missing: requested: Aetna needs the last office visit note`);
  expect(await office.say(n1!)).toBe(`Thanks: the files are on order ${n1}, and it's moving on.`);
  expect(await t.app.repos.cases.findById(first.id)).toMatchObject({ state: 'pending_authorization', missing: [], order: { note: [{ text: 'Attachment: visit-note.pdf (application/vnd.microsoft.teams.file.download.info) https://lakeway.sharepoint.example/visit-note.pdf' }] } });
  // Named in the message: no question.
  const named = await office.sendFile('note-2.pdf', 'https://lakeway.sharepoint.example/note-2.pdf', `note for ${n2}`);
  expect(named).toBe(`Thanks: the files are on order ${n2}, and it's moving on.`);
  expect((await t.app.repos.cases.findById(second.id))!.state).toBe('pending_authorization');
  // An order not waiting for documents is not given them.
  expect(await office.sendFile('x.pdf', 'https://lakeway.sharepoint.example/x.pdf', `for ${n1}`)).toBe(`Order ${n1} isn't waiting for documents, so I haven't added them. Call us if they should go with it.`);
});

test('typed requests, closed item by item: a new mobile number closes only that item; the signed order, sent as a file, closes the last and the case moves on', async () => {
  teamsPosts();
  const c = await faxOrder(newPhone());
  const n = c.id.slice(-6).toUpperCase();
  expect((await event(c, 'admin', { event: 'request_documentation', reason: 'the number on the order is a fax line', data: { item: 'patient_phone' } })).status).toBe(200);
  const both = await event(c, 'admin', { event: 'request_documentation', reason: 'Aetna wants it signed by the doctor', data: { item: 'signed_order' } });
  expect(both.body).toMatchObject({ state: 'awaiting_documentation', missing: ["requested: the patient's mobile number: the number on the order is a fax line", 'requested: a signed order: Aetna wants it signed by the doctor'] });
  const bad = await event(c, 'admin', { event: 'request_documentation', reason: 'x', data: { item: 'xray_films' } });
  expect(bad.status).toBe(400);
  expect(bad.body.error.details).toEqual([{ field: 'data.item', message: 'must be one of clinical_notes, signed_order, prior_images_report, patient_phone, insurance, diagnosis_code, other' }]);

  // The office sends the mobile number only: that item closes, the signed order is still asked for.
  const asked = await office.say(`complete ${n}`);
  expect(asked).toMatch(/mobile number/);
  const steps = [await office.say('(512) 555-0144')];
  for (let i = 0; i < 4 && !/Send these to complete the order\?/.test(steps.at(-1)!); i++) steps.push(await office.say(/Language/.test(steps.at(-1)!) ? '1' : 'none'));
  expect(steps.at(-1)).toMatch(/Send these to complete the order\?/);
  // Saved: the one item left is asked for at once.
  expect(await office.say('1')).toBe(`Order ${n} for Ana Lopez is saved, but it is missing: requested: a signed order: Aetna wants it signed by the doctor. Let's add it now.\nClinical notes for the radiologist? (or NONE)`);
  const after = (await t.app.repos.cases.findById(c.id))!;
  expect(after).toMatchObject({ state: 'awaiting_documentation', missing: ['requested: a signed order: Aetna wants it signed by the doctor'] });
  // The signed order as a file: the last item closes and the case goes on to authorization.
  expect(await office.sendFile('signed-order.pdf', 'https://lakeway.sharepoint.example/signed.pdf')).toMatch(/Send these to complete the order\?/);
  expect(await office.say('1')).toMatch(new RegExp(`^Order ${n} for Ana Lopez is received\\. It is complete and needs prior authorization`));
  expect(await t.app.repos.cases.findById(c.id)).toMatchObject({ state: 'pending_authorization', missing: [] });
});
