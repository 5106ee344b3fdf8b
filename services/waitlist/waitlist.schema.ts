import { z } from 'zod';
import { Modality } from '../orders/order.schema';

/** A patient waiting for an earlier time: one entry per case, in the order they joined. */
export const WaitlistEntry = z.object({
  /** `w_<caseId>`: joining twice is joining once. */
  id: z.string(),
  caseId: z.string(),
  modality: Modality,
  status: z.enum(['waiting', 'done']),
  /** An urgent order: offered a freed time before routine ones that joined earlier. */
  urgent: z.boolean().default(false),
  joinedAt: z.date(),
  updatedAt: z.date(),
});
export type WaitlistEntry = z.infer<typeof WaitlistEntry>;

/**
 * A freed time held for one waitlisted patient for a while (default 30 minutes): the hold is a real booking of the
 * scanner's time, so nobody else can take it meanwhile; YES moves it onto their case, NO or the end of the hold
 * releases it and the next patient in line gets the offer.
 */
export const SlotOffer = z.object({
  id: z.string(),
  /** The time that was freed, as offered around: scanner and start. */
  scannerId: z.string(),
  start: z.date(),
  /** The hold: an appointment claiming the time for the offered case. */
  holdAppointmentId: z.string(),
  caseId: z.string(),
  phoneHash: z.string(),
  status: z.enum(['open', 'taken', 'declined', 'expired']),
  /** Cases this freed time was offered to before (not offered it again). */
  tried: z.array(z.string()),
  offeredAt: z.date(),
  expiresAt: z.date(),
  updatedAt: z.date(),
});
export type SlotOffer = z.infer<typeof SlotOffer>;

export interface WaitlistRepository {
  /** false when the case is waiting already. */
  join(entry: WaitlistEntry): Promise<boolean>;
  /** Entries still waiting for this modality: urgent orders first, then first joined first. */
  waiting(modality: WaitlistEntry['modality']): Promise<WaitlistEntry[]>;
  finish(caseId: string, now: Date): Promise<void>;
  insertOffer(offer: SlotOffer): Promise<void>;
  findOffer(id: string): Promise<SlotOffer | null>;
  /** The newest offer made to this number since `since`. */
  latestOfferTo(phoneHash: string, since: Date): Promise<SlotOffer | null>;
  /** Whether this case holds an open offer now (one time held for a patient at a time). */
  hasOpenOffer(caseId: string): Promise<boolean>;
  /** Open offers whose hold ended before `before` (their end-of-hold job was lost). */
  openOffersEndedBefore(before: Date, limit: number): Promise<SlotOffer[]>;
  /** Moves an open offer on; false when it was not open (someone else moved it first). */
  closeOffer(id: string, status: Exclude<SlotOffer['status'], 'open'>, now: Date): Promise<boolean>;
}

/** A freed time to offer now, or once the send window opens; the end of a hold. */
export const WaitlistJob = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('offer'), appointmentId: z.string().min(1), scannerId: z.string().min(1), start: z.string().datetime(), tried: z.array(z.string()) }),
  z.object({ kind: z.literal('expire'), offerId: z.string().min(1) }),
]);
export type WaitlistJob = z.infer<typeof WaitlistJob>;

export interface WaitlistScheduler {
  add(jobId: string, job: WaitlistJob, at: Date): Promise<void>;
}
