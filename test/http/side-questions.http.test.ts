/**
 * Side questions answered at any point, then back to the step (issue 13, point 3), and clinical questions never
 * answered by the bot. Written from the patient's side, on SMS and Web Chat, against the real app.
 */
import { smsTalker, webchatTalker, type Talker } from '../support/channels';
import { newPhone } from '../support/sms';
import { startTestApp, type TestApp } from '../support/test-app';

const NOW = new Date('2026-11-30T16:00:00Z');
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ name: 'side-questions', now: () => NOW });
});
afterAll(() => t.close());

const talker = (channel: 'sms' | 'webchat'): Talker => (channel === 'sms' ? smsTalker(t, newPhone()) : webchatTalker(t, newPhone()));
const MENU = /How can we help\?/;

describe.each(['sms', 'webchat'] as const)('on %s', (channel) => {
  test.each([
    ['can I eat before my CT?', /^If your CT uses contrast: Do not eat solid food for 4 hours before your CT\..* If it doesn't, you can eat and take your medicines as normal\. Anything else I can help with\?$/s],
    ['what do I bring?', /^Bring a photo ID, your insurance card and your order if it is on paper\./],
    ['¿puedo comer antes de mi tomografía?', /^Si su tomografía es con contraste: No coma alimentos sólidos durante 4 horas/],
    ['is there parking?', /Free parking in the garage behind the building/],
    ['do you take medicare?', /^We work with Aetna, Blue Cross Blue Shield of Texas, UnitedHealthcare, Medicare, Texas Medicaid, and self-pay is welcome too\./],
    ['how much will it cost?', /^Self-pay prices: X-ray from \$75/],
    ['how long does an mri take', /^An MRI takes 30 to 60 minutes on the scanner\./],
    ['i get anxious in tight spaces, what can i do for my mri', /^Many people feel that way, and we can help/],
    ['what are your hours?', /^Our hours: Mon–Thu 07:00–19:00, Fri 07:00–18:00, Sat 08:00–13:00\./],
    ['does an MRI hurt?', /^An MRI does not hurt\. The machine makes loud knocking sounds/],
  ])('"%s" is answered from the site, not the menu', async (q, expected) => {
    const p = talker(channel);
    const r = await p.say(q);
    expect(r).toMatch(expected);
    expect(r).not.toMatch(MENU);
  });

  test.each([['how much contrast will you give me?'], ['is my result bad?'], ['¿es seguro para mí si estoy amamantando?']])('"%s" goes to the clinical team with a task, never an answer', async (q) => {
    const p = talker(channel);
    const r = await p.say(q);
    expect(r).toMatch(/clinical team|equipo clínico/);
    expect(r).not.toMatch(/order|orden|verify|verificar/i);
    const handoffs = await t.app.repos.tasks.list({ kind: 'human_handoff' }, 500);
    expect(handoffs.some((x) => /asked a clinical question/.test(x.summary) && x.replyTo !== null)).toBe(true);
  });

  test('a side question in the middle of a step is answered, then the step is asked again and still taken', async () => {
    const p = talker(channel);
    await p.say('I need an MRI of my lower back');
    await p.say('no');
    const parking = await p.say('wait, is there parking at your building?');
    expect(parking).toMatch(/Free parking in the garage/);
    expect(parking).toMatch(/Now, back to where we were: What is your full name \(first and last\)\?/);
    expect(await p.say('Maria Garcia')).toMatch(/date of birth/);
    await p.say('03/15/1985');
    if (channel === 'webchat') await p.say(p.phone);
    // A free-text step: the question is not taken as the reason for the exam.
    const eat = await p.say('can I eat before it?');
    expect(eat).toMatch(/^Eat and take your medicines as normal\./);
    expect(eat).toMatch(/Now, back to where we were: In a few words, why do you need this exam\?/);
    expect(await p.say('back pain for 3 months')).toMatch(/Which doctor/);
  });

  test('"I need an MRI, how much is it?": the price, and the request starts', async () => {
    const p = talker(channel);
    const r = await p.say('I need an MRI, how much is it?');
    expect(r).toMatch(/^Self-pay prices:/);
    expect(r).toMatch(/Do you have an order \(referral\) from a doctor/);
  });
});
