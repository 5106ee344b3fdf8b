import { smsTalker, type Talker } from '../support/channels';
import { newPhone } from '../support/sms';
import { slotText } from '../../services/scheduling/slot-text';
import { api, completeOrder, exampleSite, startTestApp, type TestApp } from '../support/test-app';

const NOW = new Date('2026-11-30T16:00:00Z'); // Monday 10:00 in Austin
const PATIENTS = 50;
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ name: 'race', now: () => NOW });
});
afterAll(() => t.close());

/** A CT (one scanner) order at the center for this number, ready to schedule. */
async function ctOrder(token: string, phone: string, i: number) {
  const o = completeOrder();
  const res = await api(t.base, 'POST', '/api/v1/cases', {
    token,
    body: { ...o, patient: { givenName: 'Pat', familyName: `Race${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`, birthDate: '1970-01-01', phone, language: 'en' }, order: { ...o.order, modality: 'ct', bodyPart: 'chest', contrast: 'without', insurance: { selfPay: true } } },
  });
  expect(res.body.state).toBe('ready_to_schedule');
  return { caseId: res.body.id as string, familyName: res.body.patient.familyName as string };
}

test(`${PATIENTS} patients answer "1" to the same offered time at once: exactly one booking, everyone else is offered other times`, async () => {
  const token = await t.token('coordinator');
  const people: Array<{ p: Talker; caseId: string; offer: string }> = [];
  // Each patient reaches the offer by SMS (ten at a time, to set up quickly).
  for (let batch = 0; batch < PATIENTS; batch += 10) {
    people.push(
      ...(await Promise.all(
        Array.from({ length: 10 }, async (_, k) => {
          const i = batch + k;
          const phone = newPhone();
          const { caseId, familyName } = await ctOrder(token, phone, i);
          const p = smsTalker(t, phone);
          await p.say('I need to book my CT, my doctor sent the order');
          await p.say(`Pat ${familyName}`);
          await p.say('01/01/1970');
          const offer = await p.say('no'); // CT: the pregnancy question only
          return { p, caseId, offer };
        }),
      )),
    );
  }
  const [first] = await t.app.services.scheduling.offer({ modality: 'ct', bodyPart: 'chest', contrast: 'without' });
  const taken = slotText(first!.start, exampleSite(), 'en');
  for (const x of people) expect(x.offer).toMatch(new RegExp(`^Here are the earliest times:\\n1\\. ${taken}\\n`));

  const replies = await Promise.all(people.map((x) => x.p.say('1')));

  const won = replies.filter((r) => r.startsWith(`You're booked: ${taken} `));
  expect(won).toHaveLength(1);
  const lost = replies.filter((r) => !r.startsWith("You're booked"));
  expect(lost).toHaveLength(PATIENTS - 1);
  for (const r of lost) {
    expect(r).toMatch(/^That time was just taken by someone else\.\nHere are the earliest times:\n1\. /);
    expect(r).not.toContain(taken);
  }
  const cases = await Promise.all(people.map((x) => t.app.repos.cases.findById(x.caseId)));
  expect(cases.filter((c) => c!.state === 'scheduled')).toHaveLength(1);
  expect(cases.filter((c) => c!.state === 'ready_to_schedule' && c!.appointment === null)).toHaveLength(PATIENTS - 1);
  const booked = await t.app.repos.appointments.bookedBetween(['ct-1'], first!.start, first!.end);
  expect(booked).toHaveLength(1);

  // A patient who lost can take the next time they are offered.
  const loser = people.find((_, i) => !replies[i]!.startsWith("You're booked"))!;
  expect(await loser.p.say('1')).toMatch(/^You're booked: /);
}, 400_000);
