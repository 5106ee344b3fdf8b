import { smsTalker, type Talker } from '../support/channels';
import { newPhone } from '../support/sms';
import { placeText, slotText } from '../../services/scheduling/slot-text';
import { api, completeOrder, exampleSite, startTestApp, type TestApp } from '../support/test-app';

// Sunday 10:00 in Austin (texts may go out; the scanners open Monday 07:00). The clock moves in the test.
const SUNDAY = new Date('2026-11-29T16:00:00Z');
let now = SUNDAY;
let t: TestApp;
// Each test on a center of its own: who waits, and which times are free, start from nothing.
beforeEach(async () => {
  now = SUNDAY;
  t = await startTestApp({ name: 'waitlist', now: () => now });
});
afterEach(() => t.close());

const MRI_SAFE = ['no', 'no', 'no', 'no', 'no', 'no', 'no', 'no', 'no', 'yes', 'no'];

async function script(p: Talker, lines: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const l of lines) out.push(await p.say(l));
  return out;
}

/** An MRI order at the center for a new number (self-pay, so no authorization): ready to schedule. */
async function patientWithOrder(familyName: string): Promise<{ p: Talker; caseId: string }> {
  const phone = newPhone();
  const o = completeOrder();
  const res = await api(t.base, 'POST', '/api/v1/cases', {
    token: await t.token('coordinator'),
    body: { ...o, patient: { ...o.patient, familyName, phone, language: 'en' }, order: { ...o.order, insurance: { selfPay: true } } },
  });
  expect(res.body.state).toBe('ready_to_schedule');
  return { p: smsTalker(t, phone), caseId: res.body.id };
}

const bookAs = (familyName: string, answers: string[]) => ['I need to book my MRI, my doctor sent the order', `Ana ${familyName}`, '04/02/1980', ...answers];

/** "Anything sooner?": the identity check first, unless this conversation passed it in the last half hour. */
async function joinWaitlist(p: Talker, familyName: string): Promise<string> {
  const first = await p.say('is there anything sooner? put me on the waitlist');
  if (!/date of birth/.test(first)) return first;
  expect(await p.say('04/02/1980')).toMatch(/name/);
  return p.say(familyName);
}

const offersTo = async (caseId: string) =>
  (await t.app.repos.messages.list({ caseId }, 100)).filter((m) => m.direction === 'outbound' && m.template === 'waitlist_offer');

test('a freed MRI time goes to the first waitlisted patient whose screening is cleared, not to an earlier one still in review; held 30 minutes, then the next; a second taker is told it is gone; booked once', async () => {
  const site = exampleSite();
  // C takes the earliest time; A and B take later ones.
  const c = await patientWithOrder('Cortez');
  expect((await script(c.p, bookAs('Cortez', [...MRI_SAFE, '1']))).at(-1)).toMatch(/^You're booked: Mon, Nov 30 at 7:00 AM/);
  const freed = (await t.app.repos.cases.findById(c.caseId))!.appointment!;
  const a = await patientWithOrder('Alvarez');
  await script(a.p, bookAs('Alvarez', [...MRI_SAFE, '3']));
  const b = await patientWithOrder('Benitez');
  await script(b.p, bookAs('Benitez', [...MRI_SAFE, '3']));
  const aBefore = (await t.app.repos.cases.findById(a.caseId))!.appointment!;
  const bBefore = (await t.app.repos.cases.findById(b.caseId))!.appointment!;
  expect(aBefore.start.getTime()).toBeGreaterThan(freed.start.getTime());
  expect(bBefore.start.getTime()).toBeGreaterThan(freed.start.getTime());

  // P joins first, but their safety screening waits for a technologist's review.
  const pending = await patientWithOrder('Perez');
  expect((await script(pending.p, bookAs('Perez', ['yes', ...MRI_SAFE.slice(1)]))).at(-1)).toMatch(/technologists needs to talk with you before we can book/);
  const at = (minutes: number) => (now = new Date(SUNDAY.getTime() + minutes * 60_000));
  at(1);
  expect(await joinWaitlist(pending.p, 'Perez')).toMatch(/^You're on the waitlist\. When a time opens up we'll text you and hold it for 30 minutes/);
  at(2);
  expect(await joinWaitlist(a.p, 'Alvarez')).toBe(`You're on the waitlist for an earlier time. If one opens, we'll text you and hold it for 30 minutes: reply YES to take it. Your appointment on ${slotText(aBefore.start, site, 'en')} stays as it is until then.`);
  expect(await joinWaitlist(a.p, 'Alvarez')).toBe("You're already on the waitlist; we'll text you as soon as an earlier time opens.");
  at(3);
  expect(await joinWaitlist(b.p, 'Benitez')).toMatch(/^You're on the waitlist for an earlier time/);

  // C cancels: the time goes to A (P is skipped), held for A.
  at(5);
  await script(c.p, ['X', '04/02/1980', 'Cortez', 'work', '2']);
  expect((await t.app.repos.cases.findById(c.caseId))!).toMatchObject({ state: 'reschedule_needed', appointment: null });
  expect(await offersTo(pending.caseId)).toHaveLength(0);
  const [toA] = await offersTo(a.caseId);
  expect(toA?.body).toBe(
    `Bluebonnet Imaging: an earlier time opened for your exam: ${slotText(freed.start, site, 'en')} at ${placeText(site)}. We're holding it for you until 10:35 AM: reply YES to take it (we'll release your ${slotText(aBefore.start, site, 'en')} appointment) or NO to pass.`,
  );
  // Nobody else can book the held time meanwhile.
  expect((await t.app.services.scheduling.offer({ modality: 'mri', bodyPart: 'lumbar spine', contrast: 'without' })).map((s) => `${s.scannerId}@${s.start.toISOString()}`)).not.toContain(`${freed.scannerId}@${freed.start.toISOString()}`);

  // A does not answer within the hold: it passes to B.
  at(36);
  const held = (await t.app.repos.waitlist.latestOfferTo((await t.app.repos.patients.findById((await t.app.repos.cases.findById(a.caseId))!.patientId))!.phoneHash!, SUNDAY))!;
  const expiry = await t.app.waitlistQueue.queue.getJob(`expire~${held.id}`);
  expect(expiry?.opts.delay).toBe(30 * 60_000); // queued in BullMQ for the end of the hold; run here on the test's clock
  await t.app.waitlist.run({ kind: 'expire', offerId: held.id });
  expect(await offersTo(b.caseId)).toHaveLength(1);
  expect(await b.p.say('YES')).toBe(`Done! Your appointment is ${slotText(freed.start, site, 'en')} at ${placeText(site)}. Your previous time is released. We'll send your prep and a reminder.`);

  // A says YES too late: told kindly, nothing changes for A.
  expect(await a.p.say('yes')).toMatch(/^Sorry, the Mon, Nov 30 at 7:00 AM time is no longer available\. Your appointment hasn't changed, and you're still on the waitlist/);
  expect((await t.app.repos.cases.findById(a.caseId))!.appointment).toMatchObject({ id: aBefore.id, start: aBefore.start });

  // Booked once, by B; B's earlier time is free again.
  const onFreed = await t.app.repos.appointments.bookedBetween([freed.scannerId], freed.start, freed.end);
  expect(onFreed).toHaveLength(1);
  const bAfter = (await t.app.repos.cases.findById(b.caseId))!;
  expect(bAfter).toMatchObject({ state: 'scheduled', appointment: { start: freed.start, scannerId: freed.scannerId, status: 'booked' } });
  expect(bAfter.history.slice(-2).map((h) => `${h.event}:${h.reason ?? ''}`)).toEqual(['request_reschedule:patient took an earlier time from the waitlist', 'book:']);
  expect(await t.app.repos.appointments.bookedBetween([bBefore.scannerId], bBefore.start, bBefore.end)).toHaveLength(0);
  expect(await offersTo(pending.caseId)).toHaveLength(0);
});

test('NO passes the held time to the next patient at once; a patient whose own time is not later is never offered it', async () => {
  const site = exampleSite();
  const e = await patientWithOrder('Estrada'); // books first: the time D frees is not earlier than E's own
  await script(e.p, bookAs('Estrada', [...MRI_SAFE, '1']));
  const d = await patientWithOrder('Delgado');
  await script(d.p, bookAs('Delgado', [...MRI_SAFE, '1']));
  const freed = (await t.app.repos.cases.findById(d.caseId))!.appointment!;
  expect((await t.app.repos.cases.findById(e.caseId))!.appointment!.start.getTime()).toBeLessThanOrEqual(freed.start.getTime());
  const x = await patientWithOrder('Ximenez');
  await script(x.p, bookAs('Ximenez', [...MRI_SAFE, '3']));
  const y = await patientWithOrder('Yanez');
  await script(y.p, bookAs('Yanez', [...MRI_SAFE, '3']));
  const yBefore = (await t.app.repos.cases.findById(y.caseId))!.appointment!;

  let minute = 0;
  for (const [who, name] of [[e, 'Estrada'], [x, 'Ximenez'], [y, 'Yanez']] as const) {
    now = new Date(SUNDAY.getTime() + ++minute * 60_000);
    expect(await joinWaitlist(who.p, name)).toMatch(/^You're on the waitlist for an earlier time/);
  }
  await script(d.p, ['X', '04/02/1980', 'Delgado', 'moving away', '2']);
  expect(await offersTo(e.caseId)).toHaveLength(0);
  expect(await offersTo(x.caseId)).toHaveLength(1);
  expect(await x.p.say('no')).toBe("OK, you keep your current time. You're still on the waitlist.");
  const [toY] = await offersTo(y.caseId);
  expect(toY?.body).toContain(`an earlier time opened for your exam: ${slotText(freed.start, site, 'en')}`);
  expect(await y.p.say('yes')).toMatch(/^Done! Your appointment is /);
  expect((await t.app.repos.cases.findById(y.caseId))!.appointment).toMatchObject({ start: freed.start, scannerId: freed.scannerId });
  expect(await t.app.repos.appointments.bookedBetween([yBefore.scannerId], yBefore.start, yBefore.end)).toHaveLength(0);
  expect(await offersTo(e.caseId)).toHaveLength(0);
});

test('a time freed at night is offered when the send window opens (a BullMQ job), not texted at 22:00', async () => {
  const site = exampleSite();
  const c = await patientWithOrder('Campos');
  await script(c.p, bookAs('Campos', [...MRI_SAFE, 'tuesday', '1'])); // a time after the window opens Monday
  const freed = (await t.app.repos.cases.findById(c.caseId))!.appointment!;
  expect(slotText(freed.start, site, 'en')).toMatch(/^Tue, Dec 1 /);
  const a = await patientWithOrder('Arce');
  await script(a.p, bookAs('Arce', [...MRI_SAFE, 'tuesday', '3']));
  now = new Date(SUNDAY.getTime() + 60_000);
  expect(await joinWaitlist(a.p, 'Arce')).toMatch(/^You're on the waitlist for an earlier time/);

  now = new Date('2026-11-30T04:00:00Z'); // Sunday 22:00 in Austin
  await script(c.p, ['X', '04/02/1980', 'Campos', 'sick', '2']);
  expect(await offersTo(a.caseId)).toHaveLength(0);
  const job = await t.app.waitlistQueue.queue.getJob(`offer~${freed.id}`);
  expect(job?.opts.delay).toBe(10 * 3600_000); // Monday 08:00
  now = new Date('2026-11-30T14:00:00Z');
  await t.app.waitlist.run(job!.data);
  const [offer] = await offersTo(a.caseId);
  expect(offer?.body).toContain(`an earlier time opened for your exam: ${slotText(freed.start, site, 'en')}`);
});

test('one held time per patient at a time: a second freed time goes to the next in line', async () => {
  const c1 = await patientWithOrder('Cano');
  await script(c1.p, bookAs('Cano', [...MRI_SAFE, '1']));
  const c2 = await patientWithOrder('Cuevas');
  await script(c2.p, bookAs('Cuevas', [...MRI_SAFE, '2']));
  const a = await patientWithOrder('Alba');
  await script(a.p, bookAs('Alba', [...MRI_SAFE, '3']));
  const b = await patientWithOrder('Bravo');
  await script(b.p, bookAs('Bravo', [...MRI_SAFE, '3']));
  now = new Date(SUNDAY.getTime() + 60_000);
  await joinWaitlist(a.p, 'Alba');
  now = new Date(SUNDAY.getTime() + 120_000);
  await joinWaitlist(b.p, 'Bravo');
  now = new Date(SUNDAY.getTime() + 180_000);
  await script(c1.p, ['X', '04/02/1980', 'Cano', 'work', '2']);
  await script(c2.p, ['X', '04/02/1980', 'Cuevas', 'work', '2']);
  expect(await offersTo(a.caseId)).toHaveLength(1);
  expect(await offersTo(b.caseId)).toHaveLength(1);
});

test('in Spanish: joining, the offer and SÍ', async () => {
  const site = exampleSite();
  const c = await patientWithOrder('Cano');
  await script(c.p, bookAs('Cano', [...MRI_SAFE, '1']));
  const freed = (await t.app.repos.cases.findById(c.caseId))!.appointment!;
  const m = await patientWithOrder('Moreno');
  await script(m.p, ['Hola, necesito agendar mi resonancia, mi doctor ya mandó la orden', 'Ana Moreno', '04/02/1980', '2 de abril de 1980', 'no', 'no', 'no', 'no', 'no', 'no', 'no', 'no', 'no', 'sí', 'no', '3']);
  const mine = (await t.app.repos.cases.findById(m.caseId))!.appointment!;
  now = new Date(SUNDAY.getTime() + 60_000);
  expect(await m.p.say('¿hay algo más pronto? me pueden poner en lista de espera')).toBe(
    `Quedó en la lista de espera para una hora antes. Si se abre una, le escribiremos y se la guardaremos 30 minutos: responda SÍ para tomarla. Su cita del ${slotText(mine.start, site, 'es')} sigue igual mientras tanto.`,
  );
  await script(c.p, ['X', '04/02/1980', 'Cano', 'work', '2']);
  const [offer] = await offersTo(m.caseId);
  expect(offer?.body).toBe(
    `Bluebonnet Imaging: se abrió una hora antes para su examen: ${slotText(freed.start, site, 'es')} en ${placeText(site)}. Se la guardamos hasta las 10:31: responda SÍ para tomarla (liberamos su cita del ${slotText(mine.start, site, 'es')}) o NO para dejarla pasar.`,
  );
  expect(await m.p.say('SÍ')).toBe(`¡Listo! Su cita es el ${slotText(freed.start, site, 'es')} en ${placeText(site)}. Su hora anterior quedó libre. Le enviaremos la preparación y un recordatorio.`);
});

test('an urgent order goes to the front of the waitlist: a freed time is offered to it before a routine patient who joined earlier', async () => {
  const d = await patientWithOrder('Delgado');
  await script(d.p, bookAs('Delgado', [...MRI_SAFE, '1']));
  const freed = (await t.app.repos.cases.findById(d.caseId))!.appointment!;
  const routine = await patientWithOrder('Ramos');
  await script(routine.p, bookAs('Ramos', [...MRI_SAFE, '3']));
  // An urgent order (the fast track: the patient books it themselves).
  const phone = newPhone();
  const o = completeOrder();
  const res = await api(t.base, 'POST', '/api/v1/cases', { token: await t.token('coordinator'), body: { ...o, patient: { ...o.patient, familyName: 'Urbina', phone, language: 'en' }, order: { ...o.order, priority: 'urgent', insurance: { selfPay: true } } } });
  expect(res.body).toMatchObject({ state: 'ready_to_schedule', track: 'fast' });
  const urgent = { p: smsTalker(t, phone), caseId: res.body.id as string };
  await script(urgent.p, bookAs('Urbina', [...MRI_SAFE, '3']));

  now = new Date(SUNDAY.getTime() + 60_000);
  expect(await joinWaitlist(routine.p, 'Ramos')).toMatch(/^You're on the waitlist for an earlier time/);
  now = new Date(SUNDAY.getTime() + 120_000);
  expect(await joinWaitlist(urgent.p, 'Urbina')).toMatch(/^You're on the waitlist for an earlier time/);
  await script(d.p, ['X', '04/02/1980', 'Delgado', 'moving away', '2']);
  expect(await offersTo(urgent.caseId)).toHaveLength(1);
  expect(await offersTo(routine.caseId)).toHaveLength(0);
  expect((await offersTo(urgent.caseId))[0]!.body).toContain(`an earlier time opened for your exam: ${slotText(freed.start, exampleSite(), 'en')}`);
});
