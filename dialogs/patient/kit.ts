import { DateTime } from 'luxon';
import type { SiteConfig } from '../../services/config/site.schema';
import type { Case } from '../../services/cases/case.schema';
import type { OrderStatusService } from '../../services/cases/order-status.service';
import type { ConsentService } from '../../services/consent/consent.service';
import { pickChoice, type Choice } from '../../services/conversations/outbound-content';
import type { Language } from '../../services/messaging/templates';
import { phoneText } from '../../services/messaging/templates';
import type { SelfService } from '../../services/patients/self-service.service';
import { HORIZON_DAYS } from '../../services/scheduling/scheduling.service';
import type { Answer } from '../../services/screening/screening';
import { yesNoUnsure } from '../../services/understanding/rules.engine';
import type { Waitlist } from '../../services/waitlist/waitlist.service';
import type { Out, Step } from '../engine/step';
import type { Fields } from '../../services/understanding/understanding.schema';
import type { Answers, HandoffWhy, PatientConversation, PatientCtx, PatientTurn, StepId, Verified } from './state';
import { t } from './patient.texts';

export interface PatientDialogDeps {
  self: SelfService;
  /** Marketing consent is asked once, explicitly, after a request (domain.md §6); never a condition of care. */
  consent: Pick<ConsentService, 'statuses' | 'set'>;
  /** "Anything sooner?": the verified patient's case joins the waitlist. */
  waitlist: Pick<Waitlist, 'join'>;
  /** "Where is my order?", answered once the identity check has passed. */
  orderStatus: Pick<OrderStatusService, 'describe'>;
  holdMinutes: number;
  site: SiteConfig;
  hashPhone: (e164: string) => string;
  now: () => Date;
}

export type PatientStep = Step<PatientCtx>;
export type Steps<K extends StepId> = Record<K, PatientStep>;

/** Why a patient flow went to a person, as the handoff task says it. */
export const WHY: Record<HandoffWhy, string> = { agent: 'asked for a person', clinical: 'asked a clinical question', too_many_tries: 'could not be understood three times in a row' };
export type { HandoffWhy };

/** Cases a patient can pick a time for themselves (pending authorization: held until approval). */
export const SCHEDULABLE_STATES: readonly string[] = ['ready_to_schedule', 'reschedule_needed', 'pending_authorization'];
export const MAX_FAILS = 3;
const VERIFIED_LIFETIME_MS = 30 * 60_000;

export const YES_NO = (lang: Language): Choice[] => (lang === 'es' ? [{ value: 'yes', title: 'Sí' }, { value: 'no', title: 'No' }] : [{ value: 'yes', title: 'Yes' }, { value: 'no', title: 'No' }]);
export const YES_NO_UNSURE = (lang: Language): Choice[] => [...YES_NO(lang), { value: 'unsure', title: lang === 'es' ? 'No sé' : 'Not sure' }];

/** Confirm / Reschedule / Cancel as a card's buttons on chats; each sends the letter every channel understands. */
export function manageActions(lang: Language): Choice[] {
  return [
    { value: 'C', title: t('action_confirm', lang) },
    { value: 'R', title: t('action_reschedule', lang) },
    { value: 'X', title: t('action_cancel', lang) },
  ];
}

export function yesNo(text: string, lang: Language): Answer | null {
  const picked = pickChoice(text, YES_NO_UNSURE(lang));
  if (picked !== null) return (['yes', 'no', 'unsure'] as const)[picked]!;
  return yesNoUnsure(text);
}

/**
 * How flows reach each other: a flow hands its result to the flow that called it (an identity check → a verified
 * patient; screening → cleared or held; a found order → times), without importing it.
 */
export interface FlowLinks {
  /** A case the patient may book: a person for stat/asap, screening once, then times. */
  schedule(ctx: PatientCtx, c: Case): Promise<Out[]>;
  /** Open times for the case, after the lines in `lead`. */
  offer(ctx: PatientCtx, c: Case, lead: Out[]): Promise<Out[]>;
  /** The identity check's result, for the flow that asked for it. */
  identified(ctx: PatientCtx, v: Verified): Promise<Out[]>;
  /** The patient's order among their open cases: times for a schedulable one, its state in words for another. */
  bookFound(ctx: PatientCtx, cases: Case[]): Promise<Out[] | null>;
  /** The case joins the waitlist (a booked one for an earlier time); the flow ends. */
  waitlist(ctx: PatientCtx, cases: Case[]): Promise<Out[]>;
  /** The question of the step the flow is at. */
  prompt(ctx: PatientCtx): Promise<Out[]>;
  /** The safety questions of the cases a request just made, asked once for all of them; null when none applies. */
  screenRequest(ctx: PatientCtx, caseIds: string[]): Promise<Out[] | null>;
}

/** What the flows share: the services, the site, and the few rules every flow keeps the same way. */
export function createKit(deps: PatientDialogDeps) {
  const { site, self } = deps;
  const centerPhone = phoneText(site.center.phone);
  const links = {} as FlowLinks;
  /** Opens (or, the same day, finds) this conversation's handoff task, saying why, with its case when known. */
  const openHandoff = (turn: PatientTurn, why: HandoffWhy, caseId: string | null) => turn.handoff(`${WHY[why]} (patient dialog)`, caseId);
  /** The phone hash of this patient: the SMS number, or the number they gave on chat. */
  const phoneHashOf = (ctx: PatientCtx): string | null => ctx.turn.phoneHash ?? (ctx.s.answers.phone ? deps.hashPhone(ctx.s.answers.phone) : null);
  return {
    deps,
    site,
    self,
    links,

    /**
     * This conversation's safety facts onto the case (idempotent): the case is held for review. Returns the case as now
     * stored, or null when there was nothing to put (or it could not be written: the caller keeps the case it has).
     */
    async putOnCase(conv: PatientConversation, caseId: string): Promise<Case | null> {
      const said = conv.disclosures ?? [];
      if (said.length === 0) return null;
      const r = await self.recordDisclosures(caseId, said.map((d) => ({ kind: d.kind, words: d.words, at: new Date(d.at), said: d.said })));
      return r.ok ? r.value : null;
    },

    /** Who this conversation proved to be, if that was in the last half hour. */
    verified(conv: PatientConversation): Verified | undefined {
      // A check stored without its time (before times were kept) counts as expired.
      if (conv.verified && !(deps.now().getTime() - Date.parse(conv.verified.at ?? '') <= VERIFIED_LIFETIME_MS)) delete conv.verified;
      return conv.verified;
    },

    /** Ends the flow and opens a handoff task (with the flow's case attached). */
    async handOff(conv: PatientConversation, turn: PatientTurn, why: HandoffWhy): Promise<Out[]> {
      const caseId = conv.patient?.caseId ?? null;
      delete conv.patient;
      await openHandoff(turn, why, caseId);
      return [{ text: `${t(why, turn.lang)} ${t('handoff_hours', turn.lang, { phone: centerPhone })}` }];
    },

    openHandoff,

    /** What answers the message (a side question, a clinical one), then the step's question again. */
    async thenAskAgain(ctx: PatientCtx, said: Out): Promise<Out[]> {
      const [first, ...rest] = await links.prompt(ctx);
      return [said, ...(first ? [{ ...first, text: `${t('back_to_step', ctx.turn.lang)} ${first.text}` }, ...rest] : [])];
    },

    /**
     * The optional reminders question, asked once per number after a request or a first booking (screening recalls
     * need marketing consent, domain.md §6); otherwise the flow ends.
     */
    async marketingOrEnd(ctx: PatientCtx): Promise<Out[]> {
      const phoneHash = phoneHashOf(ctx);
      if (phoneHash === null || (await deps.consent.statuses(phoneHash)).marketing !== 'unknown') {
        delete ctx.conv.patient;
        return [];
      }
      ctx.conv.patient = ctx.s;
      ctx.s.step = 'marketing';
      ctx.s.fails = 0;
      return links.prompt(ctx);
    },

    /** Moves the flow to a step and asks its question. */
    async goTo(ctx: PatientCtx, step: StepId): Promise<Out[]> {
      ctx.s.step = step;
      ctx.s.fails = 0;
      return links.prompt(ctx);
    },

    phoneHashOf,

    /** The last day times are offered for (the scheduler's horizon), as yyyy-MM-dd in the center's zone. */
    horizonDate(): string {
      return DateTime.fromJSDate(deps.now(), { zone: site.center.timeZone }).plus({ days: HORIZON_DAYS }).toFormat('yyyy-MM-dd');
    },

    dayText(date: string, lang: Language, withYear = false): string {
      const f = lang === 'es' ? `d 'de' LLLL${withYear ? " 'de' yyyy" : ''}` : `LLLL d${withYear ? ', yyyy' : ''}`;
      return DateTime.fromISO(date, { zone: site.center.timeZone }).setLocale(lang === 'es' ? 'es' : 'en-US').toFormat(f);
    },

    centerPhone,
  };
}
export type Kit = ReturnType<typeof createKit>;

/** What a message already told a request (the doctor, their office and number, payer and id): not asked again. */
export function saidDetails(f: Fields): Partial<Answers> {
  const out: Partial<Answers> = {};
  if (f.providerName) out.provider = f.providerPractice ? `${f.providerName}, ${f.providerPractice}` : f.providerName;
  if (f.providerName && f.providerPhone) out.providerPhone = f.providerPhone;
  // A payer with its id is coverage given; "do you take medicaid?" or "how much if im self pay" is still asked.
  if (f.payer && f.payer !== 'self-pay' && f.memberId) out.coverage = { payer: f.payer, memberId: f.memberId };
  return out;
}
