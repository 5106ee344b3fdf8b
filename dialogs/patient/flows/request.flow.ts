import { findPhone } from '../../../services/contact/phone';
import { findExams } from '../../../services/understanding/find-exams';
import { looksLikeQuestion } from '../../../services/faq/faq.topics';
import { mergeWish, parseTimeWish } from '../../../services/scheduling/time-wish';
import { requestNumber } from '../../../services/patients/order-request.service';
import type { Case } from '../../../services/cases/case.schema';
import { fold } from '../../engine/interruptions';
import { Reply, step, type Out } from '../../engine/step';
import type { Kit, Steps } from '../kit';
import { saidDetails, YES_NO, yesNo } from '../kit';
import { nameAndBirthDate, nameInAnswer, oneName, parseCoverage, parseProvider, screeningAnswer } from '../parse';
import type { PatientCtx, StepId, WantedExam } from '../state';
import { examLabel, t } from '../patient.texts';
import { readBirthDate } from './identity.flow';

/** An answer about the order in other words: the doctor and paper or sending named, said or denied. */
function orderWords(text: string): 'yes' | 'no' | null {
  const f = fold(text);
  // "do i need an order from my doctor?" asks; it does not answer.
  if (looksLikeQuestion(text)) return null;
  // "nadie me ha llamado, así que creo que no": a doubtful no ends it; the order is asked for either way.
  if (/\b(creo que no|no creo|i don'?t think so|probably not|i guess not|supongo que no|parece que no)\s*$/.test(f)) return 'no';
  if (!/\b(order|referral|paper|script|prescription|fax\w*|sen[dt]\w*|orden|referencia|papel|receta|mand\w*|envi\w*|doctor|dr|doc|medic[oa])\b/.test(f)) return null;
  return /\b(no|not|dont|don'?t|didn'?t|haven'?t|hasn'?t|never|todavia no|aun no|nunca|ni)\b/.test(f) ? 'no' : 'yes';
}

/** "actually", "perdón, es tomografía no resonancia": words that put an earlier answer right. */
const CORRECTION = /\b(actually|wait|sorry|instead|i mean|not the|make it|perdon|en realidad|me equivoque|quise decir|mejor dicho|no es|es \w+ no)\b/;

/** The exam said again in other words after a correction, when it is not the one asked for so far. */
function examCorrection(rest: string, asked: WantedExam): { exam: WantedExam } | Record<string, never> {
  if (!CORRECTION.test(fold(rest))) return {};
  // findExams leaves out what is denied ("not the mri", "no resonancia"); the most specific reading wins.
  const exams = findExams(rest).filter((e) => e.modality !== null);
  const best = exams.find((e) => e.bodyPart !== null) ?? exams[0];
  if (!best || (best.modality === asked.modality && (best.bodyPart === null || best.bodyPart === asked.bodyPart))) return {};
  return { exam: { modality: best.modality, bodyPart: best.bodyPart ?? asked.bodyPart, laterality: best.laterality ?? asked.laterality, contrast: best.contrast ?? null } };
}

const NOT_SURE = /^(not sure|unsure|i don'?t know|no se|no estoy segur[oa]|no lo se|idk)$/;
const NONE = /^(none|no|nope|nobody|no one|ninguno|ninguna|nadie|no tengo( medico| doctor)?)$|\b(do ?n'?t|do not|dont) (really |currently )?have (a|one|any|my own) (doctor|dr|pcp|primary|physician|regular doctor)|\bno (doctor|pcp|primary care)\b|\bno (tengo|tiene) (doctor|medico|doctora)\b/;
/** "I need to book my MRI", "quiero agendar la resonancia": someone who expects the order to be here already. */
const BOOKING = /\b(book|schedule|appt|appointment|get on the schedule|agendar|programar|cita)\b/;
/** "asap", "as soon as possible", "lo antes posible": the request is followed up by a person at once. */
export const ASAP = /\b(asap|as soon as (possible|you can)|urgent(ly)?|right away|lo antes posible|lo mas pronto( posible)?|cuanto antes|urgente)\b/;

/**
 * Requesting an exam: the qualification questions (only those not yet answered), then the order we already have, or
 * the request case and the order request to the doctor; several exams in one message become one request each.
 */
export function createRequestFlow(kit: Kit) {
  const { self, deps, site } = kit;

  /** The exams in this message beyond the first, kept for their own requests, and the line that says so. */
  function noteMoreExams(ctx: PatientCtx, first: WantedExam): Out[] {
    const named = findExams(ctx.turn.text).filter((e) => e.modality !== null);
    // One entry per exam: "a mammogram and an ultrasound" of the same breast is two; "the ultrasound" again is not.
    const all = named.filter((e, i) => !named.some((o, j) => j !== i && o.modality === e.modality && ((j < i && o.bodyPart === e.bodyPart) || (e.bodyPart === null && o.bodyPart !== null))));
    if (all.length < 2) return [];
    Object.assign(first, { modality: all[0]!.modality, bodyPart: all[0]!.bodyPart, laterality: all[0]!.laterality ?? first.laterality, contrast: all[0]!.contrast ?? first.contrast });
    const more = all.slice(1, 4);
    ctx.s.answers.moreExams = more;
    const and = ctx.turn.lang === 'es' ? ' y ' : ' and ';
    return [{ text: t('several_exams', ctx.turn.lang, { list: [first, ...more].map((e) => examLabel(e, ctx.turn.lang)).join(and) }) }];
  }

  const steps: Steps<'exam' | 'has_order' | 'name' | 'dob' | 'phone' | 'reason' | 'provider' | 'timing' | 'coverage'> = {
    exam: step<PatientCtx, 'not_sure' | 'named'>({
      prompt: ({ turn }) => [{ text: t('exam', turn.lang) }],
      help: ({ turn }) => t('exam_help', turn.lang),
      read: ({ turn }) => (NOT_SURE.test(fold(turn.text)) ? 'not_sure' : turn.understanding.fields.modality ? 'named' : null),
      next: async (ctx, v) => {
        const a = ctx.s.answers;
        a.examAsked = true;
        if (v === 'named') {
          const f = ctx.turn.understanding.fields;
          Object.assign(a, { modality: f.modality, bodyPart: f.bodyPart, laterality: f.laterality, contrast: f.contrast ?? a.contrast });
          if (f.hasOrder !== null) a.hasOrder = f.hasOrder;
          Object.assign(a, saidDetails(f));
          return [...noteMoreExams(ctx, a), ...(await advance(ctx))];
        }
        return advance(ctx);
      },
    }),
    has_order: step<PatientCtx, boolean>({
      prompt: ({ turn }) => [{ text: t('has_order', turn.lang), choices: YES_NO(turn.lang) }],
      help: ({ turn }) => t('has_order_help', turn.lang),
      // "no i dont have one yet, can you guys get it?", "yes please!", "si claro": the everyday forms too.
      read: ({ turn }) => {
        const f = turn.understanding.fields;
        // "do i need one?? my obgyn just said call and schedule": none in hand; the center asks the doctor for it.
        const asks = /\b(do i|does she|does he|do we) (even )?(need|have to have) (one|an order|a referral|a prescription)\b|\bnecesito (una )?orden\b.*\?/.test(fold(turn.text)) ? 'no' : null;
        const yn = yesNo(turn.text, turn.lang) ?? (f.hasOrder === null ? null : f.hasOrder ? 'yes' : 'no') ?? asks ?? screeningAnswer(turn.text) ?? orderWords(turn.text);
        return yn === null ? null : yn === 'yes';
      },
      next: async (ctx, has) => {
        ctx.s.answers.hasOrder = has;
        Object.assign(ctx.s.answers, saidDetails(ctx.turn.understanding.fields));
        return advance(ctx);
      },
    }),
    name: step<PatientCtx, { givenName: string; familyName: string; birthDate?: string; exam?: WantedExam }>({
      prompt: ({ turn }) => [{ text: t('name', turn.lang) }],
      help: ({ turn }) => t('name_help', turn.lang),
      // "brenda kowalski 2/28/72": the date of birth said with the name is taken too.
      read: ({ s, turn }) => {
        const said = nameInAnswer(turn.text, turn.lang);
        // "Tyrone Jackson. oh wait actually make it the ct not the mri": the name, and the exam put right.
        if (said) return { ...said.name, ...(said.rest ? examCorrection(said.rest, s.answers) : {}) };
        const full = nameAndBirthDate(turn.text, deps.now(), turn.lang);
        if (full) return full;
        // "Eli", "tony": a first name alone; the last name is asked for, and the two make the name.
        const one = oneName(turn.text);
        if (one && s.givenOnly) return { givenName: s.givenOnly, familyName: one };
        if (!one) return null;
        s.givenOnly = one;
        return new Reply([{ text: t('name_last', turn.lang, { given: one }) }]);
      },
      next: async (ctx, n) => {
        delete ctx.s.givenOnly;
        const { exam, ...name } = n;
        Object.assign(ctx.s.answers, name, exam ?? {});
        return advance(ctx);
      },
    }),
    dob: step<PatientCtx, string>({
      prompt: ({ turn }) => [{ text: t('dob', turn.lang) }],
      help: ({ turn }) => t('dob_help', turn.lang),
      read: (ctx) => readBirthDate(kit, ctx),
      next: async (ctx, d) => {
        ctx.s.answers.birthDate = d;
        return advance(ctx);
      },
    }),
    phone: step<PatientCtx, string>({
      prompt: ({ turn }) => [{ text: t('phone', turn.lang) }],
      help: ({ turn }) => t('phone_help', turn.lang),
      read: ({ turn }) => findPhone(turn.text),
      next: async (ctx, p) => {
        ctx.s.answers.phone = p;
        return advance(ctx);
      },
    }),
    reason: step<PatientCtx, string>({
      prompt: ({ turn }) => [{ text: t('reason', turn.lang) }],
      help: ({ turn }) => t('reason_help', turn.lang),
      freeText: true,
      read: ({ turn }) => (turn.text.trim().length < 3 ? null : turn.text.trim().slice(0, 1000)),
      next: async (ctx, r) => {
        ctx.s.answers.reason = r;
        return advance(ctx);
      },
    }),
    provider: step<PatientCtx, { display: string | null; phone: string | null }>({
      // A doctor named earlier ("my oncologist Dr Fernandez ordered…") is not asked for again: only their office's phone.
      prompt: ({ s, turn }) => [{ text: s.answers.provider ? t('provider_phone', turn.lang, { who: s.answers.provider }) : t(s.answers.hasOrder ? 'provider_with_order' : 'provider_no_order', turn.lang) }],
      help: ({ turn }) => t('provider_help', turn.lang),
      freeText: true,
      // "dr patel at northside family, their number is 512-555-0188": the name, the practice and the phone apart.
      read: ({ s, turn }) => {
        const known = s.answers.provider;
        const f = fold(turn.text);
        if (!known) return NONE.test(f) ? { display: null, phone: null } : parseProvider(turn.text);
        const phone = findPhone(turn.text);
        const said = parseProvider(turn.text);
        if (!phone && !said) return NONE.test(f) || yesNo(turn.text, turn.lang) === 'no' || /\b(dont|don'?t|no) (have|know|tengo|se)\b|\bno (lo )?(tengo|se)\b|idk/.test(f) ? { display: known, phone: null } : null;
        // The same doctor again, with their office: the new words; another name: the practice, beside the doctor.
        const surname = fold(known).split(/\s+/).at(-1) ?? '';
        const display = !said ? known : fold(said.display).includes(surname) ? said.display : `${known}, ${said.display}`;
        return { display, phone: phone ?? said?.phone ?? null };
      },
      next: async (ctx, p) => {
        ctx.s.answers.provider = p.display;
        ctx.s.answers.providerPhone = p.phone;
        return advance(ctx);
      },
    }),
    timing: step<PatientCtx, string>({
      prompt: ({ turn }) => [{ text: t('timing', turn.lang) }],
      help: ({ turn }) => t('timing_help', turn.lang),
      freeText: true,
      read: ({ turn }) => (turn.text.trim().length < 2 ? null : turn.text.trim().slice(0, 200)),
      next: async (ctx, timing) => {
        const a = ctx.s.answers;
        a.timing = timing;
        if (ASAP.test(fold(timing))) a.asap = true;
        const wish = parseTimeWish(timing, deps.now(), site.center.timeZone);
        if (wish) ctx.s.wish = mergeWish(ctx.s.wish, wish);
        a.preferredDates = ctx.turn.understanding.fields.preferredTimes.map((x) => x.slice(0, 10));
        return advance(ctx);
      },
    }),
    coverage: step<PatientCtx, NonNullable<PatientCtx['s']['answers']['coverage']>>({
      prompt: ({ turn }) => [{ text: t('coverage', turn.lang) }],
      help: ({ turn }) => t('coverage_help', turn.lang),
      read: ({ s, turn }) => {
        // The member id alone after the payer was named ("medicare" … "3KX2WP7TN45"): the two together.
        const cov = parseCoverage(turn.text, site);
        const withPayer = !cov.ok && cov.missing === 'payer' && s.answers.payerSaid ? parseCoverage(`${s.answers.payerSaid} ${turn.text}`, site) : null;
        if (withPayer?.ok) return withPayer.value;
        if (cov.ok) return cov.value;
        if (cov.missing !== 'member_id') return null;
        // A question ("tengo que pedir el dia off?") names no payer: it is not an answer without its id.
        if (!cov.payer && looksLikeQuestion(turn.text)) return null;
        // The member id is asked for once; a payer we know without it is kept, and staff collect the id.
        const payer = cov.payer ?? s.answers.payerSaid;
        if (payer && (s.answers.payerSaid || /\b(don'?t|do not|dont|no) (have|know)|\bno (lo )?(tengo|se)\b|not (on|with) me|idk/.test(fold(turn.text)))) return { payer };
        if (cov.payer) s.answers.payerSaid = cov.payer;
        return new Reply([{ text: t('coverage_member_id', turn.lang) }]);
      },
      next: async (ctx, cov) => {
        ctx.s.answers.coverage = cov;
        return advance(ctx);
      },
    }),
  };

  /** The next unanswered qualification question, or the end of qualification. */
  async function advance(ctx: PatientCtx): Promise<Out[]> {
    const { s, turn } = ctx;
    const a = s.answers;
    s.fails = 0;
    let next: StepId | null = null;
    // With an order at the center the exam is on the order: asked only if we cannot find it.
    // A number with an order we could book: who they are first, and the order looked up, before asking about one.
    if (a.hasOrder === null && s.probe === undefined) {
      const hash = kit.phoneHashOf(ctx);
      // On chat (no number yet), "I need to book my MRI" says the order is likely here: who they are first, then the lookup.
      s.probe = hash !== null ? await self.hasBookableOrder(hash) : BOOKING.test(fold(s.opening ?? ''));
    }
    const orderFirst = a.hasOrder === true || (a.hasOrder === null && s.probe === true && !s.lookedUp);
    if (a.modality === null && !a.examAsked && !orderFirst) next = 'exam';
    else if (a.hasOrder === null && !orderFirst) next = 'has_order';
    else if (!a.givenName) next = 'name';
    else if (!a.birthDate) next = 'dob';
    else if (!turn.phone && !a.phone) next = 'phone';
    if (next === null && orderFirst && !s.lookedUp) {
      s.lookedUp = true;
      const found = await lookUpOrder(ctx);
      if (found) return found;
      // Only someone who said they have an order is told it is not here yet; the others are asked.
      return a.hasOrder ? [{ text: t('order_not_found', turn.lang) }, ...(await advance(ctx))] : advance(ctx);
    }
    if (next === null) {
      if (a.modality === null && !a.examAsked) next = 'exam';
      else if (!a.reason) next = 'reason';
      else if (a.provider === undefined || (a.provider && a.providerPhone === undefined)) next = 'provider';
      else if (a.timing === undefined) next = 'timing';
      else if (!a.coverage) next = 'coverage';
    }
    if (next) return kit.goTo(ctx, next);
    return submit(ctx);
  }

  /** "I have an order": found by phone, date of birth and name; a schedulable one goes on to screening. null: not found. */
  async function lookUpOrder(ctx: PatientCtx): Promise<Out[] | null> {
    const { conv, s, turn } = ctx;
    const a = s.answers;
    const phoneHash = kit.phoneHashOf(ctx);
    if (!phoneHash) return null;
    const name = `${a.givenName} ${a.familyName}`;
    const found = await self.verify({ phoneHash, birthDate: a.birthDate!, name, language: turn.lang });
    if (found.patients.length === 0) return null;
    conv.verified = { patientIds: found.patients.map((p) => p.id), phoneHash, birthDate: a.birthDate!, name, at: deps.now().toISOString() };
    return kit.links.bookFound(ctx, found.cases);
  }

  /** Qualification done: one request case per exam (lead → qualified → order_requested) and the order request to the provider. */
  async function submit(ctx: PatientCtx): Promise<Out[]> {
    const { conv, s, turn } = ctx;
    const a = s.answers;
    const phone = turn.phone ?? a.phone ?? null;
    const phoneHash = turn.phoneHash ?? (phone ? deps.hashPhone(phone) : null);
    // On chat, the number given for appointment texts is the patient's prior express consent to care texts.
    if (turn.channel !== 'sms' && phoneHash && (await deps.consent.statuses(phoneHash)).care === 'unknown') {
      await deps.consent.set(phoneHash, 'care', 'granted', 'chat_reply', `Q: ${t('phone', turn.lang)}\nA: (this number)`, deps.now());
    }
    const exams: WantedExam[] = [{ modality: a.modality, bodyPart: a.bodyPart, laterality: a.laterality, contrast: a.contrast }, ...(a.moreExams ?? [])];
    const made: Array<{ case: Case; via: { via: string; orgName?: string | null } }> = [];
    for (const [i, exam] of exams.entries()) {
      // The same key for a retried message: each exam's request is made once however often this runs.
      const r = await self.submitRequest({
        requestKey: i === 0 ? s.requestKey : `${s.requestKey}:${i}`,
        channel: turn.channel,
        phone,
        phoneHash,
        language: turn.lang,
        givenName: a.givenName!,
        familyName: a.familyName!,
        birthDate: a.birthDate!,
        study: exam,
        reasonText: a.reason!,
        provider: a.provider ?? null,
        providerPhone: a.providerPhone ?? null,
        hasOrder: a.hasOrder === true,
        timing: a.timing ?? null,
        coverage: a.coverage ?? null,
        priority: a.asap ? 'asap' : 'routine',
      });
      await kit.putOnCase(conv, r.case.id);
      if (a.asap) await self.staffTask('schedule_by_phone', r.case, `The patient asked for this exam as soon as possible (case ${r.case.id}); follow the order request up and call them to schedule.`);
      made.push(r);
    }
    const first = made[0]!;
    const who = first.via.orgName ?? a.provider ?? null;
    const nextStep = first.via.via === 'teams' ? t('request_sent_teams', turn.lang, { who: who ?? '' }) : who ? t('request_contact_provider', turn.lang, { who }) : t('request_call_you', turn.lang);
    const numbers =
      made.length === 1
        ? t('request_number', turn.lang, { number: requestNumber(first.case.id) })
        : t('request_numbers', turn.lang, {
            list: made.map((m, i) => `${examLabel(exams[i]!, turn.lang)} (${requestNumber(m.case.id)})`).join(turn.lang === 'es' ? ' y ' : ' and '),
          });
    const done = { text: t('request_done', turn.lang, { name: a.givenName!.replace(/\.$/, ''), next: nextStep, numbers, asap: a.asap ? ` ${t('request_asap', turn.lang)}` : '', phone: kit.centerPhone }) };
    // The safety questions now, so the exam can be booked the day the order arrives; then the optional reminders question.
    const screening = await kit.links.screenRequest(ctx, made.map((m) => m.case.id));
    return [done, ...(screening ?? (await kit.marketingOrEnd(ctx)))];
  }

  return { steps, advance, noteMoreExams };
}
