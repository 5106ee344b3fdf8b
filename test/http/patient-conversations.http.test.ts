import { DateTime } from 'luxon';
import { slotText } from '../../services/scheduling/slot-text';
import { exampleSite } from '../support/test-app';
import { smsTalker, type Talker } from '../support/channels';
import { newPhone } from '../support/sms';
import { api, completeOrder, startTestApp, type TestApp } from '../support/test-app';

// Monday 30 Nov 2026, 10:00 in Austin: the first MRI times are 12:15, 13:00 and 13:45 (two hours' lead, 45-minute grid).
const NOW = new Date('2026-11-30T16:00:00Z');
let t: TestApp;
/** The app's clock: NOW, except inside `later`. */
let clock = NOW;
async function later<T>(ms: number, fn: () => Promise<T>): Promise<T> {
  clock = new Date(NOW.getTime() + ms);
  try {
    return await fn();
  } finally {
    clock = NOW;
  }
}

beforeAll(async () => {
  t = await startTestApp({ name: 'patient', now: () => clock });
});
afterAll(() => t.close());

const local = (d: Date) => DateTime.fromJSDate(d, { zone: 'America/Chicago' }).toFormat('yyyy-MM-dd HH:mm');

async function script(p: Talker, lines: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const line of lines) out.push(await p.say(line));
  return out;
}

async function casesOf(phone: string) {
  const token = await t.token('coordinator');
  const r = await api(t.base, 'GET', `/api/v1/cases?phone=${encodeURIComponent(phone)}`, { token });
  return r.body.items as Array<Record<string, any>>;
}

/** A complete order already at the center for this phone, routed ready to schedule (self-pay: no authorization). */
async function orderAtCenter(phone: string, order: Record<string, unknown> = {}) {
  const token = await t.token('coordinator');
  const o = completeOrder();
  const res = await api(t.base, 'POST', '/api/v1/cases', {
    token,
    body: { ...o, patient: { ...o.patient, phone, language: 'en' }, order: { ...o.order, insurance: { selfPay: true }, ...order } },
  });
  expect(res.status).toBe(201);
  return res.body as { id: string; state: string };
}

const MRI_SAFE_ANSWERS = ['no', 'no', 'no', 'no', 'no', 'no', 'no', 'no', 'no', 'yes', 'no']; // lie still: yes

test('(a) self-request with no order → order_requested, and an order request for the named provider', async () => {
  const p = smsTalker(t);
  const r = await script(p, ['I need an MRI of my lower back', 'no', 'Maria Garcia', '03/15/1985', 'back pain for 3 months', 'Dr. Okafor at Riverside Spine', 'next week', 'Aetna W987654321', ...MRI_SAFE_ANSWERS, 'YES']);
  expect(r[0]).toMatch(/I can help you request an exam\.\nDo you have an order \(referral\) from a doctor for this exam\?\n1\. Yes\n2\. No/);
  expect(r[1]).toBe('What is your full name (first and last)?');
  expect(r[2]).toBe('What is your date of birth? (MM/DD/YYYY)');
  expect(r[3]).toMatch(/^In a few words, why do you need this exam\?/);
  expect(r[4]).toMatch(/^Which doctor should we ask for the order\?/);
  expect(r[5]).toMatch(/^When would you like to come in\?/);
  expect(r[6]).toMatch(/^How will you pay\?/);
  expect(r[7]).toMatch(/^Thank you, Maria\. Our team will contact Dr\. Okafor at Riverside Spine for your order\. When the order arrives .* we'll text you to pick a time/);
  // The safety questions while waiting for the order, so the patient can book the day it arrives.
  expect(r[7]).toMatch(/\nBefore the order arrives, a few safety questions, so we can book you as soon as it does\. Please answer each one\.\nDo you have a pacemaker, defibrillator or pacing wires\?\n1\. Yes\n2\. No\n3\. Not sure$/);
  const done = r.at(-2)!;
  expect(done).toMatch(/^That's all for now\. We'll text you when the order arrives\.\n/);
  // Marketing consent only by an explicit yes to an opt-in naming the program, frequency, rates, STOP and HELP.
  expect(done).toMatch(/\nOne more thing, and it is optional: would you like Bluebonnet Imaging Health Reminders \(screening reminders and health tips\), up to 2 texts a month\? Msg & data rates may apply\. Reply HELP for help, STOP to opt out\. Reply YES to join or NO\./);
  expect(r.at(-1)).toBe("You're in. You can reply STOP at any time to stop these texts.");

  const [c] = await casesOf(p.phone);
  expect(c).toMatchObject({ state: 'order_requested', source: 'sms', order: { intent: 'proposal', code: { modality: 'mri' }, bodySite: { text: 'lumbar spine' }, reasonText: 'back pain for 3 months', requester: { name: 'Dr. Okafor at Riverside Spine' }, insurance: { payer: 'Aetna', memberId: 'W987654321' } } });
  expect(c!.history.map((h: { event: string; to: string }) => `${h.event}→${h.to}`)).toEqual(['create→lead', 'qualify→qualified', 'request_order→order_requested']);
  expect(c!.patient).toMatchObject({ givenName: 'Maria', familyName: 'Garcia', birthDate: '1985-03-15' });
  expect(c!.screening).toMatchObject({ status: 'no_flags', flags: [], answered: true, asked: expect.arrayContaining(['pacemaker', 'lie_still', 'pregnancy']) });
  const tasks = await t.app.repos.tasks.list({ kind: 'order_follow_up' }, 100);
  expect(tasks.filter((x) => x.caseId === c!.id).map((x) => x.summary)).toEqual([expect.stringMatching(/^Call or fax Dr\. Okafor at Riverside Spine for an order for case c_/)]);
  const stored = await t.app.repos.messages.list({ phoneHash: c!.patient.phoneHash }, 100);
  expect(stored.filter((m) => m.direction === 'inbound')).toHaveLength(9 + MRI_SAFE_ANSWERS.length);
  const out = stored.filter((m) => m.direction === 'outbound');
  expect(out.every((m) => m.status === 'sent' && m.purpose === 'care')).toBe(true);
  // Each message is stored as sent: the thanks, the screening intro, the question with its choices.
  expect(out.map((m) => m.body)).toEqual(expect.arrayContaining([...r[7]!.split('\n').slice(0, 2), r[7]!.split('\n').slice(2).join('\n')]));
  const consent = await api(t.base, 'GET', `/api/v1/consents/${encodeURIComponent(p.phone)}`, { token: await t.token('admin') });
  expect(consent.body.purposes.care.status).toBe('granted');
  expect(consent.body.purposes.marketing).toMatchObject({ status: 'granted', history: [{ status: 'granted', source: 'sms_reply', evidence: expect.stringMatching(/^Q: One more thing.*Msg & data rates may apply.*\nA: YES$/s) }] });
});

test('(b) the order is at the center: MRI lumbar spine, screening all "no" → three times → "2" → scheduled, prep sent', async () => {
  const phone = newPhone();
  const created = await orderAtCenter(phone);
  expect(created.state).toBe('ready_to_schedule');
  const p = smsTalker(t, phone);
  const [hello, , dob] = await script(p, ['Hi, I need to schedule my MRI, my doctor sent the order', 'Ana Lopez', '04/02/1980']);
  expect(hello).toMatch(/What is your full name/);
  expect(dob).toMatch(/Before we pick a time, a few safety questions\. Please answer each one\.\nDo you have a pacemaker, defibrillator or pacing wires\?\n1\. Yes\n2\. No\n3\. Not sure/);
  const answers = await script(p, MRI_SAFE_ANSWERS);
  expect(answers.at(-1)).toBe('Here are the earliest times:\n1. Mon, Nov 30 at 12:15 PM\n2. Mon, Nov 30 at 1:00 PM\n3. Mon, Nov 30 at 1:45 PM\nReply 1, 2 or 3 to pick a time, or tell me a day that works better (like "Friday").');
  const [booked] = await script(p, ['2']);
  expect(booked).toMatch(/^You're booked: Mon, Nov 30 at 1:00 PM at Bluebonnet Imaging, 1200 Lamar Blvd, Suite 300, Austin\./);
  expect(booked).toMatch(/How to prepare: Bring a photo ID.*Eat and take your medicines as normal/s);
  expect(booked).toContain('Reply C to confirm, R to reschedule or X to cancel your appointment.');
  expect(booked).not.toMatch(/lumbar|spine|back/i);

  const [c] = await casesOf(phone);
  expect(c).toMatchObject({ id: created.id, state: 'scheduled', screening: { status: 'no_flags', flags: [] }, appointment: { status: 'booked', scannerId: expect.stringMatching(/^mri-/) } });
  expect(local(new Date(c!.appointment.start))).toBe('2026-11-30 13:00');
  expect(c!.history.at(-1)).toMatchObject({ event: 'book', from: 'ready_to_schedule', to: 'scheduled', actor: 'bot', channel: 'sms' });
});

/** Books the order-at-center case by SMS (as in (b)) and returns the talker, still in the same verified conversation. */
async function bookedPatient(pick = '2') {
  const phone = newPhone();
  const created = await orderAtCenter(phone);
  const p = smsTalker(t, phone);
  await script(p, ['I need to book my MRI, my doctor sent the order', 'Ana Lopez', '04/02/1980', ...MRI_SAFE_ANSWERS, pick]);
  const [c] = await casesOf(phone);
  expect(c).toMatchObject({ id: created.id, state: 'scheduled' });
  return { p, phone, booked: c! };
}

const mriStudy = { modality: 'mri' as const, bodyPart: 'lumbar spine', contrast: 'without' as const };
/** The times the bot should offer next for the MRI, as the patient reads them (earlier tests have booked some). */
const nextTimes = async (lang: 'en' | 'es') => (await t.app.services.scheduling.offer(mriStudy)).map((x) => slotText(x.start, exampleSite(), lang));
const offeredStarts = async () => (await t.app.services.scheduling.offer(mriStudy, { count: 5 })).map((s) => local(s.start));

test('(c) MRI with a pacemaker "yes" → a technologist review task, and no times offered', async () => {
  const phone = newPhone();
  const created = await orderAtCenter(phone);
  const p = smsTalker(t, phone);
  await script(p, ['I need to book my MRI, my doctor sent the order', 'Ana Lopez', '04/02/1980']);
  const r = await script(p, ['yes', ...MRI_SAFE_ANSWERS.slice(1)]);
  expect(r.at(-1)).toBe('Thank you. Because of your answers, one of our technologists needs to talk with you before we can book. They will call you within 1 business day. Nothing else to do for now.');
  expect(r.join('\n')).not.toMatch(/earliest times|\d:\d\d [AP]M/);
  const c = (await t.app.repos.cases.findById(created.id))!;
  expect(c).toMatchObject({ state: 'ready_to_schedule', appointment: null, screening: { status: 'review', flags: [{ id: 'pacemaker', answer: 'yes' }] } });
  const tasks = (await t.app.repos.tasks.list({ kind: 'technologist_review' }, 100)).filter((x) => x.caseId === c.id);
  expect(tasks).toHaveLength(1);
  expect(tasks[0]!.summary).toMatch(/pacemaker: yes/);
  // Writing again does not get around the review: still no times (and, verified minutes ago, no second identity check).
  const [again] = await script(p, ['I want to book my MRI, I have an order']);
  expect(again).toBe('A staff member is still reviewing your safety answers and will call you. We can offer times once that is done.');
});

test('"not sure" to a safety question is a flag too', async () => {
  const phone = newPhone();
  const created = await orderAtCenter(phone);
  const p = smsTalker(t, phone);
  await script(p, ['I need to book my MRI, my doctor sent the order', 'Ana Lopez', '04/02/1980', 'no', 'no', 'no', 'no', 'no', 'not sure', ...MRI_SAFE_ANSWERS.slice(6)]);
  expect((await t.app.repos.cases.findById(created.id))!.screening).toMatchObject({ status: 'review', flags: [{ id: 'metal_eyes', answer: 'unsure' }] });
});

test('(d) reminder reply "R" → new times → a new booking, and the old time is free again', async () => {
  const { p, booked } = await bookedPatient('2');
  expect(local(new Date(booked.appointment.start))).toBe('2026-11-30 13:00');
  expect(await offeredStarts()).not.toContain('2026-11-30 13:00');
  const [offer] = await script(p, ['R']);
  expect(offer).toBe('Your current appointment is Mon, Nov 30 at 1:00 PM. Pick a new time and we\'ll release the old one.\nHere are the earliest times:\n1. Mon, Nov 30 at 12:15 PM\n2. Mon, Nov 30 at 1:45 PM\n3. Mon, Nov 30 at 2:30 PM\nReply 1, 2 or 3 to pick a time, or tell me a day that works better (like "Friday").');
  const [done] = await script(p, ['3']);
  expect(done).toMatch(/^Done, your appointment is moved\. You're booked: Mon, Nov 30 at 2:30 PM .* Your earlier time is released\./);
  const c = (await t.app.repos.cases.findById(booked.id))!;
  expect(c.state).toBe('scheduled');
  expect(local(c.appointment!.start)).toBe('2026-11-30 14:30');
  expect(c.history.slice(-2).map((h) => `${h.event}:${h.from}→${h.to}`)).toEqual(['request_reschedule:scheduled→reschedule_needed', 'book:reschedule_needed→scheduled']);
  expect((await t.app.repos.appointments.findById(booked.appointment.id))!.status).toBe('cancelled');
  expect(await offeredStarts()).toContain('2026-11-30 13:00');
});

test('(e) reminder reply "X" → the reason → the appointment is cancelled with it, the time is free, and the order stays to book again', async () => {
  const { p, booked } = await bookedPatient('1');
  const [ask, rebook, done] = await script(p, ['X', 'my back feels better', '2']);
  expect(ask).toBe("Sorry you can't make it. In a few words, what's the reason?");
  expect(rebook).toBe("Would you like a new time instead?\n1. See new times\n2. Cancel the appointment\n3. I don't need the exam anymore");
  expect(done).toBe('Your appointment is cancelled and the time is released. We keep your order: whenever you are ready, reply BOOK to pick a new time.');
  const c = (await t.app.repos.cases.findById(booked.id))!;
  // The order, its screening and its history stay: the case waits to be booked again.
  expect(c).toMatchObject({ state: 'reschedule_needed', appointment: null, screening: { status: 'no_flags' }, order: { code: { modality: 'mri' }, bodySite: { text: 'lumbar spine' } } });
  expect(c.history.at(-1)).toMatchObject({ event: 'request_reschedule', from: 'scheduled', to: 'reschedule_needed', reason: 'patient cancelled the appointment and keeps the order: my back feels better' });
  expect((await t.app.repos.appointments.findById(booked.appointment.id))).toMatchObject({ status: 'cancelled', cancelReason: 'my back feels better' });
  expect(await offeredStarts()).toContain(local(new Date(booked.appointment.start)));

  // BOOK in the same conversation (verified minutes ago): straight to times, no second identity check or screening.
  const [times] = await script(p, ['BOOK']);
  expect(times).toMatch(/^Here are the earliest times:\n1\. /);
  expect(times).not.toMatch(/full name|date of birth|pacemaker/);
  const [again] = await script(p, ['1']);
  expect(again).toMatch(/^You're booked: /);
  const after = (await t.app.repos.cases.findById(booked.id))!;
  expect(after).toMatchObject({ state: 'scheduled', order: { intent: 'order' } });
  expect(after.history.slice(-2).map((h) => h.event)).toEqual(['request_reschedule', 'book']);
  // No second order request was made for the order the center already has.
  expect((await casesOf(p.phone)).filter((x) => x.state !== 'cancelled')).toHaveLength(1);
});

test('"i have to cancel, im sick with the flu" from a booked patient starts the cancellation, not the menu', async () => {
  const { p } = await bookedPatient('1');
  const [r] = await script(p, ['i have to cancel, im sick with the flu']);
  expect(r).toBe("Sorry you can't make it. In a few words, what's the reason?");
  // Finished, so the time is free again for the tests after this one (they expect the earliest times).
  expect((await script(p, ['the flu', '2']))[1]).toMatch(/^Your appointment is cancelled/);
});

test('"can I rebook my mri?" after cancelling the appointment offers times for the same order', async () => {
  const { p, booked } = await bookedPatient('1');
  await script(p, ['X', 'work', '2']);
  const [r] = await script(p, ['can I rebook my mri?']);
  expect(r).toMatch(/Here are the earliest times:\n1\. /);
  expect((await casesOf(p.phone)).map((x) => x.id)).toEqual([booked.id]);
});

test('"X" → "3, I don\'t need the exam anymore" withdraws the request (cancelled, with the reason)', async () => {
  const { p, booked } = await bookedPatient('1');
  const [, , done] = await script(p, ['X', 'my doctor said I do not need it', '3']);
  expect(done).toBe("Done: your appointment is cancelled and we've closed your request for this exam. If you need it later, just text us.");
  const c = (await t.app.repos.cases.findById(booked.id))!;
  expect(c).toMatchObject({ state: 'cancelled', appointment: null });
  expect(c.history.at(-1)).toMatchObject({ event: 'cancel', from: 'scheduled', to: 'cancelled', reason: 'my doctor said I do not need it' });
});

test('"C" confirms the appointment; free text "I can\'t make it Tuesday" starts a reschedule', async () => {
  const { p, booked } = await bookedPatient('1');
  const [confirmed] = await script(p, ['C']);
  expect(confirmed).toBe('Thanks, you are confirmed for Mon, Nov 30 at 12:15 PM. See you then!');
  expect((await t.app.repos.cases.findById(booked.id))!.appointment!.confirmedAt).toEqual(NOW);
  const [offer] = await script(p, ["I can't make it Tuesday"]);
  expect(offer).toMatch(/^Your current appointment is Mon, Nov 30 at 12:15 PM\. Pick a new time/);
});

test('C/R/X from a conversation that has not proved who it is asks for date of birth and name first', async () => {
  const { phone, booked } = await bookedPatient('1');
  // A new conversation state: the same number, but the bot forgets who it was talking to after the flow is reset.
  await t.app.repos.botState.delete([`sms/conversations/sms_${booked.patient.phoneHash}/`]);
  const p = smsTalker(t, phone);
  const [ask, name, wrong] = await script(p, ['X', '01/01/1990', 'Smith']);
  expect(ask).toBe('To cancel your appointment: To protect your privacy, I need to check a couple of details first. What is your date of birth? (MM/DD/YYYY)');
  expect(name).toBe('What is your first or last name?');
  expect(wrong).toBe("Those details don't match our records, so I can't share anything. Let's try again.\nWhat is your date of birth? (MM/DD/YYYY)");
  expect(wrong).not.toMatch(/\d:\d\d/);
  const [, reason] = await script(p, ['04/02/1980', 'Lopez']);
  expect(reason).toBe("Sorry you can't make it. In a few words, what's the reason?");
});

test('three failed identity checks before an appointment change go to a person, with nothing disclosed', async () => {
  const { phone, booked } = await bookedPatient('1');
  await t.app.repos.botState.delete([`sms/conversations/sms_${booked.patient.phoneHash}/`]);
  const p = smsTalker(t, phone);
  const r = await script(p, ['R', '01/01/1990', 'Smith', '01/01/1990', 'Smith', '01/01/1990', 'Smith']);
  expect(r.at(-1)).toMatch(/^Those details don't match our records, so I can't share anything\. I've asked our team to reply to you here\./);
  expect(r.join('\n')).not.toMatch(/\d:\d\d|Here are/);
});

test('(f) (a) entirely in Spanish → order_requested, replies in Spanish', async () => {
  const p = smsTalker(t);
  const r = await script(p, ['Necesito una resonancia de la espalda baja', 'no', 'María García', '15/03/1985', 'dolor de espalda desde hace 3 meses', 'la doctora Okafor de Riverside Spine', 'la próxima semana', 'pago propio', 'no', 'no', 'no', 'no', 'no', 'no', 'no', 'no', 'no', 'sí', 'no', 'no']);
  expect(r[0]).toMatch(/^Con gusto le ayudo a pedir un examen\.\n¿Tiene una orden \(referencia\) de un médico para este examen\?\n1\. Sí\n2\. No/);
  expect(r[1]).toBe('¿Cuál es su nombre completo (nombre y apellido)?');
  expect(r[2]).toBe('¿Cuál es su fecha de nacimiento? (MM/DD/AAAA)');
  expect(r[3]).toMatch(/^En pocas palabras, ¿por qué necesita este examen\?/);
  expect(r[4]).toMatch(/^¿A qué médico le pedimos la orden\?/);
  expect(r[5]).toMatch(/^¿Cuándo le gustaría venir\?/);
  expect(r[6]).toMatch(/^¿Cómo pagará\?/);
  expect(r[7]).toMatch(/^Gracias, María\. Nuestro equipo contactará a la doctora Okafor de Riverside Spine para pedir su orden\.[\s\S]*\nAntes de que llegue la orden, unas preguntas de seguridad, para poder agendarle en cuanto llegue\. Conteste cada una, por favor\.\n¿Tiene marcapasos/);
  expect(r.at(-2)).toMatch(/^Es todo por ahora\. Le escribiremos cuando llegue la orden\.\nUna cosa más, y es opcional: .*Pueden aplicarse tarifas de mensajes y datos\. Responda HELP para ayuda, STOP para cancelar\./);
  expect(r.at(-1)).toBe('Está bien: solo recibirá mensajes sobre su examen.');
  expect((await t.app.services.consent.statuses((await casesOf(p.phone))[0]!.patient.phoneHash)).marketing).toBe('unknown');
  const [c] = await casesOf(p.phone);
  expect(c).toMatchObject({ state: 'order_requested', order: { intent: 'proposal', code: { modality: 'mri' }, bodySite: { text: 'lumbar spine' }, insurance: { selfPay: true } }, patient: { language: 'es', birthDate: '1985-03-15', familyName: 'García' } });
});

test('(f) (b) entirely in Spanish → screening in Spanish, "2" → scheduled, prep in Spanish', async () => {
  const phone = newPhone();
  const created = await orderAtCenter(phone);
  const p = smsTalker(t, phone);
  const [, , which, dob] = await script(p, ['Hola, necesito agendar mi resonancia, mi doctor ya mandó la orden', 'Ana López', '04/02/1980', '2']);
  // Day and month read two ways in a Spanish conversation: asked, never guessed.
  expect(which).toBe('Para estar seguros, ¿cuál es su fecha de nacimiento?\n1. 4 de febrero de 1980\n2. 2 de abril de 1980');
  expect(dob).toMatch(/^Antes de elegir la hora, unas preguntas de seguridad\. Conteste cada una, por favor\.\n¿Tiene marcapasos, desfibrilador o cables de marcapasos\?\n1\. Sí\n2\. No\n3\. No sé/);
  const times = await nextTimes('es');
  expect(times[1]).toMatch(/^lun 30 de nov a las \d{1,2}:\d\d$/);
  const answers = await script(p, ['no', 'no', 'no', 'no', 'no', 'no', 'no', 'no', 'no', 'sí', 'no']);
  expect(answers.at(-1)).toBe(`Estos son los primeros horarios disponibles:\n1. ${times[0]}\n2. ${times[1]}\n3. ${times[2]}\nResponda 1, 2 o 3 para elegir, o dígame un día que le funcione mejor (como "viernes").`);
  const [booked] = await script(p, ['2']);
  expect(booked).toMatch(new RegExp(`^Su cita está agendada: ${times[1]} en Bluebonnet Imaging`));
  expect(booked).toMatch(/Preparación: Traiga una identificación con foto.*Coma y tome sus medicinas como siempre/s);
  expect(booked).toContain('Responda C para confirmar, R para cambiar la cita o X para cancelarla.');
  expect((await t.app.repos.cases.findById(created.id))!.state).toBe('scheduled');
});

test('(g) "where is my order?" with a wrong date of birth discloses nothing; with the right one, the state in plain words and how to book it; BOOK then books', async () => {
  const phone = newPhone();
  await orderAtCenter(phone);
  const p = smsTalker(t, phone);
  const [, , wrong] = await script(p, ['where is my order?', '04/02/1979', 'Lopez']);
  expect(wrong).toContain("Those details don't match our records, so I can't share anything.");
  expect(wrong).not.toMatch(/ready|schedule|mri/i);
  const [, right] = await script(p, ['04/02/1980', 'Lopez']);
  expect(right).toBe('Your imaging order from Nov 30: it is ready to schedule.\nReply BOOK whenever you want to pick a time.');
  // Checked a minute ago: BOOK goes to the safety questions without asking who they are again.
  const [book] = await script(p, ['BOOK']);
  expect(book).toMatch(/a few safety questions\. Please answer each one\.\nDo you have a pacemaker/);
});

test('"did you get my order? when can i come in" → the state in plain words, then straight on to the safety questions and times', async () => {
  const phone = newPhone();
  await orderAtCenter(phone);
  const p = smsTalker(t, phone);
  const [, , right, next] = await script(p, ['did you get my order? when can i come in', '04/02/1980', 'Lopez', 'no']);
  expect(right).toMatch(/^Your imaging order from Nov 30: it is ready to schedule\.\nBefore we pick a time, a few safety questions\. Please answer each one\.\nDo you have a pacemaker/);
  expect(next).toMatch(/cochlear/);
});

test('a stat order is never booked by the bot: the patient is told staff will call, and staff get a task', async () => {
  const phone = newPhone();
  const created = await orderAtCenter(phone, { priority: 'stat' });
  const p = smsTalker(t, phone);
  const r = await script(p, ['I need to book my MRI, my doctor sent the order', 'Ana Lopez', '04/02/1980']);
  expect(r.at(-1)).toBe('This exam is marked urgent by your doctor, so our scheduling team will call you today to book it.');
  expect((await t.app.repos.tasks.list({ kind: 'schedule_by_phone' }, 100)).filter((x) => x.caseId === created.id)).toHaveLength(1);
  expect((await t.app.repos.cases.findById(created.id))!.appointment).toBeNull();
});

test('a study that needs authorization is held, not confirmed, and the patient is told so', async () => {
  const phone = newPhone();
  const created = await orderAtCenter(phone, { insurance: { payer: 'Aetna', memberId: 'W123456789' } });
  expect(created.state).toBe('pending_authorization');
  const p = smsTalker(t, phone);
  const [first] = await nextTimes('en');
  const r = await script(p, ['I need to book my MRI, my doctor sent the order', 'Ana Lopez', '04/02/1980', ...MRI_SAFE_ANSWERS, '1']);
  expect(r.at(-1)).toMatch(new RegExp(`^I'm holding ${first} for you at Bluebonnet Imaging.*We're finishing the paperwork for this exam; we'll text you when your appointment is confirmed`));
  expect(r.at(-1)).not.toMatch(/You're booked|How to prepare/);
  const c = (await t.app.repos.cases.findById(created.id))!;
  expect(c).toMatchObject({ state: 'pending_authorization', appointment: { status: 'pending' } });
  expect(slotText(c.appointment!.start, exampleSite(), 'en')).toBe(first);
  // C on a held time says it is held, not confirmed; no text names the insurance.
  const [held] = await script(p, ['C']);
  expect(held).toBe(`We're holding ${first} for you. We're finishing the paperwork for this exam; we'll text you when your appointment is confirmed.`);
  expect((await t.app.repos.cases.findById(created.id))!.appointment!.confirmedAt).toBeNull();
  expect([...r, held].join('\n')).not.toMatch(/insurance|authoriz/i);
});

test('an identity check left unanswered does not swallow what comes next: "R", then "C" asks for its own check', async () => {
  const { p } = await bookedPatient('1');
  const asked = await later(40 * 60_000, () => script(p, ['R', 'C']));
  expect(asked[0]).toMatch(/^To move your appointment: .*date of birth/);
  // "C" is not a date of birth: the move is dropped and the check is asked for the confirmation instead.
  expect(asked[1]).toMatch(/^To confirm your appointment: .*date of birth/);
  const [confirmed] = await later(41 * 60_000, () => script(p, ['04/02/1980', 'Lopez']).then((r) => [r[1]!]));
  expect(confirmed).toMatch(/^Thanks, you are confirmed for/);
});

test('a conversation that proved who it is more than 30 minutes ago proves it again before C, R or X', async () => {
  const { p, booked } = await bookedPatient('1');
  const asked = await later(31 * 60_000, () => script(p, ['C', '04/02/1980', 'Lopez']));
  expect(asked[0]).toBe('To confirm your appointment: To protect your privacy, I need to check a couple of details first. What is your date of birth? (MM/DD/YYYY)');
  expect(asked[2]).toMatch(/^Thanks, you are confirmed for/);
  expect((await t.app.repos.cases.findById(booked.id))!.appointment!.confirmedAt).not.toBeNull();
});

test('a flow left alone for a day is over: the next message is read afresh, not as an answer', async () => {
  const p = smsTalker(t);
  const [first] = await script(p, ['I need an MRI of my lower back']);
  expect(first).toMatch(/Do you have an order/);
  const [next] = await later(25 * 3_600_000, () => script(p, ['hi']));
  expect(next).toMatch(/^Hi, this is Bluebonnet Imaging\. How can we help\?/);
});

test('the optional marketing question takes only yes or no: another message leaves it unanswered and is handled as itself', async () => {
  const p = smsTalker(t);
  const r = await script(p, ['I need an MRI of my lower back', 'no', 'Maria Garcia', '03/15/1985', 'back pain', 'none', 'next week', 'self pay', ...MRI_SAFE_ANSWERS, 'where is my order?']);
  expect(r.at(-2)).toMatch(/Reply YES to join or NO\. Your answer does not change your care\.$/);
  expect(r.at(-1)).toMatch(/^I can check on your order\. First, to protect your privacy/);
  const consent = await api(t.base, 'GET', `/api/v1/consents/${encodeURIComponent(p.phone)}`, { token: await t.token('admin') });
  expect(consent.body.purposes.marketing.status).toBe('unknown');
});
