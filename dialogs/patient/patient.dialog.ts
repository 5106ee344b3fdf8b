import { randomUUID } from 'node:crypto';
import type { SiteConfig } from '../../services/config/site.schema';
import type { Case, CaseChannel } from '../../services/cases/case.schema';
import { stateInWords } from '../../services/cases/order-status.service';
import { normalizePhone } from '../../services/contact/phone';
import { pickChoice, type Choice, type OutboundContentInput } from '../../services/conversations/outbound-content';
import type { Insurance } from '../../services/orders/order.schema';
import type { Language } from '../../services/messaging/templates';
import { phoneText } from '../../services/messaging/templates';
import type { SelfService } from '../../services/patients/self-service.service';
import { requestNumber } from '../../services/patients/order-request.service';
import type { ConsentService } from '../../services/consent/consent.service';
import type { Waitlist } from '../../services/waitlist/waitlist.service';
import { studyOf } from '../../services/patients/self-service.service';
import { prepMessage } from '../../services/scheduling/prep';
import { placeText, slotText } from '../../services/scheduling/slot-text';
import type { Slot } from '../../services/scheduling/scheduling.service';
import type { Answer } from '../../services/screening/screening';
import { foldAccents } from '../../services/text';
import { yesNoUnsure } from '../../services/understanding/rules.engine';
import type { Understanding } from '../../services/understanding/understanding.schema';
import { findDisclosures, KIND_OF_QUESTION, type DisclosureKind } from '../../services/screening/disclosures';
import { birthDateReadings, parseCoverage, parseFullName, parseProvider, screeningAnswer } from './parse';
import { sideAnswer, sideQuestion, type KnownStudy } from './side-questions';
import { faqTopic } from '../../services/faq/faq.topics';
import { HORIZON_DAYS } from '../../services/scheduling/scheduling.service';
import { mergeWish, parseTimeWish, type TimeWish } from '../../services/scheduling/time-wish';
import { DateTime } from 'luxon';
import { t, type TextId } from './patient.texts';

type Step =
  | 'exam'
  | 'has_order'
  | 'name'
  | 'dob'
  | 'phone'
  | 'reason'
  | 'provider'
  | 'timing'
  | 'coverage'
  | 'screening'
  | 'pick_slot'
  | 'verify_phone'
  | 'verify_dob'
  | 'verify_name'
  | 'cancel_reason'
  | 'cancel_or_rebook'
  | 'marketing';

/** What the patient has told us in this flow; stored as conversation state (JSON), so dates stay strings. */
interface Answers {
  modality: Understanding['fields']['modality'];
  bodyPart: string | null;
  laterality: Understanding['fields']['laterality'];
  contrast: Understanding['fields']['contrast'];
  hasOrder: boolean | null;
  /** The exam question was answered (possibly "not sure"). */
  examAsked?: boolean;
  givenName?: string;
  familyName?: string;
  birthDate?: string;
  phone?: string;
  reason?: string;
  provider?: string | null;
  providerPhone?: string | null;
  timing?: string;
  preferredDates: string[];
  coverage?: Insurance;
  verifyName?: string;
}

export interface PatientDialogState {
  flow: 'request' | 'manage';
  /** When the last message of this flow was handled (ISO): a flow left alone for a day is over. */
  at?: string;
  step: Step;
  /** Wrong answers in a row at this step: three hand the conversation to a person. */
  fails: number;
  requestKey: string;
  manage?: 'confirm' | 'reschedule' | 'cancel' | 'waitlist';
  answers: Answers;
  caseId?: string;
  /** "I have an order": looked for it already (found or not). */
  lookedUp?: boolean;
  /** Identity checks that did not match, in the manage flow. */
  verifyTries?: number;
  screening?: { index: number; answers: Record<string, Answer>; words?: Record<string, string> };
  offered?: Array<{ scannerId: string; start: string }>;
  /** A date of birth that reads two ways (day and month), waiting for the patient to say which. */
  dobChoices?: string[];
  /** What the patient said about when they can come ("after 5", "not tuesday"): the times offered fit it. */
  wish?: TimeWish;
  cancelReason?: string;
}

/** Who this conversation proved to be (phone, date of birth and name): kept after a flow ends, for C/R/X later. */
export interface Verified {
  patientIds: string[];
  phoneHash: string;
  birthDate: string;
  name: string;
  /** When (ISO): a shared phone is not verified for long. */
  at: string;
}

/** A safety fact said in this conversation (JSON state: the time as ISO), kept until it is on a case. */
export interface SaidDisclosure {
  kind: DisclosureKind;
  words: string;
  at: string;
  said: string;
}

export interface PatientConversation {
  patient?: PatientDialogState;
  verified?: Verified;
  /** Every safety fact said in this conversation, whichever flow (or none) was running: put on each case it reaches. */
  disclosures?: SaidDisclosure[];
}

export interface PatientTurn {
  text: string;
  channel: CaseChannel;
  lang: Language;
  /** SMS: the number that texted (and its keyed hash); chat: null until the patient gives one. */
  phone: string | null;
  phoneHash: string | null;
  understanding: Understanding;
  /** Opens a human handoff task for this conversation, saying why (and for which case, when there is one). */
  handoff: (why: string, caseId?: string | null) => Promise<void>;
}

export interface PatientDialogDeps {
  self: SelfService;
  /** Marketing consent is asked once, explicitly, after a request (domain.md §6); never a condition of care. */
  consent: Pick<ConsentService, 'statuses' | 'set'>;
  /** "Anything sooner?": the verified patient's case joins the waitlist. */
  waitlist: Pick<Waitlist, 'join'>;
  holdMinutes: number;
  site: SiteConfig;
  hashPhone: (e164: string) => string;
  now: () => Date;
}

const MAX_FAILS = 3;
/** Cases a patient can pick a time for themselves (pending authorization: held until approval). */
const SCHEDULABLE_STATES: readonly string[] = ['ready_to_schedule', 'reschedule_needed', 'pending_authorization'];
/** Steps whose answer is any sentence: a side question there is not taken as the answer. */
const FREE_TEXT: ReadonlySet<Step> = new Set(['reason', 'provider', 'timing', 'cancel_reason', 'marketing']);
const FLOW_LIFETIME_MS = 24 * 3600_000;
const VERIFIED_LIFETIME_MS = 30 * 60_000;
/** Why a patient flow went to a person, as the handoff task says it. */
const WHY = { agent: 'asked for a person', clinical: 'asked a clinical question', too_many_tries: 'could not be understood three times in a row' };
const HELP = /^(help|info|ayuda|\?+|what do i (say|answer|do)|que (digo|contesto|hago)|no entiendo|i don'?t understand|help me|ayudeme|ayudame)$/;
const STOP_FLOW = /^(cancel|cancelar|menu|start over|restart|empezar de nuevo|volver a empezar|salir|exit|never ?mind|olvidalo|olvidelo|back|atras)$/;
const AGENT = /\b(agent|agente|representative|representante|operator|operador|human|humano|real person|a person|una persona|someone|alguien|talk to (someone|a person|staff)|hablar con (alguien|una persona|personal))\b/;
const LANGUAGE_ONLY = /^((in )?(english|spanish)|(en )?(espanol|ingles))( please| por favor)?$/;
/** Questions only a clinician may answer: the bot never gives medical advice (domain.md §4). */
const CLINICAL = /\b(is it safe|safe for me|should i (stop|take|keep|skip)|side effects?|dose|dosage|allergic reaction|what do(es)? (my|the) (results?|report|scan) (say|mean|show)|my (test |scan |mri |ct )?results?|results? (is|are|was|were|came back) (bad|good|ok|okay|normal|serious)|how much (contrast|radiation|dye)|(is|am) .{0,20}(cancer|serious|normal)|es seguro|debo (dejar|tomar|seguir)|efectos secundarios|dosis|mis resultados|que dice(n)? (mi|el|los) (resultados?|informe|reporte)|es grave|es cancer)\b/;
const NONE = /^(none|no|nobody|no one|i don'?t have (one|a doctor)|ninguno|ninguna|nadie|no tengo( medico)?)$/;

const fold = (s: string) => foldAccents(s).trim().replace(/[.!?¡¿,]+$/g, '').replace(/^[¡¿]+/, '').trim();
const YES_NO = (lang: Language): Choice[] => (lang === 'es' ? [{ value: 'yes', title: 'Sí' }, { value: 'no', title: 'No' }] : [{ value: 'yes', title: 'Yes' }, { value: 'no', title: 'No' }]);
const YES_NO_UNSURE = (lang: Language): Choice[] => [...YES_NO(lang), { value: 'unsure', title: lang === 'es' ? 'No sé' : 'Not sure' }];

function yesNo(text: string, lang: Language): Answer | null {
  const picked = pickChoice(text, YES_NO_UNSURE(lang));
  if (picked !== null) return (['yes', 'no', 'unsure'] as const)[picked]!;
  return yesNoUnsure(text);
}

/** The marketing question's answer: yes, no ("no thanks", "not now"), or null when the message is about something else. */
function optInAnswer(text: string, lang: Language): 'yes' | 'no' | null {
  const yn = yesNo(text, lang);
  if (yn === 'yes' || yn === 'no') return yn;
  return /^(no|nope|nah|not now|not interested|ahora no|no me interesa)\b/.test(fold(text)) ? 'no' : null;
}

export function newRequestState(fields: Understanding['fields']): PatientDialogState {
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
      ...(fields.providerName ? { provider: fields.providerName } : {}),
      preferredDates: fields.preferredTimes.map((x) => x.slice(0, 10)),
    },
  };
}

export function newManageState(manage: NonNullable<PatientDialogState['manage']>): PatientDialogState {
  return { flow: 'manage', step: 'verify_dob', fails: 0, requestKey: randomUUID(), manage, answers: { modality: null, bodyPart: null, laterality: null, contrast: null, hasOrder: null, preferredDates: [] } };
}

/**
 * The patient conversations (issue 5): request an exam (qualification, then the order request or the order we
 * already have), safety screening, picking a time, and C/R/X on an appointment. Each call handles one message and
 * returns what to say; the state lives in the conversation. Help, start over, a person, a clinical question and a
 * language switch are understood at every step.
 */
export function createPatientDialog(deps: PatientDialogDeps) {
  const { site, self } = deps;
  const centerPhone = phoneText(site.center.phone);

  return {
    /**
     * Every patient message, before anything answers it: a safety fact in it (a reaction, an implant, pregnancy, a
     * kidney problem) is kept for the conversation and put on the case now if there is one, or when one is reached.
     */
    async note(conv: PatientConversation, turn: PatientTurn): Promise<void> {
      const s = conv.patient;
      const found = findDisclosures(turn.text, 'conversation', deps.now());
      if (found.length === 0) return;
      // Where it was said (a screening question, a step) is looked up only for a message that says something.
      const q = s?.step === 'screening' ? await currentQuestion(s) : null;
      const said = q ? `screening:${q.id}` : (s?.step ?? 'conversation');
      const kept = conv.disclosures ?? [];
      for (const d of found) if (!kept.some((k) => k.kind === d.kind && k.words === d.words)) kept.push({ kind: d.kind, words: d.words, at: d.at.toISOString(), said });
      conv.disclosures = kept.slice(-20);
      const v = verified(conv);
      if (s?.caseId) await putOnCase(conv, s.caseId);
      else if (v) {
        // A patient we know (verified in the last half hour) with no flow running: on each of their open cases.
        const { cases } = await self.verify({ phoneHash: v.phoneHash, birthDate: v.birthDate, name: v.name });
        for (const c of cases) if (studyOf(c)) await putOnCase(conv, c.id);
      }
    },

    /**
     * A side question or a prep question outside any flow ("what do I bring?", "can I eat before my CT?"): answered
     * from the site config for the exam named (or the one in this conversation); null when the message is not one.
     */
    async sideQuestion(conv: PatientConversation, turn: PatientTurn, more = false): Promise<OutboundContentInput[] | null> {
      const prep = turn.understanding.intent === 'prep_question';
      const topic = sideQuestion(turn.text) ?? (prep ? faqTopic(turn.text) : null);
      if (!topic && !prep) return null;
      const study = await studyFor(conv.patient, turn);
      const text = topic ? sideAnswer(site, topic, turn.lang, study) : study ? prepMessage(site, { modality: study.modality, bodyPart: study.bodyPart ?? null, contrast: study.contrast ?? null }, turn.lang) : sideAnswer(site, 'eating_and_medicines', turn.lang, null);
      return [{ text: more ? text : `${text} ${t('anything_else', turn.lang)}` }];
    },

    /** A clinical question outside any flow ("is my result bad?", "is it safe for me?"): a person answers it, never the bot. */
    async clinical(conv: PatientConversation, turn: PatientTurn): Promise<OutboundContentInput[] | null> {
      return CLINICAL.test(fold(turn.text)) ? handOff(conv, turn, 'clinical') : null;
    },

    /** Starts a flow and answers the first message (which may already say the exam, the order and the doctor). */
    async begin(conv: PatientConversation, state: PatientDialogState, turn: PatientTurn): Promise<OutboundContentInput[]> {
      state.at = deps.now().toISOString();
      conv.patient = state;
      const v = verified(conv);
      if (state.flow === 'manage') {
        if (v) return afterVerified(conv, state, turn, v);
        if (!turn.phoneHash) state.step = 'verify_phone';
        // Says what the check is for, so a C after an R left unanswered reads as its own question.
        return [{ text: `${t(`verify_for_${state.manage ?? 'confirm'}`, turn.lang)} ${t('verify_intro', turn.lang)} ${t(turn.phoneHash ? 'dob' : 'phone', turn.lang)}` }];
      }
      // Someone verified in the last half hour ("BOOK", "can I rebook my mri?"): no second identity check, and no
      // second order request when the center already has their order for this exam.
      if (v && state.answers.hasOrder !== false) {
        const { cases } = await self.verify({ phoneHash: v.phoneHash, birthDate: v.birthDate, name: v.name });
        const wanted = state.answers.modality;
        const same = cases.filter((c) => wanted === null || c.order.code.modality === wanted);
        if (state.answers.hasOrder === true || same.some((c) => SCHEDULABLE_STATES.includes(c.state))) {
          state.lookedUp = true;
          const booked = await bookFound(conv, state, turn, same);
          if (booked) return booked;
        }
      }
      return [{ text: t('start', turn.lang) }, ...(await advance(conv, state, turn))];
    },

    /** The flow's answer to this message; null when the flow is over (idle a day, or the marketing question was not answered) and the message is for the menu. */
    async handle(conv: PatientConversation, turn: PatientTurn): Promise<OutboundContentInput[] | null> {
      const state = conv.patient;
      if (!state) return null;
      const now = deps.now();
      if (state.at && now.getTime() - Date.parse(state.at) > FLOW_LIFETIME_MS) {
        delete conv.patient;
        return null;
      }
      state.at = now.toISOString();
      const f = fold(turn.text);
      const { lang } = turn;
      // The opt-in question takes only yes or no: "C", "BOOK" or a readiness answer later are not answers to it.
      if (state.step === 'marketing' && optInAnswer(turn.text, lang) === null) {
        delete conv.patient;
        return null;
      }
      if (LANGUAGE_ONLY.test(f)) return prompt(state, turn);
      if (HELP.test(f)) return [{ text: `${t(helpFor(state), lang)} ${t('help_footer', lang)}` }, ...(await prompt(state, turn))];
      if (STOP_FLOW.test(f)) {
        delete conv.patient;
        return [{ text: t('stopped', lang) }];
      }
      if (turn.understanding.intent === 'talk_to_human' || AGENT.test(f)) return handOff(conv, turn, 'agent');
      if (CLINICAL.test(f)) return handOff(conv, turn, 'clinical');
      // A side question ("can I eat before?", "is there parking?") is answered, then the step goes on: a structured
      // step still takes what the message also answered; a free-text step asks its question again.
      const topic = sideQuestion(turn.text);
      if (topic) {
        const said = { text: sideAnswer(site, topic, lang, await studyFor(state, turn)) };
        const taken = FREE_TEXT.has(state.step) ? null : await answer(conv, state, turn);
        if (taken) return [said, ...taken];
        const [first, ...rest] = await prompt(state, turn);
        return [said, ...(first ? [{ ...first, text: `${t('back_to_step', lang)} ${first.text}` }, ...rest] : [])];
      }
      const r = await answer(conv, state, turn);
      if (r === null) {
        // Not an answer to this step but something else the person wants (C, R or X, "sí, ahí estaré", "where is my
        // order?"): this flow ends and the message goes to what it asks for, instead of the step swallowing it.
        if (wantsSomethingElse(state, turn)) {
          delete conv.patient;
          return null;
        }
        state.fails++;
        if (state.fails >= MAX_FAILS) return handOff(conv, turn, 'too_many_tries');
        return [{ text: `${t('not_understood', lang)} ${t(helpFor(state), lang)}` }, ...(await prompt(state, turn))];
      }
      return r;
    },
  };

  /**
   * This conversation's safety facts onto the case (idempotent): the case is held for review. Returns the case as now
   * stored, or null when there was nothing to put (or it could not be written: the caller keeps the case it has).
   */
  async function putOnCase(conv: PatientConversation, caseId: string): Promise<Case | null> {
    const said = conv.disclosures ?? [];
    if (said.length === 0) return null;
    const r = await self.recordDisclosures(caseId, said.map((d) => ({ kind: d.kind, words: d.words, at: new Date(d.at), said: d.said })));
    return r.ok ? r.value : null;
  }

  /**
   * The date of birth in this message, or the question that settles one that reads two ways ("05/11/1979" in a
   * Spanish conversation), or null when there is no date.
   */
  function readBirthDate(s: PatientDialogState, turn: PatientTurn): string | OutboundContentInput[] | null {
    if (s.dobChoices) {
      const choices = s.dobChoices.map((d) => ({ value: d, title: dayText(d, turn.lang, true) }));
      const i = pickChoice(turn.text, choices);
      if (i !== null) {
        delete s.dobChoices;
        return choices[i]!.value;
      }
    }
    const readings = birthDateReadings(turn.text, deps.now(), turn.lang);
    if (readings.length === 0) return null;
    if (readings.length === 1) {
      delete s.dobChoices;
      return readings[0]!;
    }
    s.dobChoices = readings;
    return [{ text: t('dob_which', turn.lang), choices: readings.map((d) => ({ value: d, title: dayText(d, turn.lang, true) })) }];
  }

  function wantsSomethingElse(s: PatientDialogState, turn: PatientTurn): boolean {
    const letter = /^[crx]$/i.exec(turn.text.trim())?.[0]?.toLowerCase();
    const asked = letter === 'c' ? 'confirm' : letter === 'r' ? 'reschedule' : letter === 'x' ? 'cancel' : null;
    const intent = turn.understanding.intent;
    const wanted = asked ?? (intent === 'confirm_appointment' ? 'confirm' : intent === 'reschedule' ? 'reschedule' : intent === 'cancel_appointment' ? 'cancel' : intent === 'waitlist' ? 'waitlist' : intent === 'order_status' ? 'status' : null);
    if (wanted === null) return false;
    return s.flow !== 'manage' || s.manage !== wanted;
  }

  /** The last day times are offered for (the scheduler's horizon), as yyyy-MM-dd in the center's zone. */
  function horizonDate(): string {
    return DateTime.fromJSDate(deps.now(), { zone: site.center.timeZone }).plus({ days: HORIZON_DAYS }).toFormat('yyyy-MM-dd');
  }

  function dayText(date: string, lang: Language, withYear = false): string {
    const f = lang === 'es' ? `d 'de' LLLL${withYear ? " 'de' yyyy" : ''}` : `LLLL d${withYear ? ', yyyy' : ''}`;
    return DateTime.fromISO(date, { zone: site.center.timeZone }).setLocale(lang === 'es' ? 'es' : 'en-US').toFormat(f);
  }

  /** "the 2nd one", "la segunda", "the last one", "the 7:45 one", "1pm": which offered time. */
  function pickOffered(text: string, offered: Array<{ start: string }>): number | null {
    const f = fold(text);
    const ordinals: Array<[RegExp, number]> = [
      [/\b(1st|first|primer[oa]?|la uno|el uno)\b/, 0],
      [/\b(2nd|second|segund[oa]|la dos|el dos)\b/, 1],
      [/\b(3rd|third|tercer[oa]?|la tres|el tres)\b/, 2],
      [/\b(last|ultim[oa])\b/, offered.length - 1],
    ];
    for (const [re, i] of ordinals) if (re.test(f) && i >= 0 && i < offered.length) return i;
    const m = /\b(\d{1,2})(?::(\d{2}))?\s*(am|pm)?\b/.exec(f);
    if (!m || (!m[2] && !m[3])) return null;
    const local = offered.map((o) => DateTime.fromISO(o.start, { zone: site.center.timeZone }));
    const hit = local.findIndex((d) => {
      const h12 = d.hour % 12 || 12;
      if (Number(m[1]) !== h12 && Number(m[1]) !== d.hour) return false;
      if ((m[2] ? Number(m[2]) : 0) !== d.minute) return false;
      return !m[3] || (m[3] === 'pm') === d.hour >= 12;
    });
    return hit >= 0 ? hit : null;
  }

  /** The study a side question is about: the one named in the message, else this flow's case or answers. */
  async function studyFor(s: PatientDialogState | undefined, turn: PatientTurn): Promise<KnownStudy | null> {
    const f = turn.understanding.fields;
    if (f.modality) return { modality: f.modality, bodyPart: f.bodyPart, contrast: f.contrast };
    const c = s?.caseId ? await self.findCase(s.caseId) : null;
    const onCase = c ? studyOf(c) : null;
    if (onCase) return onCase;
    return s?.answers.modality ? { modality: s.answers.modality, bodyPart: s.answers.bodyPart, contrast: s.answers.contrast } : null;
  }

  async function currentQuestion(s: PatientDialogState) {
    const c = s.caseId ? await self.findCase(s.caseId) : null;
    const study = c && studyOf(c);
    return study ? (self.screeningQuestions(study)[s.screening?.index ?? 0] ?? null) : null;
  }

  /** Who this conversation proved to be, if that was in the last half hour. */
  function verified(conv: PatientConversation): Verified | undefined {
    // A check stored without its time (before times were kept) counts as expired.
    if (conv.verified && !(deps.now().getTime() - Date.parse(conv.verified.at ?? '') <= VERIFIED_LIFETIME_MS)) delete conv.verified;
    return conv.verified;
  }

  async function handOff(conv: PatientConversation, turn: PatientTurn, why: keyof typeof WHY): Promise<OutboundContentInput[]> {
    const { lang } = turn;
    const caseId = conv.patient?.caseId ?? null;
    delete conv.patient;
    await turn.handoff(`${WHY[why]} (patient dialog)`, caseId);
    return [{ text: `${t(why, lang)} ${lang === 'es' ? `Respondemos en horario de atención; si es urgente, llame al ${centerPhone}.` : `We answer during opening hours; if it's urgent, call ${centerPhone}.`}` }];
  }

  function helpFor(s: PatientDialogState): TextId {
    switch (s.step) {
      case 'exam':
      case 'has_order':
      case 'name':
      case 'dob':
      case 'phone':
      case 'reason':
      case 'timing':
      case 'coverage':
        return `${s.step}_help`;
      case 'provider':
        return 'provider_help';
      case 'screening':
        return 'screening_help';
      case 'pick_slot':
        return 'slots_help';
      case 'verify_phone':
        return 'phone_help';
      case 'verify_dob':
        return 'dob_help';
      case 'verify_name':
        return 'name_help';
      case 'cancel_reason':
        return 'cancel_reason_help';
      case 'cancel_or_rebook':
        return 'cancel_or_rebook_help';
      case 'marketing':
        return 'marketing_help';
    }
  }

  /** The question for the current step (asked again after help or a wrong answer). */
  async function prompt(s: PatientDialogState, turn: PatientTurn): Promise<OutboundContentInput[]> {
    const { lang } = turn;
    switch (s.step) {
      case 'has_order':
        return [{ text: t('has_order', lang), choices: YES_NO(lang) }];
      case 'provider':
        return [{ text: t(s.answers.hasOrder ? 'provider_with_order' : 'provider_no_order', lang) }];
      case 'screening': {
        const c = s.caseId ? await self.findCase(s.caseId) : null;
        const study = c && studyOf(c);
        const q = study ? self.screeningQuestions(study)[s.screening?.index ?? 0] : undefined;
        return q ? [{ text: q[lang], choices: YES_NO_UNSURE(lang) }] : [];
      }
      case 'pick_slot':
        return [offerContent(s, lang)];
      case 'verify_phone':
        return [{ text: t('phone', lang) }];
      case 'verify_dob':
        return [{ text: t('dob', lang) }];
      case 'verify_name':
        return [{ text: t('verify_name', lang) }];
      case 'cancel_or_rebook':
        return [{ text: t('cancel_or_rebook', lang), choices: rebookChoices(lang) }];
      case 'marketing':
        return [{ text: t('marketing_opt_in', lang, { center: site.center.name }) }];
      default:
        return [{ text: t(s.step, lang) }];
    }
  }

  function rebookChoices(lang: Language): Choice[] {
    return lang === 'es'
      ? [{ value: 'rebook', title: 'Ver nuevos horarios' }, { value: 'cancel', title: 'Cancelar la cita' }, { value: 'withdraw', title: 'Ya no necesito el examen' }]
      : [{ value: 'rebook', title: 'See new times' }, { value: 'cancel', title: 'Cancel the appointment' }, { value: 'withdraw', title: "I don't need the exam anymore" }];
  }

  function offerContent(s: PatientDialogState, lang: Language): OutboundContentInput {
    return {
      text: t('slots', lang),
      choices: (s.offered ?? []).map((o, i) => ({ value: String(i + 1), title: slotText(new Date(o.start), site, lang) })),
      smsFooter: t('slots_help', lang),
    };
  }

  /** The next unanswered qualification question, or the end of qualification. */
  async function advance(conv: PatientConversation, s: PatientDialogState, turn: PatientTurn): Promise<OutboundContentInput[]> {
    const a = s.answers;
    s.fails = 0;
    let next: Step | null = null;
    // With an order at the center the exam is on the order: asked only if we cannot find it.
    if (a.modality === null && !a.examAsked && a.hasOrder !== true) next = 'exam';
    else if (a.hasOrder === null) next = 'has_order';
    else if (!a.givenName) next = 'name';
    else if (!a.birthDate) next = 'dob';
    else if (!turn.phone && !a.phone) next = 'phone';
    if (next === null && a.hasOrder && !s.lookedUp) {
      s.lookedUp = true;
      const found = await lookUpOrder(conv, s, turn);
      if (found) return found;
      return [{ text: t('order_not_found', turn.lang) }, ...(await advance(conv, s, turn))];
    }
    if (next === null) {
      if (a.modality === null && !a.examAsked) next = 'exam';
      else if (!a.reason) next = 'reason';
      else if (a.provider === undefined) next = 'provider';
      else if (a.timing === undefined) next = 'timing';
      else if (!a.coverage) next = 'coverage';
    }
    if (next) {
      s.step = next;
      return prompt(s, turn);
    }
    return submit(conv, s, turn);
  }

  /** "I have an order": find it by phone, date of birth and name; a schedulable one goes straight to screening. null: not found. */
  async function lookUpOrder(conv: PatientConversation, s: PatientDialogState, turn: PatientTurn): Promise<OutboundContentInput[] | null> {
    const a = s.answers;
    const phoneHash = turn.phoneHash ?? (a.phone ? deps.hashPhone(a.phone) : null);
    if (!phoneHash) return null;
    const name = `${a.givenName} ${a.familyName}`;
    const found = await self.verify({ phoneHash, birthDate: a.birthDate!, name, language: turn.lang });
    if (found.patients.length === 0) return null;
    conv.verified = { patientIds: found.patients.map((p) => p.id), phoneHash, birthDate: a.birthDate!, name, at: deps.now().toISOString() };
    return bookFound(conv, s, turn, found.cases);
  }

  /** The patient's order among their open cases: a schedulable one goes to screening and times; another is described. */
  async function bookFound(conv: PatientConversation, s: PatientDialogState, turn: PatientTurn, cases: Case[]): Promise<OutboundContentInput[] | null> {
    const c = cases.find((x) => SCHEDULABLE_STATES.includes(x.state)) ?? cases[0];
    if (!c) return null;
    if (!SCHEDULABLE_STATES.includes(c.state)) {
      await putOnCase(conv, c.id);
      delete conv.patient;
      const words = stateInWords(c.state, turn.lang);
      return [{ text: turn.lang === 'es' ? `Encontré su orden: ${words}. Le escribiremos cuando haya novedades.` : `I found your order: ${words}. We'll text you when there's news.` }];
    }
    s.caseId = c.id;
    return schedule(conv, s, turn, c);
  }

  async function setStep(s: PatientDialogState, step: Step, turn: PatientTurn): Promise<OutboundContentInput[]> {
    s.step = step;
    s.fails = 0;
    return prompt(s, turn);
  }

  /** Qualification done: the request case (lead → qualified → order_requested) and the order request to the provider. */
  async function submit(conv: PatientConversation, s: PatientDialogState, turn: PatientTurn): Promise<OutboundContentInput[]> {
    const a = s.answers;
    const phone = turn.phone ?? a.phone ?? null;
    const phoneHash = turn.phoneHash ?? (phone ? deps.hashPhone(phone) : null);
    // On chat, the number given for appointment texts is the patient's prior express consent to care texts.
    if (turn.channel !== 'sms' && phoneHash && (await deps.consent.statuses(phoneHash)).care === 'unknown') {
      await deps.consent.set(phoneHash, 'care', 'granted', 'chat_reply', `Q: ${t('phone', turn.lang)}\nA: (this number)`, deps.now());
    }
    const { case: c, via } = await self.submitRequest({
      requestKey: s.requestKey,
      channel: turn.channel,
      phone,
      phoneHash,
      language: turn.lang,
      givenName: a.givenName!,
      familyName: a.familyName!,
      birthDate: a.birthDate!,
      study: { modality: a.modality, bodyPart: a.bodyPart, laterality: a.laterality, contrast: a.contrast },
      reasonText: a.reason!,
      provider: a.provider ?? null,
      providerPhone: a.providerPhone ?? null,
      hasOrder: a.hasOrder === true,
      timing: a.timing ?? null,
      coverage: a.coverage ?? null,
    });
    await putOnCase(conv, c.id);
    const en = turn.lang === 'en';
    const who = via.orgName ?? a.provider ?? null;
    const next = via.via === 'teams'
      ? en
        ? `We've sent your request to ${who} and asked them for the order.`
        : `Enviamos su solicitud a ${who} y les pedimos la orden.`
      : who
        ? en
          ? `Our team will contact ${who} for your order.`
          : `Nuestro equipo contactará a ${who} para pedir su orden.`
        : en
          ? 'Our team will call you within 1 business day to help you get an order.'
          : 'Nuestro equipo lo llamará dentro de 1 día hábil para ayudarle a conseguir una orden.';
    // The optional marketing opt-in, only to a number that has never answered it.
    const askMarketing = phoneHash !== null && (await deps.consent.statuses(phoneHash)).marketing === 'unknown';
    if (askMarketing) {
      s.step = 'marketing';
      s.fails = 0;
    } else delete conv.patient;
    return [
      {
        text: en
          ? `Thank you, ${a.givenName}. ${next} When the order arrives (usually within 2 business days) we'll text you to pick a time and send your prep. Your request number is ${requestNumber(c.id)}. Questions: ${centerPhone}.`
          : `Gracias, ${a.givenName}. ${next} Cuando llegue la orden (normalmente en 2 días hábiles) le escribiremos para elegir la hora y enviarle la preparación. Su número de solicitud es ${requestNumber(c.id)}. Preguntas: ${centerPhone}.`,
      },
      ...(askMarketing ? await prompt(s, turn) : []),
    ];
  }

  /** A case the patient may book: stat/asap go to a person, then screening (once), then times. */
  async function schedule(conv: PatientConversation, s: PatientDialogState, turn: PatientTurn, found: Case): Promise<OutboundContentInput[]> {
    const { lang } = turn;
    // Whatever the patient said earlier in this conversation about their safety holds the booking for review.
    const c = (await putOnCase(conv, found.id)) ?? found;
    if (c.track === 'human') {
      await self.staffTask('schedule_by_phone', c, `Stat/asap case ${c.id}: the patient wants to book; call them to schedule.`);
      delete conv.patient;
      return [{ text: t('human_track', lang) }];
    }
    if (c.screening?.status === 'review') {
      delete conv.patient;
      return [{ text: t('screening_pending', lang) }];
    }
    if (!c.screening || !c.screening.answered) {
      const study = studyOf(c);
      const questions = study ? self.screeningQuestions(study) : [];
      if (questions.length > 0) {
        s.screening = { index: 0, answers: {} };
        s.step = 'screening';
        s.fails = 0;
        return [{ text: t('screening_intro', lang) }, ...(await prompt(s, turn))];
      }
      const r = await self.recordScreening(c.id, {}, verified(conv)?.birthDate ?? null);
      if (!r.ok) return [{ text: t('busy', lang) }];
    }
    return offer(conv, s, turn, c, []);
  }

  async function offer(conv: PatientConversation, s: PatientDialogState, turn: PatientTurn, c: Case, lead: OutboundContentInput[]): Promise<OutboundContentInput[]> {
    let slots: Slot[] = await self.offer(c, s.answers.preferredDates, s.wish ?? null);
    if (slots.length === 0 && s.wish) {
      // Nothing fits what they asked for: said so, with the closest times there are.
      delete s.wish;
      slots = await self.offer(c, s.answers.preferredDates);
      if (slots.length) lead = [...lead, { text: t('no_fit', turn.lang) }];
    }
    if (slots.length === 0) {
      await self.staffTask('schedule_by_phone', c, `No open time fits case ${c.id} in the next 4 weeks; call the patient to schedule.`);
      delete conv.patient;
      return [...lead, { text: t('no_slots', turn.lang) }];
    }
    s.offered = slots.map((x) => ({ scannerId: x.scannerId, start: x.start.toISOString() }));
    s.step = 'pick_slot';
    s.fails = 0;
    return [...lead, offerContent(s, turn.lang)];
  }

  async function book(conv: PatientConversation, s: PatientDialogState, turn: PatientTurn, pick: { scannerId: string; start: string }): Promise<OutboundContentInput[]> {
    const { lang } = turn;
    const r = await self.book(s.caseId!, { scannerId: pick.scannerId, start: new Date(pick.start) }, turn.channel, s.cancelReason ? `patient asked for a new time: ${s.cancelReason}` : undefined);
    if (!r.ok) {
      const c = await self.findCase(s.caseId!);
      if (c && (r.error.code === 'SLOT_TAKEN' || r.error.code === 'SLOT_INVALID')) return offer(conv, s, turn, c, [{ text: t('slot_taken', lang) }]);
      if (c && r.error.code === 'HUMAN_TRACK_ONLY') return schedule(conv, s, turn, c);
      return [{ text: t('busy', lang) }];
    }
    delete conv.patient;
    const when = slotText(r.value.appointment.start, site, lang);
    const where = placeText(site);
    if (r.value.held) {
      return [
        {
          text: lang === 'es'
            ? `Le estoy guardando el ${when} en ${where}. ${t('held', lang)}`
            : `I'm holding ${when} for you at ${where}. ${t('held', lang)}`,
        },
      ];
    }
    const study = studyOf(r.value.case)!;
    const rescheduled = s.flow === 'manage';
    return [
      {
        text: lang === 'es'
          ? `${rescheduled ? 'Listo, cambiamos su cita. ' : ''}Su cita está agendada: ${when} en ${where}.${rescheduled ? ' La hora anterior quedó libre.' : ''}`
          : `${rescheduled ? 'Done, your appointment is moved. ' : ''}You're booked: ${when} at ${where}.${rescheduled ? ' Your earlier time is released.' : ''}`,
      },
      { text: `${lang === 'es' ? 'Preparación' : 'How to prepare'}: ${prepMessage(site, study, lang)}` },
      { text: t('manage_choices', lang) },
    ];
  }

  /** The manage flow once we know who this is: their upcoming appointment, then C, R or X. */
  async function afterVerified(conv: PatientConversation, s: PatientDialogState, turn: PatientTurn, v: Verified): Promise<OutboundContentInput[]> {
    const { lang } = turn;
    const found = await self.verify({ phoneHash: v.phoneHash, birthDate: v.birthDate, name: v.name });
    if (s.manage === 'waitlist') return joinWaitlist(conv, found.cases, lang);
    const c = found.cases.find((x) => x.appointment !== null && ['scheduled', 'pending_authorization'].includes(x.state));
    if (!c) {
      // "can I rebook my mri?" after a cancelled appointment: the order is still here, so new times.
      const open = s.manage === 'reschedule' ? found.cases.find((x) => x.appointment === null && SCHEDULABLE_STATES.includes(x.state)) : undefined;
      if (open) {
        s.caseId = open.id;
        return schedule(conv, s, turn, open);
      }
      delete conv.patient;
      return [{ text: t('no_appointment', lang) }];
    }
    s.caseId = c.id;
    await putOnCase(conv, c.id);
    const when = slotText(c.appointment!.start, site, lang);
    if (s.manage === 'confirm') {
      if (c.appointment!.status === 'pending') {
        delete conv.patient;
        return [{ text: `${lang === 'es' ? `Le estamos guardando el ${when}.` : `We're holding ${when} for you.`} ${t('held', lang)}` }];
      }
      const r = await self.confirm(c.id);
      delete conv.patient;
      return [{ text: r.ok ? t('confirmed', lang, { when }) : t('busy', lang) }];
    }
    if (s.manage === 'cancel') {
      s.step = 'cancel_reason';
      s.fails = 0;
      return [{ text: t('cancel_reason', lang) }];
    }
    return offer(conv, s, turn, c, [{ text: lang === 'es' ? `Su cita actual es el ${when}. Elija una nueva hora y liberaremos la anterior.` : `Your current appointment is ${when}. Pick a new time and we'll release the old one.` }]);
  }

  /** A booked case waits for an earlier time; one still to book waits for any time. */
  async function joinWaitlist(conv: PatientConversation, cases: Case[], lang: Language): Promise<OutboundContentInput[]> {
    delete conv.patient;
    const c =
      cases.find((x) => x.state === 'scheduled' && x.appointment?.status === 'booked') ??
      cases.find((x) => ['ready_to_schedule', 'reschedule_needed', 'pending_authorization'].includes(x.state));
    if (!c) return [{ text: t('no_appointment', lang) }];
    const r = await deps.waitlist.join(c);
    if (!r.ok) return [{ text: r.error.code === 'NOT_YET' ? t('held', lang) : r.error.code === 'HUMAN_TRACK_ONLY' ? t('waitlist_human', lang) : t('no_appointment', lang) }];
    if (r.value.already) return [{ text: t('waitlist_already', lang) }];
    const hold = String(deps.holdMinutes);
    return [{ text: r.value.current ? t('waitlist_joined', lang, { hold, when: slotText(r.value.current, site, lang) }) : t('waitlist_joined_unbooked', lang, { hold }) }];
  }

  /** One answer to the current step: what to say next, or null when the answer did not fit (the caller re-asks). */
  async function answer(conv: PatientConversation, s: PatientDialogState, turn: PatientTurn): Promise<OutboundContentInput[] | null> {
    const a = s.answers;
    const f = fold(turn.text);
    const fields = turn.understanding.fields;
    switch (s.step) {
      case 'exam': {
        if (/^(not sure|unsure|i don'?t know|no se|no estoy segur[oa]|no lo se|idk)$/.test(f)) {
          a.examAsked = true;
          return advance(conv, s, turn);
        }
        if (!fields.modality) return null;
        a.examAsked = true;
        Object.assign(a, { modality: fields.modality, bodyPart: fields.bodyPart, laterality: fields.laterality, contrast: fields.contrast ?? a.contrast });
        if (fields.hasOrder !== null) a.hasOrder = fields.hasOrder;
        if (fields.providerName) a.provider = fields.providerName;
        return advance(conv, s, turn);
      }
      case 'has_order': {
        // "no i dont have one yet, can you guys get it?", "yes please!", "si claro": the everyday forms too.
        const yn = yesNo(turn.text, turn.lang) ?? (fields.hasOrder === null ? null : fields.hasOrder ? 'yes' : 'no') ?? screeningAnswer(turn.text);
        if (yn === null) return null;
        a.hasOrder = yn === 'yes';
        if (fields.providerName) a.provider = fields.providerName;
        return advance(conv, s, turn);
      }
      case 'name': {
        const n = parseFullName(turn.text, turn.lang);
        if (!n) return null;
        Object.assign(a, n);
        return advance(conv, s, turn);
      }
      case 'dob': {
        const d = readBirthDate(s, turn);
        if (d === null) return null;
        if (typeof d !== 'string') return d;
        a.birthDate = d;
        return advance(conv, s, turn);
      }
      case 'phone': {
        const p = normalizePhone(turn.text);
        if (!p) return null;
        a.phone = p;
        return advance(conv, s, turn);
      }
      case 'reason': {
        if (turn.text.trim().length < 3) return null;
        a.reason = turn.text.trim().slice(0, 1000);
        return advance(conv, s, turn);
      }
      case 'provider': {
        if (NONE.test(f)) a.provider = null;
        else {
          // "dr patel at northside family, their number is 512-555-0188": the name, the practice and the phone apart.
          const p = parseProvider(turn.text);
          if (!p) return null;
          a.provider = p.display;
          a.providerPhone = p.phone;
        }
        return advance(conv, s, turn);
      }
      case 'timing': {
        if (turn.text.trim().length < 2) return null;
        a.timing = turn.text.trim().slice(0, 200);
        a.preferredDates = fields.preferredTimes.map((x) => x.slice(0, 10));
        return advance(conv, s, turn);
      }
      case 'coverage': {
        const cov = parseCoverage(turn.text, site);
        if (!cov.ok) return cov.missing === 'member_id' ? [{ text: t('coverage_member_id', turn.lang) }] : null;
        a.coverage = cov.value;
        return advance(conv, s, turn);
      }
      case 'screening': {
        const c = await self.findCase(s.caseId!);
        const study = c && studyOf(c);
        if (!c || !study || !s.screening) return null;
        const questions = self.screeningQuestions(study);
        const q = questions[s.screening.index];
        if (!q) return null;
        // "yes, a knee replacement and a stent" and "ive had a pacemaker since 2019" answer yes, in the patient's words.
        const kind = KIND_OF_QUESTION[q.id];
        const said = kind !== undefined && (conv.disclosures ?? []).some((d) => d.kind === kind && d.words === turn.text.trim().slice(0, 500));
        const yn = yesNo(turn.text, turn.lang) ?? screeningAnswer(turn.text) ?? (said ? 'yes' : null);
        if (yn === null) return null;
        s.screening.answers[q.id] = yn;
        if (!/^\W*(y|yes|no|n|si|sí|unsure|not sure|no se|no sé)\W*$/i.test(turn.text.trim())) (s.screening.words ??= {})[q.id] = turn.text.trim().slice(0, 500);
        s.screening.index++;
        s.fails = 0;
        if (s.screening.index < questions.length) return prompt(s, turn);
        const r = await self.recordScreening(c.id, s.screening.answers, verified(conv)?.birthDate ?? a.birthDate ?? null, s.screening.words ?? {});
        if (!r.ok) return [{ text: t('busy', turn.lang) }];
        if (!r.value.noFlags) {
          delete conv.patient;
          return [{ text: t('screening_review', turn.lang) }];
        }
        return offer(conv, s, turn, c, []);
      }
      case 'pick_slot': {
        const offered = s.offered ?? [];
        const i = pickChoice(turn.text, offered.map((o, n) => ({ value: String(n + 1), title: slotText(new Date(o.start), site, turn.lang) }))) ?? pickOffered(turn.text, offered);
        if (i !== null) return book(conv, s, turn, offered[i]!);
        const c = await self.findCase(s.caseId!);
        if (!c) return null;
        // "none of those work, im at work til 5", "not tuesday", "thursday evening", "next week": times that fit.
        const wish = parseTimeWish(turn.text, deps.now(), site.center.timeZone);
        const dates = fields.preferredTimes.map((x) => x.slice(0, 10));
        const beyond = dates.filter((d) => d > horizonDate());
        if (beyond.length) return offer(conv, s, turn, c, [{ text: t('beyond_horizon', turn.lang, { until: dayText(horizonDate(), turn.lang) }) }]);
        if (wish) s.wish = mergeWish(s.wish, wish);
        if (dates.length) a.preferredDates = dates;
        if (wish || dates.length) return offer(conv, s, turn, c, []);
        if (/\b(none|neither|no good|(doesn'?t|don'?t|do not|won'?t) work|can'?t make|ninguno|ninguna|no me (sirve|sirven|queda|quedan))\b/.test(fold(turn.text))) return [{ text: t('ask_when', turn.lang) }];
        return null;
      }
      case 'verify_phone': {
        const p = normalizePhone(turn.text);
        if (!p) return null;
        a.phone = p;
        return setStep(s, 'verify_dob', turn);
      }
      case 'verify_dob': {
        const d = readBirthDate(s, turn);
        if (d === null) return null;
        if (typeof d !== 'string') return d;
        a.birthDate = d;
        return setStep(s, 'verify_name', turn);
      }
      case 'verify_name': {
        if (!/[a-z]{2,}/.test(f)) return null;
        const phoneHash = turn.phoneHash ?? (a.phone ? deps.hashPhone(a.phone) : null);
        const found = phoneHash ? await self.verify({ phoneHash, birthDate: a.birthDate!, name: turn.text, language: turn.lang }) : { patients: [] };
        if (found.patients.length === 0) {
          // Three tries, as for "where is my order?"; nothing is said about why it did not match.
          s.verifyTries = (s.verifyTries ?? 0) + 1;
          if (s.verifyTries < MAX_FAILS) return [{ text: `${t('verify_failed', turn.lang)} ${t('try_again', turn.lang)}` }, ...(await setStep(s, 'verify_dob', turn))];
          delete conv.patient;
          await turn.handoff('did not pass the identity check (date of birth and name) for an appointment change');
          return [{ text: `${t('verify_failed', turn.lang)} ${t('agent', turn.lang)}` }];
        }
        conv.verified = { patientIds: found.patients.map((p) => p.id), phoneHash: phoneHash!, birthDate: a.birthDate!, name: turn.text.trim(), at: deps.now().toISOString() };
        return afterVerified(conv, s, turn, conv.verified);
      }
      case 'cancel_reason': {
        if (turn.text.trim().length < 2) return null;
        s.cancelReason = turn.text.trim().slice(0, 300);
        return setStep(s, 'cancel_or_rebook', turn);
      }
      case 'marketing': {
        delete conv.patient;
        const phoneHash = turn.phoneHash ?? (a.phone ? deps.hashPhone(a.phone) : null);
        if (optInAnswer(turn.text, turn.lang) !== 'yes' || !phoneHash) return [{ text: t('marketing_no', turn.lang) }];
        const question = t('marketing_opt_in', turn.lang, { center: site.center.name });
        await deps.consent.set(phoneHash, 'marketing', 'granted', turn.channel === 'sms' ? 'sms_reply' : 'chat_reply', `Q: ${question}\nA: ${turn.text.trim().slice(0, 100)}`, deps.now());
        return [{ text: t('marketing_yes', turn.lang) }];
      }
      case 'cancel_or_rebook': {
        const i = pickChoice(turn.text, rebookChoices(turn.lang));
        const yn = i === null ? yesNoUnsure(turn.text) : null;
        const c = await self.findCase(s.caseId!);
        if (!c) return null;
        if (i === 0 || yn === 'yes') return offer(conv, s, turn, c, []);
        if (i === 1 || yn === 'no') {
          // The appointment goes; the order, the screening and the authorization stay for a new booking.
          const r = await self.cancelAppointment(c.id, s.cancelReason ?? 'patient cancelled', turn.channel);
          delete conv.patient;
          return [{ text: r.ok ? t('cancelled', turn.lang) : t('busy', turn.lang) }];
        }
        if (i === 2) {
          const r = await self.cancel(c.id, s.cancelReason ?? 'patient no longer wants the exam', turn.channel);
          delete conv.patient;
          return [{ text: r.ok ? t('withdrawn', turn.lang) : t('busy', turn.lang) }];
        }
        return null;
      }

    }
  }
}
export type PatientDialog = ReturnType<typeof createPatientDialog>;
