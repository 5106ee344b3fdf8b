/**
 * Names and dates of birth as people write them (issue 13, point 5): two surnames, either of which verifies later; a
 * day/month that reads two ways is asked, never guessed. SMS in Spanish against the real app.
 */
import { smsTalker } from '../support/channels';
import { newPhone } from '../support/sms';
import { api, completeOrder, startTestApp, type TestApp } from '../support/test-app';

const NOW = new Date('2026-11-30T16:00:00Z');
let clock = NOW;
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ name: 'natural-answers', now: () => clock });
});
afterAll(() => t.close());

test('"Maria Guadalupe Hernandez Torres", "02/04/1980" asked as 2 April or 4 February, then "Hernandez" alone verifies an appointment change', async () => {
  const phone = newPhone();
  const o = completeOrder();
  const res = await api(t.base, 'POST', '/api/v1/cases', {
    token: await t.token('coordinator'),
    body: { ...o, patient: { givenName: 'Maria Guadalupe', familyName: 'Hernandez Torres', birthDate: '1980-04-02', phone, language: 'es' }, order: { ...o.order, insurance: { selfPay: true } } },
  });
  expect(res.status).toBe(201);
  const p = smsTalker(t, phone);
  expect(await p.say('Necesito agendar mi resonancia, mi doctor mandó la orden')).toMatch(/nombre completo/);
  expect(await p.say('Maria Guadalupe Hernandez Torres')).toMatch(/fecha de nacimiento/);
  const which = await p.say('02/04/1980');
  expect(which).toBe('Para estar seguros, ¿cuál es su fecha de nacimiento?\n1. 2 de abril de 1980\n2. 4 de febrero de 1980');
  expect(await p.say('1')).toMatch(/preguntas de seguridad[\s\S]*marcapasos/);
  for (const a of ['no', 'no', 'no', 'no', 'no', 'no', 'no', 'no', 'no', 'sí']) await p.say(a);
  expect(await p.say('no')).toMatch(/^Estos son los primeros horarios disponibles:/);
  expect(await p.say('1')).toMatch(/^Su cita está agendada: /);

  expect((await t.app.repos.cases.findById(res.body.id))!.state).toBe('scheduled');

  // An hour later the verification has lapsed: a new identity check, where either surname is enough.
  clock = new Date(NOW.getTime() + 60 * 60_000);
  try {
    expect(await p.say('X')).toMatch(/fecha de nacimiento/);
    expect(await p.say('02/04/1980')).toMatch(/^Para estar seguros/);
    expect(await p.say('2 de abril de 1980')).toMatch(/apellido/);
    expect(await p.say('Hernandez')).toMatch(/motivo/);
  } finally {
    clock = NOW;
  }
});

test('a self-request in everyday words: "no i dont have one yet…", the doctor with practice and number, "i have blue cross…"', async () => {
  const p = smsTalker(t, newPhone());
  const r: string[] = [];
  for (const line of [
    'I need an MRI of my lower back',
    'no i dont have one yet, can you guys get it?',
    'Maria Garcia',
    '03/15/1985',
    'back pain for 3 months',
    'dr patel at northside family, their number is 512-555-0188',
    'next week',
    'i have blue cross, member id XZP8812345',
  ])
    r.push(await p.say(line));
  expect(r[1]).toBe('What is your full name (first and last)?');
  expect(r[7]).toMatch(/^Thank you, Maria\. Our team will contact Dr\. Patel at Northside Family for your order\./);
  expect(r[7]).not.toMatch(/their number is|512-555-0188/);
  const cases = (await api(t.base, 'GET', `/api/v1/cases?phone=${encodeURIComponent(p.phone)}`, { token: await t.token('coordinator') })).body.items;
  expect(cases[0]).toMatchObject({
    state: 'order_requested',
    order: { requester: { name: 'Dr. Patel at Northside Family', phone: '+15125550188' }, insurance: { payer: 'Blue Cross Blue Shield of Texas', memberId: 'XZP8812345' } },
  });
});
