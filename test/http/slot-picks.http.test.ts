/**
 * Picking a time in people's words (issue 13, point 5): ordinals, a time, a refusal with a constraint, a date past the
 * booking horizon, and a move that never offers the time being moved away from. SMS against the real app.
 */
import { DateTime } from 'luxon';
import { smsTalker, type Talker } from '../support/channels';
import { newPhone } from '../support/sms';
import { api, completeOrder, startTestApp, type TestApp } from '../support/test-app';

const NOW = new Date('2026-11-30T16:00:00Z'); // Monday 10:00 in Austin
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ name: 'slot-picks', now: () => NOW });
});
afterAll(() => t.close());

const SAFE = ['no', 'no', 'no', 'no', 'no', 'no', 'no', 'no', 'no', 'yes', 'no'];
const zone = 'America/Chicago';
/** The offered times in a reply, as the patient reads them ("Mon, Nov 30 at 12:15 PM"). */
const times = (reply: string) => [...reply.matchAll(/^\d\. (.+)$/gm)].map((m) => m[1]!);
const local = (d: Date) => DateTime.fromJSDate(d, { zone });

async function toTimes(language: 'en' | 'es' = 'en'): Promise<{ p: Talker; caseId: string; offer: string }> {
  const phone = newPhone();
  const o = completeOrder();
  const res = await api(t.base, 'POST', '/api/v1/cases', { token: await t.token('coordinator'), body: { ...o, patient: { ...o.patient, phone, language }, order: { ...o.order, insurance: { selfPay: true } } } });
  expect(res.status).toBe(201);
  const p = smsTalker(t, phone);
  await p.say(language === 'es' ? 'Necesito agendar mi resonancia, mi doctor mandó la orden' : 'I need to book my MRI, my doctor sent the order');
  await p.say('Ana Lopez');
  if (/^Para estar seguros/.test(await p.say('04/02/1980'))) await p.say('2 de abril de 1980');
  let offer = '';
  for (const a of SAFE) offer = await p.say(language === 'es' ? a.replace('yes', 'sí') : a);
  expect(times(offer)).toHaveLength(3);
  return { p, caseId: res.body.id, offer };
}

const bookedStart = async (caseId: string) => (await t.app.repos.cases.findById(caseId))!.appointment!.start;

test('"ok fine the 2nd one" books the second time offered', async () => {
  const { p, caseId, offer } = await toTimes();
  expect(await p.say('ok fine the 2nd one')).toMatch(/^You're booked: /);
  const when = times(offer)[1]!;
  expect(when).toContain(local(await bookedStart(caseId)).toFormat('h:mm a'));
});

test('"the 1:45 one" books the time that says 1:45', async () => {
  const { p, caseId, offer } = await toTimes();
  const target = times(offer).find((x) => /1:45 PM/.test(x));
  if (!target) throw new Error(`1:45 PM not offered: ${offer}`);
  expect(await p.say('the 1:45 one')).toMatch(/^You're booked: Mon, Nov 30 at 1:45 PM/);
  expect(local(await bookedStart(caseId)).toFormat('HH:mm')).toBe('13:45');
});

test('"la segunda" books the second time, in Spanish', async () => {
  const { p, caseId, offer } = await toTimes('es');
  expect(await p.say('la segunda')).toMatch(/^Su cita está agendada: /);
  expect(times(offer)[1]).toContain(local(await bookedStart(caseId)).setLocale('es').toFormat('H:mm'));
});

test('"none of those work, im at work til 5" → only times from 5 PM; then "not tuesday" → none on Tuesday', async () => {
  const { p } = await toTimes();
  const late = await p.say('none of those work, im at work til 5');
  expect(times(late)).toHaveLength(3);
  for (const x of times(late)) expect(x).toMatch(/at (5|6):\d\d PM/);
  const notTue = await p.say('not tuesday');
  expect(times(notTue)).toHaveLength(3);
  for (const x of times(notTue)) {
    expect(x).not.toMatch(/^Tue/);
    expect(x).toMatch(/at (5|6):\d\d PM/); // the earlier wish still holds
  }
  expect(await p.say("none of those work")).toMatch(/What day or time works better for you\?/);
});

test('"january 12" is past the booking horizon: said so, never today\'s times without a word', async () => {
  const { p } = await toTimes();
  const r = await p.say('january 12');
  expect(r).toMatch(/^I can only book up to 4 weeks ahead \(through December 28\)\./);
});

test('"R" never offers the very time being moved away from, even when another scanner is free then', async () => {
  const { p, caseId } = await toTimes();
  await p.say('1');
  const start = await bookedStart(caseId);
  const moved = await p.say('R');
  expect(times(moved)).toHaveLength(3);
  for (const x of times(moved)) expect(x).not.toContain(`at ${local(start).toFormat('h:mm a')}`);
});

test('"None of those work… put me on the waiting list and text me if something earlier opens up" joins the waitlist, books nothing (English and Spanish)', async () => {
  for (const [language, words, joined] of [
    ['en', 'None of those work for me, sorry. Could you just put me on the waiting list and text me if something earlier opens up?', /^You're on the waitlist\. When a time opens up we'll text you/],
    ['es', 'ninguna de esas me queda. mejor apúnteme en la lista de espera y me avisa si alguien cancela y se abre algo más pronto', /^Quedó en la lista de espera\. Cuando se abra una hora/],
  ] as const) {
    const { p, caseId } = await toTimes(language);
    expect(await p.say(words)).toMatch(joined);
    const c = (await t.app.repos.cases.findById(caseId))!;
    expect(c.appointment ?? null).toBeNull();
    expect((await t.app.repos.waitlist.waiting('mri')).map((e) => e.caseId)).toContain(caseId);
  }
});
