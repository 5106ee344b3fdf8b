import { randomUUID } from 'node:crypto';
import type { Case } from '../../services/cases/case.schema';
import { faqTopics, looksLikeQuestion } from '../../services/faq/faq.topics';
import { studyOf } from '../../services/patients/self-service.service';
import { prepMessage } from '../../services/scheduling/prep';
import { parseTimeWish } from '../../services/scheduling/time-wish';
import { slotText } from '../../services/scheduling/slot-text';
import { findDisclosures } from '../../services/screening/disclosures';
import type { Intent, Understanding } from '../../services/understanding/understanding.schema';
import { appointmentLetter, fold, interruption, isClinical, isCourtesy } from '../engine/interruptions';
import { answerStep, type Out } from '../engine/step';
import { createKit, manageActions, MAX_FAILS, saidDetails, SCHEDULABLE_STATES, type HandoffWhy, type PatientDialogDeps, type PatientStep } from './kit';
import { createIdentityFlow } from './flows/identity.flow';
import { createManageFlow } from './flows/manage.flow';
import { createMarketingFlow, optInAnswer } from './flows/marketing.flow';
import { createPickTimeFlow } from './flows/pick-time.flow';
import { ASAP, createRequestFlow } from './flows/request.flow';
import { createScreeningFlow } from './flows/screening.flow';
import { createStatusFlow } from './flows/status.flow';
import { sideAnswer, sideAnswers, sideQuestions, siteTopics, type KnownStudy } from './side-questions';
import type { Answers, ManageAction, PatientConversation, PatientCtx, PatientDialogState, PatientTurn, StepId, Verified } from './state';
import { t } from './patient.texts';
import { nameAndBirthDate, parseCoverage } from './parse';
import { stateInWords } from './status.texts';

export type { PatientConversation, PatientDialogState, PatientTurn, SaidDisclosure, Verified } from './state';
export type { PatientDialogDeps } from './kit';

const FLOW_LIFETIME_MS = 24 * 3600_000;
/** The sentences of a message that state something (no questions, no "if"): "im self pay" of "im self pay. how much is it?". */
function statements(text: string): string {
  return text
    .split(/(?<=[.!?])\s+|¿/)
    .filter((x) => x.trim() && !looksLikeQuestion(x) && !/\b(if|si)\b/i.test(x))
    .join(' ')
    .trim();
}
/** Someone not ready to request the exam yet: only asking, or coming back later. */
const JUST_ASKING = /\b(just asking|only asking|(just|only) (have|had) (a )?(few )?questions?|asking questions|not (ready|yet) to (book|schedule)|i'?ll (reach out|call|text|write|get back|let you know)|(will|gonna) (reach out|call back|text back)|nothing yet|solo (estoy )?preguntando|nada mas (estoy )?preguntando|solo (era|tengo) una pregunta|(luego|despues|mas tarde) (les |le )?(escribo|llamo|aviso)|(les |le )?(escribo|llamo|aviso) (luego|despues|mas tarde))\b/;
/** The steps that ask for a phone number, and "this one" as people say it (a chat cannot see the number). */
const PHONE_STEPS = new Set<StepId>(['phone', 'verify_phone']);
const THIS_NUMBER = /\b(this|same|my) (one|number|phone|cell)\b|\bthis one\b|\b(este|mismo|mi) (numero|celular|telefono)\b|\bel mio\b|\bthe one i'?m (texting|writing|using)\b/;
/** The intents that take a person out of a flow, and where they lead. */
const ELSEWHERE: Partial<Record<Intent, ManageAction | 'status'>> = {
  confirm_appointment: 'confirm',
  reschedule: 'reschedule',
  cancel_appointment: 'cancel',
  waitlist: 'waitlist',
  order_status: 'status',
};


export function newRequestState(fields: Understanding['fields'], text = ''): PatientDialogState {
  return {
    flow: 'request',
    step: 'exam',
    fails: 0,
    requestKey: randomUUID(),
    answers: {
      modality: fields.modality,
      bodyPart: fields.bodyPart,
      laterality: fields.laterality,
      contrast: fields.contrast,
      hasOrder: fields.hasOrder,
      ...saidDetails(fields),
      ...(ASAP.test(fold(text)) ? { asap: true } : {}),
      preferredDates: fields.preferredTimes.map((x) => x.slice(0, 10)),
    },
    ...(text ? { opening: text.slice(0, 300) } : {}),
  };
}

function emptyAnswers(): PatientDialogState['answers'] {
  return { modality: null, bodyPart: null, laterality: null, contrast: null, hasOrder: null, preferredDates: [] };
}

export function newManageState(manage: ManageAction): PatientDialogState {
  return { flow: 'manage', step: 'verify_dob', fails: 0, requestKey: randomUUID(), manage, answers: emptyAnswers() };
}

export function newStatusState(text = ''): PatientDialogState {
  return { flow: 'status', step: 'verify_dob', fails: 0, requestKey: randomUUID(), answers: emptyAnswers(), ...(text ? { opening: text.slice(0, 300) } : {}) };
}

/**
 * The patient conversations on one engine: every flow is a table of steps ({ prompt, help, read, next }); this module
 * runs the step the conversation is at, with the interruptions every step understands (a language switch, help, start
 * over, a person, a clinical question, a side question), the three-misses handoff, and the handover between flows
 * (identity check → appointment or status; request → found order → screening → times).
 */
export function createPatientDialog(deps: PatientDialogDeps) {
  const kit = createKit(deps);
  const { site, self } = kit;
  const identity = createIdentityFlow(kit);
  const request = createRequestFlow(kit);
  const screening = createScreeningFlow(kit);
  const pickTime = createPickTimeFlow(kit);
  const manage = createManageFlow(kit);
  const marketing = createMarketingFlow(kit);
  const status = createStatusFlow(kit);
  // Exhaustive: a step id without an entry does not compile.
  const STEPS: Record<StepId, PatientStep> = { ...request.steps, ...screening.steps, ...pickTime.steps, ...identity.steps, ...manage.steps, ...marketing.steps };

  Object.assign(kit.links, {
    schedule: screening.schedule,
    screenRequest: screening.screenRequest,
    offer: pickTime.offer,
    waitlist: manage.joinWaitlist,
    prompt: async (ctx: PatientCtx) => STEPS[ctx.s.step].prompt(ctx),
    identified: (ctx: PatientCtx, v: Verified) => (ctx.s.flow === 'status' ? status.identified(ctx, v) : ctx.s.flow === 'handoff' ? handoffIdentified(ctx, v) : manage.afterVerified(ctx, v)),
    bookFound,
  });

  /**
   * A handoff: the task is opened at once. From a chat that knows no case yet, the person is then asked (optionally)
   * who they are, so staff see their exam with the task.
   */
  async function handOff(conv: PatientConversation, turn: PatientTurn, why: HandoffWhy): Promise<Out[]> {
    const hadCase = conv.patient?.caseId ?? null;
    // In a request there is no exam on file to find yet; in the check itself, once is enough.
    const skip = conv.patient?.flow === 'handoff' || conv.patient?.flow === 'request';
    const said = await kit.handOff(conv, turn, why);
    if (hadCase || skip || why === 'too_many_tries') return said;
    return [...said, ...(await findCaseForHandoff(conv, turn, why))];
  }

  /** After a handoff task was opened from a chat with no case: who the person is (optional), to put their exam on it. */
  async function findCaseForHandoff(conv: PatientConversation, turn: PatientTurn, why: HandoffWhy): Promise<Out[]> {
    if (turn.phoneHash || conv.patient) return [];
    const s: PatientDialogState = { flow: 'handoff', step: 'verify_phone', fails: 0, requestKey: randomUUID(), answers: emptyAnswers(), handoffWhy: why, at: deps.now().toISOString() };
    const v = kit.verified(conv);
    if (v) return handoffIdentified({ conv, s, turn }, v);
    conv.patient = s;
    return identity.start({ conv, s, turn });
  }

  /** Who asked for the handoff, proved: their newest open case goes on the task. */
  async function handoffIdentified({ conv, s, turn }: PatientCtx, v: Verified): Promise<Out[]> {
    delete conv.patient;
    const { cases } = await self.verify({ phoneHash: v.phoneHash, birthDate: v.birthDate, name: v.name });
    const c = cases[0];
    if (!c) return [{ text: t('handoff_not_found', turn.lang) }];
    // "creo que puedo estar embarazada, ¿eso importa?" before anyone knew who this was: now on their cases.
    if (conv.disclosures?.length) for (const x of cases) if (studyOf(x)) await kit.putOnCase(conv, x.id);
    await kit.openHandoff(turn, s.handoffWhy ?? 'agent', c.id);
    return [{ text: t('handoff_found', turn.lang) }];
  }

  /** The patient's order among their open cases: a schedulable one goes to screening and times; another is described. */
  async function bookFound(ctx: PatientCtx, cases: Case[]): Promise<Out[] | null> {
    const c = cases.find((x) => SCHEDULABLE_STATES.includes(x.state)) ?? cases[0];
    if (!c) return null;
    if (!SCHEDULABLE_STATES.includes(c.state)) {
      await kit.putOnCase(ctx.conv, c.id);
      delete ctx.conv.patient;
      // Already booked: the time, and how to confirm, move or cancel it (the identity check just passed).
      if (c.state === 'scheduled' && c.appointment) {
        const when = slotText(c.appointment.start, site, ctx.turn.lang);
        const { lang, channel } = ctx.turn;
        if (channel === 'sms') return [{ text: `${t('already_booked', lang, { when })} ${t('manage_choices', lang)}` }];
        return [{ text: t('already_booked', lang, { when }), summary: { title: t('booking_card_title', lang), facts: [{ label: t('booking_when', lang), value: when }], actions: manageActions(lang) } }];
      }
      return [{ text: t('order_found_state', ctx.turn.lang, { state: stateInWords(c.state, ctx.turn.lang) }) }];
    }
    ctx.s.caseId = c.id;
    return screening.schedule(ctx, c);
  }

  /** The study a side question is about: the one named in the message, else this flow's (or the last flow's) case or answers. */
  async function studyFor(conv: PatientConversation, turn: PatientTurn): Promise<KnownStudy | null> {
    const f = turn.understanding.fields;
    if (f.modality) return { modality: f.modality, bodyPart: f.bodyPart, contrast: f.contrast };
    const s = conv.patient;
    const caseId = s?.caseId ?? conv.last?.caseId;
    const c = caseId ? await self.findCase(caseId) : null;
    const onCase = c ? studyOf(c) : null;
    if (onCase) return onCase;
    const a = s?.answers.modality ? s.answers : conv.last;
    return a?.modality ? { modality: a.modality, bodyPart: a.bodyPart ?? null, contrast: a.contrast ?? null } : null;
  }

  /** Keeps what this flow is about for after it ends. */
  function remember(conv: PatientConversation, s: PatientDialogState): void {
    const a = s.answers;
    if (!s.caseId && !a.modality) return;
    conv.last = { ...(s.caseId ? { caseId: s.caseId } : {}), ...(a.modality ? { modality: a.modality, bodyPart: a.bodyPart, contrast: a.contrast } : {}) };
  }

  /** A payer of the site's list named in a message (with its member id when given), else null. */
  function payerNamed(text: string): { name: string; coverage: Answers['coverage'] | null } | null {
    const cov = parseCoverage(text, site);
    const name = cov.ok ? ('payer' in cov.value ? cov.value.payer : null) : (cov.payer ?? null);
    if (!name || !site.payers.some((p) => p.name === name)) return null;
    return { name, coverage: cov.ok ? cov.value : null };
  }

  /** What to say to a message that does not answer the step but is no miss: thanks, "this number" in a chat, a question. */
  function notAnAnswer(s: PatientDialogState, turn: PatientTurn): { kind: 'courtesy' | 'phone_on_chat' | 'question'; text: string } | null {
    if (isCourtesy(turn.text)) return { kind: 'courtesy', text: t('you_are_welcome', turn.lang) };
    if (turn.channel !== 'sms' && PHONE_STEPS.has(s.step) && THIS_NUMBER.test(fold(turn.text))) return { kind: 'phone_on_chat', text: t('phone_on_chat', turn.lang) };
    if (/[?¿]/.test(turn.text) || looksLikeQuestion(turn.text)) return { kind: 'question', text: t('cannot_answer_here', turn.lang, { phone: kit.centerPhone }) };
    return null;
  }

  /** Not an answer to this step but something else the person wants (C, R, X, "sí, ahí estaré", "where is my order?"). */
  function wantsSomethingElse(s: PatientDialogState, turn: PatientTurn): boolean {
    const letter = appointmentLetter(turn.text);
    // Mid-request, the trained model's guess ("nineteen seventy-seven, June 2nd" → order status) never ends the request.
    if (!letter && s.flow === 'request' && !s.caseId && turn.understanding.intentBy === 'model') return false;
    const wanted = ELSEWHERE[letter ?? turn.understanding.intent];
    if (wanted === undefined) return false;
    if (wanted === 'status') return s.flow !== 'status';
    return s.flow !== 'manage' || s.manage !== wanted;
  }

  const dialog = {
    /**
     * Every patient message, before anything answers it: a safety fact in it (a reaction, an implant, pregnancy, a
     * kidney problem) is kept for the conversation and put on the case now if there is one, or when one is reached.
     */
    async note(conv: PatientConversation, turn: PatientTurn): Promise<void> {
      const s = conv.patient;
      const found = findDisclosures(turn.text, 'conversation', deps.now());
      if (found.length === 0) return;
      // Where it was said (a screening question, a step) is looked up only for a message that says something.
      const q = s?.step === 'screening' ? ((await screening.questionsFor(s)).questions[s.screening?.index ?? 0] ?? null) : null;
      const said = q ? `screening:${q.id}` : (s?.step ?? 'conversation');
      const kept = conv.disclosures ?? [];
      for (const d of found) if (!kept.some((k) => k.kind === d.kind && k.words === d.words)) kept.push({ kind: d.kind, words: d.words, at: d.at.toISOString(), said });
      conv.disclosures = kept.slice(-20);
      const v = kit.verified(conv);
      if (s?.caseId) await kit.putOnCase(conv, s.caseId);
      else if (v) {
        // A patient we know (verified in the last half hour) with no flow running: on each of their open cases.
        const { cases } = await self.verify({ phoneHash: v.phoneHash, birthDate: v.birthDate, name: v.name });
        for (const c of cases) if (studyOf(c)) await kit.putOnCase(conv, c.id);
      }
    },

    /**
     * A side question or a prep question outside any flow ("what do I bring?", "can I eat before my CT?"): answered
     * from the site config for the exam named (or the one in this conversation); null when the message is not one.
     */
    async sideQuestion(conv: PatientConversation, turn: PatientTurn, more = false): Promise<Out[] | null> {
      const prep = turn.understanding.intent === 'prep_question';
      const asked = sideQuestions(turn.text, site);
      const topics = asked.length || !prep ? asked : faqTopics(turn.text, siteTopics(site));
      if (topics.length === 0 && !prep) return null;
      // "la pediatra le mandó un ultrasonido… no sé cómo funciona esto": the model's prep guess, no prep topic named,
      // and the message asks for the exam: the request answers it, not a prep text.
      if (topics.length === 0 && more && turn.understanding.intentBy === 'model') return null;
      const study = await studyFor(conv, turn);
      const text = topics.length ? sideAnswers(site, topics, turn.lang, study) : study ? prepMessage(site, { modality: study.modality, bodyPart: study.bodyPart ?? null, contrast: study.contrast ?? null }, turn.lang) : sideAnswer(site, 'eating_and_medicines', turn.lang, null);
      return [{ text: more ? text : `${text} ${t('anything_else', turn.lang)}` }];
    },

    /** After the menu's handoff from a chat: (optionally) who the person is, so staff see their exam with the task. */
    afterHandoff: (conv: PatientConversation, turn: PatientTurn) => findCaseForHandoff(conv, turn, 'agent'),

    /** The case a handoff from this number is about, when the number has exactly one open case. */
    async caseForHandoff(turn: PatientTurn): Promise<string | null> {
      return turn.phoneHash ? self.soleOpenCase(turn.phoneHash) : null;
    },

    /** A question outside any flow that nothing here answers: said so, with who can; never the menu. */
    unanswered(turn: PatientTurn): Out[] | null {
      if (!looksLikeQuestion(turn.text) || turn.understanding.intent !== 'other') return null;
      return [{ text: `${t('cannot_answer_here', turn.lang, { phone: kit.centerPhone })} ${t('anything_else', turn.lang)}` }];
    },

    /** A clinical question outside any flow ("is my result bad?", "is it safe for me?"): a person answers it, never the bot. */
    async clinical(conv: PatientConversation, turn: PatientTurn): Promise<Out[] | null> {
      return isClinical(turn.text) ? handOff(conv, turn, 'clinical') : null;
    },

    /** Starts a flow and answers the first message (which may already say the exam, the order and the doctor). */
    async begin(conv: PatientConversation, s: PatientDialogState, turn: PatientTurn): Promise<Out[]> {
      s.at = deps.now().toISOString();
      conv.patient = s;
      const ctx: PatientCtx = { conv, s, turn };
      const v = kit.verified(conv);
      if (s.flow === 'status') {
        if (v) return status.identified(ctx, v);
        return [{ text: t('status_intro', turn.lang) }, ...(await identity.start(ctx))];
      }
      if (s.flow === 'manage') {
        if (v) return manage.afterVerified(ctx, v);
        // Says what the check is for, so a C after an R left unanswered reads as its own question.
        const [first, ...rest] = await identity.start(ctx);
        return [{ ...first!, text: `${t(`verify_for_${s.manage ?? 'confirm'}`, turn.lang)} ${t('verify_intro', turn.lang)} ${first!.text}` }, ...rest];
      }
      const several = s.answers.modality ? request.noteMoreExams(ctx, s.answers) : [];
      // "its linda ferguson-hale dob 11/23/1961" in the first message: not asked again.
      const who = nameAndBirthDate(turn.text, deps.now(), turn.lang, true);
      if (who && !s.answers.givenName) Object.assign(s.answers, who);
      // "any evenings?", "not tuesday" in the first message: the times offered later fit it.
      const wish = parseTimeWish(turn.text, deps.now(), site.center.timeZone);
      if (wish) s.wish = wish;
      // Someone verified in the last half hour ("BOOK", "can I rebook my mri?"): no second identity check, and no
      // second order request when the center already has their order for this exam.
      if (v && s.answers.hasOrder !== false) {
        const { cases } = await self.verify({ phoneHash: v.phoneHash, birthDate: v.birthDate, name: v.name });
        const wanted = s.answers.modality;
        const same = cases.filter((c) => wanted === null || c.order.code.modality === wanted);
        if (s.answers.hasOrder === true || same.some((c) => SCHEDULABLE_STATES.includes(c.state) || c.state === 'scheduled')) {
          s.lookedUp = true;
          const booked = await bookFound(ctx, same);
          if (booked) return booked;
        }
      }
      return [{ text: t('start', turn.lang) }, ...several, ...(await request.advance(ctx))];
    },

    /** The flow's answer to this message; null when the flow is over (idle a day, or the marketing question was not answered) and the message is for the menu. */
    async handle(conv: PatientConversation, turn: PatientTurn): Promise<Out[] | null> {
      const s = conv.patient;
      if (!s) return null;
      const now = deps.now();
      if (s.at && now.getTime() - Date.parse(s.at) > FLOW_LIFETIME_MS) {
        delete conv.patient;
        return null;
      }
      s.at = now.toISOString();
      const { lang } = turn;
      const ctx: PatientCtx = { conv, s, turn };
      const current = STEPS[s.step];
      // The opt-in question takes only yes or no: "C", "BOOK" or a readiness answer later are not answers to it.
      if (s.step === 'marketing' && optInAnswer(turn.text, lang) === null) {
        delete conv.patient;
        return null;
      }
      switch (interruption(turn.text, turn.understanding.intent === 'talk_to_human')) {
        case 'language':
          return kit.links.prompt(ctx);
        case 'help':
          return [{ text: `${current.help(ctx)} ${t('help_footer', lang)}` }, ...(await kit.links.prompt(ctx))];
        case 'stop':
          delete conv.patient;
          return [{ text: t('stopped', lang) }];
        case 'agent': {
          // "512-555-6333, better to call me": the answer is taken when only the understood intent asked for a person.
          const answered = interruption(turn.text, false) === 'agent' || current.freeText ? null : await answerStep(current, ctx);
          return answered ?? handOff(conv, turn, 'agent');
        }
        case 'clinical': {
          if (s.flow === 'handoff') return handOff(conv, turn, 'clinical');
          // A person answers it (with the case, when there is one); meanwhile the step goes on, so nothing said is lost.
          await kit.openHandoff(turn, 'clinical', s.caseId ?? null);
          const said = { text: `${t('clinical', lang)} ${t('handoff_hours', lang, { phone: kit.centerPhone })}` };
          // "mañana si se puede… ¿eso importa pal xray?": what the message also answers is kept.
          const answers = !current.freeText || (s.step === 'timing' && parseTimeWish(turn.text, now, site.center.timeZone) !== null);
          const taken = answers ? await answerStep(current, ctx) : null;
          return taken ? [said, ...taken] : kit.thenAskAgain(ctx, said);
        }
        case null:
          break;
      }
      // A side question ("can I eat before?", "is there parking?") is answered, then the step goes on: a structured
      // step still takes what the message also answered; a free-text step asks its question again.
      const topics = sideQuestions(turn.text, site);
      const topic = topics[0];
      if (topic) {
        const answer = { text: sideAnswers(site, topics, lang, await studyFor(conv, turn)) };
        // "how much would it be without insurance?" asks; it does not say how they will pay. "im self pay. how much
        // is it?" does: only the sentences that are not questions answer a step about money.
        const money = topic === 'cost' || topic === 'insurance_accepted';
        const said = money ? statements(turn.text) : turn.text;
        const taken = current.freeText || !said ? null : await answerStep(current, said === turn.text ? ctx : { ...ctx, turn: { ...turn, text: said } });
        if (taken) return [answer, ...taken];
        return kit.thenAskAgain(ctx, answer);
      }
      // A question with no FAQ answer at a free-text step is not its answer: said we cannot answer it here, then the step.
      // "How long should I plan to be there? I understand there may be a prep." asks first, whatever follows.
      const asksFirst = /\?\s*$|^\s*¿/.test(turn.text.trim()) || (/\?/.test(turn.text) && looksLikeQuestion(turn.text.split('?')[0]!) && !(s.step === 'timing' && parseTimeWish(turn.text, now, site.center.timeZone)));
      if (current.freeText && asksFirst) return kit.thenAskAgain(ctx, { text: t('cannot_answer_here', lang, { phone: kit.centerPhone }) });
      // "I'm just asking questions for now", "les escribo luego": a request not made yet ends kindly, nothing sent.
      if (s.flow === 'request' && !s.caseId && JUST_ASKING.test(fold(turn.text))) {
        delete conv.patient;
        return [{ text: t('later_ok', lang) }];
      }
      const r = await answerStep(current, ctx);
      if (r !== null) return r;
      // "tengo seguro de united si eso ocupan" when asked something else: the insurance is kept, then the question again.
      const payer = s.flow === 'request' && s.step !== 'coverage' && !s.answers.coverage ? payerNamed(turn.text) : null;
      if (payer) {
        if (payer.coverage) s.answers.coverage = payer.coverage;
        else s.answers.payerSaid = payer.name;
        return kit.thenAskAgain(ctx, { text: t('noted_coverage', lang, { payer: payer.name }) });
      }
      // "a este número" in a chat that cannot see it: asked to type it, even in the optional check after a handoff.
      const aside = notAnAnswer(s, turn);
      if (aside?.kind === 'phone_on_chat') return kit.thenAskAgain(ctx, { text: aside.text });
      // Not an answer but something else the person wants: this flow ends and the message goes to what it asks for.
      // After a handoff, anything but an answer ends the optional check: the person is waiting for a reply.
      if (s.flow === 'handoff' || wantsSomethingElse(s, turn)) {
        delete conv.patient;
        return null;
      }
      // Not an answer, and not a miss either: thanks, a question nothing here answers.
      if (aside) return kit.thenAskAgain(ctx, { text: aside.text });
      s.fails++;
      if (s.fails >= MAX_FAILS) return kit.handOff(conv, turn, 'too_many_tries');
      return [{ text: `${t('not_understood', lang)} ${current.help(ctx)}` }, ...(await kit.links.prompt(ctx))];
    },
  };
  // What the flow was about is kept when it ends (in the same turn or later), for a question after it.
  return {
    ...dialog,
    async begin(conv: PatientConversation, s: PatientDialogState, turn: PatientTurn): Promise<Out[]> {
      const out = await dialog.begin(conv, s, turn);
      remember(conv, s);
      return out;
    },
    async handle(conv: PatientConversation, turn: PatientTurn): Promise<Out[] | null> {
      const s = conv.patient;
      const out = await dialog.handle(conv, turn);
      if (s) remember(conv, s);
      return out;
    },
  };
}
export type PatientDialog = ReturnType<typeof createPatientDialog>;
