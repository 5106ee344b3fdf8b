import { newId } from '../ids';
import type { SiteConfig } from '../config/site.schema';
import type { CaseRepository, PatientRepository } from '../cases/case.ports';
import type { Case, Patient } from '../cases/case.schema';
import { timeZoneForPhone } from '../contact/area-codes';
import type { Locks } from '../locks';
import type { Gateway, SendOutcome } from '../messaging/gateway';
import { nextSendTime } from '../messaging/quiet-hours';
import type { NoticeWords } from '../messaging/notices';
import type { Language } from '../messaging/templates';
import { studyOf, type SelfService } from '../patients/self-service.service';
import type { AppointmentRepository } from '../scheduling/appointment.schema';
import type { SchedulingService } from '../scheduling/scheduling.service';
import { err, ok, type Result } from '../result';
import type { SlotOffer, WaitlistJob, WaitlistRepository, WaitlistScheduler } from './waitlist.schema';

/** A freed time this close to now is not offered around: nobody could get there. */
const LEAD_MINUTES = 120;
/** A late YES or NO is still taken as an answer to the offer ("that time is gone") this long after the hold ends. */
const LATE_ANSWER_MS = 2 * 3600_000;

export type JoinFailure = 'NOTHING_TO_MOVE' | 'HUMAN_TRACK_ONLY' | 'NOT_YET';

/**
 * The waitlist (domain.md §7): a patient asks for an earlier time; when a time frees up (a cancel, a reschedule) it
 * is offered to the waiting patients whose study, scanner, safety clearance and authorization fit, first joined
 * first, one at a time: held for them (default 30 minutes) so nobody else takes it, booked on YES, passed on after NO
 * or the end of the hold. A second taker is told it is gone. The hold is a real claim on the scanner's time, so the
 * time is booked once whatever races.
 */
export function createWaitlist(deps: {
  waitlist: WaitlistRepository;
  cases: CaseRepository;
  patients: PatientRepository;
  appointments: Pick<AppointmentRepository, 'findById'>;
  scheduling: Pick<SchedulingService, 'book' | 'cancel'>;
  self: Pick<SelfService, 'takeHeld'>;
  gateway: Pick<Gateway, 'send'>;
  scheduler: WaitlistScheduler;
  locks: Locks;
  site: SiteConfig;
  words: NoticeWords;
  now: () => Date;
  holdMinutes?: number;
}) {
  const { site, waitlist } = deps;
  const zone = site.center.timeZone;
  const holdMs = (deps.holdMinutes ?? 30) * 60_000;

  /** Whether this case may be offered a time at `start`: cleared screening, authorized, and earlier than what it has. */
  function fits(c: Case, start: Date): 'yes' | 'not_now' | 'never' {
    if (c.track === 'human' || !studyOf(c)) return 'never';
    if (c.state === 'scheduled') {
      if (c.appointment?.status !== 'booked') return 'not_now';
      if (c.appointment.start.getTime() <= start.getTime()) return 'not_now'; // not earlier than what they have
    } else if (c.state !== 'ready_to_schedule' && c.state !== 'reschedule_needed') {
      // Pending authorization (or paperwork) waits; a case that moved on for good leaves the list.
      return ['pending_authorization', 'awaiting_documentation', 'received'].includes(c.state) ? 'not_now' : 'never';
    }
    if (!c.screening || c.screening.status === 'review') return 'not_now'; // a review pending
    return 'yes';
  }


  /**
   * Offers the freed time to the next patient in line who fits (not one it was offered to already): holds it, texts
   * them, and queues the end of the hold. null when nobody fits or the time went meanwhile.
   */
  async function offerNext(slot: { scannerId: string; start: Date }, tried: string[]): Promise<SlotOffer | null> {
    const now = deps.now();
    if (slot.start.getTime() - now.getTime() < LEAD_MINUTES * 60_000 + holdMs) return null;
    const scanner = site.scanners.find((s) => s.id === slot.scannerId);
    if (!scanner) return null;
    for (const entry of await waitlist.waiting(scanner.modality)) {
      if (tried.includes(entry.caseId)) continue;
      const c = await deps.cases.findById(entry.caseId);
      const fit = c ? fits(c, slot.start) : 'never';
      if (fit === 'never') await waitlist.finish(entry.caseId, now);
      if (!c || fit !== 'yes') continue;
      const patient = await deps.patients.findById(c.patientId);
      if (!patient?.phone || !patient.phoneHash) continue;
      // Night where they live: a hold they would sleep through goes to someone who can answer.
      const theirZone = timeZoneForPhone(patient.phone) ?? zone;
      if (nextSendTime(now, theirZone, site.quietHours.care).getTime() > now.getTime()) continue;
      if (await waitlist.hasOpenOffer(c.id)) continue; // one held time per patient at a time
      const hold = await deps.scheduling.book({ caseId: c.id, study: studyOf(c)!, slot });
      if (!hold.ok) continue; // their study runs past the gap (or the time went): the next may fit
      const offer: SlotOffer = {
        id: newId('o'),
        scannerId: slot.scannerId,
        start: slot.start,
        holdAppointmentId: hold.value.id,
        caseId: c.id,
        phoneHash: patient.phoneHash,
        status: 'open',
        tried: [...tried, c.id],
        offeredAt: now,
        expiresAt: new Date(now.getTime() + holdMs),
        updatedAt: now,
      };
      let sent: SendOutcome['outcome'];
      try {
        await waitlist.insertOffer(offer);
        await deps.scheduler.add(`expire~${offer.id}`, { kind: 'expire', offerId: offer.id }, offer.expiresAt);
        sent = (await sendOffer(offer, c, patient)).outcome;
      } catch (e) {
        // Nothing may stay held without an offer that ends: give the time back, then let the error show.
        await waitlist.closeOffer(offer.id, 'expired', deps.now());
        await deps.scheduling.cancel(offer.holdAppointmentId, 'waitlist offer could not be made');
        throw e;
      }
      if (sent === 'sent' || sent === 'duplicate') return offer;
      // They cannot be texted (stopped texts, a failure): the hold goes to the next in line.
      await pass(offer, 'expired');
      return null;
    }
    return null;
  }

  async function sendOffer(offer: SlotOffer, c: Case, patient: Patient) {
    const lang = patient.language;
    const current = c.appointment?.status === 'booked' ? c.appointment.start : null;
    return deps.gateway.send({
      to: patient.phone!,
      body: deps.words({ kind: 'waitlist_offer', start: offer.start, holdUntil: offer.expiresAt, current }, lang),
      purpose: 'care',
      template: 'waitlist_offer',
      idempotencyKey: `waitlist-offer:${offer.id}`,
      initiated: true,
      language: lang,
      caseId: c.id,
    });
  }

  /** The offer is over for this patient: the hold is released and the time offered to the next in line. */
  async function pass(offer: SlotOffer, status: 'declined' | 'expired'): Promise<boolean> {
    // The patient took it and the offer was not closed after (a crash in between): it is theirs, not to pass on.
    if ((await deps.cases.findById(offer.caseId))?.appointment?.id === offer.holdAppointmentId) {
      await waitlist.closeOffer(offer.id, 'taken', deps.now());
      return false;
    }
    if (!(await waitlist.closeOffer(offer.id, status, deps.now()))) return false;
    await deps.scheduling.cancel(offer.holdAppointmentId, `waitlist hold ${status}`);
    await offerNext({ scannerId: offer.scannerId, start: offer.start }, offer.tried);
    return true;
  }

  /** YES within the hold: the held time becomes theirs if it still fits; the offer is closed either way. */
  async function takeOffer(offer: SlotOffer): Promise<boolean> {
    const now = deps.now();
    const hold = await deps.appointments.findById(offer.holdAppointmentId);
    const c = await deps.cases.findById(offer.caseId);
    if (hold?.status !== 'booked' || hold.caseId !== offer.caseId || c === null || fits(c, offer.start) !== 'yes') {
      await waitlist.closeOffer(offer.id, 'expired', now);
      if (hold?.status === 'booked') await deps.scheduling.cancel(hold.id, 'waitlist hold no longer fits');
      return false;
    }
    // takeHeld gives the hold back itself when the case cannot take it.
    const taken = (await deps.self.takeHeld(offer.caseId, hold, 'sms')).ok;
    await waitlist.closeOffer(offer.id, taken ? 'taken' : 'expired', now);
    return taken;
  }

  const inLock = async <T>(offerId: string, fn: () => Promise<T>): Promise<T> => {
    const r = await deps.locks.withLock(`offer:${offerId}`, fn);
    if (!r.ok) throw new Error(`waitlist offer ${offerId} busy: ${r.error.message}`);
    return r.value;
  };

  return {
    /** Puts the patient's case on the waitlist: a booked case for an earlier time, or one still to book for any time. */
    async join(c: Case): Promise<Result<{ already: boolean; current: Date | null }, JoinFailure>> {
      if (c.track === 'human') return err('HUMAN_TRACK_ONLY', 'stat and asap orders are scheduled by staff');
      const study = studyOf(c);
      if (!study) return err('NOTHING_TO_MOVE', 'the exam is not known yet');
      if (c.state === 'pending_authorization') return err('NOT_YET', 'a time cannot be confirmed before authorization');
      if (!['scheduled', 'ready_to_schedule', 'reschedule_needed'].includes(c.state)) return err('NOTHING_TO_MOVE', `a case in '${c.state}' has no time to move`);
      const now = deps.now();
      const joined = await waitlist.join({ id: `w_${c.id}`, caseId: c.id, modality: study.modality, status: 'waiting', urgent: c.order.priority === 'urgent', joinedAt: now, updatedAt: now });
      return ok({ already: !joined, current: c.state === 'scheduled' && c.appointment ? c.appointment.start : null });
    },

    /** A time was freed (cancel, reschedule): offered now if texts may go out, else when the send window opens. */
    async slotFreed(appointmentId: string): Promise<void> {
      const a = await deps.appointments.findById(appointmentId);
      if (!a) return;
      const now = deps.now();
      const at = nextSendTime(now, zone, site.quietHours.care);
      if (at.getTime() > now.getTime()) {
        await deps.scheduler.add(`offer~${a.id}`, { kind: 'offer', appointmentId: a.id, scannerId: a.scannerId, start: a.start.toISOString(), tried: [] }, at);
        return;
      }
      await offerNext({ scannerId: a.scannerId, start: a.start }, []);
    },

    async run(job: WaitlistJob): Promise<void> {
      if (job.kind === 'offer') {
        await offerNext({ scannerId: job.scannerId, start: new Date(job.start) }, job.tried);
        return;
      }
      await inLock(job.offerId, async () => {
        const offer = await waitlist.findOffer(job.offerId);
        if (offer?.status === 'open') await pass(offer, 'expired');
      });
    },

    /** Holds whose end-of-hold job never ran (Redis lost it): passed on now. Run by the workers from time to time. */
    async sweepEnded(): Promise<number> {
      const ended = await waitlist.openOffersEndedBefore(new Date(deps.now().getTime() - 60_000), 100);
      for (const o of ended) await inLock(o.id, async () => (await waitlist.findOffer(o.id))?.status === 'open' && pass(o, 'expired'));
      return ended.length;
    },

    /**
     * YES or NO from a number we offered a time. `open`: only an offer still held answers (asked before the readiness
     * check, which may also be waiting for a yes or no); `late`: a YES after the hold is told kindly the time is gone.
     * YES within the hold books it (their earlier time is released), NO passes it on. null: nothing to answer.
     */
    async answer(phoneHash: string, yes: boolean, which: 'open' | 'late'): Promise<WaitlistAnswer | null> {
      const now = deps.now();
      const recent = await waitlist.latestOfferTo(phoneHash, new Date(now.getTime() - holdMs - LATE_ANSWER_MS));
      if (!recent) return null;
      const isOpen = (o: SlotOffer) => o.status === 'open' && now.getTime() < o.expiresAt.getTime();
      if ((which === 'open') !== isOpen(recent) || (which === 'late' && !yes)) return null;
      const c = await deps.cases.findById(recent.caseId);
      const patient = c ? await deps.patients.findById(c.patientId) : null;
      const facts = { language: patient?.language ?? 'en', start: recent.start, booked: c?.state === 'scheduled' && c.appointment?.status === 'booked', hadAppointment: !!c?.appointment };
      return inLock(recent.id, async (): Promise<WaitlistAnswer | null> => {
        const offer = (await waitlist.findOffer(recent.id)) ?? recent;
        if (!isOpen(offer)) {
          if (offer.status === 'taken') return { outcome: 'already_yours', ...facts };
          if (offer.status === 'open') await pass(offer, 'expired'); // the hold ended before its job ran
          return yes ? { outcome: 'gone', ...facts } : null;
        }
        if (!yes) {
          await pass(offer, 'declined');
          return { outcome: 'passed', ...facts };
        }
        const taken = await takeOffer(offer);
        if (!taken) {
          await offerNext({ scannerId: offer.scannerId, start: offer.start }, offer.tried);
          return { outcome: 'not_moved', ...facts };
        }
        await waitlist.finish(offer.caseId, now);
        return { outcome: 'moved', ...facts };
      });
    },
  };
}
export type Waitlist = ReturnType<typeof createWaitlist>;

/** What a YES or NO to a held time did; the dialogs say it (the time, and whether the patient had a booking). */
export interface WaitlistAnswer {
  outcome: 'already_yours' | 'gone' | 'passed' | 'not_moved' | 'moved';
  language: Language;
  start: Date;
  /** The patient's own booking stays (they were waiting for an earlier time). */
  booked: boolean;
  /** The case had an appointment that the move released. */
  hadAppointment: boolean;
}
