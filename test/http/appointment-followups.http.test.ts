import { smsTalker, type Talker } from '../support/channels';
import { newPhone } from '../support/sms';
import { api, completeOrder, startTestApp, type TestApp } from '../support/test-app';

const NOW = new Date('2026-11-30T16:00:00Z'); // Monday 10:00 in Austin
let t: TestApp;
beforeAll(async () => {
  // Workers on: reminder jobs that are due run in this process.
  t = await startTestApp({ name: 'followups', now: () => NOW, runWorkers: true });
});
afterAll(() => t.close());

const MRI_SAFE = ['no', 'no', 'no', 'no', 'no', 'no', 'no', 'no', 'no', 'yes', 'no'];

async function orderAtCenter(phone: string, order: Record<string, unknown> = {}) {
  const token = await t.token('coordinator');
  const o = completeOrder();
  const res = await api(t.base, 'POST', '/api/v1/cases', { token, body: { ...o, patient: { ...o.patient, phone, language: 'en' }, order: { ...o.order, insurance: { selfPay: true }, ...order } } });
  return res.body as { id: string; state: string };
}

async function script(p: Talker, lines: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const l of lines) out.push(await p.say(l));
  return out;
}

const outbound = async (caseId: string) => (await t.app.repos.messages.list({ caseId }, 100)).filter((m) => m.direction === 'outbound');

test('a cleared safety review: only a technologist (or admin) may clear it; the patient is told to reply BOOK, and BOOK offers times', async () => {
  const phone = newPhone();
  const created = await orderAtCenter(phone);
  const p = smsTalker(t, phone);
  await script(p, ['I need to book my MRI, my doctor sent the order', 'Ana Lopez', '04/02/1980', 'yes', ...MRI_SAFE.slice(1)]);
  expect((await t.app.repos.cases.findById(created.id))!.screening!.status).toBe('review');

  const coordinator = await t.token('coordinator');
  const refused = await api(t.base, 'POST', `/api/v1/cases/${created.id}/screening/clear`, { token: coordinator, body: {} });
  expect(refused.status).toBe(403);
  expect(refused.body.error.code).toBe('FORBIDDEN');

  const tech = await t.token('technologist');
  const before = t.smsOut.length;
  const cleared = await api(t.base, 'POST', `/api/v1/cases/${created.id}/screening/clear`, { token: tech, body: { note: 'pacemaker is MR-conditional; protocol arranged' } });
  expect(cleared.status).toBe(200);
  expect(cleared.body.screening).toMatchObject({ status: 'cleared', clearedBy: expect.stringMatching(/^staff:/), note: 'pacemaker is MR-conditional; protocol arranged' });
  expect((await t.app.repos.tasks.findByKey(`technologist_review:${created.id}`))!.status).toBe('done');
  expect(t.smsOut.slice(before).join('\n')).toContain('thank you for talking with our team. You can pick a time for your exam now: reply BOOK.');
  const again = await api(t.base, 'POST', `/api/v1/cases/${created.id}/screening/clear`, { token: tech, body: {} });
  expect(again.status).toBe(409);
  expect(again.body.error.code).toBe('SCREENING_NOT_IN_REVIEW');

  // BOOK: the order is found and, the review cleared, times come straight away (no second screening, and no second
  // identity check: this conversation was verified minutes ago).
  const [offer] = await script(p, ['BOOK']);
  expect(offer).toMatch(/^Here are the earliest times:\n1\. /);
  expect(await p.say('1')).toMatch(/^You're booked: /);
  expect((await t.app.repos.cases.findById(created.id))!.state).toBe('scheduled');
});

test('a held time is booked when staff approve the authorization; the patient gets the confirmation with prep', async () => {
  const phone = newPhone();
  const created = await orderAtCenter(phone, { insurance: { payer: 'Aetna', memberId: 'W123456789' } });
  const p = smsTalker(t, phone);
  await script(p, ['I need to book my MRI, my doctor sent the order', 'Ana Lopez', '04/02/1980', ...MRI_SAFE, '1']);
  const held = (await t.app.repos.cases.findById(created.id))!;
  expect(held).toMatchObject({ state: 'pending_authorization', appointment: { status: 'pending' } });

  const admin = await t.token('admin');
  const res = await api(t.base, 'POST', `/api/v1/cases/${created.id}/events`, { token: admin, body: { event: 'approve_authorization', data: { authorizationNumber: 'A-778812' } } });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ state: 'scheduled', appointment: { id: held.appointment!.id, status: 'booked' } });
  expect(res.body.history.slice(-2).map((h: { event: string; actor: string }) => `${h.event}:${h.actor}`)).toEqual([expect.stringMatching(/^approve_authorization:staff:/), 'book:system']);
  const sent = await outbound(created.id);
  expect(sent.map((m) => m.body)).toContainEqual(expect.stringMatching(/^Bluebonnet Imaging: your appointment is confirmed: Mon, Nov 30 at .*How to prepare: Bring a photo ID/));
});

test('booking queues the prep, the C/R/X reminder and (for a fasting study) the readiness check; each sends once at its time', async () => {
  const phone = newPhone();
  const created = await orderAtCenter(phone, { modality: 'ct', bodyPart: 'chest', contrast: 'with' });
  const p = smsTalker(t, phone);
  // CT with contrast: pregnancy and the contrast questions; 4 h fasting, so mornings only. Friday asked for.
  const answers = await script(p, ['I need to book my CT, my doctor sent the order', 'Ana Lopez', '04/02/1980', 'no', 'no', 'no', 'no', 'no', 'no', 'friday']);
  expect(answers.at(-1)).toMatch(/^Here are the earliest times:\n1\. Fri, Dec 4 at 7:00 AM/);
  expect(await p.say('1')).toMatch(/^You're booked: Fri, Dec 4 at 7:00 AM[\s\S]*Do not eat solid food for 4 hours/);
  const c = (await t.app.repos.cases.findById(created.id))!;
  const jobs = await t.app.reminderQueue.queue.getJobs(['delayed', 'waiting', 'active', 'completed']);
  const mine = jobs.filter((j) => j.data.caseId === c.id);
  const due = (kind: string) => new Date(NOW.getTime() + mine.find((j) => j.data.kind === kind)!.opts.delay!).toISOString();
  expect(mine.map((j) => j.data.kind).sort()).toEqual(['prep', 'readiness', 'reminder']);
  expect(due('prep')).toBe('2026-12-01T13:00:00.000Z'); // 72 h before Fri 7:00 CST
  expect(due('reminder')).toBe('2026-12-03T13:00:00.000Z'); // 24 h before
  expect(due('readiness')).toBe('2026-12-03T22:00:00.000Z'); // the day before at 16:00

  // Run each when due (what the worker does), twice: the second run sends nothing more.
  for (const kind of ['prep', 'reminder', 'readiness'] as const) {
    expect(await t.app.appointmentMessages.run({ caseId: c.id, appointmentId: c.appointment!.id, kind })).toBe('sent');
    await t.app.appointmentMessages.run({ caseId: c.id, appointmentId: c.appointment!.id, kind });
  }
  const bodies = (await outbound(c.id)).map((m) => m.body);
  expect(bodies.filter((b) => b.startsWith('Bluebonnet Imaging: your appointment is Fri, Dec 4 at 7:00 AM. How to prepare:'))).toHaveLength(1);
  expect(bodies.filter((b) => /^Bluebonnet Imaging: reminder of your appointment Fri, Dec 4 at 7:00 AM at .*Reply C to confirm, R to reschedule or X to cancel\./.test(b))).toHaveLength(1);
  expect(bodies.filter((b) => b === 'Bluebonnet Imaging: For your exam tomorrow you need to stop eating at 3:00 AM. Will you be able to? Reply YES, NO or NOT SURE.')).toHaveLength(1);
  expect(bodies.join('\n')).not.toMatch(/chest/i);

  // "not sure" to the readiness check: recorded, and staff get a task to call before the appointment.
  expect(await p.say('not sure')).toBe("Thanks for letting us know. Someone from our team will call you before your appointment to help with your prep. If it's urgent, call (512) 555-0100.");
  expect((await t.app.repos.cases.findById(c.id))!.appointment!.readiness).toMatchObject({ answer: 'unsure', answeredAt: NOW });
  expect((await t.app.repos.tasks.findByKey(`prep_readiness:${c.appointment!.id}`))!.summary).toMatch(/answered "unsure" to the readiness check/);
});

test('a reminder for an appointment that was moved is stale and sends nothing; a due job runs in the worker', async () => {
  const phone = newPhone();
  const created = await orderAtCenter(phone, { modality: 'xray', bodyPart: 'chest', contrast: null });
  const p = smsTalker(t, phone);
  await script(p, ['I need to book my x-ray, my doctor sent the order', 'Ana Lopez', '04/02/1980', 'no', 'friday', '1']);
  const first = (await t.app.repos.cases.findById(created.id))!;
  await script(p, ['R', '2']); // to an earlier day: its reminder times have passed, so no job is queued for it
  const moved = (await t.app.repos.cases.findById(created.id))!;
  expect(moved.appointment!.id).not.toBe(first.appointment!.id);
  expect(await t.app.appointmentMessages.run({ caseId: created.id, appointmentId: first.appointment!.id, kind: 'reminder' })).toBe('stale');

  // A job due now goes through the BullMQ worker and out as one SMS.
  const before = (await outbound(created.id)).length;
  await t.app.reminderQueue.schedule({ caseId: created.id, appointmentId: moved.appointment!.id, kind: 'reminder' }, NOW);
  for (let i = 0; i < 100 && (await outbound(created.id)).length === before; i++) await new Promise((r) => setTimeout(r, 50));
  const after = await outbound(created.id);
  expect(after).toHaveLength(before + 1);
  expect(after.map((m) => m.idempotencyKey)).toContain(`reminder:${moved.appointment!.id}:reminder`);
});

test('with a fixed clock: booking creates the reminder jobs at their times, rescheduling moves them, cancelling removes them', async () => {
  const phone = newPhone();
  const created = await orderAtCenter(phone, { modality: 'ct', bodyPart: 'chest', contrast: 'with' });
  const p = smsTalker(t, phone);
  await script(p, ['I need to book my CT, my doctor sent the order', 'Ana Lopez', '04/02/1980', 'no', 'no', 'no', 'no', 'no', 'no', 'friday', '1']);
  const jobsOf = async (appointmentId: string) => {
    const jobs = await Promise.all(['prep', 'reminder', 'readiness'].map((k) => t.app.reminderQueue.queue.getJob(`${appointmentId}-${k}`)));
    return Object.fromEntries(jobs.filter((j) => j !== undefined).map((j) => [j.data.kind as string, new Date(NOW.getTime() + j.opts.delay!).toISOString()]));
  };
  // Prep 72 h and the reminder 24 h before the start; the readiness check the day before at 16:00 Austin time.
  const expected = (start: Date) => ({
    prep: new Date(start.getTime() - 72 * 3_600_000).toISOString(),
    reminder: new Date(start.getTime() - 24 * 3_600_000).toISOString(),
    readiness: '2026-12-03T22:00:00.000Z',
  });
  const first = (await t.app.repos.cases.findById(created.id))!.appointment!;
  expect(first.start.toISOString()).toMatch(/^2026-12-04T1[34]:/); // Friday morning (fasting study)
  expect(await jobsOf(first.id)).toEqual(expected(first.start));

  // R, then another Friday time: the old jobs are gone, the new ones follow the new time.
  await script(p, ['R', 'friday', '2']);
  const moved = (await t.app.repos.cases.findById(created.id))!.appointment!;
  expect(moved.start.getTime()).toBeGreaterThan(first.start.getTime());
  expect(await jobsOf(first.id)).toEqual({});
  expect(await jobsOf(moved.id)).toEqual(expected(moved.start));

  await script(p, ['X', 'schedule conflict', '2']);
  expect((await t.app.repos.cases.findById(created.id))!).toMatchObject({ state: 'reschedule_needed', appointment: null });
  expect(await jobsOf(moved.id)).toEqual({});
});

test('staff cancel, no-show and rebook requests free the time and remove its reminders; a held time goes with a cancelled authorization', async () => {
  const admin = await t.token('admin');
  const event = (id: string, body: Record<string, unknown>) => api(t.base, 'POST', `/api/v1/cases/${id}/events`, { token: admin, body });
  const bookCt = async () => {
    const phone = newPhone();
    const created = await orderAtCenter(phone, { modality: 'ct', bodyPart: 'chest', contrast: 'with' });
    await script(smsTalker(t, phone), ['I need to book my CT, my doctor sent the order', 'Ana Lopez', '04/02/1980', 'no', 'no', 'no', 'no', 'no', 'no', 'friday', '1']);
    const c = (await t.app.repos.cases.findById(created.id))!;
    expect(c).toMatchObject({ state: 'scheduled', appointment: { status: 'booked' } });
    expect(await t.app.reminderQueue.queue.getJob(`${c.appointment!.id}-reminder`)).toBeDefined();
    return c;
  };
  for (const [ev, state] of [['cancel', 'cancelled'], ['mark_no_show', 'no_show'], ['request_reschedule', 'reschedule_needed']] as const) {
    const c = await bookCt();
    const res = await event(c.id, { event: ev, reason: 'staff test' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state, appointment: null });
    expect(await t.app.repos.appointments.findById(c.appointment!.id)).toMatchObject({ status: 'cancelled' });
    expect(await t.app.reminderQueue.queue.getJob(`${c.appointment!.id}-reminder`)).toBeUndefined();
  }

  // Held while authorization was pending, then the case is cancelled (authorization refused): the time is free again.
  const phone = newPhone();
  const created = await orderAtCenter(phone, { insurance: { payer: 'Aetna', memberId: 'W123456789' } });
  await script(smsTalker(t, phone), ['I need to book my MRI, my doctor sent the order', 'Ana Lopez', '04/02/1980', ...MRI_SAFE, '1']);
  const held = (await t.app.repos.cases.findById(created.id))!;
  expect(held.appointment).toMatchObject({ status: 'pending' });
  expect((await event(created.id, { event: 'cancel', reason: 'authorization denied' })).body).toMatchObject({ state: 'cancelled', appointment: null });
  expect(await t.app.repos.appointments.findById(held.appointment!.id)).toMatchObject({ status: 'cancelled' });
});

test('approval after the held time has passed books nothing: the time is released and the patient is invited to pick another', async () => {
  const phone = newPhone();
  const created = await orderAtCenter(phone, { insurance: { payer: 'Aetna', memberId: 'W123456789' } });
  await script(smsTalker(t, phone), ['I need to book my MRI, my doctor sent the order', 'Ana Lopez', '04/02/1980', ...MRI_SAFE, '1']);
  const held = (await t.app.repos.cases.findById(created.id))!;
  // The approval comes late: the held start is already behind us.
  const past = new Date(NOW.getTime() - 3_600_000);
  await t.app.repos.cases.patch(held.id, held.version, { appointment: { ...held.appointment!, start: past, end: new Date(past.getTime() + 45 * 60_000) } }, NOW);
  const res = await api(t.base, 'POST', `/api/v1/cases/${created.id}/events`, { token: await t.token('admin'), body: { event: 'approve_authorization' } });
  expect(res.body).toMatchObject({ state: 'ready_to_schedule', appointment: null });
  expect(await t.app.repos.appointments.findById(held.appointment!.id)).toMatchObject({ status: 'cancelled' });
  const sent = (await outbound(created.id)).map((m) => m.idempotencyKey);
  expect(sent).toContain(`invite-to-book:${created.id}`);
  expect(sent).not.toContain(`booking-confirmed:${held.appointment!.id}`);
});
