import { DateTime } from 'luxon';
import { createPhoneHasher, normalizePhone } from '../../services/contact/phone';
import { T } from '../../dialogs/patient/patient.texts';
import { BODY_PART_WORDS } from '../../services/understanding/lexicon';
import { screeningQuestions } from '../../services/screening/screening';
import { KIND_OF_QUESTION } from '../../services/screening/disclosures';
import type { Case } from '../../services/cases/case.schema';
import { smsTalker, webchatTalker, type Talker } from '../support/channels';
import { api, completeOrder, type TestApp } from '../support/test-app';
import type { Script } from './conversation-script';

/** The outcome of one script: did it end right, and did the person ever get "didn't catch that" or the menu by mistake. */
export interface ScriptResult {
  id: string;
  ok: boolean;
  misunderstood: boolean;
  menuByMistake: boolean;
  problems: string[];
  transcript: string[];
}

const ZONE = 'America/Chicago';
/** The test app's phone hash (test/support/test-app.ts keys it so). */
const HASH = createPhoneHasher('test-hash-key');
/** The number consent is kept under: the SMS sender, or on chat the number the person typed. */
function phoneOf(s: Script): string {
  const typed = s.answers.phone === undefined ? null : normalizePhone(Array.isArray(s.answers.phone) ? s.answers.phone[0]! : s.answers.phone);
  return s.channel === 'sms' ? s.patient.phone : (typed ?? s.patient.phone);
}
/** The patient's number as they would type it: 512-555-0142. */
const typedPhone = (s: Script) => s.patient.phone.replace(/^\+1(\d{3})(\d{3})(\d{4})$/, '$1-$2-$3');
const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const MAX_TURNS = 40;
type Topic = keyof Script['answers'] | `screening:${string}` | 'verify_name';

/** Every question the bot can be asking, by its words in either language (the harness reads prompts; scripts never did). */
function questionBook(): Array<{ topic: Topic; text: string }> {
  const ask: Array<[Topic, keyof typeof T]> = [
    ['exam', 'exam'],
    ['has_order', 'has_order'],
    ['name', 'name'],
    ['name', 'name_last'],
    ['dob', 'dob'],
    ['dob', 'status_dob'],
    ['dob_which', 'dob_which'],
    ['phone', 'phone'],
    ['phone', 'status_phone'],
    ['phone', 'handoff_phone'],
    ['dob', 'handoff_dob'],
    ['verify_name', 'verify_name'],
    ['verify_name', 'status_name'],
    ['reason', 'reason'],
    ['provider', 'provider_with_order'],
    ['provider', 'provider_no_order'],
    ['provider', 'provider_phone'],
    ['timing', 'timing'],
    ['coverage', 'coverage'],
    ['coverage', 'coverage_member_id'],
    ['pick_time', 'slots'],
    ['pick_time', 'ask_when'],
    ['cancel_reason', 'cancel_reason'],
    ['cancel_or_rebook', 'cancel_or_rebook'],
    ['cancel_or_rebook', 'withdraw_confirm'],
    ['marketing', 'marketing_opt_in'],
  ];
  const book: Array<{ topic: Topic; text: string }> = [];
  for (const [topic, id] of ask) for (const lang of ['en', 'es'] as const) book.push({ topic, text: T[id][lang].replace(/\{\w+\}.*$/s, '').trim() });
  const seen = new Set<string>();
  for (const modality of ['mri', 'ct', 'xray', 'pet'] as const) {
    for (const q of screeningQuestions({ modality, bodyPart: null, contrast: 'with' })) {
      if (seen.has(q.id)) continue;
      seen.add(q.id);
      book.push({ topic: `screening:${q.id}`, text: q.en }, { topic: `screening:${q.id}`, text: q.es });
    }
  }
  return book.filter((b) => b.text.length > 8);
}
const BOOK = questionBook();

/** The question the reply ends on (the last one in it), or null when the bot is not asking anything. */
export function askedTopic(reply: string): Topic | null {
  let best: { topic: Topic; at: number } | null = null;
  for (const b of BOOK) {
    const at = reply.lastIndexOf(b.text);
    if (at >= 0 && (!best || at > best.at)) best = { topic: b.topic, at };
  }
  return best?.topic ?? null;
}

/** How the person answers a safety question: their words for its kind, else their usual answer (a yes to "can you lie still"). */
function screeningWords(s: Script, id: string): string {
  const mine = s.answers.screening ?? {};
  const kind: Record<string, string> = { pacemaker: 'pacemaker', implants: 'implant', pregnancy: 'pregnant', contrast_reaction: 'contrast_reaction', kidney: 'kidney', claustrophobia: 'claustrophobia', diabetes: 'diabetes' };
  const own = kind[id] ? mine[kind[id]] : undefined;
  if (own) return own;
  if (id === 'lie_still') return s.lang === 'es' ? 'sí' : 'yes';
  return mine.default ?? 'no';
}

const NOT_UNDERSTOOD = [T.not_understood.en, T.not_understood.es];
const MENU_WORDS = ["I'm a patient", 'Soy paciente'];
const STARTS_FLOW = /\b(mri|ct|scan|x-?ray|ultrasound|mammo|book|schedule|appointment|appt|cita|examen|resonancia|tomografia|mamografia|orden|order|cancel|reschedul|move|agendar|cambiar)\b/i;

/** A body part for an order the script left unspecified (orders always carry one). */
const DEFAULT_PART: Record<string, string> = { mri: 'lumbar spine', ct: 'chest', ultrasound: 'abdomen', mammography: 'breast', xray: 'chest', pet: 'whole body' };

async function makeWorld(t: TestApp, s: Script): Promise<Case | null> {
  if (s.world.kind === 'new') return null;
  const e = s.world.exam ?? { modality: 'mri', bodyPart: 'lumbar spine' };
  const o = completeOrder();
  const insurance = s.world.kind === 'in_progress' ? { payer: 'Aetna', memberId: 'W123456789' } : { selfPay: true };
  const body = {
    ...o,
    patient: { givenName: s.patient.givenName, familyName: s.patient.familyName, birthDate: s.patient.birthDate, phone: s.patient.phone, language: s.lang },
    order: { ...o.order, modality: e.modality, bodyPart: e.bodyPart ?? DEFAULT_PART[e.modality], laterality: e.laterality ?? null, contrast: e.contrast ?? (e.modality === 'mri' || e.modality === 'ct' ? 'without' : null), insurance },
  };
  const res = await api(t.base, 'POST', '/api/v1/cases', { token: await t.token('coordinator'), body });
  if (res.status !== 201) throw new Error(`world: case not created (${res.status} ${JSON.stringify(res.body).slice(0, 300)})`);
  const self = t.app.services.selfService;
  let c = (await t.app.repos.cases.findById(res.body.id as string))!;
  if (s.world.kind !== 'booked') return c;
  const study = { modality: e.modality, bodyPart: e.bodyPart ?? null, contrast: c.order.code.contrast };
  const safe = Object.fromEntries(screeningQuestions(study).map((q) => [q.id, q.safe]));
  const screened = await self.recordScreening(c.id, safe, s.patient.birthDate);
  if (!screened.ok) throw new Error(`world: screening not recorded (${screened.error.code})`);
  const a = s.world.appointment ?? { daysFromNow: 3, hour: 10 };
  const day = DateTime.fromISO('2026-11-30', { zone: ZONE }).plus({ days: a.daysFromNow }).toFormat('yyyy-MM-dd');
  c = (await t.app.repos.cases.findById(c.id))!;
  const slots = await self.offer(c, [day]);
  const slot = slots.find((x) => DateTime.fromJSDate(x.start, { zone: ZONE }).hour === a.hour) ?? slots[0];
  if (!slot) throw new Error('world: no slot to book');
  const booked = await self.book(c.id, slot, 'sms');
  if (!booked.ok) throw new Error(`world: not booked (${booked.error.code})`);
  return booked.value.case;
}

/** Plays one script against the real app: the person answers whatever the bot asks, in their own words. */
export async function runScript(t: TestApp, s: Script): Promise<ScriptResult> {
  const problems: string[] = [];
  const transcript: string[] = [];
  const world = await makeWorld(t, s);
  const before = world ? await t.app.repos.cases.findById(world.id) : null;
  const p: Talker = s.channel === 'sms' ? smsTalker(t, s.patient.phone) : webchatTalker(t, s.patient.phone);
  let misunderstood = false;
  let menuByMistake = false;
  const used = new Map<string, number>();
  const asidesLeft = [...s.asides];
  let lastOffer: string[] = [];
  let picked: number | null = null;
  const say = async (text: string) => {
    const reply = await p.say(text);
    transcript.push(`> ${text}`, reply);
    if (NOT_UNDERSTOOD.some((x) => reply.includes(x))) misunderstood = true;
    const offer = [...reply.matchAll(/^\d\. (.+ at \d{1,2}:\d\d.*)$/gm)].map((m) => m[1]!);
    if (offer.length) lastOffer = offer;
    return reply;
  };
  const answerFor = (topic: Topic): string | null => {
    if (topic.startsWith('screening:')) return screeningWords(s, topic.slice('screening:'.length));
    const key = (topic === 'verify_name' ? 'name' : topic) as keyof Script['answers'];
    const a = key === 'screening' ? undefined : s.answers[key];
    if (a === undefined) {
      // What anyone knows without a script: their own surname and mobile number.
      if (topic === 'verify_name') return s.patient.familyName;
      if (topic === 'phone' && !used.has('phone')) {
        used.set('phone', 1);
        return typedPhone(s);
      }
      return null;
    }
    const list = Array.isArray(a) ? a : [a];
    const n = used.get(topic) ?? 0;
    used.set(topic, n + 1);
    // Told the chat cannot see their number, a person types it.
    if (n >= list.length && topic === 'phone' && n === list.length) return typedPhone(s);
    if (n >= list.length) return n < list.length + 1 && !Array.isArray(a) ? list[0]! : null;
    return list[n]!;
  };

  let reply = await say(s.opening);
  if (MENU_WORDS.some((m) => reply.includes(m)) && STARTS_FLOW.test(s.opening)) menuByMistake = true;
  for (let turn = 0; turn < MAX_TURNS; turn++) {
    const topic = askedTopic(reply);
    if (!topic) {
      // The menu after an opening that only greeted: the person says they are a patient.
      if (MENU_WORDS.some((m) => reply.includes(m)) && !used.has('menu')) {
        used.set('menu', 1);
        reply = await say(s.lang === 'es' ? '1' : '1');
        continue;
      }
      break;
    }
    const aside = asidesLeft.findIndex((a) => a.before === topic || (topic === 'verify_name' && a.before === 'name'));
    if (aside >= 0) {
      const a = asidesLeft.splice(aside, 1)[0]!;
      const r = await say(a.says);
      if (a.kind === 'clinical') {
        if (!r.includes(T.clinical[s.lang]) && !r.includes(T.clinical.en)) problems.push(`clinical aside "${a.says}" not handed to a person`);
        reply = r;
        // Handed to a person and asked the same question again: the person goes on answering, as people do.
        if (askedTopic(r) === topic) continue;
        break;
      }
      if (askedTopic(r) !== topic) problems.push(`after the aside "${a.says}" the bot did not ask ${topic} again`);
      reply = r;
      continue;
    }
    // Shown times before anyone asked when suits them, a person says it first ("mornings are better").
    if (topic === 'pick_time' && s.answers.timing !== undefined && !used.has('timing')) {
      used.set('timing', 1);
      reply = await say(Array.isArray(s.answers.timing) ? s.answers.timing[0]! : s.answers.timing);
      continue;
    }
    const words = answerFor(topic);
    // The optional marketing question left unanswered ends the conversation, as people do.
    if (words === null && topic === 'marketing') break;
    if (words === null) {
      problems.push(`asked ${topic} ${used.get(topic) ? 'again' : ''} and the script has no (more) answer for it`.replace('  ', ' '));
      break;
    }
    if (topic === 'pick_time') {
      const m = /^(\d)$/.exec(words.trim());
      picked = m ? Number(m[1]) : picked;
    }
    reply = await say(words);
  }
  for (const a of s.after) {
    const r = await say(a.says);
    if (a.kind === 'clinical' && !r.includes(T.clinical[s.lang])) problems.push(`after: clinical "${a.says}" not handed to a person`);
    if (a.kind === 'faq' && (MENU_WORDS.some((m) => r.includes(m)) || NOT_UNDERSTOOD.some((x) => r.includes(x)))) {
      problems.push(`after: "${a.says}" got the menu or "didn't catch that"`);
      menuByMistake = true;
    }
  }
  await checkEnd(t, s, world, before, lastOffer, problems, transcript.join('\n'));
  return { id: s.id, ok: problems.length === 0, misunderstood, menuByMistake, problems, transcript };
}

const digits = (x: string | null | undefined) => (x ?? '').replace(/\D/g, '');
const norm = (x: string) => x.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().trim();

async function checkEnd(t: TestApp, s: Script, world: Case | null, before: Case | null, lastOffer: string[], problems: string[], said: string): Promise<void> {
  const e = s.expect;
  const { items } = await t.app.repos.cases.list({}, { limit: 50 });
  const requests = items.filter((c) => c.order.intent === 'proposal');
  const tasks = await t.app.repos.tasks.list({}, 200);
  const handoffs = tasks.filter((x) => x.kind === 'human_handoff');
  const mine = world ? await t.app.repos.cases.findById(world.id) : (requests[0] ?? null);
  const need = (cond: boolean, what: string) => {
    if (!cond) problems.push(what);
  };
  switch (e.outcome) {
    case 'request_submitted':
      need(requests.length === (e.requests ?? 1), `expected ${e.requests ?? 1} request(s), found ${requests.length}`);
      break;
    case 'booked':
      need(mine?.appointment?.status === 'booked' || mine?.appointment?.status === 'pending', `expected a booking, case is ${mine?.state ?? 'missing'}`);
      break;
    case 'review_hold':
      need(!!mine && mine.screening?.status === 'review' && !mine.appointment, `expected a screening review hold, case ${mine?.state ?? 'missing'} screening ${mine?.screening?.status ?? 'none'}`);
      break;
    case 'rescheduled':
      need(!!mine?.appointment && !!before?.appointment && mine.appointment.start.getTime() !== before.appointment.start.getTime(), 'expected the appointment moved');
      break;
    case 'confirmed':
      need(mine?.appointment?.confirmedAt != null, 'expected the appointment confirmed');
      break;
    case 'appointment_cancelled':
      need(!!mine && mine.state === 'reschedule_needed' && !mine.appointment, `expected the appointment cancelled and the order kept, case is ${mine?.state}`);
      break;
    case 'withdrawn':
      need(mine?.state === 'cancelled', `expected the exam withdrawn, case is ${mine?.state}`);
      break;
    case 'status_told':
      need(/Your imaging order from|Su orden de imágenes del/.test(said), 'expected the order status told');
      break;
    case 'waitlisted':
      need([T.waitlist_joined, T.waitlist_joined_unbooked, T.waitlist_already].some((x) => said.includes(x[s.lang].slice(0, 25))), 'expected a place on the waitlist');
      break;
    case 'handoff':
      need(handoffs.length > 0, 'expected a handoff task');
      if (e.handoffHasCase) need(handoffs.some((h) => !!h.caseId), 'expected the handoff task to carry the case');
      break;
    case 'faq_answered':
      need(requests.length === 0 && handoffs.length === 0, 'expected only an answer, got a request or a handoff');
      break;
  }
  const r = requests[0];
  if (r && e.outcome === 'request_submitted') {
    const patient = await t.app.repos.patients.findById(r.patientId);
    if (e.modality) need(requests.some((c) => c.order.code.modality === e.modality), `modality ${e.modality} not requested (got ${requests.map((c) => c.order.code.modality).join(', ')})`);
    if (e.bodyPartIncludes) {
      // The script names the part in lay words ("head"); the record keeps the canonical name ("brain").
      const wanted = [norm(e.bodyPartIncludes), ...BODY_PART_WORDS.filter(([, w]) => w.includes(norm(e.bodyPartIncludes!))).map(([part]) => part)];
      need(requests.some((c) => wanted.some((w) => norm(c.order.bodySite.text ?? '').includes(w))), `body part "${e.bodyPartIncludes}" not stored (got ${requests.map((c) => c.order.bodySite.text).join(', ')})`);
    }
    // A generational suffix ("Jr", "III") is kept with the family name (the record has no suffix field), so it is
    // not compared: "hollister jr" is the "Hollister" the script expects, with nothing lost.
    const family = norm(patient?.familyName ?? '').replace(/\s+(jr|sr|ii|iii|iv)\.?$/, '');
    if (e.familyName) need(family === norm(e.familyName), `family name stored as "${patient?.familyName}"`);
    if (e.givenName) need(norm(patient?.givenName ?? '').startsWith(norm(e.givenName)), `given name stored as "${patient?.givenName}"`);
    if (e.birthDate) need(patient?.birthDate === e.birthDate, `birth date stored as ${patient?.birthDate}`);
    if (e.providerIncludes) need(norm(r.order.requester?.name ?? '').includes(norm(e.providerIncludes)), `provider stored as "${r.order.requester?.name}"`);
    if (e.providerPhoneDigits) need(digits(r.order.requester?.phone).endsWith(e.providerPhoneDigits.slice(-10)), `provider phone stored as "${r.order.requester?.phone}"`);
    const ins = r.order.insurance as { payer?: string; memberId?: string; selfPay?: boolean } | null;
    if (e.payer) need(e.payer === 'self_pay' ? ins?.selfPay === true : e.payer === 'other' ? !!ins?.payer : ins?.payer === e.payer, `payer stored as ${JSON.stringify(ins)}`);
    if (e.memberId) need(norm(ins?.memberId ?? '').replace(/\s/g, '') === norm(e.memberId).replace(/\s/g, ''), `member id stored as "${ins?.memberId}"`);
    if (e.priority) need(r.order.priority === 'asap', `priority stored as ${r.order.priority}`);
  }
  if (e.disclosures?.length) {
    const all = [...requests, ...(mine ? [mine] : [])];
    // On the screening record: said anywhere (a disclosure) or answered to the screening question about it (a flag).
    const flagged = (c: Case) => (c.screening?.flags ?? []).map((f) => KIND_OF_QUESTION[f.id]).filter((k) => k !== undefined);
    const kinds = new Set(all.flatMap((c) => [...(c.screening?.disclosures ?? []).map((d) => d.kind), ...flagged(c)]));
    for (const k of e.disclosures) need(kinds.has(k), `disclosure ${k} not on the case (has ${[...kinds].join(', ') || 'none'})`);
  }
  if (e.slot && mine?.appointment) {
    const at = DateTime.fromJSDate(mine.appointment.start, { zone: ZONE });
    const day = WEEKDAYS[at.weekday - 1]!;
    // "tue" or "tuesday": a script may write the day either way.
    const isDay = (x: string) => day.slice(0, 3) === x.toLowerCase().slice(0, 3);
    if (e.slot.weekdayNot) need(!isDay(e.slot.weekdayNot), `booked on ${day}`);
    if (e.slot.weekday) need(isDay(e.slot.weekday), `booked on ${day}, wanted ${e.slot.weekday}`);
    if (e.slot.fromHour !== undefined) need(at.hour >= e.slot.fromHour, `booked at ${at.toFormat('HH:mm')}, wanted from ${e.slot.fromHour}:00`);
    if (e.slot.beforeHour !== undefined) need(at.hour < e.slot.beforeHour, `booked at ${at.toFormat('HH:mm')}, wanted before ${e.slot.beforeHour}:00`);
    if (e.slot.pick !== undefined && lastOffer[e.slot.pick - 1]) need(lastOffer[e.slot.pick - 1]!.includes(at.toFormat('h:mm a')), `booked ${at.toFormat('h:mm a')}, not offer ${e.slot.pick} (${lastOffer[e.slot.pick - 1]})`);
  }
  if (e.marketing) {
    const st = await t.app.services.consent.statuses(HASH(phoneOf(s)));
    need((st.marketing === 'granted') === (e.marketing === 'granted'), `marketing consent is ${st.marketing}`);
  }
}
