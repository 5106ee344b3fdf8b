import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { newId } from '../ids';
import type { SiteConfig } from '../config/site.schema';
import { needsPriorAuthorization } from '../config/site.schema';
import type { CaseRepository, PatientRepository } from '../cases/case.ports';
import type { Case, CaseAppointment, CaseChannel, CaseHistoryEntry, Patient } from '../cases/case.schema';
import { verifiedPatients } from '../cases/identity';
import { authorizationAfter, covers, lapsed } from '../cases/authorization';
import { localDay } from '../scheduling/slot-text';
import { orderName } from '../exams/modality.catalog';
import type { Insurance } from '../orders/order.schema';
import { decide } from '../pipeline/pipeline.decide';
import type { CaseState, PipelineEvent } from '../pipeline/pipeline.states';
import { trackFor } from '../pipeline/pipeline.track';
import { err, ok, type Result } from '../result';
import type { Locks } from '../locks';
import type { SchedulingService, Slot } from '../scheduling/scheduling.service';
import type { Appointment } from '../scheduling/appointment.schema';
import type { Study } from '../scheduling/study';
import type { TimeWish } from '../scheduling/time-wish';
import { evaluateScreening, flagHolds, reviewFor, reviewOfQuestion, screeningQuestions, type Answer, type ReviewKind, type ScreeningOutcome, type ScreeningQuestion } from '../screening/screening';
import type { Disclosure } from '../screening/disclosures';
import { urgentTaskKey, type TaskInput, type TaskKind, type TaskRepository } from '../tasks/task.schema';
import type { OrderRequests, OrderRequestVia } from './order-request.service';
import { actorOf, type Principal, type Role } from '../staff/staff.roles';

/** Who may clear a safety review: the technologist who called the patient, or an admin. */
const CLEARS_SCREENING: ReadonlySet<Role> = new Set(['admin', 'technologist']);

/** What a patient told the bot in qualification (domain.md §2, lead → qualified). */
export interface SelfRequest {
  /** Stable for one request of one conversation: a repeated submit finds the case the first one made. */
  requestKey: string;
  channel: CaseChannel;
  phone: string | null;
  phoneHash: string | null;
  language: 'en' | 'es';
  givenName: string;
  familyName: string;
  birthDate: string;
  study: { modality: Study['modality'] | null; bodyPart: string | null; laterality: 'left' | 'right' | 'bilateral' | null; contrast: Study['contrast'] };
  reasonText: string;
  provider: string | null;
  /** The provider's callback number, when the patient gave one. */
  providerPhone?: string | null;
  hasOrder: boolean;
  timing: string | null;
  coverage: Insurance | null;
  /** "asap": a person follows the request up at once (the human track, domain.md §3); else routine. */
  priority?: 'routine' | 'asap';
}

/** States in which a patient can pick a time themselves (pending authorization: held, not confirmed). */
const SCHEDULABLE: ReadonlySet<CaseState> = new Set(['ready_to_schedule', 'reschedule_needed', 'pending_authorization']);
const OPEN: ReadonlySet<CaseState> = new Set(['lead', 'qualified', 'order_requested', 'received', 'awaiting_documentation', 'pending_authorization', 'ready_to_schedule', 'scheduled', 'reschedule_needed', 'no_show', 'incomplete']);

export type SelfServiceFailure = 'AUTHORIZATION_EXPIRED' | 'OUTSIDE_AUTHORIZATION' | 'SCREENING_NOT_IN_REVIEW' | 'CASE_NOT_FOUND' | 'NOT_SCHEDULABLE' | 'HUMAN_TRACK_ONLY' | 'SCREENING_REVIEW' | 'SLOT_TAKEN' | 'SLOT_INVALID' | 'CASE_BUSY' | 'CASE_CHANGED' | 'NO_APPOINTMENT';

export function studyOf(c: Case): Study | null {
  return c.order.code.modality ? { modality: c.order.code.modality, bodyPart: c.order.bodySite.text, contrast: c.order.code.contrast } : null;
}

/** The screening questions the case still needs: all before any screening; after one, those a changed order added. */
export function questionsToAsk(c: Case): ScreeningQuestion[] {
  const study = studyOf(c);
  if (!study) return [];
  const all = screeningQuestions(study);
  if (!c.screening?.answered) return all;
  const asked = c.screening.asked;
  return asked ? all.filter((q) => !asked.includes(q.id)) : [];
}

function ageOn(birthDate: string | null, now: Date, zone: string): number | null {
  if (!birthDate) return null;
  return Math.floor(DateTime.fromJSDate(now, { zone }).diff(DateTime.fromISO(birthDate, { zone }), 'years').years);
}

/**
 * The patient's own use cases (issue: patient conversations): a self-request that becomes an order request, safety
 * screening, booking with a held booking while authorization is pending, reschedule, cancel and confirm. Each writes
 * the case through the transition table with one conditional update; side effects follow the write and are keyed.
 */
export function createSelfService(deps: {
  cases: CaseRepository;
  patients: PatientRepository;
  scheduling: SchedulingService;
  tasks: TaskRepository;
  orderRequests: Pick<OrderRequests, 'send'>;
  locks: Locks;
  site: SiteConfig;
  now: () => Date;
  /** After a booking is on the case (not a held one): queue its reminders. */
  onBooked?: (c: Case) => Promise<void>;
  /** After an appointment was moved or cancelled: remove its reminders. */
  onAppointmentGone?: (appointmentId: string) => Promise<void>;
  /** After staff cleared a screening review: tell the patient they can book. */
  onScreeningCleared?: (c: Case) => Promise<void>;
}) {
  const { cases, site } = deps;
  const zone = site.center.timeZone;

  const step = (c: Pick<Case, 'state' | 'track'>, event: PipelineEvent, channel: CaseChannel, reason?: string): { state: CaseState; entry: CaseHistoryEntry } => {
    const d = decide(c, event, 'bot', deps.now(), { channel, ...(reason ? { reason } : {}) });
    if (!d.ok) throw new Error(`transition table refuses ${event} from ${c.state}: ${d.error.code}`);
    return d.value;
  };

  function taskFor(kind: TaskKind, c: Case, summary: string): TaskInput {
    const now = deps.now();
    return { id: newId('t'), kind, status: 'open', dedupeKey: `${kind}:${c.id}`, summary, caseId: c.id, referrerOrgId: c.referrerOrgId, replyTo: null, createdAt: now, updatedAt: now };
  }

  const PATIENT_ASKED = 'The patient has texted asking to book.';
  async function task(kind: TaskKind, c: Case, summary: string): Promise<void> {
    await deps.tasks.insert(taskFor(kind, c, summary)); // false: the same task is already open
  }

  /**
   * The review a technologist or nurse must do, naming the patient, the study, every flagged answer and every
   * disclosure in the patient's words; an open one is brought up to date rather than repeated.
   */
  async function reviewTask(kind: ReviewKind, c: Case): Promise<void> {
    const p = await deps.patients.findById(c.patientId);
    const study = studyOf(c);
    const who = [p?.givenName, p?.familyName].filter(Boolean).join(' ') || 'the patient';
    const what = study ? [orderName(study.modality), study.bodyPart, study.contrast ? `contrast ${study.contrast}` : null].filter(Boolean).join(', ') : 'exam not known yet';
    const s = c.screening;
    const answers = (s?.flags ?? []).filter((f) => reviewOfQuestion(f.id) === kind).map((f) => `${f.id}: ${f.answer}${f.words ? ` ("${f.words}")` : ''}`);
    const said = (s?.disclosures ?? []).filter((d) => !d.reviewed && reviewFor(d.kind) === kind).map((d) => `${d.kind} ("${d.words}")`);
    const head = `${kind === 'technologist_review' ? 'Technologist' : 'Nurse/radiologist'} review before scheduling: ${who}, ${what} (case ${c.id}).`;
    const holds = (s?.status === 'review' && (s.flags.some((f) => reviewOfQuestion(f.id) === kind && flagHolds(f.id)) || said.length > 0));
    const tail = holds ? ' Call the patient; the bot offers no times until this task is done.' : ' The patient may book; follow up before the visit.';
    const body = ` ${[...answers, ...said].join('; ') || 'see the case'}.`;
    const summary = `${head}${body.length + head.length + tail.length > 500 ? `${body.slice(0, 500 - head.length - tail.length - 1)}…` : body}${tail}`;
    if (!(await deps.tasks.insert(taskFor(kind, c, summary)))) await deps.tasks.updateSummary(`${kind}:${c.id}`, summary, deps.now());
  }

  /** One writer per case at a time (the staff API takes the same lock). */
  /** The latest cases of every patient with this number (none when the number is unknown). */
  async function casesOfNumber(phoneHash: string): Promise<Case[]> {
    const patientIds = await deps.patients.findIdsByPhoneHash(phoneHash);
    return patientIds.length ? (await cases.list({ patientIds }, { limit: 20 })).items : [];
  }

  async function withCase<T>(caseId: string, fn: (c: Case) => Promise<Result<T, SelfServiceFailure>>): Promise<Result<T, SelfServiceFailure>> {
    const locked = await deps.locks.withLock(`case:${caseId}`, async () => {
      const c = await cases.findById(caseId);
      return c ? fn(c) : err('CASE_NOT_FOUND' as const, `no case '${caseId}'`);
    });
    return locked.ok ? locked.value : err('CASE_BUSY', locked.error.message);
  }

  /** Why the patient cannot book this case themselves, or null when they can. */
  function bookable(c: Case): Result<never, SelfServiceFailure> | null {
    if (c.track === 'human') return err('HUMAN_TRACK_ONLY', 'stat and asap orders are scheduled by staff');
    if (!SCHEDULABLE.has(c.state) && c.state !== 'scheduled') return err('NOT_SCHEDULABLE', `a case in '${c.state}' cannot be booked`);
    if (!c.screening || c.screening.status === 'review') return err('SCREENING_REVIEW', 'screening must be done and clear first');
    if (!studyOf(c)) return err('NOT_SCHEDULABLE', 'the exam is not known yet');
    if (lapsed(c.authorization, dayOf(deps.now()))) return err('AUTHORIZATION_EXPIRED', `the authorization ended on ${c.authorization!.validTo}`);
    return null;
  }

  const dayOf = (at: Date) => localDay(at, deps.site.center.timeZone);

  /**
   * Puts a claimed time on the case in one conditional update: ready_to_schedule/reschedule_needed → scheduled;
   * scheduled → reschedule_needed → scheduled (the old time freed after); pending_authorization keeps its state and
   * holds the time until approval. The claim is given back if the case cannot take it.
   */
  async function attach(c: Case, a: Appointment, channel: CaseChannel, reason?: string): Promise<Result<{ case: Case; appointment: CaseAppointment; held: boolean }, SelfServiceFailure>> {
    const reschedule = c.state === 'scheduled';
    const held = c.state === 'pending_authorization';
    const appointment: CaseAppointment = { id: a.id, scannerId: a.scannerId, start: a.start, end: a.end, status: held ? 'pending' : 'booked', confirmedAt: null, readiness: null };
    const now = deps.now();
    let saved: Case | null;
    try {
      if (held) saved = await cases.patch(c.id, c.version, { appointment }, now);
      else if (reschedule) {
        const r = step(c, 'request_reschedule', channel, reason ?? 'patient asked for a new time');
        const b = step({ state: r.state, track: c.track }, 'book', channel);
        saved = await cases.applyTransition(c.id, { state: c.state, version: c.version }, { state: b.state, entry: [r.entry, b.entry], now, set: { appointment } });
      } else {
        const b = step(c, 'book', channel);
        saved = await cases.applyTransition(c.id, { state: c.state, version: c.version }, { state: b.state, entry: b.entry, now, set: { appointment } });
      }
    } catch (e) {
      // The time was claimed but the case never got it: free it before the error goes on.
      await deps.scheduling.cancel(a.id, 'case write failed while booking');
      throw e;
    }
    if (!saved) {
      await deps.scheduling.cancel(a.id, 'case changed while booking');
      return err('CASE_CHANGED', 'the case changed meanwhile');
    }
    // The earlier time is freed only once the new one is on the case.
    if (c.appointment && c.appointment.id !== a.id) {
      await deps.scheduling.cancel(c.appointment.id, reason ?? 'rescheduled');
      await deps.onAppointmentGone?.(c.appointment.id);
    }
    if (!held) await deps.onBooked?.(saved);
    return ok({ case: saved, appointment, held });
  }

  return {
    screeningQuestions,

    /** The patients this phone, birth date and name verify, and their open cases (newest first). */
    async verify(who: { phoneHash: string; birthDate: string; name: string; language?: Patient['language'] }): Promise<{ patients: Patient[]; cases: Case[] }> {
      const patients = await verifiedPatients(deps.patients, who);
      if (patients.length === 0) return { patients, cases: [] };
      if (who.language) await deps.patients.setLanguage(patients.filter((p) => p.language !== who.language).map((p) => p.id), who.language);
      const { items } = await cases.list({ patientIds: patients.map((p) => p.id) }, { limit: 20 });
      return { patients, cases: items.filter((c) => OPEN.has(c.state)) };
    },

    /** Whether this number has an order we could book or move (nothing is said to the person before they verify). */
    async hasBookableOrder(phoneHash: string): Promise<boolean> {
      return (await casesOfNumber(phoneHash)).some((c) => SCHEDULABLE.has(c.state) || c.state === 'scheduled');
    },

    /** The one open case of this number, for a staff task to show (staff see it; the person is told nothing). */
    async soleOpenCase(phoneHash: string): Promise<string | null> {
      const open = (await casesOfNumber(phoneHash)).filter((c) => OPEN.has(c.state));
      return open.length === 1 ? open[0]!.id : null;
    },

    async findCase(id: string): Promise<Case | null> {
      return cases.findById(id);
    },

    /**
     * lead → qualified → order_requested in one insert (no reader sees a half-made request), then the order request
     * to the provider. Returns how the provider is being asked.
     */
    async submitRequest(r: SelfRequest): Promise<{ case: Case; via: OrderRequestVia }> {
      const id = `c_${createHash('sha256').update(`self:${r.requestKey}`).digest('hex').slice(0, 24)}`;
      const existing = await cases.findById(id);
      const patient = await deps.patients.findOrCreate(
        { givenName: r.givenName, familyName: r.familyName, birthDate: r.birthDate, phone: r.phone, phoneHash: r.phoneHash, language: r.language },
        deps.now(),
      );
      if (patient.language !== r.language) await deps.patients.setLanguage([patient.id], r.language);
      let c = existing;
      if (!c) {
        const now = deps.now();
        const priority = r.priority ?? 'routine';
        const track = trackFor(priority);
        const history: CaseHistoryEntry[] = [{ from: null, to: 'lead', event: 'create', actor: 'bot', channel: r.channel, at: now }];
        const q = step({ state: 'lead', track }, 'qualify', r.channel);
        const o = step({ state: q.state, track }, 'request_order', r.channel, r.provider ? `patient named ${r.hasOrder ? 'the provider with their order' : 'their provider'}` : 'patient named no provider');
        history.push(q.entry, o.entry);
        c = {
          id,
          state: o.state,
          track,
          version: history.length - 1,
          source: r.channel === 'webchat' ? 'webchat' : r.channel === 'msteams' ? 'msteams' : 'sms',
          patientId: patient.id,
          referrerOrgId: null,
          order: {
            intent: 'proposal',
            priority: priority === 'asap' ? 'asap' : null,
            code: { modality: r.study.modality, contrast: r.study.contrast },
            bodySite: { text: r.study.bodyPart, laterality: r.study.laterality },
            reasonCode: [],
            reasonText: r.reasonText,
            requester: r.provider ? { name: r.provider, npi: null, phone: r.providerPhone ?? null } : null,
            insurance: r.coverage,
            note: r.timing ? [{ text: `Preferred timing: ${r.timing}`, at: now, author: 'bot' }] : [],
          },
          missing: [],
          appointment: null,
          screening: null,
          authorization: null,
          history,
          createdAt: now,
          updatedAt: now,
        };
        if (!(await cases.insert(c))) c = (await cases.findById(id)) ?? c;
      }
      const via = await deps.orderRequests.send(c, patient, r.provider);
      // The office we asked may see the request (and only that office): it is theirs to accept or decline.
      if (via.via === 'teams' && c.referrerOrgId !== via.orgId) c = (await cases.patch(c.id, c.version, { referrerOrgId: via.orgId }, deps.now())) ?? c;
      return { case: c, via };
    },

    /**
     * Records the answers (with the patient's words where they said more than yes or no); any yes or unsure, or a
     * safety fact said earlier and not yet reviewed, opens the review task(s): no slot is offered until staff clear it.
     */
    async recordScreening(caseId: string, answers: Record<string, Answer>, birthDate: string | null, words: Record<string, string> = {}): Promise<Result<ScreeningOutcome, SelfServiceFailure>> {
      return withCase(caseId, async (c) => {
        const study = studyOf(c);
        if (!study) return err('NOT_SCHEDULABLE', 'the exam is not known yet');
        const questions = screeningQuestions(study);
        // Answers given before (a request screened before its order came) still count: only what was added is new.
        const before = c.screening?.answered ? c.screening : null;
        const prior: Record<string, Answer> = {};
        for (const q of before ? questions : []) if (before!.asked?.includes(q.id) ?? true) prior[q.id] = before!.flags.find((f) => f.id === q.id)?.answer ?? q.safe;
        const outcome = evaluateScreening(questions, { ...prior, ...answers }, ageOn(birthDate, deps.now(), zone));
        const disclosures = c.screening?.disclosures ?? [];
        const open = disclosures.filter((d) => !d.reviewed);
        const now = deps.now();
        const flags = outcome.flags.map((f) => {
          const said = words[f.id] ?? before?.flags.find((b) => b.id === f.id)?.words;
          return { id: f.id, answer: f.answer, ...(said ? { words: said.slice(0, 500) } : {}) };
        });
        // A review staff cleared stays cleared unless an answer added since raises something new.
        const counted = before?.status === 'cleared' ? outcome.flags.filter((f) => !before.flags.some((b) => b.id === f.id)) : outcome.flags;
        const held = counted.some((f) => flagHolds(f.id)) || open.length > 0;
        const status = held ? 'review' : before?.status === 'cleared' ? 'cleared' : counted.length > 0 ? 'noted' : 'no_flags';
        const asked = [...new Set([...Object.keys(prior), ...Object.keys(answers)])];
        const saved = await cases.patch(c.id, c.version, { screening: { ...(status === 'cleared' ? before : {}), status, flags, answered: true, asked, disclosures, at: now } }, now);
        if (!saved) return err('CASE_CHANGED', 'the case changed meanwhile; answer again');
        const kinds = new Set([...counted.map((f) => f.review), ...open.map((d) => reviewFor(d.kind))]);
        for (const kind of kinds) await reviewTask(kind, saved);
        return ok({ ...outcome, held, noFlags: counted.length === 0 && !held });
      });
    },

    /**
     * Safety facts the patient said anywhere (a clinical question, a handoff, another step): kept on the case with
     * their words, and the case goes to review (again, if it had been cleared) until staff clear it. Idempotent.
     */
    async recordDisclosures(caseId: string, said: Disclosure[]): Promise<Result<Case, SelfServiceFailure>> {
      return withCase(caseId, async (c) => {
        const had = c.screening?.disclosures ?? [];
        const fresh = said.filter((d) => !had.some((h) => h.kind === d.kind && h.words === d.words));
        if (fresh.length === 0) return ok(c);
        const now = deps.now();
        const screening = {
          status: 'review' as const,
          flags: c.screening?.flags ?? [],
          answered: c.screening?.answered ?? false,
          disclosures: [...had, ...fresh.map((d) => ({ ...d, reviewed: false }))],
          at: now,
        };
        const saved = await cases.patch(c.id, c.version, { screening }, now);
        if (!saved) return err('CASE_CHANGED', 'the case changed meanwhile; try again');
        for (const kind of new Set(fresh.map((d) => reviewFor(d.kind)))) await reviewTask(kind, saved);
        return ok(saved);
      });
    },

    /** Free times for the case; never its own current time (a move offers somewhere else). */
    async offer(c: Case, preferredDates: string[] = [], wish: TimeWish | null = null): Promise<Slot[]> {
      const study = studyOf(c);
      const a = c.authorization?.status === 'approved' ? c.authorization : null;
      return study ? deps.scheduling.offer(study, { preferredDates, wish, exclude: c.appointment ? [c.appointment.start] : [], ...(a ? { within: { from: a.validFrom, to: a.validTo } } : {}) }) : [];
    },

    /**
     * The approval's last day is behind us (found while the patient books or moves): the case needs a new one
     * (expire_authorization, a booked time held), and the office is asked for it. The updated case, or null when the
     * approval still holds.
     */
    async lapseAuthorization(caseId: string, channel: CaseChannel): Promise<Case | null> {
      const r = await withCase(caseId, async (c): Promise<Result<Case | null, SelfServiceFailure>> => {
        const now = deps.now();
        if (!lapsed(c.authorization, dayOf(now))) return ok(null);
        const d = step(c, 'expire_authorization', channel, `the authorization ended on ${c.authorization!.validTo}`);
        const expired = authorizationAfter('expire_authorization', c.authorization, { payer: c.authorization!.payer }, now, dayOf(now));
        if (!expired.ok || !expired.value) throw new Error('expiring an authorization has no data to refuse');
        const set = { authorization: expired.value.record, ...(c.appointment ? { appointment: { ...c.appointment, status: 'pending' as const } } : {}) };
        const saved = await cases.applyTransition(c.id, { state: c.state, version: c.version }, { state: d.state, entry: d.entry, now, set });
        if (!saved) return err('CASE_CHANGED', 'the case changed meanwhile');
        const a = c.authorization!;
        await task('authorization', saved, `The ${a.payer ?? 'payer'} authorization${a.number ? ` ${a.number}` : ''} for case ${c.id} ended on ${a.validTo} before the exam: get it renewed, then record the new approval (approve_authorization with its dates).`);
        return ok(saved);
      });
      return r.ok ? r.value : null;
    },

    /**
     * Books the slot (never twice: the scanner's cells are claimed), then puts it on the case (see attach).
     */
    async book(caseId: string, slot: Pick<Slot, 'scannerId' | 'start'>, channel: CaseChannel, reason?: string): Promise<Result<{ case: Case; appointment: CaseAppointment; held: boolean }, SelfServiceFailure>> {
      return withCase(caseId, async (c) => {
        const refused = bookable(c);
        if (refused) return refused;
        if (!covers(c.authorization, dayOf(slot.start))) return err('OUTSIDE_AUTHORIZATION', `the authorization covers ${c.authorization!.validFrom ?? '…'} to ${c.authorization!.validTo ?? '…'}`);
        const booked = await deps.scheduling.book({ caseId: c.id, study: studyOf(c)!, slot });
        if (!booked.ok) return booked;
        return attach(c, booked.value, channel, reason);
      });
    },

    /**
     * The patient took a waitlist offer: the time held for them (already claimed on the scanner) becomes their
     * appointment, as a booking would; their earlier time is freed. The hold is released if the case cannot take it.
     */
    async takeHeld(caseId: string, held: Appointment, channel: CaseChannel): Promise<Result<{ case: Case; appointment: CaseAppointment; held: boolean }, SelfServiceFailure>> {
      const r = await withCase(caseId, async (c) => {
        const refused = bookable(c);
        if (refused) return refused;
        if (c.state === 'pending_authorization') return err('NOT_SCHEDULABLE', 'the time cannot be confirmed before authorization');
        return attach(c, held, channel, 'patient took an earlier time from the waitlist');
      });
      if (!r.ok && r.error.code !== 'CASE_CHANGED') await deps.scheduling.cancel(held.id, `waitlist hold not taken: ${r.error.code}`);
      return r;
    },

    /**
     * The patient cancels the appointment but keeps the exam: the time is freed and the case waits to be booked
     * again (scheduled → reschedule_needed), keeping its order, screening and authorization. A held time (pending
     * authorization) is simply let go.
     */
    async cancelAppointment(caseId: string, reason: string, channel: CaseChannel): Promise<Result<Case, SelfServiceFailure>> {
      return withCase(caseId, async (c) => {
        if (!c.appointment) return err('NO_APPOINTMENT', 'there is no appointment to cancel');
        const now = deps.now();
        let saved: Case | null;
        if (c.state === 'scheduled') {
          const d = step(c, 'request_reschedule', channel, `patient cancelled the appointment and keeps the order: ${reason}`);
          saved = await cases.applyTransition(c.id, { state: c.state, version: c.version }, { state: d.state, entry: d.entry, now, set: { appointment: null } });
        } else saved = await cases.patch(c.id, c.version, { appointment: null }, now);
        if (!saved) return err('CASE_CHANGED', 'the case changed meanwhile');
        await deps.scheduling.cancel(c.appointment.id, reason);
        await deps.onAppointmentGone?.(c.appointment.id);
        return ok(saved);
      });
    },

    /** The patient no longer wants the exam at all: the case is cancelled with the reason (a separate, explicit choice). */
    async cancel(caseId: string, reason: string, channel: CaseChannel): Promise<Result<Case, SelfServiceFailure>> {
      return withCase(caseId, async (c) => {
        const d = decide(c, 'cancel', 'bot', deps.now(), { channel, reason });
        if (!d.ok) return err('NOT_SCHEDULABLE', `a case in '${c.state}' cannot be cancelled here`);
        const saved = await cases.applyTransition(c.id, { state: c.state, version: c.version }, { state: d.value.state, entry: d.value.entry, now: deps.now(), set: { appointment: null } });
        if (!saved) return err('CASE_CHANGED', 'the case changed meanwhile');
        if (c.appointment) {
          await deps.scheduling.cancel(c.appointment.id, reason);
          await deps.onAppointmentGone?.(c.appointment.id);
        }
        return ok(saved);
      });
    },

    async confirm(caseId: string): Promise<Result<Case, SelfServiceFailure>> {
      return withCase(caseId, async (c) => {
        if (!c.appointment) return err('NO_APPOINTMENT', 'there is no appointment to confirm');
        const now = deps.now();
        const saved = await cases.patch(c.id, c.version, { appointment: { ...c.appointment, confirmedAt: c.appointment.confirmedAt ?? now } }, now);
        return saved ? ok(saved) : err('CASE_CHANGED', 'the case changed meanwhile');
      });
    },

    /**
     * A technologist (or an admin) cleared the safety review after talking with the patient: slots may be offered now,
     * the review tasks are done, and the patient is told to reply BOOK. The bot itself never clears anyone.
     */
    async clearScreening(caseId: string, principal: Principal, note: string | undefined): Promise<Result<Case, SelfServiceFailure | 'FORBIDDEN'>> {
      if (!CLEARS_SCREENING.has(principal.role)) return err('FORBIDDEN', `role '${principal.role}' may not clear a safety screening`);
      const r = await withCase<Case>(caseId, async (c) => {
        if (principal.referrerOrgId !== null && c.referrerOrgId !== principal.referrerOrgId) return err('CASE_NOT_FOUND', `no case '${caseId}'`);
        if (c.screening?.status !== 'review') return err('SCREENING_NOT_IN_REVIEW', 'this case has no screening waiting for review');
        const now = deps.now();
        const disclosures = c.screening.disclosures.map((d) => ({ ...d, reviewed: true }));
        const saved = await cases.patch(c.id, c.version, { screening: { ...c.screening, disclosures, status: 'cleared', at: now, clearedBy: actorOf(principal), ...(note ? { note } : {}) } }, now);
        if (!saved) return err('CASE_CHANGED', 'the case changed meanwhile; try again');
        for (const kind of ['technologist_review', 'contrast_review'] as const) await deps.tasks.close(`${kind}:${c.id}`, now);
        return ok(saved);
      });
      if (r.ok) await deps.onScreeningCleared?.(r.value);
      return r;
    },

    /** Stat and asap orders, prep the patient cannot follow: work for a person, keyed by case. */
    async staffTask(kind: 'schedule_by_phone' | 'prep_readiness', c: Case, summary: string): Promise<void> {
      // A stat or asap case has its urgent call task already: the patient's word goes on it, not on a second task.
      const urgent = kind === 'schedule_by_phone' ? await deps.tasks.findByKey(urgentTaskKey(c.id)) : null;
      if (urgent?.status === 'open') {
        if (!urgent.summary.includes(PATIENT_ASKED)) await deps.tasks.updateSummary(urgent.dedupeKey, `${urgent.summary} ${PATIENT_ASKED}`, deps.now());
        return;
      }
      await task(kind, c, summary);
    },

    needsAuthorization(c: Case): boolean {
      const payer = c.order.insurance && 'payer' in c.order.insurance ? c.order.insurance.payer : null;
      return c.order.code.modality !== null && needsPriorAuthorization(site, c.order.code.modality, payer);
    },
  };
}
export type SelfService = ReturnType<typeof createSelfService>;
