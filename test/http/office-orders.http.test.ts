import nock from 'nock';
import { conversationRefId } from '../../bot/channels/turn-runner';
import { smsTalker, teamsTalker, webchatTalker, runLines as run, type Line } from '../support/channels';
import { newPhone } from '../support/sms';
import { api, startTestApp, type TestApp } from '../support/test-app';

const NOW = new Date('2026-11-30T16:00:00Z'); // Monday 10:00 in Austin: texts go out at once
const TENANT_A = 'aaaaaaaa-0000-4000-8000-00000000000a';
const TENANT_B = 'bbbbbbbb-0000-4000-8000-00000000000b';
let t: TestApp;
let now = NOW;

beforeAll(async () => {
  t = await startTestApp({ name: 'office', now: () => now });
  for (const [id, name, tenantId] of [['org_hill', 'Hill Country Family Medicine', TENANT_A], ['org_river', 'Riverside Orthopedics', TENANT_B]] as const) {
    await t.app.repos.referrers.insert({ id, name, tenantId, phone: null, fax: null, users: [], createdAt: NOW });
  }
});
afterAll(() => t.close());

const numberIn = (reply: string) => /Order ([A-F0-9]{6}) /.exec(reply)![1]!;
async function caseByNumber(n: string) {
  const token = await t.token('admin');
  const items = (await api(t.base, 'GET', '/api/v1/cases?limit=200', { token })).body.items as Array<{ id: string }>;
  return (await t.app.repos.cases.findById(items.find((c) => c.id.toUpperCase().endsWith(n))!.id))!;
}

function orderLines(o: { phone: string; lang?: '1' | '2'; exam: string; contrast?: string; codes: string; reason: string; priority?: '1' | '2' | '3' | '4'; npi?: string; insurance: string }): Line[] {
  return [
    // The form card (Teams shows its text first, Web Chat its card first) and the first step-by-step question.
    ['new order', /^Let's send an order\. Say CANCEL at any time to stop; nothing is sent until you submit\.\n(Fill in the order form, or answer the questions one at a time below\.\nImaging order(\n\[[^\n]*\])?|Imaging order(\n\[[^\n]*\])?\nFill in the order form, or answer the questions one at a time below\.)\nPatient's full name/],
    ['Ana Lopez', /date of birth/],
    ['04/02/1980', /mobile number/],
    [o.phone, /^Language for the patient’s texts\?\n1\. English\n2\. Spanish$/],
    [o.lang ?? '1', /Which study\?/],
    [o.exam, o.contrast ? /^Contrast\?\n1\. Without contrast/ : /Diagnosis codes/],
    ...(o.contrast ? ([[o.contrast, /Diagnosis codes/]] as Line[]) : []),
    [o.codes, /Reason for the exam/],
    [o.reason, /^Priority\?\n1\. Routine\n2\. Urgent\n3\. ASAP\n4\. Stat/],
    [o.priority ?? '1', /Ordering provider's name/],
    ['Dr. Maya Patel', /NPI/],
    [o.npi ?? '1234567893', /Callback number/],
    ['(555) 765-4321', /Insurance/],
    [o.insurance, /Clinical notes/],
    // On Teams the summary is an Adaptive Card, then the question with its buttons.
    ['none', /^Imaging order\nPatient: Ana Lopez\nDate of birth: 1980-04-02[\s\S]*\nPlease check the order, then submit it\.\n1\. Submit the order\n2\. Start over$/],
  ];
}

test('Teams: a complete MRI lumbar spine order for a payer that needs authorization → pending_authorization by referrer:<id>; the patient is invited only after approval', async () => {
  const office = teamsTalker(t, { tenant: TENANT_A });
  const phone = newPhone();
  await run(office, [['hi', /^Hi, this is Bluebonnet Imaging \(for Hill Country Family Medicine\)/], ['2', /^What would you like to do\?\n1\. Send a new order/]]);
  const filled = await run(office, [
    ['1', /Patient's full name/],
    ...orderLines({ phone, exam: 'MRI lumbar spine', contrast: '1', codes: 'M54.50', reason: 'low back pain 8 weeks', insurance: 'Aetna W123456789' }).slice(1),
  ]);
  expect(filled.at(-1)).toMatch(/Study: MRI, lumbar spine, without contrast\nDiagnosis: M54\.50; low back pain 8 weeks\nPriority: routine\nOrdering provider: Dr\. Maya Patel, NPI 1234567893, \+15557654321\nInsurance: Aetna W123456789/);
  const [done] = await run(office, [['1', /^Order [A-F0-9]{6} for Ana Lopez is received\. It is complete and needs prior authorization; we'll invite the patient to book once it is approved\.$/]]);
  const c = await caseByNumber(numberIn(done!));
  const org = (await t.app.repos.referrers.findById('org_hill'))!;
  const user = org.users.find((u) => u.aadObjectId === office.aad)!;
  expect(c).toMatchObject({ state: 'pending_authorization', referrerOrgId: 'org_hill', source: 'msteams', order: { intent: 'order', code: { modality: 'mri', contrast: 'without' }, bodySite: { text: 'lumbar spine' }, reasonCode: ['M54.50'] } });
  expect(c.history.map((h) => `${h.event}:${h.actor}:${h.channel}`)).toEqual([`create:referrer:${user.id}:msteams`, `require_authorization:referrer:${user.id}:msteams`]);
  const invites = async () => (await t.app.repos.messages.list({ caseId: c.id }, 20)).filter((m) => m.idempotencyKey === `invite-to-book:${c.id}`);
  expect(await invites()).toHaveLength(0); // not before approval

  const admin = await t.token('admin');
  expect((await api(t.base, 'POST', `/api/v1/cases/${c.id}/events`, { token: admin, body: { event: 'approve_authorization' } })).body.state).toBe('ready_to_schedule');
  const [invite] = await invites();
  expect(invite).toMatchObject({ status: 'sent', purpose: 'care', body: 'Bluebonnet Imaging: your doctor sent us an order for an imaging exam. Reply BOOK to pick a time here, or call (512) 555-0100.' });
  // The invitation leads into the patient's own booking flow.
  const patient = smsTalker(t, phone);
  await run(patient, [['BOOK', /What is your full name/], ['Ana Lopez', /date of birth/], ['04/02/1980', /pacemaker/]]);
});

test('a CT order without a diagnosis code → awaiting_documentation naming it; the office answers M54.50 → received and on; the history shows each step', async () => {
  const office = teamsTalker(t, { tenant: TENANT_A });
  const replies = await run(office, [
    ...orderLines({ phone: newPhone(), lang: '2', exam: 'CT abdomen pelvis with contrast', codes: 'skip', reason: 'skip', insurance: 'self pay' }).map(([say, want]) => [say, say === 'CT abdomen pelvis with contrast' ? /Diagnosis codes/ : want] as Line),
    ['1', /^Order [A-F0-9]{6} for Ana Lopez is saved, but it is missing: diagnosis code or reason\. Let's add it now\.\nDiagnosis codes \(ICD-10-CM\), e\.g\. M54\.50, or the reason for the exam in words\.$/],
  ]);
  const n = numberIn(replies.at(-1)!);
  expect((await caseByNumber(n)).state).toBe('awaiting_documentation');
  await run(office, [
    ['M5', /^'M5' is not an ICD-10-CM code/],
    ['M54.50', /^Missing items\nDiagnosis: M54\.50\nSend these to complete the order\?\n1\. Submit the order/],
    ['1', `Order ${n} for Ana Lopez is received. It is complete; we're texting the patient to book.`],
  ]);
  const c = await caseByNumber(n);
  expect(c).toMatchObject({ state: 'ready_to_schedule', missing: [], order: { reasonCode: ['M54.50'], code: { modality: 'ct', contrast: 'with' } } });
  expect(c.history.map((h) => `${h.from ?? '-'}→${h.to}`)).toEqual(['-→received', 'received→awaiting_documentation', 'awaiting_documentation→received', 'received→ready_to_schedule']);
  // The office chose Spanish for the patient's texts: the invitation is in Spanish.
  const invite = (await t.app.repos.messages.list({ caseId: c.id }, 20)).find((m) => m.idempotencyKey === `invite-to-book:${c.id}`);
  expect(invite?.body).toMatch(/^Bluebonnet Imaging: su médico nos envió una orden/);
});

test('a missing "diagnosis code or reason" may be answered with the reason in words; start over asks the missing items again', async () => {
  const office = teamsTalker(t, { tenant: TENANT_A });
  const replies = await run(office, [
    ...orderLines({ phone: newPhone(), exam: 'CT abdomen pelvis with contrast', codes: 'skip', reason: 'skip', insurance: 'self pay' }).map(([say, want]) => [say, say === 'CT abdomen pelvis with contrast' ? /Diagnosis codes/ : want] as Line),
    ['1', /is missing: diagnosis code or reason/],
  ]);
  const n = numberIn(replies.at(-1)!);
  await run(office, [
    ['M5', /^'M5' is not an ICD-10-CM code/],
    ['abdominal pain after a fall', /^Missing items\nDiagnosis: abdominal pain after a fall\nSend these/],
    ['2', /^Diagnosis codes \(ICD-10-CM\), e\.g\. M54\.50, or the reason/],
    ['right lower quadrant pain for 2 weeks', /^Missing items\nDiagnosis: right lower quadrant pain for 2 weeks\n/],
    ['1', `Order ${n} for Ana Lopez is received. It is complete; we're texting the patient to book.`],
  ]);
  const c = await caseByNumber(n);
  expect(c).toMatchObject({ state: 'ready_to_schedule', missing: [], order: { reasonCode: [], reasonText: 'right lower quadrant pain for 2 weeks' } });
});

test('a wrong NPI check digit and a malformed ICD-10 code are refused with the reason; no case exists until the order is submitted', async () => {
  const office = teamsTalker(t, { tenant: TENANT_A });
  const phone = newPhone();
  const lines = orderLines({ phone, exam: 'MRI lumbar spine', contrast: '1', codes: 'M54.50', reason: 'pain', insurance: 'self pay' });
  const codesAt = lines.findIndex(([say]) => say === 'M54.50');
  await run(office, lines.slice(0, codesAt));
  await run(office, [['54.50X', /^'54\.50X' is not an ICD-10-CM code \(a letter, two characters, then optionally a dot and up to 4 more, e\.g\. M54\.50\)\. Or SKIP\.$/]]);
  // Checked against the CMS table: a category and a made-up code are refused, a code in no category of the release is kept with a note.
  await run(office, [
    ['M54.5', 'M54.5 is a category, not a billable code: use a more specific one, e.g. M54.50, M54.51, M54.59.'],
    ['A00', /^A00 is a category, not a billable code: use a more specific one, e\.g\. A00\.0, A00\.1, A00\.9\.\nSay AGENT to talk to a person/],
    ['Z99.ZZZZ', /^Z99\.ZZZZ is not an ICD-10-CM code; codes under Z99 are e\.g\. Z99\.0, /],
  ]);
  const noted = await office.say('U99.9');
  expect(noted).toMatch(/^Note: U99\.9 is not in the ICD-10-CM release we check against \(FY2025\); please check it \(we kept it\)\.\nReason for the exam/);
  await run(office, lines.slice(codesAt + 1, codesAt + 4));
  await run(office, [['5125550199', '5125550199 is not an NPI: an NPI starts with 1 (a person) or 2 (an organization). Please check it.'], ['1234567890', 'The NPI 1234567890 fails its check digit (the last digit must match a Luhn check over 80840 and the first nine digits). Please check it.']]);
  const token = await t.token('admin');
  expect((await api(t.base, 'GET', `/api/v1/cases?phone=${encodeURIComponent(phone)}`, { token })).body.items).toEqual([]);
  await run(office, [['1234567893', /Callback number/], ['CANCEL', 'OK, stopped. Nothing was sent. Say NEW ORDER to start again.']]);
  expect((await api(t.base, 'GET', `/api/v1/cases?phone=${encodeURIComponent(phone)}`, { token })).body.items).toEqual([]);
});

test("organization A asking about organization B's order gets 'not found'; nothing of B's is disclosed", async () => {
  const b = teamsTalker(t, { tenant: TENANT_B, name: 'Rita River' });
  const replies = await run(b, [...orderLines({ phone: newPhone(), exam: 'X-ray right knee', codes: 'M17.11', reason: 'knee pain', insurance: 'self pay' }).map(([say, want]) => [say, say === 'X-ray right knee' ? /Diagnosis codes/ : want] as Line), ['1', /^Order [A-F0-9]{6} for Ana Lopez is received/]]);
  const n = numberIn(replies.at(-1)!);
  const a = teamsTalker(t, { tenant: TENANT_A });
  const [own] = await run(a, [['status of Ana Lopez', /Ana Lopez/]]);
  expect(own).not.toContain(n);
  await run(a, [
    [`complete ${n}`, `I can't find request ${n} among your organization's orders.`],
    [`decline ${n}`, `I can't find request ${n} among your organization's orders.`],
  ]);
  const [theirs] = await run(b, [['my orders', /^Your open orders \(stat and urgent first\):\n/]]);
  expect(theirs).toContain(`${n} · Ana Lopez · X-ray knee`);
});

test("a patient's order request: the office accepts with the form prefilled (order_requested → received), or declines and the patient is told", async () => {
  await teamsTalker(t, { tenant: TENANT_A }).say('hi'); // keeps a Teams conversation for the office
  // Each request from its own patient: a second request from a number whose order is already here would find it.
  const request = async () => {
    const r = await run(smsTalker(t), [
      ['I need an MRI of my lower back', /order/],
      ['no', /full name/],
      ['Maria Garcia', /date of birth/],
      ['03/15/1985', /why/],
      ['back pain for 3 months', /Which doctor/],
      ['Dr. Lee at Hill Country Family Medicine', /When/],
      ['next week', /pay/],
      ['Aetna W987654321', /We've sent your request to Hill Country Family Medicine and asked them for the order\..*Your request number is ([A-F0-9]{6})[\s\S]*Before the order arrives, a few safety questions/],
      // The MRI safety questions while the order is on its way: all clear (lying still: yes).
      ...['no', 'no', 'no', 'no', 'no', 'no', 'no', 'no', 'no', 'yes'].map((a): Line => [a, /\)?\n1\. Yes/]),
      ['no', /^That's all for now\.[\s\S]*Reply YES to join or NO/],
      ['no', /only get texts/],
    ]);
    return /Your request number is ([A-F0-9]{6})/.exec(r[7]!)![1]!;
  };
  // The office's Teams conversation gets the request card (its buttons name the request number).
  const posted: Array<{ text?: string; attachments?: unknown[] }> = [];
  const teams = nock('https://smba.trafficmanager.net')
    .post(/\/amer\/v3\/conversations\/.+\/activities/, (body: { text?: string; attachments?: unknown[] }) => {
      posted.push(body);
      return true;
    })
    .times(2)
    .reply(200, () => ({ id: `act-${posted.length}` }));
  const first = await request();
  expect(JSON.stringify(posted[0])).toContain(`Send the order ${first}`);
  expect(JSON.stringify(posted[0])).toContain('Maria Garcia');
  const office = teamsTalker(t, { tenant: TENANT_A });
  const theRest: Line[] = [
    ['1', /Diagnosis codes/],
    ['M54.50', /^Priority\?/],
    ['1', /Ordering provider's name/],
    ['Dr. Grace Lee', /NPI/],
    ['1234567893', /Callback/],
    ['5557654321', /Clinical notes/],
    ['none', /^Imaging order\nPatient: Maria Garcia\nDate of birth: 1985-03-15\nMobile: \+1\d{10} \(texts in English\)[\s\S]*Diagnosis: M54\.50; back pain for 3 months[\s\S]*Insurance: Aetna W987654321/],
  ];
  await run(office, [
    [`Send the order ${first}`, new RegExp(`^Thanks\\. I've filled in what the patient told us for request ${first}; a few more details for the order\\.\\nContrast\\?`)],
    ...theRest,
    // Start over goes back to what the patient told us, not to a blank form or the summary.
    ['2', /^Contrast\?/],
    ...theRest,
    ['1', new RegExp(`^Order ${first} for Maria Garcia is received\\. It is complete and needs prior authorization`)],
  ]);
  const accepted = await caseByNumber(first);
  expect(accepted).toMatchObject({ state: 'pending_authorization', order: { intent: 'order', reasonCode: ['M54.50'], reasonText: 'back pain for 3 months' } });
  expect(accepted.history.map((h) => h.event)).toEqual(['create', 'qualify', 'request_order', 'receive_order', 'require_authorization']);

  const second = await request();
  expect(teams.isDone()).toBe(true);
  await run(office, [
    [`decline ${second}`, /^Why won't you send this order\?/],
    ['cancel', `OK, request ${second} stays open. Say SEND THE ORDER ${second} when you have it.`],
  ]);
  expect((await caseByNumber(second)).state).toBe('order_requested');
  await run(office, [
    [`decline ${second}`, /^Why won't you send this order\?/],
    ['not clinically indicated; needs an office visit first', /^Decline request [A-F0-9]{6} because "not clinically indicated; needs an office visit first"\? The patient is told only that the order won't be sent\.\n1\. Decline the request\n2\. Keep it open$/],
    ['1', `Declined. We've let the patient know, without your reason, and closed request ${second}.`],
  ]);
  const declined = await caseByNumber(second);
  expect(declined.state).toBe('cancelled');
  expect(declined.history.at(-1)).toMatchObject({ event: 'cancel', reason: 'order declined by the office: not clinically indicated; needs an office visit first' });
  const told = (await t.app.repos.messages.list({ caseId: declined.id }, 10)).find((m) => m.idempotencyKey === `order-declined:${declined.id}`);
  expect(told?.body).toBe("Bluebonnet Imaging: your doctor's office will not be sending an order for the exam you asked about. Please talk with your doctor, or call us at (512) 555-0100 and we'll help.");
  expect(told?.body).not.toMatch(/clinically/);
});

test('Web Chat: an office user signs in with a one-time code and the same order reaches the same state as on Teams', async () => {
  const coordinator = await t.token('coordinator');
  const issued = await api(t.base, 'POST', '/api/v1/referrers/org_hill/invites', { token: coordinator, body: { name: 'Maya Front Desk' } });
  expect(issued.status).toBe(201);
  expect(issued.body.code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
  expect((await api(t.base, 'POST', '/api/v1/referrers/org_hill/invites', { token: await t.token('scheduler'), body: { name: 'X' } })).status).toBe(403);
  expect((await api(t.base, 'POST', '/api/v1/referrers/org_nope/invites', { token: coordinator, body: { name: 'X' } })).status).toBe(400);

  const office = webchatTalker(t);
  await run(office, [
    ['hi', /^Hi, this is Bluebonnet Imaging\. How can we help\?/],
    ["I'm with a doctor's office", /^Doctor's offices: enter the sign-in code Bluebonnet Imaging gave you/],
    ['ZZZZ-9999', /^That code did not work \(wrong, used or expired\)/],
    [issued.body.code.toLowerCase(), /^Signed in for Hill Country Family Medicine as Maya Front Desk\. This device stays signed in until December 14; say SIGN OUT to end it sooner\.\nWhat would you like to do\?\n1\. Send a new order\n2\. Status of our orders\n3\. Talk to a person$/],
  ]);
  // The code is a secret: the transcript says a code was typed, never the code.
  const transcript = (await t.app.repos.messages.list({ conversationRefId: conversationRefId('webchat', office.conversationId!) }, 50)).map((m) => m.body);
  expect(transcript).toContain('(sign-in code, not kept)');
  expect(transcript.join('\n')).not.toContain(issued.body.code.slice(5));
  expect(transcript).toContain("I'm with a doctor's office");
  const phone = newPhone();
  const replies = await run(office, [
    ...orderLines({ phone, exam: 'MRI lumbar spine', contrast: '1', codes: 'M54.50', reason: 'low back pain 8 weeks', insurance: 'Aetna W123456789' }),
    ['1', /^Order [A-F0-9]{6} for Ana Lopez is received\. It is complete and needs prior authorization/],
  ]);
  const c = await caseByNumber(numberIn(replies.at(-1)!));
  const user = (await t.app.repos.referrers.findById('org_hill'))!.users.find((u) => u.name === 'Maya Front Desk')!;
  expect(c).toMatchObject({ state: 'pending_authorization', referrerOrgId: 'org_hill', source: 'webchat' });
  expect(c.history[0]).toMatchObject({ event: 'create', actor: `referrer:${user.id}`, channel: 'webchat' });

  // A code works once.
  const again = webchatTalker(t);
  await run(again, [['hi', /How can we help/], ['2', /sign-in code/], [issued.body.code, /^That code did not work/]]);
});

test('Teams: the same order as one Adaptive Card form; a bad NPI and code come back listed with the card, then the summary and the case', async () => {
  const office = teamsTalker(t, { tenant: TENANT_A });
  const phone = newPhone();
  await run(office, [['new order', /Fill in the order form/]]);
  const values = {
    form: 'order', patient_name: 'Ana Lopez', patient_dob: '04/02/1980', patient_phone: phone, exam: 'MRI lumbar spine', laterality: '', contrast: 'without',
    codes: 'M54.50, 5450', reason: 'low back pain', priority: 'routine', provider: 'Dr. Maya Patel', npi: '1234567890', callback: '5557654321', insurance: 'self pay', notes: '',
  };
  const refused = await office.submit(values);
  expect(refused).toMatch(/^Please fix:\n- Diagnosis codes \(ICD-10-CM\), e\.g\. M54\.50; several separated by commas\. Or SKIP\.: '5450' is not an ICD-10-CM code.*\n- Ordering provider's NPI \(10 digits\)\? \(or SKIP\)|^Please fix:/);
  expect(refused).toContain('fails its check digit');
  expect(refused).toContain("'5450' is not an ICD-10-CM code");
  expect(refused).toMatch(/\nImaging order$/); // the card again
  const token = await t.token('admin');
  expect((await api(t.base, 'GET', `/api/v1/cases?phone=${encodeURIComponent(phone)}`, { token })).body.items).toEqual([]);

  const summary = await office.submit({ ...values, codes: 'M54.50', npi: '1234567893' });
  expect(summary).toMatch(/^Imaging order\nPatient: Ana Lopez[\s\S]*Study: MRI, lumbar spine, without contrast\nDiagnosis: M54\.50; low back pain[\s\S]*\n1\. Submit the order\n2\. Start over$/);
  const [done] = await run(office, [['1', /^Order [A-F0-9]{6} for Ana Lopez is received\. It is complete; we're texting the patient to book\.$/]]);
  expect((await caseByNumber(numberIn(done!))).state).toBe('ready_to_schedule');
});

test('clinical notes sent as a file on Teams are kept with the case (name, type and where to fetch it)', async () => {
  const office = teamsTalker(t, { tenant: TENANT_A });
  const lines = orderLines({ phone: newPhone(), exam: 'MRI lumbar spine', contrast: '1', codes: 'M54.50', reason: 'pain', insurance: 'self pay' });
  await run(office, lines.slice(0, -1));
  expect(await office.sendFile('notes-ana-lopez.pdf', 'https://hillcountry.sharepoint.example/notes.pdf')).toMatch(/^Imaging order\nPatient: Ana Lopez/);
  const [done] = await run(office, [['1', /^Order [A-F0-9]{6} for Ana Lopez is received/]]);
  const c = await caseByNumber(numberIn(done!));
  expect(c.order.note.map((n) => n.text)).toEqual(['Attachment: notes-ana-lopez.pdf (application/vnd.microsoft.teams.file.download.info) https://hillcountry.sharepoint.example/notes.pdf']);
});

test('Teams: a stat order opens an urgent task at once, on top of the queue; the office is told a scheduler calls within the minutes; past them it is re-raised; cancelling closes it', async () => {
  const office = teamsTalker(t, { tenant: TENANT_A });
  const phone = newPhone();
  const admin = await t.token('admin');
  // A routine task already open: the stat one must still come first.
  await t.app.repos.tasks.insert({ id: 't_routine_first', kind: 'call_patient', status: 'open', dedupeKey: 'routine-first', summary: 'Call back about parking', caseId: null, referrerOrgId: null, createdAt: new Date(NOW.getTime() + 1_000), updatedAt: NOW });
  await run(office, [['hi', /^Hi, this is Bluebonnet Imaging/], ['2', /^What would you like to do\?/]]);
  await run(office, [
    ['1', /Patient's full name/],
    ...orderLines({ phone, exam: 'CT head', contrast: '1', codes: 'S06.0X0A', reason: 'fall at home, on apixaban, new confusion', priority: '4', insurance: 'Medicare 1EG4TE5MK73' }).slice(1),
  ]);
  const [done] = await run(office, [['1', /^Order [A-F0-9]{6} for Ana Lopez is received\. It is complete\. It is marked STAT: a scheduler will call the patient within 15 minutes\.$/]]);
  const c = await caseByNumber(numberIn(done!));
  expect(c).toMatchObject({ track: 'human', state: 'ready_to_schedule', order: { priority: 'stat' } });

  // The task is there the moment the office is answered, first in the work queue, due in 15 minutes.
  const queue = (await api(t.base, 'GET', '/api/v1/tasks?status=open&limit=50', { token: admin })).body.items as Array<{ id: string; caseId: string | null; urgent: boolean; dueAt: string; escalatedAt: string | null; summary: string; kind: string }>;
  expect(queue[0]).toMatchObject({ caseId: c.id, kind: 'schedule_by_phone', urgent: true, escalatedAt: null, dueAt: new Date(c.createdAt.getTime() + 15 * 60_000).toISOString(), summary: `STAT CT brain for case ${c.id}: call the patient to schedule within 15 minutes.` });
  expect(queue.filter((x) => x.caseId === c.id)).toHaveLength(1);
  // Stat orders are never texted to book.
  expect((await api(t.base, 'GET', `/api/v1/messages?phone=${encodeURIComponent(phone)}`, { token: admin })).body.items).toEqual([]);
  const [status] = await run(office, [['my orders', /STAT · complete; a scheduler is calling the patient/]]);
  expect(status).not.toMatch(new RegExp(`${numberIn(done!)}[^\n]*invited to book`));

  // The re-raise is queued for the due time; when it runs with the task still open, the task is re-raised once.
  const job = { caseId: c.id, kind: 'urgent_call_overdue' as const, since: c.createdAt.toISOString(), n: 0 };
  const queued = await t.app.followUpQueue.queue.getJob(`${job.kind}~${job.caseId}~${job.since.replace(/:/g, '')}~0`);
  expect(queued?.opts.delay).toBe(15 * 60_000);
  now = new Date(NOW.getTime() + 16 * 60_000);
  expect(await t.app.followUps.run(job)).toBe('escalated');
  expect(await t.app.followUps.run(job)).toBe('stale');
  const raised = (await t.app.repos.tasks.findByKey(`urgent:${c.id}`))!;
  expect(raised).toMatchObject({ status: 'open', urgent: true, escalatedAt: now, summary: expect.stringMatching(/^OVERDUE, nobody has taken it in 15 minutes \(coordinator: assign it now\)\. STAT CT brain for case /) });

  // Cancelled by staff: the call is no longer owed, the task is done.
  const cancel = await api(t.base, 'POST', `/api/v1/cases/${c.id}/events`, { token: admin, body: { event: 'cancel', reason: 'patient went to the ER' } });
  expect(cancel.status).toBe(200);
  expect((await t.app.repos.tasks.findByKey(`urgent:${c.id}`))!.status).toBe('done');
  now = NOW;
});

test('an office asks after its orders in its own words, by name or number; a Teams channel gets no list', async () => {
  const office = teamsTalker(t, { tenant: TENANT_B });
  const phone = newPhone();
  await run(office, [['hi', /^Hi, this is Bluebonnet Imaging/], ['2', /^What would you like to do\?/]]);
  await run(office, [
    ['1', /Patient's full name/],
    ['Rosa Delgado-Villanueva', /date of birth/],
    ...orderLines({ phone, exam: 'CT abdomen', contrast: '2', codes: 'skip', reason: 'right lower quadrant pain', insurance: 'Aetna W123456789' }).slice(2, -1),
    ['none', /^Imaging order\nPatient: Rosa Delgado-Villanueva\n/],
  ]);
  const [done] = await run(office, [['1', /^Order [A-F0-9]{6} for Rosa Delgado-Villanueva is received/]]);
  const n = numberIn(done!);
  const c = await caseByNumber(n);
  const expected = new RegExp(`${n} · Rosa Delgado-Villanueva · CT abdomen · ${c.state === 'pending_authorization' ? 'waiting for prior authorization' : '[a-z]'}`);
  // Never the patient flow ("Do you have an order…") nor the menu.
  const said = await run(office, [
    ['Is the CT for Rosa scheduled yet?', expected],
    ['any update on rosa?', expected],
    [`what's the status of ${n}?`, new RegExp(`^${n} · Rosa Delgado-Villanueva`)],
    ['any news on 0A0A0A?', "I can't find request 0A0A0A among your organization's orders."],
  ]);
  expect(said.join('\n')).not.toMatch(/Do you have an order|What would you like to do/);
  // Organization A's users never see B's patient.
  const other = teamsTalker(t, { tenant: TENANT_A });
  await run(other, [['hi', /^Hi/]]);
  const [theirs] = await run(other, [['any update on rosa?', /^I found no open order of yours for that patient\.$/]]);
  expect(theirs).not.toMatch(/Delgado/);
  // In a channel the whole team reads: no patient list there.
  const channel = teamsTalker(t, { tenant: TENANT_B, channel: true });
  const [inChannel] = await run(channel, [['status', /^To keep patients’ details private I don’t list orders in a channel\. Ask me in a personal chat/]]);
  expect(inChannel).not.toMatch(/Rosa/);
});

test('documentation that finishes: a missing patient phone is asked and supplied; a payer’s request in staff words is asked by name and closed by a file; a reminder of a record naming nothing cannot throw', async () => {
  const office = teamsTalker(t, { tenant: TENANT_A });
  const admin = await t.token('admin');
  const phone = newPhone();
  const lines = orderLines({ phone, exam: 'XR chest', codes: 'R05.9', reason: 'cough 6 weeks', insurance: 'Aetna W123456789' });
  // No mobile given: the language question is skipped with it.
  const noPhone: Line[] = [...lines.slice(0, 3), ['skip', /Which study\?/], ...lines.slice(5)];
  const replies = await run(office, [...noPhone, ['1', /^Order [A-F0-9]{6} for Ana Lopez is saved, but it is missing: phone number\. Let's add it now\.\nPatient's mobile number/]]);
  const n = numberIn(replies.at(-1)!);
  await run(office, [
    [phone, /^Missing items\n[\s\S]*Send these to complete the order\?/],
    ['1', new RegExp(`^Order ${n} for Ana Lopez is received\\.`)],
  ]);
  const c = await caseByNumber(n);
  expect(c).toMatchObject({ state: 'ready_to_schedule', missing: [] });
  expect((await t.app.repos.patients.findById(c.patientId))!.phone).toBe(phone);

  // Staff ask for what a payer wants, in their words: the office is asked for exactly that and sends a file.
  const ct = await run(office, [...orderLines({ phone: newPhone(), exam: 'MRI lumbar spine', contrast: '1', codes: 'M54.50', reason: 'low back pain 8 weeks', insurance: 'Aetna W123456789' }), ['1', /needs prior authorization/]]);
  const m = numberIn(ct.at(-1)!);
  const mri = await caseByNumber(m);
  const asked = await api(t.base, 'POST', `/api/v1/cases/${mri.id}/events`, { token: admin, body: { event: 'request_documentation', reason: 'UHC needs the last 6 weeks of office notes' } });
  expect(asked.body).toMatchObject({ state: 'awaiting_documentation', missing: ['requested: UHC needs the last 6 weeks of office notes'] });
  await run(office, [[`complete ${m}`, new RegExp(`^Order ${m} is missing: requested: UHC needs the last 6 weeks of office notes\\.\\nClinical notes`)]]);
  const filed = await office.sendFile('office-notes.pdf', 'https://files.example/notes.pdf');
  expect(filed).toMatch(/^Missing items\n[\s\S]*Send these to complete the order\?/);
  await run(office, [['1', new RegExp(`^Order ${m} for Ana Lopez is received\\. It is complete and needs prior authorization`)]]);
  const after = await caseByNumber(m);
  expect(after).toMatchObject({ state: 'pending_authorization', missing: [] });
  expect(after.order.note.at(-1)!.text).toMatch(/^Attachment: office-notes\.pdf \(application\/vnd\.microsoft\.teams\.file\.download\.info\) https:\/\/files\.example\/notes\.pdf$/);

  // A record waiting for documentation that names nothing: the reminder becomes a staff task, it does not throw.
  const empty = (await t.app.repos.cases.applyTransition(after.id, { state: after.state, version: after.version }, { state: 'awaiting_documentation', entry: { from: after.state, to: 'awaiting_documentation', event: 'request_documentation', actor: 'system', channel: 'api', at: now }, now, set: { missing: [] } }))!;
  const job = { caseId: empty.id, kind: 'documentation_reminder' as const, since: now.toISOString(), n: 0 };
  expect(await t.app.followUps.run(job)).toBe('staff_task');
  const tasks = (await t.app.repos.tasks.list({ kind: 'order_follow_up' }, 200)).filter((x) => x.caseId === empty.id);
  expect(tasks.map((x) => x.summary)).toEqual([`Case ${empty.id} waits for documentation but no missing item is named: find out what is needed (payer or staff request) and ask the office.`]);
  // A job that failed its last try is a staff task naming the case.
  await t.app.followUps.failed(job, new TypeError('boom'));
  expect((await t.app.repos.tasks.list({ kind: 'order_follow_up' }, 200)).filter((x) => x.caseId === empty.id).map((x) => x.summary)).toContain(`The documentation reminder to the office for case ${empty.id} failed after every retry (TypeError): follow the case up by hand.`);
});

test('an order typed in one message (Teams) is taken as an order, never a patient flow: what it says is kept, refused pieces are asked, and only the rest is asked', async () => {
  const office = teamsTalker(t, { tenant: TENANT_A });
  const phone = newPhone();
  const cell = phone.replace(/^\+1(\d{3})(\d{3})(\d{4})$/, '$1-$2-$3');
  const admin = await t.token('admin');
  await run(office, [['hi', /^Hi, this is Bluebonnet Imaging/], ['2', /^What would you like to do\?/]]);
  // The way offices type it: priority, study shorthand ("wo"), name, DOB, codes, doctor and NPI, the patient's cell, payer and member id.
  const typed = `stat CT head wo for Harold Jensen dob 3/14/1941, fall at home on apixaban, new confusion. R41.0, M54.5. Dr Alan Brooks NPI 1234567893. pt cell ${cell}, Medicare 1EG4TE5MK72`;
  await run(office, [
    // M54.5 is not billable: the codes question comes back with why, and nothing else of the message is asked again.
    [typed, /^Let's send this order\. I took what your message says; you'll check all of it before anything is sent\. Say CANCEL at any time to stop\.\nLanguage for the patient’s texts\?/],
    ['English', /M54\.5/],
    ['R41.0', /Reason for the exam/],
    ['fall at home on apixaban, new confusion', /Callback number/],
    // An answer with words around the number, as people type it.
    ['office line (555) 765-4321', /Clinical notes/],
  ]);
  const [summary] = await run(office, [['none', /Please check the order, then submit it\./]]);
  expect(summary).toMatch(/Patient: Harold Jensen\nDate of birth: 1941-03-14\n/);
  expect(summary).toMatch(/Study: CT, brain, without contrast\nDiagnosis: R41\.0; fall at home on apixaban, new confusion\nPriority: stat\nOrdering provider: Dr\. Alan Brooks, NPI 1234567893, \+15557654321\nInsurance: Medicare 1EG4TE5MK72/);
  const [done] = await run(office, [['1', /^Order [A-F0-9]{6} for Harold Jensen is received\. It is complete\. It is marked STAT: a scheduler will call the patient within 15 minutes\.$/]]);
  const c = await caseByNumber(numberIn(done!));
  expect(await t.app.repos.patients.findById(c.patientId)).toMatchObject({ givenName: 'Harold', familyName: 'Jensen', birthDate: '1941-03-14', phone });
  expect(c).toMatchObject({ track: 'human', referrerOrgId: 'org_hill', order: { priority: 'stat', code: { modality: 'ct', contrast: 'without' }, reasonCode: ['R41.0'], requester: { npi: '1234567893' } } });
  const queue = (await api(t.base, 'GET', '/api/v1/tasks?status=open&limit=50', { token: admin })).body.items as Array<{ caseId: string | null; urgent: boolean }>;
  expect(queue.find((x) => x.caseId === c.id)).toMatchObject({ urgent: true });
  // No patient conversation began in the office's chat.
  expect((await t.app.repos.messages.list({ caseId: c.id }, 20)).filter((m) => m.direction === 'outbound' && m.channel === 'sms')).toHaveLength(0);
});

test('the contrast question reads words, not letters inside them: "new confusion" is no answer, "wo" and "no" are without', async () => {
  const office = teamsTalker(t, { tenant: TENANT_A });
  const lines = orderLines({ phone: newPhone(), exam: 'CT head', contrast: 'wo', codes: 'R41.0', reason: 'confusion', insurance: 'self pay' });
  const at = lines.findIndex(([say]) => say === 'wo');
  await run(office, lines.slice(0, at));
  await run(office, [['fall at home, new confusion', /^Reply 1 \(without\), 2 \(with\) or 3 \(with and without\)\.$/], ...lines.slice(at)]);
  const [done] = await run(office, [['1', /^Order [A-F0-9]{6} for Ana Lopez is received/]]);
  expect((await caseByNumber(numberIn(done!))).order.code.contrast).toBe('without');
});
