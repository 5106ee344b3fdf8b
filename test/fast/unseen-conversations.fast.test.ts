/**
 * Whole conversations in the words of the third and fourth unseen sets (tune-3, tune-4) on the in-memory harness:
 * thanks mid-step and after a flow, a name said with its date of birth, "this number" in a chat, a wish with "but" and
 * "late morning", a cost question at the insurance step, a clinical question that also answers the step, a question
 * after the flow about its exam, and someone else's cancellation as the waitlist.
 */
import { DateTime } from 'luxon';
import { fastHarness, talk, type FastHarness } from '../support/fast-talk';

const NOW = new Date('2026-11-30T16:00:00Z'); // Monday 10:00 in Austin
let h: FastHarness;
beforeEach(async () => {
  h = await fastHarness({ now: NOW });
});
afterEach(() => expect(h.errors()).toEqual([]));

const MRI_SAFE = ['no', 'no', 'no', 'no', 'no', 'no', 'no', 'no', 'no', 'yes', 'no']; // lie still: yes

test('SMS request: thanks mid-step is no miss, the name comes with the date of birth, a cost question is not the insurance answer, thanks at the end is not the menu', async () => {
  const p = h.sms();
  await talk(p, [
    ['i need an xray of my wrist, no order yet', /What is your full name/],
    ['thank you, that helps a lot', /^You're welcome!\nNow, back to where we were: What is your full name \(first and last\)\?$/],
    ['brenda kowalski 2/28/72', /^In a few words, why do you need this exam\?/],
    ['fell on it at work', /^Which doctor should we ask for the order\?/],
    ['dr nguyen, the clinic on south 1st. number is 512 555 0134', /^When would you like to come in\?/],
    ['any weekday morning', /^How will you pay\?/],
    ['how much is it if i pay cash?', /^Self-pay prices: [\s\S]*\nNow, back to where we were: How will you pay\?/],
    ['aetna W238841907. oh and fyi i got hives from the dye last time', /^Thank you, brenda\. Our team will contact Dr\. Nguyen, The Clinic On South 1st for your order\./],
  ]);
  const [c] = await h.casesOf(p.phone);
  expect(c).toMatchObject({
    state: 'order_requested',
    patient: { givenName: 'brenda', familyName: 'kowalski', birthDate: '1972-02-28' },
    order: { requester: { name: 'Dr. Nguyen, The Clinic On South 1st', phone: '+15125550134' }, insurance: { payer: 'Aetna', memberId: 'W238841907' } },
  });
  // The contrast reaction said at the insurance step is on the case's screening record, in the patient's words.
  expect(c!.screening?.disclosures).toEqual([expect.objectContaining({ kind: 'contrast_reaction', words: expect.stringContaining('hives from the dye') })]);
  const last = await p.say('no');
  if (/optional/.test(last)) await p.say('no thanks');
  expect(await p.say('ok ty')).toBe("You're welcome! Write to us anytime you need something.");
});

test('Web Chat: "this number" cannot be seen in a chat, so the person is asked to type it; the typed number is taken', async () => {
  const p = h.webchat();
  await talk(p, [
    ['I need an MRI of my knee, my doctor has not sent anything yet', /Do you have an order/],
    ['no', /full name/],
    ['Greg Whitfield', /date of birth/],
    ['July 4th, 1979', /What mobile number can we text you at\?/],
    ['Please use my number, this one', /^In this chat I can't see your phone number\. Please type it, like \(512\) 555-0142\.\nNow, back to where we were: What mobile number can we text you at\?$/],
    [(x) => x.phone.slice(2), /why do you need this exam/],
  ]);
});

test('SMS booking: "any day but Monday, late morning" offers late mornings on other days; a question after the booking knows the exam', async () => {
  const p = h.sms();
  await h.orderAtCenter(p.phone);
  await talk(p, [
    ['I need to book my MRI, my doctor sent the order', /full name/],
    ['Ana Lopez', /date of birth/],
    ['04/02/1980', /safety questions/],
    ...MRI_SAFE.slice(0, -1).map((a) => [a, /\?/] as [string, RegExp]),
    ['no', /earliest times/],
  ]);
  const offer = await p.say('Any day but Monday. Late morning is nice.');
  const times = [...offer.matchAll(/^\d\. (\w+), (\w+ \d+) at (\d+:\d\d [AP]M)$/gm)];
  expect(times).toHaveLength(3);
  for (const [, day, , clock] of times) {
    expect(day).not.toBe('Mon');
    const hour = DateTime.fromFormat(clock!, 'h:mm a').hour;
    expect(hour >= 10 && hour < 12).toBe(true);
  }
  await talk(p, [['the 2nd one', /^You're booked: /]]);
  const [c] = await h.casesOf(p.phone);
  expect(DateTime.fromJSDate(c!.appointment!.start, { zone: 'America/Chicago' }).weekday).not.toBe(1);
  await p.say('no');
  // The MRI's own prep (metal, jewelry), not "tell me which exam".
  expect(await p.say('what should i wear that day?')).toMatch(/metal/i);
});

test('SMS: a clinical question that also says when keeps the when, and a person is asked', async () => {
  const p = h.sms();
  await talk(p, [
    ['hola necesito un x-ray del tobillo, me lo torci jugando volley, no tengo orden', /nombre completo/],
    ['daniela flores argueta', /fecha de nacimiento/],
    ['5 de febrero de 2000', /por qué necesita/],
    ['me torci el tobillo', /A qué médico/],
    ['ninguno', /Cuándo/],
    ['mañana si se puede. ah y creo q estoy embarazada, como 6 semanas, eso importa pal xray?', /^Esa es una pregunta para nuestro equipo clínico[\s\S]*¿Cómo pagará\?/],
  ]);
  const tasks = await h.stores.tasks.list({ kind: 'human_handoff' }, 100);
  expect(tasks.map((x) => x.summary)).toEqual([expect.stringMatching(/clinical question/)]);
});

test('SMS, Spanish: "si alguien cancela antes, ¿me pueden avisar? pero no me quiten mi cita" is the waitlist, not a cancel', async () => {
  const p = h.sms();
  await h.orderAtCenter(p.phone, { patient: { language: 'es' } });
  expect(await p.say('Hola, tengo cita para la resonancia. Si alguien cancela antes, ¿me pueden avisar? Pero no me quiten mi cita.')).toMatch(/^Para ponerlo en la lista de espera:/);
});

test('Web Chat, Spanish: a first name alone asks for the last name; insurance said at another question is kept and not asked again', async () => {
  const p = h.webchat();
  await talk(p, [
    ['hola necesito un ct scan del pecho, el doctor dice q tengo algo en el pulmon, no tengo orden', /nombre completo/],
    ['Rigoberto', /^¿Y el apellido, por favor\? \(Nombre: Rigoberto\)$/],
    ['Membreño', /fecha de nacimiento/],
    ['tengo seguro de united si eso ocupan', /^Anotado: UnitedHealthcare\. Lo guardo para más adelante\.\nAhora, sigamos donde íbamos: ¿Cuál es su fecha de nacimiento\?/],
    ['14 feb 1969', /número de celular/],
    [(x) => x.phone.slice(2), /por qué necesita/],
    ['me salio una mancha en el pulmon', /A qué médico/],
    ['dr whitaker de austin pulmonary. 512 555 0155', /Cuándo/],
    ['lo mas pronto posible', /número de miembro/],
    ['662019384', /^Gracias, Rigoberto\./],
  ]);
  const [c] = await h.casesOf(p.phone);
  expect(c).toMatchObject({ patient: { givenName: 'Rigoberto', familyName: 'Membreño' }, order: { insurance: { payer: 'UnitedHealthcare', memberId: '662019384' } } });
});

test('SMS: "I\'m just asking questions for now" ends a request kindly with nothing sent; two questions in one get both answers', async () => {
  const p = h.sms();
  await talk(p, [
    ['My doctor mentioned I might need an MRI of my shoulder', /Do you have an order/],
    ["No, not yet. I'm just asking questions for now.", /^No problem\. When you're ready, text us the exam and we'll take it from there\./],
  ]);
  expect(await h.casesOf(p.phone)).toEqual([]);
  const both = await p.say('do you take blue cross? and how much is an mri if i pay cash?');
  expect(both).toMatch(/^We work with Aetna, Blue Cross Blue Shield of Texas/);
  expect(both).toMatch(/Self-pay prices: /);
});
