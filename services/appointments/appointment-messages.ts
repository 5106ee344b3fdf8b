import { DateTime } from 'luxon';
import { newId } from '../ids';
import type { SiteConfig } from '../config/site.schema';
import type { CaseRepository, PatientRepository } from '../cases/case.ports';
import type { Case } from '../cases/case.schema';
import type { Gateway } from '../messaging/gateway';
import type { Notice, NoticeWords } from '../messaging/notices';
import { readinessStopAt } from '../scheduling/prep';
import { slotText } from '../scheduling/slot-text';
import type { Study } from '../scheduling/study';
import type { Answer } from '../screening/screening';
import type { TaskRepository } from '../tasks/task.schema';
import { studyOf } from '../patients/self-service.service';

export type ReminderKind = 'prep' | 'reminder' | 'readiness';
export interface ReminderJob {
  caseId: string;
  appointmentId: string;
  kind: ReminderKind;
}

/** Runs a reminder at its time (BullMQ in models/); the job id keeps one appointment's reminder from being queued twice. */
export interface ReminderScheduler {
  schedule(job: ReminderJob, at: Date): Promise<void>;
  /** Removes every queued reminder of an appointment that was moved or cancelled. */
  cancelAll(appointmentId: string): Promise<void>;
}


/**
 * When an appointment's messages are due (domain.md §7, site.reminders): prep 72 h before, the C/R/X reminder 24 h
 * before, and the readiness check the day before at the site's hour for studies with fasting. A time already passed
 * is skipped: the booking confirmation just said it all.
 */
export function reminderPlan(site: SiteConfig, study: Study, start: Date, now: Date): Array<{ kind: ReminderKind; at: Date }> {
  const r = site.reminders;
  const s = DateTime.fromJSDate(start, { zone: site.center.timeZone });
  const [h, m] = r.readinessCheck.at.split(':').map(Number);
  const plan: Array<{ kind: ReminderKind; at: Date }> = [
    { kind: 'prep', at: s.minus({ hours: r.prepHoursBefore }).toJSDate() },
    { kind: 'reminder', at: s.minus({ hours: r.reminderHoursBefore }).toJSDate() },
  ];
  if (readinessStopAt(site, study, start) !== null) {
    plan.push({ kind: 'readiness', at: s.minus({ days: r.readinessCheck.daysBefore }).set({ hour: h!, minute: m!, second: 0, millisecond: 0 }).toJSDate() });
  }
  return plan.filter((p) => p.at > now && p.at < start);
}

/**
 * The messages around an appointment, by SMS to the patient's number through the gateway (consent, quiet hours, caps
 * and idempotency there): the confirmation of a held booking once authorization is approved, the reminders, and the
 * readiness check with its answer (no or unsure becomes a staff task).
 */
export function createAppointmentMessages(deps: {
  cases: CaseRepository;
  patients: PatientRepository;
  gateway: Pick<Gateway, 'send'>;
  scheduler: ReminderScheduler;
  tasks: TaskRepository;
  site: SiteConfig;
  words: NoticeWords;
  now: () => Date;
}) {
  const { site } = deps;

  async function sendTo(c: Case, template: 'reply' | 'reminder', key: string, notice: Notice) {
    const patient = await deps.patients.findById(c.patientId);
    if (!patient?.phone) return null;
    const body = deps.words(notice, patient.language);
    return deps.gateway.send({ to: patient.phone, body, purpose: 'care', template, idempotencyKey: key, initiated: true, language: patient.language, caseId: c.id });
  }

  /**
   * Changes the readiness of this appointment on the freshest case: the case's version moves with every write, so
   * a lost race reads again (a few times) instead of losing the question or the answer. null: the appointment is gone.
   */
  async function updateReadiness(caseId: string, appointmentId: string, fn: (r: NonNullable<Case['appointment']>['readiness']) => NonNullable<Case['appointment']>['readiness']): Promise<Case | null> {
    for (let attempt = 0; attempt < 4; attempt++) {
      const c = await deps.cases.findById(caseId);
      if (!c?.appointment || c.appointment.id !== appointmentId) return null;
      const now = deps.now();
      const saved = await deps.cases.patch(c.id, c.version, { appointment: { ...c.appointment, readiness: fn(c.appointment.readiness) } }, now);
      if (saved) return saved;
    }
    throw new Error(`case ${caseId} kept changing while its readiness was recorded`);
  }

  /** Queues the prep, reminder and readiness messages of a booked appointment. */
  async function scheduleFor(c: Case): Promise<void> {
    const study = studyOf(c);
    if (!c.appointment || c.appointment.status !== 'booked' || !study) return;
    for (const p of reminderPlan(site, study, c.appointment.start, deps.now())) {
      await deps.scheduler.schedule({ caseId: c.id, appointmentId: c.appointment.id, kind: p.kind }, p.at);
    }
  }

  return {
    scheduleFor,

    /** An appointment was moved or cancelled: its reminders go (a run that slipped through finds it stale anyway). */
    async unschedule(appointmentId: string): Promise<void> {
      await deps.scheduler.cancelAll(appointmentId);
    },

    /** A held booking became a booking (authorization approved): tell the patient, send the prep, queue the reminders. */
    async confirmHeld(c: Case): Promise<void> {
      const study = studyOf(c);
      if (!c.appointment || !study) return;
      await sendTo(c, 'reply', `booking-confirmed:${c.appointment.id}`, { kind: 'booking_confirmed', start: c.appointment.start, study });
      await scheduleFor(c);
    },

    /**
     * The order is complete and, where needed, authorized: invite the patient to book (never before). `toNumber`: the
     * hash of a number staff corrected the case to, invited once more (the first number's invite stands).
     */
    async inviteToBook(c: Case, toNumber?: string): Promise<void> {
      if (c.track === 'human') return; // stat and asap: staff call the patient
      await sendTo(c, 'reply', toNumber ? `invite-to-book:${c.id}:${toNumber.slice(0, 16)}` : `invite-to-book:${c.id}`, { kind: 'invite_to_book' });
    },

    /** The doctor's office will not send the order the patient asked for: no clinical detail, a way to reach us. */
    async orderDeclined(c: Case): Promise<void> {
      await sendTo(c, 'reply', `order-declined:${c.id}`, { kind: 'order_declined' });
    },

    /**
     * Staff recorded a denial or an expiry (among the `written` entries of this write): the patient is told in plain words, once per entry.
     * Not when the bot itself found the approval lapsed while talking to the patient: the conversation told them.
     */
    async authorizationChanged(c: Case, written: number): Promise<void> {
      for (const [i, h] of c.history.entries()) {
        if (i < c.history.length - written || h.actor === 'bot') continue;
        const key = `authorization:${c.id}:${i}`;
        if (h.event === 'deny_authorization') await sendTo(c, 'reply', key, { kind: h.to === 'cancelled' ? 'authorization_cancelled' : 'authorization_denied' });
        if (h.event === 'expire_authorization') await sendTo(c, 'reply', key, { kind: 'authorization_expired', held: c.appointment && c.appointment.start > deps.now() ? c.appointment.start : null });
      }
    },

    /** Staff cleared the patient's safety review: they may book now (by replying BOOK). */
    async screeningCleared(c: Case): Promise<void> {
      await sendTo(c, 'reply', `screening-cleared:${c.id}`, { kind: 'screening_cleared' });
    },

    /** A due reminder: sent only if the case still has this appointment booked (a reschedule or cancel makes it stale). */
    async run(job: ReminderJob): Promise<'sent' | 'stale' | 'no_phone'> {
      const c = await deps.cases.findById(job.caseId);
      const study = c && studyOf(c);
      if (!c || !study || c.state !== 'scheduled' || c.appointment?.id !== job.appointmentId || c.appointment.status !== 'booked') return 'stale';
      const start = c.appointment.start;
      const key = `reminder:${job.appointmentId}:${job.kind}`;
      const stopEatingAt = readinessStopAt(site, study, start);
      // A readiness check for a study that no longer fasts (the order changed) has nothing to ask.
      if (job.kind === 'readiness' && !stopEatingAt) return 'stale';
      const notice: Notice = job.kind === 'prep' ? { kind: 'prep', start, study } : stopEatingAt && job.kind === 'readiness' ? { kind: 'readiness_check', stopEatingAt } : { kind: 'appointment_reminder', start };
      const r = await sendTo(c, 'reminder', key, notice);
      if (!r) return 'no_phone';
      if (job.kind === 'readiness') await updateReadiness(c.id, job.appointmentId, (was) => was ?? { askedAt: deps.now(), answer: null, answeredAt: null });
      return 'sent';
    },

    /**
     * A yes, no or unsure from a number we asked the readiness question: recorded on the case; no or unsure goes to
     * staff so nobody arrives unprepared. null when no question is waiting for this number.
     */
    async answerReadiness(phoneHash: string, answer: Answer): Promise<{ answer: Answer; language: 'en' | 'es' } | null> {
      const ids = await deps.patients.findIdsByPhoneHash(phoneHash);
      if (ids.length === 0) return null;
      const { items } = await deps.cases.list({ patientIds: ids, state: 'scheduled' }, { limit: 10 });
      const c = items.find((x) => x.appointment?.readiness && x.appointment.readiness.answer === null);
      if (!c?.appointment?.readiness) return null;
      const now = deps.now();
      const asked = c.appointment.readiness;
      const saved = await updateReadiness(c.id, c.appointment.id, (was) => ({ ...(was ?? asked), answer, answeredAt: now }));
      if (!saved) return null;
      if (answer !== 'yes') {
        await deps.tasks.insert({
          id: newId('t'),
          kind: 'prep_readiness',
          status: 'open',
          dedupeKey: `prep_readiness:${c.appointment.id}`,
          summary: `The patient of case ${c.id} answered "${answer}" to the readiness check for ${slotText(c.appointment.start, site, 'en')}. Call them before the appointment about their prep.`,
          caseId: c.id,
          referrerOrgId: c.referrerOrgId,
          replyTo: null,
          createdAt: now,
          updatedAt: now,
        });
      }
      const patient = await deps.patients.findById(c.patientId);
      return { answer, language: patient?.language ?? 'en' };
    },
  };
}
export type AppointmentMessages = ReturnType<typeof createAppointmentMessages>;
