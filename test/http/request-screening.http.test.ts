/**
 * A request without an order asks the safety questions while the order is on its way (domain.md §4), so the patient can
 * book the day it arrives: the answers are kept on the request's case, an order that adds contrast asks only the contrast
 * questions, and a comfort or kidney-check answer (claustrophobia, diabetes, age over 60) is a task before the visit, not
 * a hold on booking. On SMS and Web Chat, against the real app.
 */
import { smsTalker, webchatTalker, type Talker } from '../support/channels';
import { newPhone } from '../support/sms';
import { api, startTestApp, type TestApp } from '../support/test-app';
import type { Principal } from '../../services/staff/staff.roles';

const NOW = new Date('2026-11-30T16:00:00Z'); // Monday 10:00 in Austin
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ name: 'request_screening', now: () => NOW });
});
afterAll(() => t.close());

const OFFICE: Principal = { id: 'staff_office', name: 'Hill Country front desk', role: 'coordinator', referrerOrgId: null };
const talker = (channel: 'sms' | 'webchat', phone: string): Talker => (channel === 'sms' ? smsTalker(t, phone) : webchatTalker(t, phone));

/** Answers whatever the bot asks, by the question, until a reply matches `until`; returns every reply. */
async function converse(p: Talker, opener: string, answers: Array<[RegExp, string]>, until: RegExp): Promise<string[]> {
  const replies = [await p.say(opener)];
  for (let i = 0; i < 40 && !until.test(replies.at(-1)!); i++) {
    const last = replies.at(-1)!;
    const hit = answers.find(([q]) => q.test(last.split('\n').filter((l) => !/^\d\. /.test(l)).at(-1) ?? ''));
    if (!hit) throw new Error(`no answer for: ${last}`);
    replies.push(await p.say(hit[1]));
  }
  return replies;
}

/** This number's cases, as stored. */
async function casesOf(phone: string) {
  const listed = (await api(t.base, 'GET', `/api/v1/cases?phone=${encodeURIComponent(phone)}`, { token: await t.token('coordinator') })).body.items as Array<{ id: string }>;
  return Promise.all(listed.map(async (x) => (await t.app.repos.cases.findById(x.id))!));
}

describe.each(['sms', 'webchat'] as const)('on %s', (channel) => {
  test('asked while the order is on its way; "a little" claustrophobic is a task before the visit; the order adds contrast, and booking asks only those questions', async () => {
    const phone = newPhone();
    const p = talker(channel, phone);
    const who: Array<[RegExp, string]> = [
      [/full name/, 'Rosa Diaz'],
      [/date of birth/, '06/01/1975'],
      [/mobile number/, phone],
    ];
    const request = await converse(
      p,
      'I need an MRI of my brain',
      [
        [/order \(referral\)/, 'no i dont have one yet'],
        ...who,
        [/why do you need/, 'headaches for 2 months'],
        [/Which doctor/, 'dr kim at northside, 512 555 0199'],
        [/When would you like/, 'mornings'],
        [/How will you pay/, 'self pay'],
        [/claustrophobia/, 'a little'],
        [/lie still/, 'yes'],
        [/\?/, 'no'],
      ],
      /Reply YES to join or NO/,
    );
    expect(request.find((r) => /Thank you, Rosa/.test(r))).toMatch(/\nBefore the order arrives, a few safety questions, so we can book you as soon as it does\./);
    expect(request.at(-1)).toMatch(/^Thank you\. A staff member will call you about some of your answers before your visit\.\nThat's all for now\. We'll text you when the order arrives\.\nOne more thing, and it is optional/);
    expect(await p.say('no')).toMatch(/^No problem/);

    const [c] = await casesOf(phone);
    expect(c).toMatchObject({ state: 'order_requested', screening: { status: 'noted', answered: true, flags: [{ id: 'claustrophobia', answer: 'yes', words: 'a little' }] } });
    expect(c!.screening!.asked).toEqual(expect.arrayContaining(['pacemaker', 'implants', 'claustrophobia', 'lie_still', 'pregnancy']));
    expect(c!.screening!.asked).not.toContain('contrast_reaction');
    const task = (await t.app.repos.tasks.list({ kind: 'technologist_review' }, 200)).find((x) => x.caseId === c!.id);
    expect(task?.summary).toMatch(/^Technologist review before scheduling: Rosa Diaz, MRI, brain \(case c_\w+\)\. claustrophobia: yes \("a little"\)\. The patient may book; follow up before the visit\.$/);

    // The office sends the order, with contrast.
    const received = await t.app.services.cases.receiveRequestedOrder(
      c!.id,
      { modality: 'mri', bodyPart: 'brain', contrast: 'with', priority: 'routine', reasonCodes: ['R51.9'], reasonText: 'headaches for 2 months', requester: { name: 'Dr. Kim', npi: '1234567893', phone: '+15125550199' }, insurance: { selfPay: true } },
      OFFICE,
      'webchat',
    );
    expect(received.ok && received.value.state).toBe('ready_to_schedule');

    const booking = await converse(
      p,
      'my order came in, can i book my mri now?',
      [[/order \(referral\)/, 'yes'], ...who, [/\?/, 'no']],
      /earliest times|Estos son/,
    );
    const questions = booking.slice(1).map((r) => r.split('\n').filter((l) => !/^\d\. /.test(l)).at(-1));
    // Only what the contrast added: nothing about pacemakers again.
    expect(booking.join('\n')).not.toMatch(/pacemaker|claustrophobia|pregnant/);
    expect(questions.filter((q) => /\?$/.test(q ?? '') && !/full name|date of birth|mobile|order \(referral\)/.test(q!))).toEqual([
      'Have you ever had a reaction to contrast dye?',
      'Do you have kidney disease, dialysis or a kidney transplant?',
      'Do you have diabetes?',
      'Do you take metformin (Glucophage)?',
      'Do you take medicine for high blood pressure?',
    ]);
    expect(booking.at(-1)).toMatch(/^Thank you\. A staff member will call you about some of your answers before your visit\.\nHere are the earliest times:\n1\. /);
    const booked = await p.say('1');
    expect(booked).toMatch(channel === 'sms' ? /^You're booked: / : /^Your appointment\nWhen: /);
    const after = (await t.app.repos.cases.findById(c!.id))!;
    expect(after).toMatchObject({ state: 'scheduled', screening: { status: 'noted', flags: [{ id: 'claustrophobia', answer: 'yes', words: 'a little' }] } });
    expect(after.screening!.asked).toEqual(expect.arrayContaining(['pacemaker', 'contrast_reaction', 'blood_pressure']));
  });

  test('a knee replacement told to the implant question holds the request for a technologist, and the order arriving does not skip that review', async () => {
    const phone = newPhone();
    const p = talker(channel, phone);
    const who: Array<[RegExp, string]> = [
      [/full name/, 'Tom Baker'],
      [/date of birth/, '02/03/1970'],
      [/mobile number/, phone],
    ];
    const request = await converse(
      p,
      'need an mri of my right shoulder, no order yet',
      [...who, [/why do you need/, 'shoulder pain'], [/Which doctor/, 'dr patel'], [/When would you like/, 'any day'], [/How will you pay/, 'self pay'], [/other implant/, 'yes, a left knee replacement in 2019'], [/lie still/, 'yes'], [/\?/, 'no']],
      /Reply YES to join or NO/,
    );
    expect(request.at(-1)).toMatch(/^Thank you\. Because of your answers, one of our technologists needs to talk with you before we can book\./);
    const [c] = await casesOf(phone);
    expect(c!.screening).toMatchObject({ status: 'review', flags: [{ id: 'implants', answer: 'yes', words: 'yes, a left knee replacement in 2019' }], disclosures: [{ kind: 'implant_device', words: 'yes, a left knee replacement in 2019' }] });
    const task = (await t.app.repos.tasks.list({ kind: 'technologist_review' }, 200)).find((x) => x.caseId === c!.id);
    expect(task?.summary).toMatch(/Tom Baker, MRI, shoulder.*implants: yes \("yes, a left knee replacement in 2019"\).*the bot offers no times until this task is done\.$/);

    await p.say('no');
    const received = await t.app.services.cases.receiveRequestedOrder(
      c!.id,
      { modality: 'mri', bodyPart: 'shoulder', laterality: 'right', contrast: 'without', priority: 'routine', reasonCodes: ['M25.511'], requester: { name: 'Dr. Patel', npi: '1234567893', phone: '+15125550100' }, insurance: { selfPay: true } },
      OFFICE,
      'webchat',
    );
    expect(received.ok && received.value.state).toBe('ready_to_schedule');
    const booking = await converse(p, 'can i book my shoulder mri now', [[/order \(referral\)/, 'yes'], ...who], /reviewing your safety answers|earliest times/);
    expect(booking.at(-1)).toMatch(/^A staff member is still reviewing your safety answers and will call you\./);
    expect((await t.app.repos.cases.findById(c!.id))!.appointment).toBeNull();
  });
});
