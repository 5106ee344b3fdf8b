/**
 * The patient dialogs as data: each flow is a list of [what the patient says, what the bot must answer], run on SMS
 * (signed Twilio webhook, numbered plain text) and on Web Chat (Bot Framework activity with expectReplies, suggested
 * actions), against the real app. Help and start-over are tried at every qualification step.
 */
import { smsTalker, webchatTalker, type Talker } from '../support/channels';
import { newPhone } from '../support/sms';
import { api, completeOrder, startTestApp, type TestApp } from '../support/test-app';

const NOW = new Date('2026-11-30T16:00:00Z'); // Monday 10:00 in Austin
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ name: 'dialogs', now: () => NOW });
});
afterAll(() => t.close());

type Channel = 'sms' | 'webchat';
const CHANNELS: Channel[] = ['sms', 'webchat'];
const talker = (channel: Channel, phone = newPhone()): Talker => (channel === 'sms' ? smsTalker(t, phone) : webchatTalker(t, phone));

/** One qualification step: the question, its help, and an answer that moves on. Web Chat also asks for a number. */
interface QStep {
  step: string;
  prompt: RegExp;
  help: RegExp;
  answer: (p: Talker) => string;
  only?: Channel;
}
const REQUEST: QStep[] = [
  { step: 'exam', prompt: /What exam do you need\?/, help: /Tell me the exam in your own words/, answer: () => 'MRI of my lower back' },
  { step: 'has_order', prompt: /Do you have an order \(referral\) from a doctor for this exam\?\n1\. Yes\n2\. No/, help: /An order is the paper or electronic request/, answer: () => 'no' },
  { step: 'name', prompt: /What is your full name \(first and last\)\?/, help: /Please send your first and last name/, answer: () => 'Maria Garcia' },
  { step: 'dob', prompt: /What is your date of birth\? \(MM\/DD\/YYYY\)/, help: /Send your date of birth like 04\/02\/1980/, answer: () => '03/15/1985' },
  { step: 'phone', prompt: /What mobile number can we text you at\?/, help: /Send a US mobile number/, answer: (p) => p.phone, only: 'webchat' },
  { step: 'reason', prompt: /In a few words, why do you need this exam\?/, help: /Just tell us in your own words/, answer: () => 'back pain for 3 months' },
  { step: 'provider', prompt: /Which doctor should we ask for the order\?/, help: /Send the doctor’s name/, answer: () => 'Dr. Okafor' },
  { step: 'timing', prompt: /When would you like to come in\?/, help: /Tell us the days or times that work for you/, answer: () => 'next week' },
  { step: 'coverage', prompt: /How will you pay\?/, help: /Your member ID is on the front of your insurance card/, answer: () => 'self pay' },
];
const DONE = /^Thank you, Maria\. Our team will contact Dr\. Okafor for your order\./m;
const stepsFor = (channel: Channel) => REQUEST.filter((s) => !s.only || s.only === channel);

/** Starts from the menu ("hi", then 1) and answers every step before `upTo`; returns the last reply. */
async function reach(p: Talker, upTo: number): Promise<string> {
  await p.say('hi');
  let last = await p.say('1');
  const steps = stepsFor(p.channel);
  for (let i = 0; i < upTo; i++) last = await p.say(steps[i]!.answer(p));
  return last;
}

async function casesOf(phone: string) {
  const token = await t.token('coordinator');
  return (await api(t.base, 'GET', `/api/v1/cases?phone=${encodeURIComponent(phone)}`, { token })).body.items as Array<Record<string, any>>;
}

describe.each(CHANNELS)('request an exam on %s', (channel) => {
  test('every step in order, then the request case and the order request', async () => {
    const p = talker(channel);
    await p.say('hi');
    let reply = await p.say('1');
    for (const s of stepsFor(channel)) {
      expect(reply).toMatch(s.prompt);
      reply = await p.say(s.answer(p));
    }
    expect(reply).toMatch(DONE);
    const [c] = await casesOf(p.phone);
    expect(c).toMatchObject({ state: 'order_requested', source: channel, order: { intent: 'proposal', requester: { name: 'Dr. Okafor' }, insurance: { selfPay: true } } });
    // Care texts to the number: consent by texting in (SMS) or by giving the number for them (chat).
    const consent = await api(t.base, 'GET', `/api/v1/consents/${encodeURIComponent(p.phone)}`, { token: await t.token('admin') });
    expect(consent.body.purposes.care).toMatchObject({ status: 'granted', history: [{ source: channel === 'sms' ? 'sms_inbound' : 'chat_reply' }] });
    // The MRI safety questions while the order is on its way, then the optional reminders question.
    expect(reply).toMatch(/\nBefore the order arrives, a few safety questions, so we can book you as soon as it does\. Please answer each one\.\nDo you have a pacemaker/);
    for (const a of ['no', 'no', 'no', 'no', 'no', 'no', 'no', 'no', 'no', 'yes', 'no']) reply = await p.say(a);
    expect(reply).toMatch(/^That's all for now\. We'll text you when the order arrives\.\n[\s\S]*Reply YES to join or NO\./);
    expect(await p.say('no thanks')).toBe('No problem: you will only get texts about your exam.');
    expect(consent.body.purposes.marketing.status).toBe('unknown');
    expect((await casesOf(p.phone))[0]).toMatchObject({ screening: { status: 'no_flags', answered: true } });
  });

  test.each(stepsFor(channel).map((s, i) => [s.step, i] as const))('"help" at %s explains the step, asks again, and the answer still counts', async (_name, i) => {
    const p = talker(channel);
    const steps = stepsFor(channel);
    expect(await reach(p, i)).toMatch(steps[i]!.prompt);
    const help = await p.say('help');
    expect(help).toMatch(steps[i]!.help);
    expect(help).toMatch(/Say MENU to start over, or AGENT to talk to a person\./);
    expect(help).toMatch(steps[i]!.prompt);
    // SMS: HELP is also a carrier keyword, answered with who we are and how to opt out (domain.md §6).
    if (channel === 'sms') expect(help).toMatch(/Bluebonnet Imaging: imaging appointments.*Msg & data rates may apply\. Reply STOP to opt out\./);
    const next = await p.say(steps[i]!.answer(p));
    expect(next).toMatch(i + 1 < steps.length ? steps[i + 1]!.prompt : DONE);
  });

  // CANCEL is an opt-out keyword on SMS (domain.md §6), so there "menu" / "start over" leave the flow; Web Chat takes "cancel" too.
  const stopWord = channel === 'sms' ? 'start over' : 'cancel';
  test.each(stepsFor(channel).map((s, i) => [s.step, i] as const))(`"${stopWord}" at %s leaves the flow: nothing is kept or created`, async (_name, i) => {
    const p = talker(channel);
    const steps = stepsFor(channel);
    expect(await reach(p, i)).toMatch(steps[i]!.prompt);
    expect(await p.say(stopWord)).toBe('OK, I stopped. Nothing was booked or sent. Say HI any time to start again.');
    // The step's answer now means nothing to a flow: the bot is back at its menu.
    const after = await p.say('hi');
    expect(after).toMatch(/^Hi, this is Bluebonnet Imaging\. How can we help\?/);
    expect(await casesOf(p.phone)).toEqual([]);
  });
});

test('on SMS, CANCEL in the middle of a flow is an opt-out: consent revoked, one confirmation, nothing more', async () => {
  const p = talker('sms');
  await reach(p, 2);
  const r = await p.say('CANCEL');
  expect(r).toBe('Bluebonnet Imaging: you are unsubscribed and will get no more texts from us. Reply START to resubscribe. Questions: (512) 555-0100.');
  expect(await p.say('Maria Garcia')).toBe('');
});

/** Everything else the patient flows do, as [says, answer] pairs. */
type Line = [say: string | ((p: Talker) => string), expect: RegExp | string];

async function run(p: Talker, lines: Line[]): Promise<void> {
  for (const [say, want] of lines) {
    const text = typeof say === 'function' ? say(p) : say;
    const got = await p.say(text);
    if (typeof want === 'string') expect({ said: text, got }).toEqual({ said: text, got: want });
    else expect({ said: text, got }).toEqual({ said: text, got: expect.stringMatching(want) });
  }
}

async function orderAtCenter(phone: string, order: Record<string, unknown> = {}) {
  const token = await t.token('coordinator');
  const o = completeOrder();
  const res = await api(t.base, 'POST', '/api/v1/cases', { token, body: { ...o, patient: { ...o.patient, phone, language: 'en' }, order: { ...o.order, insurance: { selfPay: true }, ...order } } });
  return res.body as { id: string };
}

const SAFE: Line[] = [
  ['no', /cochlear/],
  ['no', /neurostimulator/],
  ['no', /implanted pump/],
  ['no', /aneurysm clip/],
  ['no', /metal in your eyes/],
  ['no', /shrapnel/],
  ['no', /other implant/],
  ['no', /claustrophobia/],
  ['no', /lie still on your back/],
  ['yes', /chance you could be pregnant/],
  ['no', /^Here are the earliest times:\n1\. Mon, Nov 30 at \d{1,2}:\d\d [AP]M\n2\. .*\n3\. /],
];

describe.each(CHANNELS)('order lookup, screening and booking on %s', (channel) => {
  test('has an order → found → screening → a time → booked with prep; then C, R and X', async () => {
    const p = talker(channel);
    const created = await orderAtCenter(p.phone);
    const start: Line[] = channel === 'sms'
      ? [['I need to book my MRI, my doctor sent the order', /What is your full name/], ['Ana Lopez', /date of birth/], ['04/02/1980', /^Before we pick a time, a few safety questions\. Please answer each one\.\nDo you have a pacemaker/]]
      : [['I need to book my MRI, my doctor sent the order', /What is your full name/], ['Ana Lopez', /date of birth/], ['04/02/1980', /What mobile number/], [(x) => x.phone, /^Before we pick a time, a few safety questions\. Please answer each one\.\nDo you have a pacemaker/]];
    // Chats show the booking as a card (when, where, the exam) above the text; SMS carries no study.
    // Chats show the booking as a card (when, where, the exam) with Confirm / Reschedule / Cancel buttons; SMS says
    // the letters, and carries no study.
    const card = 'Your appointment\nWhen: Mon, Nov 30 at .*\nWhere: Bluebonnet Imaging.*\nExam: MRI lumbar spine\n\\[Confirm\\] \\[Reschedule\\] \\[Cancel\\]\n';
    const booked = channel === 'sms'
      ? /^You're booked: Mon, Nov 30 at .* at Bluebonnet Imaging[\s\S]*How to prepare: Bring a photo ID[\s\S]*Reply C to confirm, R to reschedule or X to cancel/
      : new RegExp(`^(?![^]*Reply C)${card}You're booked: Mon, Nov 30 at .* at Bluebonnet Imaging[^]*How to prepare: Bring a photo ID[^]*$`);
    await run(p, [...start, ...SAFE, ['2', booked]]);
    await run(p, [
      ['C', /^Thanks, you are confirmed for Mon, Nov 30 at/],
      ['R', /^Your current appointment is Mon, Nov 30 at .*\nHere are the earliest times:\n1\./],
      ['help', /Reply 1, 2 or 3 to pick a time/],
      ['friday', /^Here are the earliest times:\n1\. Fri, Dec 4 at 7:00 AM\n2\. Fri, Dec 4 at 7:45 AM\n3\. Fri, Dec 4 at 8:30 AM/],
      ['1', new RegExp(`^${channel === 'sms' ? '' : 'Your appointment\nWhen: Fri, Dec 4 at 7:00 AM\n[\\s\\S]*'}Done, your appointment is moved\\. You're booked: Fri, Dec 4 at 7:00 AM`)],
      ['X', "Sorry you can't make it. In a few words, what's the reason?"],
      ['work conflict', /^Would you like a new time instead\?\n1\. /],
      ['Cancel the appointment', 'Your appointment is cancelled and the time is released. We keep your order: whenever you are ready, reply BOOK to pick a new time.'],
    ]);
    const c = (await t.app.repos.cases.findById(created.id))!;
    expect(c).toMatchObject({ state: 'reschedule_needed', appointment: null });
    expect(c.history.map((h) => h.event)).toEqual(['create', 'mark_ready', 'book', 'request_reschedule', 'book', 'request_reschedule']);
  });

  test('a "yes" to a safety question: a review task and no times', async () => {
    const p = talker(channel);
    const created = await orderAtCenter(p.phone);
    const start: Line[] = [['I have an order for an MRI', /What is your full name/], ['Ana Lopez', /date of birth/]];
    if (channel === 'webchat') start.push(['04/02/1980', /What mobile number/], [(x) => x.phone, /pacemaker/]);
    else start.push(['04/02/1980', /pacemaker/]);
    await run(p, [...start, ['not sure', /cochlear/], ...SAFE.slice(1, -1), ['no', /^Thank you\. Because of your answers, one of our technologists needs to talk with you before we can book\./]]);
    expect((await t.app.repos.tasks.list({ kind: 'technologist_review' }, 200)).some((x) => x.caseId === created.id)).toBe(true);
  });

  test('"where is my order?" checks identity before it says anything', async () => {
    const p = talker(channel);
    await orderAtCenter(p.phone);
    const lines: Line[] = [['where is my order?', channel === 'sms' ? /What's your date of birth\?/ : /What mobile number did you give us\?/]];
    if (channel === 'webchat') lines.push([(x) => x.phone, /What's your date of birth\?/]);
    lines.push(['04/02/1980', 'And your last name?'], ['Lopez', /^Your imaging order from Nov 30: it is ready to schedule\.\n(\n)?Reply BOOK whenever you want to pick a time\.$/]);
    await run(p, lines);
  });
});

test('Web Chat: changing an appointment booked by SMS proves who it is with the number, birth date and name first', async () => {
  const phone = newPhone();
  await orderAtCenter(phone);
  const sms = talker('sms', phone);
  await run(sms, [['I need to book my MRI, my doctor sent the order', /full name/], ['Ana Lopez', /date of birth/], ['04/02/1980', /pacemaker/], ...SAFE, ['1', /^You're booked/]]);
  const chat = talker('webchat', phone);
  await run(chat, [
    ['I need to reschedule my appointment', 'To move your appointment: To protect your privacy, I need to check a couple of details first. What mobile number can we text you at?'],
    ['555', /^Sorry, I didn't catch that\. Send a US mobile number/],
    [phone, 'What is your date of birth? (MM/DD/YYYY)'],
    ['04/02/1980', 'What is your first or last name?'],
    ['Ana', /^Your current appointment is Mon, Nov 30 at .*\nHere are the earliest times:\n1\. /],
  ]);
});

describe.each(CHANNELS)('interruptions on %s', (channel) => {
  test('"agent" at any step hands over to a person, with a task that can reply', async () => {
    const p = talker(channel);
    await reach(p, 2);
    expect(await p.say('agent')).toMatch(/^I've asked our team to reply to you here\. We answer during opening hours/);
    const tasks = (await t.app.repos.tasks.list({ kind: 'human_handoff' }, 200)).filter((x) => x.summary.includes('asked for a person (patient dialog)') && x.replyTo?.kind === (channel === 'sms' ? 'sms' : 'chat'));
    expect(tasks.length).toBeGreaterThan(0);
    // The task comes with the conversation so far, in order, both sides.
    const token = await t.token('coordinator');
    const views = await Promise.all(tasks.map((x) => api(t.base, 'GET', `/api/v1/tasks/${x.id}`, { token })));
    const mine = views.map((v) => v.body.conversation as Array<{ direction: string; body: string; channel: string }>).find((c) => c.at(-2)?.body === 'agent');
    expect(mine!.filter((m) => m.direction === 'inbound').map((m) => m.body)).toEqual(['hi', '1', 'MRI of my lower back', 'no', 'agent']);
    expect(mine!.filter((m) => m.direction === 'outbound').map((m) => m.body)).toContain('What is your full name (first and last)?');
    expect(mine!.every((m) => m.channel === channel)).toBe(true);
    expect(await p.say('hi')).toMatch(/^Hi, this is Bluebonnet Imaging/);
  });

  test('a clinical question is never answered by the bot: it goes to staff', async () => {
    const p = talker(channel);
    await reach(p, 1);
    expect(await p.say('is it safe for me if I have a stent?')).toMatch(/^That's a question for our clinical team, and I can't answer it\./);
    expect((await t.app.repos.tasks.list({ kind: 'human_handoff' }, 200)).some((x) => x.summary.includes('asked a clinical question'))).toBe(true);
  });

  test('three answers in a row that do not fit → a person', async () => {
    const p = talker(channel);
    await reach(p, 3); // at the date of birth
    expect(await p.say('blue')).toMatch(/^Sorry, I didn't catch that\. Send your date of birth like 04\/02\/1980.*\nWhat is your date of birth\?/s);
    expect(await p.say('green')).toMatch(/^Sorry, I didn't catch that\./);
    expect(await p.say('red')).toMatch(/^I'm having trouble understanding, so I've asked our team to reply to you here\./);
  });

  test('"en español" switches the language of the question being asked', async () => {
    const p = talker(channel);
    await reach(p, 2);
    expect(await p.say('en español por favor')).toBe('¿Cuál es su nombre completo (nombre y apellido)?');
    expect(await p.say('María García')).toBe('¿Cuál es su fecha de nacimiento? (MM/DD/AAAA)');
    expect(await p.say('English please')).toBe('What is your date of birth? (MM/DD/YYYY)');
  });
});
