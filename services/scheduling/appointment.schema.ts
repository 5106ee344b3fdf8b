import { z } from 'zod';
import { Contrast, Modality } from '../orders/order.schema';

/** Scanner time is claimed in cells of this many minutes; a booking holds every cell it overlaps. */
export const CELL_MINUTES = 15;

export const Appointment = z.object({
  id: z.string(),
  caseId: z.string(),
  scannerId: z.string(),
  start: z.date(),
  end: z.date(),
  study: z.object({ modality: Modality, bodyPart: z.string().nullable(), contrast: Contrast.nullable() }),
  status: z.enum(['booked', 'cancelled']),
  cancelReason: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type Appointment = z.infer<typeof Appointment>;

export interface BookedInterval {
  scannerId: string;
  start: Date;
  end: Date;
}

export interface AppointmentRepository {
  /**
   * Claims every cell of the appointment's time on its scanner (each cell a unique key) and stores it; false when
   * any cell is taken, in which case none stays claimed. This is what keeps a slot from being booked twice.
   */
  book(a: Appointment): Promise<boolean>;
  /** Frees the cells and marks the appointment cancelled; null when it is unknown or not booked. */
  cancel(id: string, reason: string, now: Date): Promise<Appointment | null>;
  findById(id: string): Promise<Appointment | null>;
  /** Booked intervals on these scanners that overlap [from, to). */
  bookedBetween(scannerIds: string[], from: Date, to: Date): Promise<BookedInterval[]>;
}

/** The cell keys a booking holds: scanner and the start of each 15-minute cell it overlaps. */
export function cellKeys(scannerId: string, start: Date, end: Date): string[] {
  const step = CELL_MINUTES * 60_000;
  const keys: string[] = [];
  for (let t = Math.floor(start.getTime() / step) * step; t < end.getTime(); t += step) keys.push(`${scannerId}|${new Date(t).toISOString()}`);
  return keys;
}
