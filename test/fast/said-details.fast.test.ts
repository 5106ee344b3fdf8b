/** What a patient's first message already says (the doctor, their office and number, payer and id) is not asked again. */
import { fastHarness, talk, type FastHarness } from '../support/fast-talk';

// Monday 30 Nov 2026, 10:00 in Austin.
const NOW = new Date('2026-11-30T16:00:00Z');
let h: FastHarness;
beforeEach(async () => {
  h = await fastHarness({ now: NOW });
});
afterEach(() => expect(h.errors()).toEqual([]));

test('a first text with the doctor, the practice, its number and the coverage: only the rest is asked', async () => {
  const p = h.sms();
  const r = await talk(p, [
    ['I need an MRI of my lower back, no order yet. my doctor is dr okafor at riverside spine, their number is 512-555-0188. I have aetna W987654321', /^I can help you request an exam\.\nWhat is your full name \(first and last\)\?$/],
    ['Maria Garcia', 'What is your date of birth? (MM/DD/YYYY)'],
    ['03/15/1985', /^In a few words, why do you need this exam\?/],
    ['back pain for 3 months', /^When would you like to come in\?/],
    ['next week', /^Thank you, Maria\. Our team will contact Dr\. Okafor, Riverside Spine for your order\./],
  ]);
  expect(r.join('\n')).not.toMatch(/Which doctor|How will you pay|doctor's phone/i);
  const [c] = await h.casesOf(p.phone);
  expect(c).toMatchObject({ state: 'order_requested', order: { requester: { name: 'Dr. Okafor, Riverside Spine', phone: '+15125550188' }, insurance: { payer: 'Aetna', memberId: 'W987654321' } } });
});

test('a payer named without its id, or a number that is the patient’s own, is still asked', async () => {
  const p = h.sms();
  const r = await talk(p, [
    ['i need a knee xray, dont have an order. dr patel, call me at 512-555-0123. do you take blue cross?', /What is your full name/],
    ['Ana Ruiz', /date of birth/],
    ['04/02/1980', /why do you need this exam/],
    ['my knee hurts', /Dr\. Patel/],
  ]);
  expect(r.at(-1)).toMatch(/phone|number/i);
});
