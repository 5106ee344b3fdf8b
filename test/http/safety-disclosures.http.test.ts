/**
 * A safety fact said once, anywhere, is never lost (issue 13, point 4): a contrast reaction told in a clinical
 * question before a booking, an implant told in a sentence instead of "yes", pregnancy mentioned at another step.
 * Each is stored on the case's screening with the patient's own words, holds booking for review, and the review task
 * names the patient, the study and every answer. On SMS and Web Chat, against the real app.
 */
import { smsTalker, webchatTalker, type Talker } from '../support/channels';
import { newPhone } from '../support/sms';
import { api, completeOrder, startTestApp, type TestApp } from '../support/test-app';

const NOW = new Date('2026-11-30T16:00:00Z'); // Monday 10:00 in Austin
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ name: 'disclosures', now: () => NOW });
});
afterAll(() => t.close());

const talker = (channel: 'sms' | 'webchat', phone: string): Talker => (channel === 'sms' ? smsTalker(t, phone) : webchatTalker(t, phone));

async function orderAtCenter(phone: string, order: Record<string, unknown> = {}) {
  const o = completeOrder();
  const res = await api(t.base, 'POST', '/api/v1/cases', {
    token: await t.token('coordinator'),
    body: { ...o, patient: { ...o.patient, phone, language: 'en' }, order: { ...o.order, insurance: { selfPay: true }, ...order } },
  });
  expect(res.status).toBe(201);
  return res.body as { id: string; state: string };
}

/** The patient's side up to the first screening question (Web Chat also asks for the number). */
async function toScreening(p: Talker, opener: string): Promise<string> {
  await p.say(opener);
  await p.say('Ana Lopez');
  const r = await p.say('04/02/1980');
  return p.channel === 'webchat' ? p.say(p.phone) : r;
}

const reviewTasks = async (caseId: string) => [...(await t.app.repos.tasks.list({ kind: 'technologist_review' }, 200)), ...(await t.app.repos.tasks.list({ kind: 'contrast_review' }, 200))].filter((x) => x.caseId === caseId);

describe.each(['sms', 'webchat'] as const)('on %s', (channel) => {
  test('hives after contrast, told in a clinical question, then "nevermind, book my ct" and "no" to everything: not booked, held for review with the words', async () => {
    const phone = newPhone();
    const created = await orderAtCenter(phone, { modality: 'ct', bodyPart: 'abdomen', contrast: 'with' });
    const p = talker(channel, phone);
    const asked = await p.say('I had hives after contrast last time, is it safe for me?');
    expect(asked).toMatch(/clinical team|nurse|technologist|our team/i);
    const first = await toScreening(p, 'nevermind, i want to book my ct, my doctor sent the order');
    // The contrast reaction is known: no questionnaire ends in a booking; the case waits for a nurse's call.
    expect(first).not.toMatch(/earliest times|\d:\d\d [AP]M/);
    let all = first;
    for (let i = 0; i < 8 && !/reviewing|needs to talk with you/.test(all); i++) all += `\n${await p.say('no')}`;
    expect(all).toMatch(/reviewing your safety answers|needs to talk with you before we can book/);
    expect(all).not.toMatch(/earliest times|You're booked/);

    const c = (await t.app.repos.cases.findById(created.id))!;
    expect(c.appointment).toBeNull();
    expect(c.screening).toMatchObject({ status: 'review', disclosures: [{ kind: 'contrast_reaction', words: 'I had hives after contrast last time, is it safe for me?', reviewed: false }] });
    const tasks = await reviewTasks(c.id);
    expect(tasks.map((x) => x.kind)).toContain('contrast_review');
    const review = tasks.find((x) => x.kind === 'contrast_review')!;
    expect(review.summary).toContain('Ana Lopez');
    expect(review.summary).toMatch(/CT, abdomen, contrast with/);
    expect(review.summary).toContain('"I had hives after contrast last time, is it safe for me?"');
  });

  test('"yes, ive had a pacemaker since 2019" and "yes, a left knee replacement in 2019 and a coronary stent" answer the questions, kept verbatim', async () => {
    const phone = newPhone();
    const created = await orderAtCenter(phone);
    const p = talker(channel, phone);
    expect(await toScreening(p, 'I need to book my MRI, my doctor sent the order')).toMatch(/pacemaker/);
    expect(await p.say('yes, ive had a pacemaker since 2019')).toMatch(/cochlear/);
    // The numbered choices still answer ("2" is No on SMS and the "No" button on Web Chat).
    expect(await p.say(channel === 'sms' ? '2' : 'No')).toMatch(/neurostimulator/);
    for (const a of ['no', 'nope', 'no never', 'no', 'no']) await p.say(a);
    expect(await p.say('yes, a left knee replacement in 2019 and a coronary stent')).toMatch(/small or closed spaces/);
    expect(await p.say('a little')).toMatch(/lie still/);
    expect(await p.say('yes please!')).toMatch(/pregnant/);
    const end = await p.say('no');
    expect(end).toMatch(/needs to talk with you before we can book/);

    const c = (await t.app.repos.cases.findById(created.id))!;
    expect(c.screening).toMatchObject({
      status: 'review',
      flags: [
        { id: 'pacemaker', answer: 'yes', words: 'yes, ive had a pacemaker since 2019' },
        { id: 'implants', answer: 'yes', words: 'yes, a left knee replacement in 2019 and a coronary stent' },
        { id: 'claustrophobia', answer: 'yes', words: 'a little' },
      ],
    });
    const [review] = (await reviewTasks(c.id)).filter((x) => x.kind === 'technologist_review');
    expect(review!.summary).toContain('pacemaker: yes ("yes, ive had a pacemaker since 2019")');
    expect(review!.summary).toContain('implants: yes ("yes, a left knee replacement in 2019 and a coronary stent")');
    expect(review!.summary).toContain('Ana Lopez, MRI, lumbar spine');
  });

  test('pregnancy said in passing before screening ("…btw im pregnant") is on the case and holds booking even when every answer is safe', async () => {
    const phone = newPhone();
    const created = await orderAtCenter(phone, { modality: 'xray', bodyPart: 'chest', contrast: null });
    const p = talker(channel, phone);
    let r = await toScreening(p, 'I need to book my chest x-ray, my doctor sent the order. btw im pregnant');
    // The one x-ray question (pregnancy) answered "no" still cannot clear what she said earlier.
    if (/pregnant/.test(r)) r = await p.say('no');
    expect(r).not.toMatch(/earliest times/);
    const c = (await t.app.repos.cases.findById(created.id))!;
    expect(c.screening).toMatchObject({ status: 'review', disclosures: [{ kind: 'pregnancy', words: 'I need to book my chest x-ray, my doctor sent the order. btw im pregnant' }] });
    expect((await reviewTasks(c.id)).map((x) => x.kind)).toEqual(['technologist_review']);
  });
});

test('staff clearing the review marks what was said as reviewed; a new disclosure afterwards puts the case back in review', async () => {
  const phone = newPhone();
  const created = await orderAtCenter(phone);
  const p = smsTalker(t, phone);
  await toScreening(p, 'I need to book my MRI, my doctor sent the order');
  for (const a of ['yes, ive had a pacemaker since 2019', 'no', 'no', 'no', 'no', 'no', 'no', 'no', 'no', 'yes']) await p.say(a);
  expect(await p.say('no')).toMatch(/needs to talk with you/);
  const tech = await t.token('technologist');
  const cleared = await api(t.base, 'POST', `/api/v1/cases/${created.id}/screening/clear`, { token: tech, body: { note: 'MR-conditional device, cleared with cardiology' } });
  expect(cleared.status).toBe(200);
  await t.app.services.selfService.recordDisclosures(created.id, [{ kind: 'kidney', words: 'I started dialysis last month', at: NOW, said: 'conversation' }]);
  const c = (await t.app.repos.cases.findById(created.id))!;
  expect(c.screening).toMatchObject({
    status: 'review',
    disclosures: [
      { kind: 'implant_device', words: 'yes, ive had a pacemaker since 2019', reviewed: true },
      { kind: 'kidney', words: 'I started dialysis last month', reviewed: false },
    ],
  });
});

test('a clinical question during screening goes to a person with the case attached, and what it said stays on the case', async () => {
  const phone = newPhone();
  const created = await orderAtCenter(phone);
  const p = smsTalker(t, phone);
  await toScreening(p, 'I need to book my MRI, my doctor sent the order');
  expect(await p.say('is it safe for me with my coronary stent?')).toMatch(/question for our clinical team/);
  const handoffs = (await t.app.repos.tasks.list({ kind: 'human_handoff' }, 200)).filter((x) => x.caseId === created.id);
  expect(handoffs).toHaveLength(1);
  expect(handoffs[0]!.summary).toMatch(/asked a clinical question/);
  const c = (await t.app.repos.cases.findById(created.id))!;
  expect(c.screening).toMatchObject({ status: 'review', disclosures: [{ kind: 'implant_device', words: 'is it safe for me with my coronary stent?', said: 'screening:pacemaker' }] });
});
