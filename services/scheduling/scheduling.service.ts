import { newId } from '../ids';
import { DateTime } from 'luxon';
import type { SiteConfig } from '../config/site.schema';
import { err, ok, type Result } from '../result';
import type { Appointment, AppointmentRepository } from './appointment.schema';
import { fastingHours, slotMinutes, type Study } from './study';
import { fitsWish, type TimeWish } from './time-wish';
import { localDay } from './slot-text';

export interface Slot {
  scannerId: string;
  scannerName: string;
  start: Date;
  end: Date;
}

export interface OfferOptions {
  /** Local dates (yyyy-MM-dd) the person asked for: slots on them come first when there are any. */
  preferredDates?: string[];
  count?: number;
  /** What the person said about when they can come ("after 5", "not tuesday"): only times that fit. */
  wish?: TimeWish | null;
  /** Starts not to offer (the appointment being moved away from, on any scanner). */
  exclude?: Date[];
  /** Local dates (yyyy-MM-dd, inclusive) the exam may be on: an authorization's approved dates. */
  within?: { from: string | null; to: string | null };
}

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
/** No slot sooner than this from now: the patient needs time to get there. */
const LEAD_MINUTES = 120;
/** Times are offered this many days ahead at most. */
export const HORIZON_DAYS = 28;
/** A study that needs this much fasting (an overnight fast) is booked in the morning only; a 4-hour fast fits any time. */
export const FASTING_MORNING_HOURS = 6;

/**
 * Self-scheduling over the scanners of the site configuration (domain.md §5): slots on a grid of the study's length
 * inside each scanner's hours, the earliest that fit, and booking that claims scanner time so no slot is booked twice.
 */
export function createScheduling(deps: { site: SiteConfig; appointments: AppointmentRepository; now: () => Date }) {
  const { site } = deps;
  const zone = site.center.timeZone;

  function windowsOn(scanner: SiteConfig['scanners'][number], day: DateTime) {
    const key = WEEKDAYS[day.weekday - 1]!;
    return (scanner.hours ?? site.openingHours)[key] ?? [];
  }

  const at = (day: DateTime, hhmm: string) => day.set({ hour: Number(hhmm.slice(0, 2)), minute: Number(hhmm.slice(3)), second: 0, millisecond: 0 });

  /** Every grid slot for the study on one local day, before removing booked time. */
  function candidatesOn(study: Study, day: DateTime, minutes: number): Slot[] {
    const morningOnly = fastingHours(site, study) >= FASTING_MORNING_HOURS;
    const out: Slot[] = [];
    for (const scanner of site.scanners.filter((s) => s.modality === study.modality)) {
      for (const w of windowsOn(scanner, day)) {
        const end = at(day, w.end);
        for (let t = at(day, w.start); t.plus({ minutes }) <= end; t = t.plus({ minutes })) {
          if (morningOnly && t.hour >= 12) break;
          out.push({ scannerId: scanner.id, scannerName: scanner.name, start: t.toJSDate(), end: t.plus({ minutes }).toJSDate() });
        }
      }
    }
    return out;
  }

  return {
    slotMinutes: (study: Study) => slotMinutes(site, study),

    /** The earliest free slots that fit the study (and the preferred dates, when any fit), one per start time. */
    async offer(study: Study, opts: OfferOptions = {}): Promise<Slot[]> {
      const count = opts.count ?? 3;
      const minutes = slotMinutes(site, study);
      const now = deps.now();
      const earliest = now.getTime() + LEAD_MINUTES * 60_000;
      const first = DateTime.fromJSDate(now, { zone }).startOf('day');
      const scanners = site.scanners.filter((s) => s.modality === study.modality).map((s) => s.id);
      const booked = await deps.appointments.bookedBetween(scanners, now, first.plus({ days: HORIZON_DAYS + 1 }).toJSDate());
      const excluded = new Set((opts.exclude ?? []).map((d) => d.getTime()));
      const localDate = (s: Slot) => localDay(s.start, zone);
      const inDates = (s: Slot) => !opts.within || ((!opts.within.from || localDate(s) >= opts.within.from) && (!opts.within.to || localDate(s) <= opts.within.to));
      const free = (s: Slot) =>
        s.start.getTime() >= earliest &&
        inDates(s) &&
        !excluded.has(s.start.getTime()) &&
        (!opts.wish || fitsWish(opts.wish, s.start, minutes, zone)) &&
        !booked.some((b) => b.scannerId === s.scannerId && b.start < s.end && b.end > s.start);
      const all: Slot[] = [];
      for (let d = 0; d <= HORIZON_DAYS; d++) {
        for (const s of candidatesOn(study, first.plus({ days: d }), minutes)) if (free(s)) all.push(s);
      }
      all.sort((a, b) => a.start.getTime() - b.start.getTime() || a.scannerId.localeCompare(b.scannerId));
      const preferred = new Set(opts.preferredDates ?? []);
      const ordered = preferred.size ? [...all.filter((s) => preferred.has(localDate(s))), ...all.filter((s) => !preferred.has(localDate(s)))] : all;
      const picked: Slot[] = [];
      for (const s of ordered) {
        if (picked.some((p) => p.start.getTime() === s.start.getTime())) continue; // two scanners at one time: offer one
        picked.push(s);
        if (picked.length === count) break;
      }
      return picked;
    },

    /** Books a slot for a case; SLOT_TAKEN when someone else got any part of it first (offer again). */
    async book(input: { caseId: string; study: Study; slot: Pick<Slot, 'scannerId' | 'start'> }): Promise<Result<Appointment, 'SLOT_TAKEN' | 'SLOT_INVALID'>> {
      const scanner = site.scanners.find((s) => s.id === input.slot.scannerId);
      if (!scanner || scanner.modality !== input.study.modality) return err('SLOT_INVALID', 'that scanner does not do this study');
      const minutes = slotMinutes(site, input.study);
      const start = DateTime.fromJSDate(input.slot.start, { zone });
      const end = start.plus({ minutes });
      const inHours = windowsOn(scanner, start.startOf('day')).some((w) => start >= at(start, w.start) && end <= at(start, w.end));
      if (!inHours || input.slot.start.getTime() < deps.now().getTime()) return err('SLOT_INVALID', 'that time is not open for booking');
      const now = deps.now();
      const appointment: Appointment = {
        id: newId('a'),
        caseId: input.caseId,
        scannerId: scanner.id,
        start: start.toJSDate(),
        end: end.toJSDate(),
        study: input.study,
        status: 'booked',
        cancelReason: null,
        createdAt: now,
        updatedAt: now,
      };
      return (await deps.appointments.book(appointment)) ? ok(appointment) : err('SLOT_TAKEN', 'that time was just taken; here are other times');
    },

    /** Cancels and frees the scanner time at once, so the slot can be offered again. */
    async cancel(appointmentId: string, reason: string): Promise<Result<Appointment, 'APPOINTMENT_NOT_FOUND'>> {
      const a = await deps.appointments.cancel(appointmentId, reason, deps.now());
      return a ? ok(a) : err('APPOINTMENT_NOT_FOUND', `no booked appointment '${appointmentId}'`);
    },
  };
}
export type SchedulingService = ReturnType<typeof createScheduling>;
