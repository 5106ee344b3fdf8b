import { z } from 'zod';
import { Modality } from '../orders/order.schema';
import { CaseState } from '../pipeline/pipeline.states';

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time as HH:MM (24 h)');

/**
 * Who a campaign is for: cases in these states (optionally of these modalities) whose last change is between
 * `changedDaysAgo.min` and `.max` days ago. "Closed screening mammography 11 months ago" is
 * `{ states: ['closed', 'delivered'], modalities: ['mammography'], changedDaysAgo: { min: 330, max: 365 } }`;
 * "leads that never booked" is `{ states: ['lead', 'qualified', 'order_requested'], changedDaysAgo: { min: 7 } }`.
 */
export const Audience = z
  .object({
    states: z.array(CaseState).min(1).max(17),
    modalities: z.array(Modality).min(1).optional(),
    changedDaysAgo: z
      .object({ min: z.number().int().min(0).max(3650).optional(), max: z.number().int().min(1).max(3650).optional() })
      .strict()
      .refine((r) => r.min === undefined || r.max === undefined || r.min < r.max, 'min must be less than max')
      .optional(),
  })
  .strict();
export type Audience = z.infer<typeof Audience>;

/** A nurture text: names the center, no clinical detail (domain.md §6); "Reply STOP to opt out" is added to every one. */
const CampaignText = z
  .string()
  .trim()
  .min(10)
  .max(300)
  .refine((s) => !/\b(result|results|resultado|resultados|diagnos\w*|biopsy|biopsia|cancer|cáncer|tumou?r)\b/i.test(s), 'nurture texts never mention results or anything needing clinical review');

export const CreateCampaignInput = z
  .object({
    name: z.string().trim().min(3).max(120),
    audience: Audience,
    templates: z.object({ en: CampaignText, es: CampaignText }).strict(),
    /** Local time of day (the recipient's zone) the texts may go out, inside the marketing quiet hours. */
    window: z
      .object({ from: HHMM, until: HHMM })
      .strict()
      .refine((w) => w.from < w.until, 'from must be before until')
      .default({ from: '10:00', until: '18:00' }),
    /** Texts per second this campaign starts (the sender's own limit applies on top). */
    perSecond: z.number().int().min(1).max(1000).default(5),
  })
  .strict();
export type CreateCampaignInput = z.infer<typeof CreateCampaignInput>;

export const CampaignStatus = z.enum(['draft', 'planning', 'sending']);

export const Campaign = CreateCampaignInput.extend({
    id: z.string(),
    status: CampaignStatus,
    createdBy: z.string(),
    createdAt: z.date(),
    launchedAt: z.date().nullable(),
    /** Set when planning finished: every recipient is recorded and every send queued. */
    plannedAt: z.date().nullable(),
}).strict();
export type Campaign = z.infer<typeof Campaign>;

export const SkipReason = z.enum(['no_marketing_consent', 'opted_out', 'no_phone']);
export type SkipReason = z.infer<typeof SkipReason>;

/** One number a campaign reaches (at most one text per number per campaign: the id is campaign and number). */
export const Recipient = z.object({
  id: z.string(),
  campaignId: z.string(),
  phoneHash: z.string().nullable(),
  patientId: z.string(),
  language: z.enum(['en', 'es']),
  /**
   * queued: planned, its send job keyed by this id (whether it went out is its message's status, under the key
   * campaign + number: recipients are not updated per send, which keeps sends cheap); skipped: never sent (reason).
   */
  status: z.enum(['queued', 'skipped']),
  skipReason: SkipReason.nullable(),
  sendAt: z.date().nullable(),
  /** Planned for later than due because its zone was outside the send window (counted as deferred until sent). */
  waitsForWindow: z.boolean().default(false),
  repliedAt: z.date().nullable(),
  optedOutAt: z.date().nullable(),
  bookedAt: z.date().nullable(),
  createdAt: z.date(),
});
export type Recipient = z.infer<typeof Recipient>;

/** What the audience query yields, a batch at a time: the person behind each matching case. */
export interface AudienceMember {
  patientId: string;
  /** Only to find the recipient's time zone (area code); never stored with the recipient. */
  phone: string | null;
  phoneHash: string | null;
  language: 'en' | 'es';
}

export interface CampaignStats {
  audience: number;
  skipped: Record<SkipReason | 'refused_at_send', number>;
  /** Due now, its send not done yet. */
  queued: number;
  /** Waiting for the send window: planned for later in the recipient's zone, or held back by the gateway. */
  deferred: number;
  sent: number;
  delivered: number;
  failed: number;
  optedOut: number;
  replied: number;
  booked: number;
}

export interface CampaignRepository {
  insert(c: Campaign): Promise<void>;
  findById(id: string): Promise<Campaign | null>;
  list(limit: number): Promise<Campaign[]>;
  /** Moves the status only from one of `from`; null when the campaign was not in one of them. */
  setStatus(id: string, from: Campaign['status'][], to: Campaign['status'], set: Partial<Pick<Campaign, 'launchedAt' | 'plannedAt'>>): Promise<Campaign | null>;
  /** The audience: one member per distinct patient (ids and contact only: 100,000 take a few tens of MB). */
  audience(a: Audience, now: Date): Promise<AudienceMember[]>;
  /** Inserts recipients; ones already there (a planning run that restarted) are left as they are. */
  insertRecipients(rs: Recipient[]): Promise<void>;
  /** Stamps `field` on this number's recipients that were due by `at`, of campaigns since `since`, that lack it. */
  noteRecipientEvent(phoneHash: string, field: 'repliedAt' | 'optedOutAt' | 'bookedAt', at: Date, since: Date): Promise<void>;
  /** Recipient counts: all, skipped by reason, waiting for their window at `now`, replied / opted out / booked. */
  recipientCounts(campaignId: string, now: Date): Promise<{ total: number; waiting: number; skipped: Partial<Record<SkipReason, number>>; replied: number; optedOut: number; booked: number }>;
  /** The campaign's messages by status. */
  messageCounts(campaignId: string): Promise<Record<string, number>>;
}
