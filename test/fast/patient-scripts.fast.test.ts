/**
 * The scripted patient conversations of test/http/patient-conversations.http.test.ts ((a) to (g)) and a few of
 * test/http/conversation-engine.http.test.ts, as [says, expects] data on the in-memory harness: the real bot, dialogs,
 * use cases, SMS turn queue, keyword layer and gateway, with in-memory stores and recorded queues. Each test gets a
 * fresh harness (nothing shared, so the first times are always the same) and checks the replies, the stored case,
 * the tasks and the side effects separately. The HTTP files stay for the channel matrix on the real servers.
 */
import { DateTime } from 'luxon';
import { slotText } from '../../services/scheduling/slot-text';
import { exampleSite } from '../support/fixtures';
import { fastHarness, sayAll, talk, type FastHarness, type Line, type Talker } from '../support/fast-talk';

// Monday 30 Nov 2026, 10:00 in Austin: the first MRI times are 12:15, 13:00 and 13:45 (two hours' lead, 45-minute grid).
const NOW = new Date('2026-11-30T16:00:00Z');
let h: FastHarness;
beforeEach(async () => {
  h = await fastHarness({ now: NOW });
});
// A use case that failed after its write is logged, not thrown (afterWrite): a broken fake must still fail the test.
afterEach(() => expect(h.errors()).toEqual([]));

const local = (d: Date) => DateTime.fromJSDate(d, { zone: 'America/Chicago' }).toFormat('yyyy-MM-dd HH:mm');
const mriStudy = { modality: 'mri' as const, bodyPart: 'lumbar spine', contrast: 'without' as const };
/** Whether the appointment's time is taken on its scanner (the other MRI may be free then: a fresh harness has no other bookings). */
const heldOnScanner = async (a: { scannerId: string; start: Date; end: Date }) => (await h.stores.appointments.bookedBetween([a.scannerId], a.start, a.end)).length > 0;
const nextTimes = async (lang: 'en' | 'es') => (await h.services.scheduling.offer(mriStudy)).map((x) => slotText(x.start, exampleSite(), lang));

/** Each MRI safety question ends with its three choices; the answer to the last one is answered by `last`. */
const EN_CHOICES = /\?( \(Answer NO if this does not apply to you\.\))?\n1\. Yes\n2\. No\n3\. Not sure$/;
const ES_CHOICES = /\n1\. Sí\n2\. No\n3\. No sé$/;
const MRI_SAFE = ['no', 'no', 'no', 'no', 'no', 'no', 'no', 'no', 'no', 'yes', 'no']; // lie still: yes
const screening = (answers: string[], last: RegExp | string, choices = EN_CHOICES): Line[] => answers.map((a, i) => [a, i < answers.length - 1 ? choices : last]);
const FIRST_TIMES = 'Here are the earliest times:\n1. Mon, Nov 30 at 12:15 PM\n2. Mon, Nov 30 at 1:00 PM\n3. Mon, Nov 30 at 1:45 PM\nReply 1, 2 or 3 to pick a time, or tell me a day that works better (like "Friday").';

/** Finding the order already at the center by SMS: the request, the name, the date of birth, then the safety questions. */
const FIND_ORDER: Line[] = [
  ['I need to book my MRI, my doctor sent the order', /What is your full name/],
  ['Ana Lopez', /date of birth/],
  ['04/02/1980', /Before we pick a time, a few safety questions\. Please answer each one\.\nDo you have a pacemaker, defibrillator or pacing wires\?\n1\. Yes\n2\. No\n3\. Not sure/],
];

/** The order-at-center case booked by SMS (as in (b)): the talker, still in the same verified conversation. */
async function bookedPatient(pick = '2') {
  const p = h.sms();
  const created = await h.orderAtCenter(p.phone);
  await talk(p, [...FIND_ORDER, ...screening(MRI_SAFE, FIRST_TIMES), [pick, /^You're booked: /]]);
  const [c] = await h.casesOf(p.phone);
  expect(c).toMatchObject({ id: created.id, state: 'scheduled' });
  return { p, booked: c! };
}

describe('patient conversations on SMS (patient-conversations.http (a) to (g))', () => {
  test('(a) self-request with no order → order_requested, and an order request for the named provider', async () => {
    const p = h.sms();
    const r = await talk(p, [
      ['I need an MRI of my lower back', /I can help you request an exam\.\nDo you have an order \(referral\) from a doctor for this exam\?\n1\. Yes\n2\. No/],
      ['no', 'What is your full name (first and last)?'],
      ['Maria Garcia', 'What is your date of birth? (MM/DD/YYYY)'],
      ['03/15/1985', /^In a few words, why do you need this exam\?/],
      ['back pain for 3 months', /^Which doctor should we ask for the order\?/],
      ['Dr. Okafor at Riverside Spine', /^When would you like to come in\?/],
      ['next week', /^How will you pay\?/],
      [
        'Aetna W987654321',
        // The safety questions while waiting for the order, so the patient can book the day it arrives.
        /^Thank you, Maria\. Our team will contact Dr\. Okafor at Riverside Spine for your order\. When the order arrives .* we'll text you to pick a time.*\nBefore the order arrives, a few safety questions, so we can book you as soon as it does\. Please answer each one\.\nDo you have a pacemaker, defibrillator or pacing wires\?\n1\. Yes\n2\. No\n3\. Not sure$/,
      ],
      // Marketing consent only by an explicit yes to an opt-in naming the program, frequency, rates, STOP and HELP.
      ...screening(MRI_SAFE, /^That's all for now\. We'll text you when the order arrives\.\nOne more thing, and it is optional: would you like Bluebonnet Imaging Health Reminders \(screening reminders and health tips\), up to 2 texts a month\? Msg & data rates may apply\. Reply HELP for help, STOP to opt out\. Reply YES to join or NO\./),
      ['YES', "You're in. You can reply STOP at any time to stop these texts."],
    ]);

    const [c] = await h.casesOf(p.phone);
    expect(c).toMatchObject({ state: 'order_requested', source: 'sms', order: { intent: 'proposal', code: { modality: 'mri' }, bodySite: { text: 'lumbar spine' }, reasonText: 'back pain for 3 months', requester: { name: 'Dr. Okafor at Riverside Spine' }, insurance: { payer: 'Aetna', memberId: 'W987654321' } } });
    expect(c!.history.map((x) => `${x.event}→${x.to}`)).toEqual(['create→lead', 'qualify→qualified', 'request_order→order_requested']);
    expect(c!.patient).toMatchObject({ givenName: 'Maria', familyName: 'Garcia', birthDate: '1985-03-15' });
    expect(c!.screening).toMatchObject({ status: 'no_flags', flags: [], answered: true, asked: expect.arrayContaining(['pacemaker', 'lie_still', 'pregnancy']) });
    // No office on file for the doctor: the order request is a staff task.
    const tasks = await h.stores.tasks.list({ kind: 'order_follow_up' }, 100);
    expect(tasks.filter((x) => x.caseId === c!.id).map((x) => x.summary)).toEqual([expect.stringMatching(/^Call or fax Dr\. Okafor at Riverside Spine for an order for case c_/)]);
    const stored = await h.stores.messages.list({ phoneHash: c!.patient!.phoneHash! }, 100);
    expect(stored.filter((m) => m.direction === 'inbound')).toHaveLength(9 + MRI_SAFE.length);
    const out = stored.filter((m) => m.direction === 'outbound');
    expect(out.every((m) => m.status === 'sent' && m.purpose === 'care')).toBe(true);
    // Each message is stored as sent: the thanks, the screening intro, the question with its choices.
    expect(out.map((m) => m.body)).toEqual(expect.arrayContaining([...r[7]!.split('\n').slice(0, 2), r[7]!.split('\n').slice(2).join('\n')]));
    const consent = await h.stores.consents.get(c!.patient!.phoneHash!);
    expect(consent.care?.status).toBe('granted');
    expect(consent.marketing).toMatchObject({ status: 'granted', history: [{ status: 'granted', source: 'sms_reply', evidence: expect.stringMatching(/^Q: One more thing.*Msg & data rates may apply.*\nA: YES$/s) }] });
    // The request's follow-ups are queued (an order that never comes is chased).
    expect(h.queues.followUps.list().some((j) => j.job.caseId === c!.id)).toBe(true);
  });

  test('(b) the order is at the center: screening all "no" → three times → "2" → scheduled, prep sent', async () => {
    const p = h.sms();
    const created = await h.orderAtCenter(p.phone);
    expect(created.state).toBe('ready_to_schedule');
    await talk(p, [
      ['Hi, I need to schedule my MRI, my doctor sent the order', /What is your full name/],
      ...FIND_ORDER.slice(1),
      ...screening(MRI_SAFE, FIRST_TIMES),
    ]);
    const [booked] = await sayAll(p, ['2']);
    expect(booked).toMatch(/^You're booked: Mon, Nov 30 at 1:00 PM at Bluebonnet Imaging, 1200 Lamar Blvd, Suite 300, Austin\./);
    expect(booked).toMatch(/How to prepare: Bring a photo ID.*Eat and take your medicines as normal/s);
    expect(booked).toContain('Reply C to confirm, R to reschedule or X to cancel your appointment.');
    expect(booked).not.toMatch(/lumbar|spine|back/i);

    const [c] = await h.casesOf(p.phone);
    expect(c).toMatchObject({ id: created.id, state: 'scheduled', screening: { status: 'no_flags', flags: [] }, appointment: { status: 'booked', scannerId: expect.stringMatching(/^mri-/) } });
    expect(local(c!.appointment!.start)).toBe('2026-11-30 13:00');
    expect(c!.history.at(-1)).toMatchObject({ event: 'book', from: 'ready_to_schedule', to: 'scheduled', actor: 'bot', channel: 'sms' });
    expect(await heldOnScanner(c!.appointment!)).toBe(true);
  });

  test('(c) MRI with a pacemaker "yes" → a technologist review task, and no times offered', async () => {
    const p = h.sms();
    const created = await h.orderAtCenter(p.phone);
    const r = await talk(p, [
      ...FIND_ORDER,
      ...screening(['yes', ...MRI_SAFE.slice(1)], 'Thank you. Because of your answers, one of our technologists needs to talk with you before we can book. They will call you within 1 business day. Nothing else to do for now.'),
      // Writing again does not get around the review: still no times (and, verified minutes ago, no second identity check).
      ['I want to book my MRI, I have an order', 'A staff member is still reviewing your safety answers and will call you. We can offer times once that is done.'],
    ]);
    expect(r.join('\n')).not.toMatch(/earliest times|\d:\d\d [AP]M/);
    const c = (await h.stores.cases.findById(created.id))!;
    expect(c).toMatchObject({ state: 'ready_to_schedule', appointment: null, screening: { status: 'review', flags: [{ id: 'pacemaker', answer: 'yes' }] } });
    const tasks = (await h.stores.tasks.list({ kind: 'technologist_review' }, 100)).filter((x) => x.caseId === c.id);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]!.summary).toMatch(/pacemaker: yes/);
  });

  test('"not sure" to a safety question is a flag too', async () => {
    const p = h.sms();
    const created = await h.orderAtCenter(p.phone);
    await talk(p, [...FIND_ORDER, ...screening(['no', 'no', 'no', 'no', 'no', 'not sure', ...MRI_SAFE.slice(6)], /technologists needs to talk with you/)]);
    expect((await h.stores.cases.findById(created.id))!.screening).toMatchObject({ status: 'review', flags: [{ id: 'metal_eyes', answer: 'unsure' }] });
  });

  test('(d) reminder reply "R" → new times → a new booking, and the old time is free again', async () => {
    const { p, booked } = await bookedPatient('2');
    expect(local(booked.appointment!.start)).toBe('2026-11-30 13:00');
    expect(await heldOnScanner(booked.appointment!)).toBe(true);
    await talk(p, [
      ['R', "Your current appointment is Mon, Nov 30 at 1:00 PM. Pick a new time and we'll release the old one.\nHere are the earliest times:\n1. Mon, Nov 30 at 12:15 PM\n2. Mon, Nov 30 at 1:45 PM\n3. Mon, Nov 30 at 2:30 PM\nReply 1, 2 or 3 to pick a time, or tell me a day that works better (like \"Friday\")."],
      ['3', /^Done, your appointment is moved\. You're booked: Mon, Nov 30 at 2:30 PM .* Your earlier time is released\./],
    ]);
    const c = (await h.stores.cases.findById(booked.id))!;
    expect(c.state).toBe('scheduled');
    expect(local(c.appointment!.start)).toBe('2026-11-30 14:30');
    expect(c.history.slice(-2).map((x) => `${x.event}:${x.from}→${x.to}`)).toEqual(['request_reschedule:scheduled→reschedule_needed', 'book:reschedule_needed→scheduled']);
    expect((await h.stores.appointments.findById(booked.appointment!.id))!.status).toBe('cancelled');
    expect(await heldOnScanner(booked.appointment!)).toBe(false);
    expect(await heldOnScanner(c.appointment!)).toBe(true);
  });

  test('a booking days ahead queues its prep and reminder texts; moving it takes them off and queues the new ones', async () => {
    const p = h.sms();
    await h.orderAtCenter(p.phone);
    await talk(p, [
      ...FIND_ORDER,
      ...screening(MRI_SAFE, FIRST_TIMES),
      ['friday', /^Here are the earliest times:\n1\. Fri, Dec 4 at 7:00 AM\n2\. Fri, Dec 4 at 7:45 AM\n3\. Fri, Dec 4 at 8:30 AM/],
      ['1', /^You're booked: Fri, Dec 4 at 7:00 AM/],
    ]);
    const first = (await h.casesOf(p.phone))[0]!.appointment!;
    const jobsOf = (appointmentId: string) => h.queues.reminders.list().filter((j) => j.job.appointmentId === appointmentId).map((j) => `${j.job.kind}@${local(j.at)}`);
    // Prep 72 h and the C/R/X reminder 24 h before, as delayed jobs keyed by the appointment.
    expect(jobsOf(first.id).sort()).toEqual(['prep@2026-12-01 07:00', 'reminder@2026-12-03 07:00']);
    await talk(p, [
      ['R', /^Your current appointment is Fri, Dec 4 at 7:00 AM\./],
      ['thursday', /^Here are the earliest times:\n1\. Thu, Dec 3 at 7:00 AM\n/],
      ['1', /^Done, your appointment is moved\. You're booked: Thu, Dec 3 at 7:00 AM/],
    ]);
    const moved = (await h.casesOf(p.phone))[0]!.appointment!;
    expect(jobsOf(first.id)).toEqual([]);
    // Its prep time (72 h before) has passed already: the booking text carried the prep.
    expect(jobsOf(moved.id)).toEqual(['reminder@2026-12-02 07:00']);
  });

  test('(e) reminder reply "X" → the reason → cancelled with it, the time is free, and the order stays to book again', async () => {
    const { p, booked } = await bookedPatient('1');
    await talk(p, [
      ['X', "Sorry you can't make it. In a few words, what's the reason?"],
      ['my back feels better', "Would you like a new time instead?\n1. See new times\n2. Cancel the appointment\n3. I don't need the exam anymore"],
      ['2', 'Your appointment is cancelled and the time is released. We keep your order: whenever you are ready, reply BOOK to pick a new time.'],
    ]);
    const c = (await h.stores.cases.findById(booked.id))!;
    // The order, its screening and its history stay: the case waits to be booked again.
    expect(c).toMatchObject({ state: 'reschedule_needed', appointment: null, screening: { status: 'no_flags' }, order: { code: { modality: 'mri' }, bodySite: { text: 'lumbar spine' } } });
    expect(c.history.at(-1)).toMatchObject({ event: 'request_reschedule', from: 'scheduled', to: 'reschedule_needed', reason: 'patient cancelled the appointment and keeps the order: my back feels better' });
    expect(await h.stores.appointments.findById(booked.appointment!.id)).toMatchObject({ status: 'cancelled', cancelReason: 'my back feels better' });
    expect(await heldOnScanner(booked.appointment!)).toBe(false);

    // BOOK in the same conversation (verified minutes ago): straight to times, no second identity check or screening.
    const [times] = await talk(p, [['BOOK', /^Here are the earliest times:\n1\. /]]);
    expect(times).not.toMatch(/full name|date of birth|pacemaker/);
    await talk(p, [['1', /^You're booked: /]]);
    const after = (await h.stores.cases.findById(booked.id))!;
    expect(after).toMatchObject({ state: 'scheduled', order: { intent: 'order' } });
    expect(after.history.slice(-2).map((x) => x.event)).toEqual(['request_reschedule', 'book']);
    // No second order request was made for the order the center already has.
    expect((await h.casesOf(p.phone)).filter((x) => x.state !== 'cancelled')).toHaveLength(1);
  });

  test('"X" → "3, I don\'t need the exam anymore" withdraws the request (cancelled, with the reason)', async () => {
    const { p, booked } = await bookedPatient('1');
    await talk(p, [
      ['X', /what's the reason\?$/],
      ['my doctor said I do not need it', /^Would you like a new time instead\?/],
      ['3', "Done: your appointment is cancelled and we've closed your request for this exam. If you need it later, just text us."],
    ]);
    const c = (await h.stores.cases.findById(booked.id))!;
    expect(c).toMatchObject({ state: 'cancelled', appointment: null });
    expect(c.history.at(-1)).toMatchObject({ event: 'cancel', from: 'scheduled', to: 'cancelled', reason: 'my doctor said I do not need it' });
  });

  test('"C" confirms the appointment; free text "I can\'t make it Tuesday" starts a reschedule', async () => {
    const { p, booked } = await bookedPatient('1');
    await talk(p, [
      ['C', 'Thanks, you are confirmed for Mon, Nov 30 at 12:15 PM. See you then!'],
      ["I can't make it Tuesday", /^Your current appointment is Mon, Nov 30 at 12:15 PM\. Pick a new time/],
    ]);
    expect((await h.stores.cases.findById(booked.id))!.appointment!.confirmedAt).toEqual(NOW);
  });

  test('a conversation that proved who it is more than 30 minutes ago proves it again before C', async () => {
    const { p, booked } = await bookedPatient('1');
    const asked = await h.later(31 * 60_000, () =>
      talk(p, [
        ['C', 'To confirm your appointment: To protect your privacy, I need to check a couple of details first. What is your date of birth? (MM/DD/YYYY)'],
        ['04/02/1980', /first or last name/],
        ['Lopez', /^Thanks, you are confirmed for/],
      ]),
    );
    expect(asked).toHaveLength(3);
    expect((await h.stores.cases.findById(booked.id))!.appointment!.confirmedAt).not.toBeNull();
  });

  test('(f) (a) entirely in Spanish → order_requested, replies in Spanish', async () => {
    const p = h.sms();
    await talk(p, [
      ['Necesito una resonancia de la espalda baja', /^Con gusto le ayudo a pedir un examen\.\n¿Tiene una orden \(referencia\) de un médico para este examen\?\n1\. Sí\n2\. No/],
      ['no', '¿Cuál es su nombre completo (nombre y apellido)?'],
      ['María García', '¿Cuál es su fecha de nacimiento? (MM/DD/AAAA)'],
      ['15/03/1985', /^En pocas palabras, ¿por qué necesita este examen\?/],
      ['dolor de espalda desde hace 3 meses', /^¿A qué médico le pedimos la orden\?/],
      ['la doctora Okafor de Riverside Spine', /^¿Cuándo le gustaría venir\?/],
      ['la próxima semana', /^¿Cómo pagará\?/],
      ['pago propio', /^Gracias, María\. Nuestro equipo contactará a la doctora Okafor de Riverside Spine para pedir su orden\.[\s\S]*\nAntes de que llegue la orden, unas preguntas de seguridad, para poder agendarle en cuanto llegue\. Conteste cada una, por favor\.\n¿Tiene marcapasos/],
      ...screening(['no', 'no', 'no', 'no', 'no', 'no', 'no', 'no', 'no', 'sí', 'no'], /^Es todo por ahora\. Le escribiremos cuando llegue la orden\.\nUna cosa más, y es opcional: .*Pueden aplicarse tarifas de mensajes y datos\. Responda HELP para ayuda, STOP para cancelar\./, ES_CHOICES),
      ['no', 'Está bien: solo recibirá mensajes sobre su examen.'],
    ]);
    expect((await h.consentOf(p.phone)).marketing).toBe('unknown');
    const [c] = await h.casesOf(p.phone);
    expect(c).toMatchObject({ state: 'order_requested', order: { intent: 'proposal', code: { modality: 'mri' }, bodySite: { text: 'lumbar spine' }, insurance: { selfPay: true } }, patient: { language: 'es', birthDate: '1985-03-15', familyName: 'García' } });
  });

  test('(f) (b) entirely in Spanish → screening in Spanish, "2" → scheduled, prep in Spanish', async () => {
    const p = h.sms();
    const created = await h.orderAtCenter(p.phone);
    const times = await nextTimes('es');
    expect(times[1]).toMatch(/^lun 30 de nov a las \d{1,2}:\d\d$/);
    const r = await talk(p, [
      ['Hola, necesito agendar mi resonancia, mi doctor ya mandó la orden', /nombre completo/],
      ['Ana López', /fecha de nacimiento/],
      // Day and month read two ways in a Spanish conversation: asked, never guessed.
      ['04/02/1980', 'Para estar seguros, ¿cuál es su fecha de nacimiento?\n1. 4 de febrero de 1980\n2. 2 de abril de 1980'],
      ['2', /^Antes de elegir la hora, unas preguntas de seguridad\. Conteste cada una, por favor\.\n¿Tiene marcapasos, desfibrilador o cables de marcapasos\?\n1\. Sí\n2\. No\n3\. No sé/],
      ...screening(['no', 'no', 'no', 'no', 'no', 'no', 'no', 'no', 'no', 'sí', 'no'], `Estos son los primeros horarios disponibles:\n1. ${times[0]}\n2. ${times[1]}\n3. ${times[2]}\nResponda 1, 2 o 3 para elegir, o dígame un día que le funcione mejor (como "viernes").`, ES_CHOICES),
      ['2', new RegExp(`^Su cita está agendada: ${times[1]} en Bluebonnet Imaging`)],
    ]);
    expect(r.at(-1)).toMatch(/Preparación: Traiga una identificación con foto.*Coma y tome sus medicinas como siempre/s);
    expect(r.at(-1)).toContain('Responda C para confirmar, R para cambiar la cita o X para cancelarla.');
    expect((await h.stores.cases.findById(created.id))!.state).toBe('scheduled');
  });

  test('(g) "where is my order?" with a wrong date of birth discloses nothing; with the right one, the state in plain words and how to book it', async () => {
    const p = h.sms();
    await h.orderAtCenter(p.phone);
    const [, , wrong] = await talk(p, [
      ['where is my order?', /date of birth/],
      ['04/02/1979', /last name/],
      ['Lopez', /Those details don't match our records, so I can't share anything\./],
      ['04/02/1980', /last name/],
      ['Lopez', 'Your imaging order from Nov 30: it is ready to schedule.\nReply BOOK whenever you want to pick a time.'],
    ]);
    expect(wrong).not.toMatch(/ready|schedule|mri/i);
  });

  test('a stat order is never booked by the bot: the patient is told staff will call, and staff get a task', async () => {
    const p = h.sms();
    const created = await h.orderAtCenter(p.phone, { order: { priority: 'stat' } });
    await talk(p, [...FIND_ORDER.slice(0, 2), ['04/02/1980', 'This exam is marked urgent by your doctor, so our scheduling team will call you today to book it.']]);
    // One task: the urgent call opened with the order, the patient's text noted on it.
    const calls = (await h.stores.tasks.list({ kind: 'schedule_by_phone' }, 100)).filter((x) => x.caseId === created.id);
    expect(calls).toEqual([expect.objectContaining({ dedupeKey: `urgent:${created.id}`, urgent: true, status: 'open', summary: expect.stringMatching(/^STAT MRI lumbar spine for case c_\w+: call the patient to schedule within 15 minutes\. The patient has texted asking to book\.$/) })]);
    expect((await h.stores.cases.findById(created.id))!.appointment).toBeNull();
  });

  test('a study that needs authorization is held, not confirmed, and the patient is told so', async () => {
    const p = h.sms();
    const created = await h.orderAtCenter(p.phone, { order: { insurance: { payer: 'Aetna', memberId: 'W123456789' } } });
    expect(created.state).toBe('pending_authorization');
    const [first] = await nextTimes('en');
    const r = await talk(p, [
      ...FIND_ORDER,
      ...screening(MRI_SAFE, /^Here are the earliest times:/),
      ['1', new RegExp(`^I'm holding ${first} for you at Bluebonnet Imaging.*We're finishing the paperwork for this exam; we'll text you when your appointment is confirmed`)],
      // C on a held time says it is held, not confirmed; no text names the insurance.
      ['C', `We're holding ${first} for you. We're finishing the paperwork for this exam; we'll text you when your appointment is confirmed.`],
    ]);
    expect(r.at(-2)).not.toMatch(/You're booked|How to prepare/);
    expect(r.join('\n')).not.toMatch(/insurance|authoriz/i);
    const c = (await h.stores.cases.findById(created.id))!;
    expect(c).toMatchObject({ state: 'pending_authorization', appointment: { status: 'pending', confirmedAt: null } });
  });
});

describe.each(['sms', 'webchat'] as const)('the conversation engine on %s (conversation-engine.http)', (channel) => {
  const talker = (): Talker => (channel === 'sms' ? h.sms() : h.webchat());
  /** Web Chat asks for the mobile number after the date of birth; SMS knows it. */
  const phoneStep = (next: RegExp): Line[] => (channel === 'sms' ? [] : [[(x) => x.phone, next]]);

  test('"MRI of my lower back, my knee too", asap: two requests, each with the priority, and a call task for each at once', async () => {
    const p = talker();
    await talk(p, [
      ['hi i need an mri of my lower back and my knee too, asap please', /I'll make a request for each exam: MRI lumbar spine and MRI knee\.[\s\S]*Do you have an order/],
      ['no i dont have one yet, can you guys get it?', /full name/],
      ['Maria Garcia', /date of birth/],
      ['03/15/1985', channel === 'sms' ? /why/ : /mobile number/],
      ...(channel === 'sms' ? [] : ([[(x: Talker) => `my cell is ${x.phone.slice(2, 5)} ${x.phone.slice(5, 8)} ${x.phone.slice(8)}`, /why/]] as Line[])),
      ['back pain and my knee gives out', /Which doctor/],
      ['dr patel at northside family, their number is 512-555-0188', /When/],
      ['whenever, sooner is better', /pay/],
      ['self pay', /Your requests: MRI lumbar spine \([A-F0-9]{6}\) and MRI knee \([A-F0-9]{6}\)\. You asked for it as soon as possible, so someone from our team will call you/],
    ]);
    const cases = await h.casesOf(p.phone);
    expect(cases.map((c) => c.order.bodySite.text).sort()).toEqual(['knee', 'lumbar spine']);
    for (const c of cases) expect(c).toMatchObject({ state: 'order_requested', track: 'human', source: channel, order: { priority: 'asap', requester: { phone: '+15125550188' } } });
    const tasks = await h.stores.tasks.list({ kind: 'schedule_by_phone' }, 500);
    for (const c of cases) expect(tasks.some((x) => x.caseId === c.id && /as soon as possible/.test(x.summary))).toBe(true);
  });

  test('"need to cancel my mri, ill call back to reschedule": the appointment is cancelled, the order kept, no new request', async () => {
    const p = talker();
    const created = await h.orderAtCenter(p.phone);
    await talk(p, [
      ...FIND_ORDER.slice(0, 2),
      ['04/02/1980', channel === 'sms' ? /safety questions/ : /mobile number/],
      ...phoneStep(/safety questions/),
      ...screening(MRI_SAFE, /earliest times/),
      ['#2', /You're booked/],
      // Verified a moment ago: no second identity check.
      ['need to cancel my mri, ill call back to reschedule when i know my schedule', /^Sorry you can't make it/],
      ['work', /Would you like a new time instead\?/],
      ['just cancel it for now, i still need it tho', /^Your appointment is cancelled and the time is released\. We keep your order/],
    ]);
    expect(await h.stores.cases.findById(created.id)).toMatchObject({ state: 'reschedule_needed', appointment: null });
    expect(await h.casesOf(p.phone)).toHaveLength(1);
  });
});

describe('the conversation engine, one channel each (conversation-engine.http)', () => {
  test('SMS: a number with an order here is identified first, without the order question, and the order is found', async () => {
    const p = h.sms();
    await h.orderAtCenter(p.phone);
    await talk(p, [
      ['hey want to book my mri', /^I can help you request an exam\.\nWhat is your full name/],
      ['Ana Lopez', /date of birth/],
      ['April 2, 1980', /^Before we pick a time, a few safety questions/],
    ]);
  });

  test('SMS: an appointment already booked is shown with C, R and X instead of a new request', async () => {
    const { p } = await bookedPatient('1');
    const [r] = await talk(p, [['can i book my mri', /^I found your appointment: Mon, Nov 30 at .*\. Reply C to confirm, R to reschedule or X to cancel/]]);
    expect(r).not.toMatch(/order \(referral\)/);
  });

  test('Web Chat: the booking card has Confirm / Reschedule / Cancel buttons, and C confirms', async () => {
    const p = h.webchat();
    const created = await h.orderAtCenter(p.phone);
    const [booked] = (await talk(p, [...FIND_ORDER.slice(0, 2), ['04/02/1980', /mobile number/], [(x) => x.phone, /safety questions/], ...screening(MRI_SAFE, /earliest times/), ['1', /^Your appointment\nWhen: Mon, Nov 30 at .*\nWhere: Bluebonnet Imaging.*\nExam: MRI lumbar spine\n\[Confirm\] \[Reschedule\] \[Cancel\]\nYou're booked/]])).slice(-1);
    expect(booked).not.toMatch(/Reply C/);
    await talk(p, [['C', /^Thanks, you are confirmed for Mon, Nov 30 at/]]);
    expect((await h.stores.cases.findById(created.id))!.appointment!.confirmedAt).not.toBeNull();
    // The chat is remembered for proactive messages, by a hash of the person (never a phone).
    expect(await h.stores.conversationRefs.list({ channel: 'webchat' }, 10)).toEqual([expect.objectContaining({ personKey: expect.stringMatching(/^webchat:[a-f0-9]{32}$/) })]);
  });

  test('Spanish on chat: "se llama …, yo soy su hija", "21 de enero del 77", "mi cel es …"', async () => {
    const p = h.webchat();
    await talk(p, [
      ['hola necesito una tomografia de la cabeza para mi mama, no tiene orden todavia', /nombre completo/],
      ['se llama rosa elena vargas mendoza, yo soy su hija', /fecha de nacimiento/],
      ['21 de enero del 77', /número de celular/],
      [(x) => `mi cel es ${x.phone.slice(2, 5)} ${x.phone.slice(5, 8)} ${x.phone.slice(8)}`, /por qué necesita/],
      ['se cayo ayer y le duele la cabeza', /A qué médico/],
      ['ninguno', /Cuándo/],
      ['cualquier dia', /pagará/],
      ['no tengo seguro, pago yo', /^Gracias, rosa elena\./],
    ]);
    const [c] = await h.casesOf(p.phone);
    expect(c!.patient).toMatchObject({ givenName: 'rosa elena', familyName: 'vargas mendoza', birthDate: '1977-01-21' });
    expect(c!.order).toMatchObject({ code: { modality: 'ct' }, bodySite: { text: 'brain' } });
  });

  test('SMS: a clinical question in the middle of a request goes to a person, and the request goes on from the same question', async () => {
    const p = h.sms();
    await talk(p, [
      ['my son needs an x-ray of his wrist, no order yet', /full name/],
      ['Leo Park', /date of birth/],
      ['5/6/2015', /why/],
      ['fell off his bike', /Which doctor/],
      ['is that much radiation bad for a kid his age?', /^That's a question for our clinical team[\s\S]*\nNow, back to where we were: Which doctor should we ask for the order\?/],
      ['dr amy chu at kids first pediatrics 512 555 0177', /When/],
      ['after school, like 4', /How will you pay/],
      ['self pay', /Thank you, Leo\./],
    ]);
    const [c] = await h.casesOf(p.phone);
    expect(c).toMatchObject({ state: 'order_requested', order: { requester: { name: 'Dr. Amy Chu at Kids First Pediatrics', phone: '+15125550177' } } });
    expect((await h.stores.tasks.list({ kind: 'human_handoff' }, 100)).map((x) => x.summary)).toEqual([expect.stringMatching(/asked a clinical question/)]);
  });

  test('SMS: HELP is the carrier keyword answer and the question again; STOP ends every text', async () => {
    const p = h.sms();
    await talk(p, [
      ['I need an MRI of my lower back', /Do you have an order/],
      ['no', /full name/],
      ['help', /Bluebonnet Imaging: imaging appointments.*Msg & data rates may apply\. Reply STOP to opt out\.[\s\S]*What is your full name \(first and last\)\?/],
      ['STOP', 'Bluebonnet Imaging: you are unsubscribed and will get no more texts from us. Reply START to resubscribe. Questions: (512) 555-0100.'],
      ['Maria Garcia', ''],
    ]);
    expect((await h.consentOf(p.phone)).care).toBe('revoked');
    expect(await h.casesOf(p.phone)).toEqual([]);
  });
});
