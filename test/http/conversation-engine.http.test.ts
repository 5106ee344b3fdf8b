/**
 * The patient conversations on the one engine (issue 13), as data on SMS and Web Chat against the real app: a message
 * that names an exam but asks to cancel is no new request, several exams in one message become several requests,
 * "asap" sets the priority and a call task at once, a number with a bookable order is identified before the order
 * question, an already booked appointment is shown with its buttons, the booking card's buttons work, and people's
 * own words ("#2", "mi cel es …", "21 de enero del 77", "se llama …, yo soy su hija") are understood, and a first
 * booking asks the optional reminders question once.
 */
import { createPhoneHasher } from '../../services/contact/phone';
import { smsTalker, webchatTalker, type Talker } from '../support/channels';
import { newPhone } from '../support/sms';
import { api, completeOrder, startTestApp, type TestApp } from '../support/test-app';

const NOW = new Date('2026-11-30T16:00:00Z'); // Monday 10:00 in Austin
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ name: 'engine', now: () => NOW });
});
afterAll(() => t.close());

type Channel = 'sms' | 'webchat';
const talker = (channel: Channel, phone = newPhone()): Talker => (channel === 'sms' ? smsTalker(t, phone) : webchatTalker(t, phone));
type Line = [say: string | ((p: Talker) => string), expect: RegExp];

async function run(p: Talker, lines: Line[]): Promise<string[]> {
  const out: string[] = [];
  for (const [say, want] of lines) {
    const text = typeof say === 'function' ? say(p) : say;
    const got = await p.say(text);
    expect({ said: text, got }).toEqual({ said: text, got: expect.stringMatching(want) });
    out.push(got);
  }
  return out;
}

async function casesOf(phone: string) {
  const token = await t.token('coordinator');
  return (await api(t.base, 'GET', `/api/v1/cases?phone=${encodeURIComponent(phone)}`, { token })).body.items as Array<Record<string, any>>;
}

async function orderAtCenter(phone: string, patient: Record<string, unknown> = {}) {
  const o = completeOrder();
  const res = await api(t.base, 'POST', '/api/v1/cases', { token: await t.token('coordinator'), body: { ...o, patient: { ...o.patient, phone, language: 'en', ...patient }, order: { ...o.order, insurance: { selfPay: true } } } });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

const SAFE_MRI = ['no', 'no', 'no', 'no', 'no', 'no', 'no', 'no', 'no', 'yes', 'no'];

describe.each(['sms', 'webchat'] as const)('on %s', (channel) => {
  test('"MRI of my lower back, my knee too", asap: two requests, each with the priority, and a call task for each at once', async () => {
    const p = talker(channel);
    const lines: Line[] = [
      ['hi i need an mri of my lower back and my knee too, asap please', /I'll make a request for each exam: MRI lumbar spine and MRI knee\.[\s\S]*Do you have an order/],
      ['no i dont have one yet, can you guys get it?', /full name/],
      ['Maria Garcia', /date of birth/],
      ['03/15/1985', channel === 'sms' ? /why/ : /mobile number/],
      ...(channel === 'sms' ? [] : ([[(x: Talker) => `my cell is ${x.phone.slice(2, 5)} ${x.phone.slice(5, 8)} ${x.phone.slice(8)}`, /why/]] as Line[])),
      ['back pain and my knee gives out', /Which doctor/],
      ['dr patel at northside family, their number is 512-555-0188', /When/],
      ['whenever, sooner is better', /pay/],
      ['self pay', /Your requests: MRI lumbar spine \([A-F0-9]{6}\) and MRI knee \([A-F0-9]{6}\)\. You asked for it as soon as possible, so someone from our team will call you/],
    ];
    await run(p, lines);
    const cases = await casesOf(p.phone);
    expect(cases.map((c) => c.order.bodySite.text).sort()).toEqual(['knee', 'lumbar spine']);
    for (const c of cases) expect(c).toMatchObject({ state: 'order_requested', track: 'human', order: { priority: 'asap', requester: { phone: '+15125550188' } } });
    const tasks = await t.app.repos.tasks.list({ kind: 'schedule_by_phone' }, 500);
    for (const c of cases) expect(tasks.some((x) => x.caseId === c.id && /as soon as possible/.test(x.summary))).toBe(true);
  });

  test('"need to cancel my mri, ill call back to reschedule": the appointment is cancelled, the order kept, no new request', async () => {
    const p = talker(channel);
    const caseId = await orderAtCenter(p.phone);
    await run(p, [
      ['I need to book my MRI, my doctor sent the order', /full name/],
      ['Ana Lopez', /date of birth/],
      ['04/02/1980', channel === 'sms' ? /safety questions/ : /mobile number/],
      ...(channel === 'sms' ? [] : ([[(x: Talker) => x.phone, /safety questions/]] as Line[])),
      ...SAFE_MRI.map((a): Line => [a, /./]),
      ['#2', /You're booked/],
    ]);
    await run(p, [
      // Verified a moment ago: no second identity check.
      ['need to cancel my mri, ill call back to reschedule when i know my schedule', /^Sorry you can't make it/],
      ['work', /Would you like a new time instead\?/],
      ['just cancel it for now, i still need it tho', /^Your appointment is cancelled and the time is released\. We keep your order/],
    ]);
    const c = (await t.app.repos.cases.findById(caseId))!;
    expect(c).toMatchObject({ state: 'reschedule_needed', appointment: null });
    expect(await casesOf(p.phone)).toHaveLength(1);
  });
});

test('SMS: a number with an order here is identified first, without the order question, and the order is found', async () => {
  const p = smsTalker(t);
  await orderAtCenter(p.phone);
  await run(p, [
    ['hey want to book my mri', /^I can help you request an exam\.\nWhat is your full name/],
    ['Ana Lopez', /date of birth/],
    ['April 2, 1980', /^Before we pick a time, a few safety questions/],
  ]);
});

test('SMS: an appointment already booked is shown with C, R and X instead of a new request', async () => {
  const p = smsTalker(t);
  await orderAtCenter(p.phone);
  await run(p, [['I need to book my MRI, my doctor sent the order', /full name/], ['Ana Lopez', /date of birth/], ['04/02/1980', /safety/], ...SAFE_MRI.map((a): Line => [a, /./]), ['1', /You're booked/]]);
  const [r] = await run(p, [['can i book my mri', /^I found your appointment: Mon, Nov 30 at .*\. Reply C to confirm, R to reschedule or X to cancel/]]);
  expect(r).not.toMatch(/order \(referral\)/);
});

test('Web Chat: the booking card has Confirm / Reschedule / Cancel buttons, and the Confirm button (it sends C) confirms', async () => {
  const phone = newPhone();
  const caseId = await orderAtCenter(phone);
  const conversationId = `wc-card-${Date.now()}`;
  const post = async (text: string) =>
    (
      await api(t.base, 'POST', '/api/messages', {
        body: { type: 'message', id: `${Math.random()}`, channelId: 'webchat', serviceUrl: 'https://webchat.botframework.com/', deliveryMode: 'expectReplies', conversation: { id: conversationId }, from: { id: 'u1', role: 'user' }, recipient: { id: 'bot' }, locale: 'en-US', text },
      })
    ).body.activities as Array<{ text?: string; attachments?: Array<{ content: { actions?: Array<{ title: string; data?: unknown; value?: unknown }> } }> }>;
  for (const say of ['I need to book my MRI, my doctor sent the order', 'Ana Lopez', '04/02/1980', phone, ...SAFE_MRI]) await post(say);
  const booked = await post('1');
  const actions = booked.flatMap((a) => a.attachments ?? []).flatMap((c) => c.content.actions ?? []);
  expect(actions.map((a) => a.title)).toEqual(['Confirm', 'Reschedule', 'Cancel']);
  expect(JSON.stringify(actions[0])).toContain('"C"');
  expect(booked.map((a) => a.text ?? '').join('\n')).not.toMatch(/Reply C/);
  const confirmed = await post('C');
  expect(confirmed.map((a) => a.text).join('\n')).toMatch(/^Thanks, you are confirmed for Mon, Nov 30 at/);
  expect((await t.app.repos.cases.findById(caseId))!.appointment!.confirmedAt).not.toBeNull();
});

test('Spanish: "se llama …, yo soy su hija", "21 de enero del 77", "mi cel es …" on chat', async () => {
  const p = webchatTalker(t);
  await run(p, [
    ['hola necesito una tomografia de la cabeza para mi mama, no tiene orden todavia', /nombre completo/],
    ['se llama rosa elena vargas mendoza, yo soy su hija', /fecha de nacimiento/],
    ['21 de enero del 77', /número de celular/],
    [(x) => `mi cel es ${x.phone.slice(2, 5)} ${x.phone.slice(5, 8)} ${x.phone.slice(8)}`, /por qué necesita/],
    ['se cayo ayer y le duele la cabeza', /A qué médico/],
    ['ninguno', /Cuándo/],
    ['cualquier dia', /pagará/],
    ['no tengo seguro, pago yo', /^Gracias, rosa elena\./],
  ]);
  const [c] = await casesOf(p.phone);
  const patient = await t.app.repos.patients.findById(c!.patientId as string);
  expect(patient).toMatchObject({ givenName: 'rosa elena', familyName: 'vargas mendoza', birthDate: '1977-01-21' });
  expect(c!.order).toMatchObject({ code: { modality: 'ct' }, bodySite: { text: 'brain' } });
});

test('SMS: a first booking asks the optional reminders question once; "si claro" joins, and a C after it still confirms', async () => {
  const p = smsTalker(t);
  await orderAtCenter(p.phone, { language: 'es' });
  const hash = createPhoneHasher('test-hash-key')(p.phone);
  const [, , , ...rest] = await run(p, [
    ['necesito agendar mi resonancia, mi doctor mandó la orden', /nombre completo/],
    ['Ana Lopez', /fecha de nacimiento/],
    ['2 de abril de 1980', /preguntas de seguridad/],
    ...SAFE_MRI.map((a): Line => [a.replace('yes', 'sí'), /./]),
    ['1', /^Su cita está agendada: [\s\S]*Recordatorios de Salud de Bluebonnet Imaging/],
  ]);
  expect(rest.at(-1)).toMatch(/Responda C para confirmar/);
  expect((await t.app.services.consent.statuses(hash)).marketing).toBe('unknown');
  await run(p, [['si claro', /^Listo, quedó inscrito/]]);
  expect((await t.app.services.consent.statuses(hash)).marketing).toBe('granted');
  await run(p, [['C', /^Gracias, su cita del .* está confirmada/]]);
});

test('Web Chat: "i want to schedule the mri my doctor wants" asks who they are first and finds the order, without the order question', async () => {
  const p = webchatTalker(t);
  await orderAtCenter(p.phone);
  await run(p, [
    ['hi, i want to schedule the mri my doctor wants', /^I can help you request an exam\.\nWhat is your full name/],
    ['Ana Lopez', /date of birth/],
    ['April 2, 1980', /mobile number/],
    [(x) => x.phone, /^Before we pick a time, a few safety questions/],
  ]);
});

describe.each(['sms', 'webchat'] as const)('on %s, in people\'s words', (channel) => {
  test('the doctor named in the first message is not asked for again, only their office phone; "medicare" without the card keeps the payer, the member id asked once', async () => {
    const p = talker(channel);
    await run(p, [
      ['my surgeon dr okoro wants a ct of my abdomen, no order sent yet', /full name/],
      ['Lena Brooks', /date of birth/],
      ['7/8/1970', channel === 'sms' ? /why/ : /mobile number/],
      ...(channel === 'sms' ? [] : ([[(x: Talker) => x.phone, /why/]] as Line[])),
      ['belly pain on the right side', /^Do you have a phone number for Dr\. Okoro's office\? Send it \(and the office name if you know it\), or reply NO\.$/],
      ['capital surgical 512 555 0142', /When/],
      ['any weekday', /How will you pay/],
      ['medicare', /^Please add your member ID/],
      ["i dont have the card on me right now", /Thank you, Lena\. Our team will contact Dr\. Okoro, Capital Surgical for your order\./],
    ]);
    const [c] = await casesOf(p.phone);
    expect(c!.order).toMatchObject({ requester: { name: 'Dr. Okoro, Capital Surgical', phone: '+15125550142' }, insurance: { payer: 'Medicare' } });
    expect(c!.order.insurance.memberId).toBeUndefined();
  });

  test('X with no appointment but an order here, "already had it done at the ER, dont need it": asked before closing; YES closes the order', async () => {
    const p = talker(channel);
    const id = await orderAtCenter(p.phone);
    await run(p, [
      ['I already got my MRI done at the hospital so I dont need the one you have', channel === 'sms' ? /date of birth/ : /mobile number/],
      ...(channel === 'sms' ? [] : ([[(x: Talker) => x.phone, /date of birth/]] as Line[])),
      ['04/02/1980', /first or last name/],
      ['lopez', /^You have no appointment booked, but we have your order for MRI lumbar spine\. Should we close it because you no longer need it\?/],
      ['yes please', /^Done: we've closed your order for this exam\./],
    ]);
    expect((await t.app.repos.cases.findById(id))!.state).toBe('cancelled');
  });
});

test('Web Chat: a clinical question from someone not yet identified opens the task at once; their number, birth date and name then put their exam on it', async () => {
  const p = webchatTalker(t);
  const id = await orderAtCenter(p.phone);
  await run(p, [
    ['is the mri safe if i am breastfeeding?', /^That's a question for our clinical team[\s\S]*\nSo they can see your exam with your message: what mobile number did you give us\?/],
    [(x) => x.phone, /^And your date of birth\?/],
    ['04/02/1980', /first or last name/],
    ['Ana Lopez', /^Thank you\. I've added your exam to your message for our team\.$/],
  ]);
  const handoffs = (await t.app.repos.tasks.list({ kind: 'human_handoff' }, 200)).filter((x) => x.caseId === id);
  expect(handoffs).toHaveLength(1);
  expect(handoffs[0]!.summary).toMatch(/asked a clinical question/);
  // The check is optional: anything else ends it and is read as itself.
  const q = webchatTalker(t);
  await run(q, [
    ['what do the results of my ct mean?', /what mobile number did you give us\?/],
    ['where do i park?', /park/i],
  ]);
});

test('SMS: a clinical question in the middle of a request goes to a person, and the request goes on from the same question', async () => {
  const p = smsTalker(t);
  const before = new Set((await t.app.repos.tasks.list({ kind: 'human_handoff' }, 1000)).map((x) => x.id));
  await run(p, [
    ['my son needs an x-ray of his wrist, no order yet', /full name/],
    ['Leo Park', /date of birth/],
    ['5/6/2015', /why/],
    ['fell off his bike', /Which doctor/],
    ['is that much radiation bad for a kid his age?', /^That's a question for our clinical team[\s\S]*\nNow, back to where we were: Which doctor should we ask for the order\?/],
    ['dr amy chu at kids first pediatrics 512 555 0177', /When/],
    ['after school, like 4', /How will you pay/],
    ['self pay', /Thank you, Leo\./],
  ]);
  const [c] = await casesOf(p.phone);
  expect(c).toMatchObject({ state: 'order_requested', order: { requester: { name: 'Dr. Amy Chu at Kids First Pediatrics', phone: '+15125550177' } } });
  const opened = (await t.app.repos.tasks.list({ kind: 'human_handoff' }, 1000)).filter((x) => !before.has(x.id));
  expect(opened.map((x) => x.summary)).toEqual([expect.stringMatching(/asked a clinical question/)]);
});

test('SMS: a first message that is a question nothing here answers is told who can, not given the menu; "is this bluebonnet?" gets the greeting', async () => {
  const [r] = await run(smsTalker(t), [['can i drive myself home after? i dont have anyone to take me', /^I can't answer that one here\. Our team can: call \(512\) 555-0100/]]);
  expect(r).not.toMatch(/I'm a patient/);
  // Someone coming along is the site's FAQ (companion), answered in its words.
  await run(smsTalker(t), [['can i bring my kids with me when i come in? i dont have a sitter', /^A family member or caregiver is welcome to come with you and wait in the waiting room\./]]);
  await run(smsTalker(t), [['is this bluebonnet?', /^Hi, this is Bluebonnet Imaging\. How can we help\?\n1\. I'm a patient/]]);
});

test('SMS, Spanish: "ya no los necesito, ya me los hicieron" to "should we close it?" closes the order', async () => {
  const p = smsTalker(t);
  const id = await orderAtCenter(p.phone, { language: 'es' });
  await run(p, [
    ['me hicieron la resonancia en otro lado, ya no la necesito', /fecha de nacimiento/],
    ['2 de abril de 1980', /nombre o apellido/],
    ['lopez', /^No tiene cita agendada, pero tenemos su orden de resonancia/],
    ['ya no los necesito, ya me los hicieron', /^Listo: cerramos su orden/],
  ]);
  expect((await t.app.repos.cases.findById(id))!.state).toBe('cancelled');
});
