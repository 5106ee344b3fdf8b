import nock from 'nock';
import { addBusinessDays, followUpPlan, inOfficeHours, type FollowUpJob } from '../../services/follow-ups/follow-up.service';
import type { Case } from '../../services/cases/case.schema';
import { smsTalker, teamsTalker } from '../support/channels';
import { api, completeOrder, exampleSite, startTestApp, type TestApp } from '../support/test-app';

// Monday 10:00 in Austin; the clock moves forward in each test.
const MONDAY = new Date('2026-11-30T16:00:00Z');
const TENANT = 'cccccccc-0000-4000-8000-00000000000c';
let now = MONDAY;
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ name: 'follow-ups', now: () => now });
  await t.app.repos.referrers.insert({ id: 'org_oak', name: 'Oak Hollow Pediatrics', tenantId: TENANT, phone: null, fax: null, users: [], createdAt: MONDAY });
  await t.app.repos.referrers.insert({ id: 'org_fax', name: 'Fax Only Clinic', tenantId: null, phone: null, fax: null, users: [], createdAt: MONDAY });
  await teamsTalker(t, { tenant: TENANT }).say('hi'); // the office's Teams conversation with the bot
});
beforeEach(() => {
  now = MONDAY;
});
afterAll(() => t.close());

/** Teams messages the bot posts to the office, captured (any number of them). */
function teamsPosts(): string[] {
  const posted: string[] = [];
  nock('https://smba.trafficmanager.net')
    .persist()
    .post(/\/amer\/v3\/conversations\/.+\/activities/, (body: unknown) => {
      posted.push(JSON.stringify(body));
      return true;
    })
    .reply(200, () => ({ id: `act-${posted.length}` }));
  return posted;
}
afterEach(() => nock.cleanAll());

async function patientRequest(marketing: 'yes' | 'no'): Promise<Case> {
  const p = smsTalker(t);
  let last = '';
  for (const line of ['I need an ultrasound of my abdomen', 'no', 'Sara Vance', '07/09/1990', 'stomach pain after meals', 'Dr. Ruiz at Oak Hollow Pediatrics', 'any morning', 'self pay']) last = await p.say(line);
  const number = /Your request number is ([A-F0-9]{6})/.exec(last)![1]!.toLowerCase();
  expect(await p.say(marketing)).toMatch(marketing === 'yes' ? /^You're in\./ : /only get texts/);
  const cases = await t.app.repos.cases.list({ referrerOrgId: 'org_oak' }, { limit: 100 });
  return cases.items.find((c) => c.id.endsWith(number))!;
}

/** The follow-ups queued for a case (BullMQ's delayed jobs), as kind → due time. */
async function queued(c: Case): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const { job } of followUpPlan(exampleSite(), c)) {
    const q = await t.app.followUpQueue.queue.getJob(`${job.kind}~${job.caseId}~${job.since.replace(/:/g, '')}~${job.n}`);
    if (q) out[`${job.kind}#${job.n}`] = new Date(MONDAY.getTime() + (q.opts.delay ?? 0)).toISOString(); // queued at MONDAY on the test clock
  }
  return out;
}
const jobOf = (c: Case, kind: FollowUpJob['kind'], n = 0) => followUpPlan(exampleSite(), c).find((p) => p.job.kind === kind && p.job.n === n)!.job;

test('business days skip the weekend, at the same local time', () => {
  const zone = 'America/Chicago';
  expect(addBusinessDays(new Date('2026-12-04T16:00:00Z'), 1, zone).toISOString()).toBe('2026-12-07T16:00:00.000Z'); // Friday → Monday
  expect(addBusinessDays(new Date('2026-12-05T16:00:00Z'), 1, zone).toISOString()).toBe('2026-12-07T16:00:00.000Z'); // Saturday → Monday
  expect(addBusinessDays(MONDAY, 5, zone).toISOString()).toBe('2026-12-07T16:00:00.000Z');
  // Office follow-ups wait for office hours: 22:00 on a Friday → Monday 09:00; 06:30 → 09:00 that day.
  expect(inOfficeHours(new Date('2026-12-05T04:00:00Z'), zone).toISOString()).toBe('2026-12-07T15:00:00.000Z');
  expect(inOfficeHours(new Date('2026-12-02T12:30:00Z'), zone).toISOString()).toBe('2026-12-02T15:00:00.000Z');
  expect(inOfficeHours(MONDAY, zone)).toEqual(MONDAY);
});

test('an order request: the office is reminded on Teams after 2 business days, staff get a task after 5; a lead never booked gets one nurture text only with marketing consent', async () => {
  const posted = teamsPosts();
  const c = await patientRequest('no');
  expect(c.state).toBe('order_requested');
  expect(posted).toHaveLength(1); // the request itself
  // Queued by the write that moved the case, at the configured times.
  expect(await queued(c)).toEqual({
    'order_reminder#0': '2026-12-02T16:00:00.000Z',
    'order_overdue#0': '2026-12-07T16:00:00.000Z',
    'lead_nurture#0': '2026-12-07T16:00:00.000Z',
  });

  now = new Date('2026-12-02T16:00:00Z');
  expect(await t.app.followUps.run(jobOf(c, 'order_reminder'))).toBe('office_reminded');
  expect(posted).toHaveLength(2);
  expect(posted[1]).toContain(`Reminder from Bluebonnet Imaging: we still have no order for request ${c.id.slice(-6).toUpperCase()}`);
  expect(posted[1]).toContain(`Send the order ${c.id.slice(-6).toUpperCase()}`);
  // A job that runs twice reminds once.
  expect(await t.app.followUps.run(jobOf(c, 'order_reminder'))).toBe('office_reminded');
  expect(posted).toHaveLength(2);

  now = new Date('2026-12-07T16:00:00Z');
  expect(await t.app.followUps.run(jobOf(c, 'order_overdue'))).toBe('staff_task');
  const overdue = await t.app.repos.tasks.list({ kind: 'order_follow_up', status: 'open' }, 100);
  expect(overdue.filter((x) => x.caseId === c.id && x.summary.startsWith('No order 5 business days after it was requested'))).toHaveLength(1);
  expect(await t.app.followUps.run(jobOf(c, 'order_overdue'))).toBe('staff_task');
  expect((await t.app.repos.tasks.list({ kind: 'order_follow_up', status: 'open' }, 100)).filter((x) => x.summary.startsWith('No order') && x.caseId === c.id)).toHaveLength(1);

  // No marketing consent: the nurture text is refused by the gateway and nothing goes out.
  const before = t.smsOut.length;
  expect(await t.app.followUps.run(jobOf(c, 'lead_nurture'))).toBe('refused');
  expect(t.smsOut.length).toBe(before);

  now = MONDAY;
  const consenting = await patientRequest('yes');
  now = new Date('2026-12-07T16:00:00Z');
  expect(await t.app.followUps.run(jobOf(consenting, 'lead_nurture'))).toBe('sent');
  expect(await t.app.followUps.run(jobOf(consenting, 'lead_nurture'))).toBe('duplicate');
  const nurture = (await t.app.repos.messages.list({ caseId: consenting.id }, 50)).filter((m) => m.idempotencyKey === `lead-nurture:${consenting.id}`);
  expect(nurture).toHaveLength(1);
  expect(nurture[0]).toMatchObject({ purpose: 'marketing', status: expect.stringMatching(/sent|queued/) });
  expect(nurture[0]!.body).toBe("Bluebonnet Imaging: still planning your imaging exam? We're happy to help you get it scheduled: reply BOOK or call (512) 555-0100. Reply STOP to opt out.");
});

test('the office sent the order: the reminder finds the case moved on and sends nothing', async () => {
  const posted = teamsPosts();
  const c = await patientRequest('no');
  const office = teamsTalker(t, { tenant: TENANT });
  expect(await office.say(`decline ${c.id.slice(-6).toUpperCase()}`)).toMatch(/^Why won't you send this order\?/);
  await office.say('patient must be seen first');
  await office.say('1');
  expect((await t.app.repos.cases.findById(c.id))!.state).toBe('cancelled');
  const sent = posted.length;
  now = new Date('2026-12-02T16:00:00Z');
  expect(await t.app.followUps.run(jobOf(c, 'order_reminder'))).toBe('stale');
  now = new Date('2026-12-07T16:00:00Z');
  expect(await t.app.followUps.run(jobOf(c, 'order_overdue'))).toBe('stale');
  expect(await t.app.followUps.run(jobOf(c, 'lead_nurture'))).toBe('stale');
  expect(posted).toHaveLength(sent);
});

test('missing documentation: the office is reminded of exactly what is missing after 1 and 3 business days, until it is supplied; an office not on Teams becomes a staff task', async () => {
  const posted = teamsPosts();
  const admin = await t.token('admin');
  const o = completeOrder();
  const created = await api(t.base, 'POST', '/api/v1/cases', { token: admin, body: { ...o, referrerOrgId: 'org_oak', order: { ...o.order, reasonCodes: [], reasonText: undefined } } });
  expect(created.body).toMatchObject({ state: 'awaiting_documentation' });
  const c = (await t.app.repos.cases.findById(created.body.id))!;
  expect(await queued(c)).toEqual({ 'documentation_reminder#0': '2026-12-01T16:00:00.000Z', 'documentation_reminder#1': '2026-12-03T16:00:00.000Z' });

  now = new Date('2026-12-01T16:00:00Z');
  expect(await t.app.followUps.run(jobOf(c, 'documentation_reminder', 0))).toBe('office_reminded');
  expect(posted).toHaveLength(1);
  expect(posted[0]).toContain(`order ${c.id.slice(-6).toUpperCase()} is still missing: diagnosis code or reason`);

  // The office supplies it in the chat: the second reminder is stale.
  const office = teamsTalker(t, { tenant: TENANT });
  expect(await office.say(`complete ${c.id.slice(-6).toUpperCase()}`)).toMatch(/diagnosis/i);
  expect(await office.say('M54.50')).toMatch(/^Missing items\nDiagnosis: M54\.50\n/);
  expect(await office.say('1')).toMatch(/received/);
  expect((await t.app.repos.cases.findById(c.id))!.state).not.toBe('awaiting_documentation');
  now = new Date('2026-12-03T16:00:00Z');
  expect(await t.app.followUps.run(jobOf(c, 'documentation_reminder', 1))).toBe('stale');
  expect(posted.filter((p) => p.includes('still missing'))).toHaveLength(1);

  // An office we cannot reach on Teams: staff call or fax, once per stay.
  now = MONDAY;
  const faxed = await api(t.base, 'POST', '/api/v1/cases', { token: admin, body: { ...o, referrerOrgId: 'org_fax', order: { ...o.order, reasonCodes: [], reasonText: undefined } } });
  const f = (await t.app.repos.cases.findById(faxed.body.id))!;
  now = new Date('2026-12-01T16:00:00Z');
  expect(await t.app.followUps.run(jobOf(f, 'documentation_reminder', 0))).toBe('staff_task');
  const task = (await t.app.repos.tasks.list({ kind: 'order_follow_up', status: 'open' }, 100)).find((x) => x.caseId === f.id);
  expect(task?.summary).toBe(`Follow up: still no documentation for case ${f.id}. Call or fax the referring office for the missing items (diagnosis code or reason).`);
  // The day-3 reminder is a second task (the first may be done by then), and a rerun adds none.
  now = new Date('2026-12-03T16:00:00Z');
  expect(await t.app.followUps.run(jobOf(f, 'documentation_reminder', 1))).toBe('staff_task');
  expect(await t.app.followUps.run(jobOf(f, 'documentation_reminder', 1))).toBe('staff_task');
  expect((await t.app.repos.tasks.list({ kind: 'order_follow_up', status: 'open' }, 100)).filter((x) => x.caseId === f.id)).toHaveLength(2);
});

test('the sweep queues what a case is due for, whatever wrote it (a case stored behind the queue’s back)', async () => {
  teamsPosts();
  const c = await patientRequest('no');
  await t.app.followUpQueue.queue.obliterate({ force: true });
  expect(await queued(c)).toEqual({});
  expect(await t.app.followUps.sweep()).toBeGreaterThanOrEqual(3);
  expect(Object.keys(await queued(c)).sort()).toEqual(['lead_nurture#0', 'order_overdue#0', 'order_reminder#0']);
});
