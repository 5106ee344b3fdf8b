import { z } from 'zod';
import { Contrast, Insurance, Language, Laterality, Modality } from '../orders/order.schema';
import { CaseState, Channel, HistoryEntry, Priority, Track } from '../pipeline/pipeline.states';
import { Disclosure } from '../screening/disclosures';
import { CaseAuthorization } from './authorization';

/** `referrer_api`: a referring office's own system, with its referrer token. */
export const CaseSource = z.enum(['fax', 'phone', 'api', 'referrer_api', 'sms', 'webchat', 'msteams']);

/** The order, shaped after FHIR ServiceRequest (status is derived from the case state, see pipeline.fhir.ts). */
export const ServiceRequest = z.object({
  intent: z.enum(['proposal', 'order']),
  priority: Priority.nullable(),
  code: z.object({ modality: Modality.nullable(), contrast: Contrast.nullable() }),
  bodySite: z.object({ text: z.string().nullable(), laterality: Laterality.nullable() }),
  reasonCode: z.array(z.string()),
  reasonText: z.string().nullable(),
  requester: z.object({ name: z.string().nullable(), npi: z.string().nullable(), phone: z.string().nullable() }).nullable(),
  insurance: Insurance.nullable(),
  note: z.array(z.object({ text: z.string(), at: z.date(), author: z.string() })),
});
export type ServiceRequest = z.infer<typeof ServiceRequest>;

export const CaseAppointment = z.object({
  id: z.string(),
  scannerId: z.string(),
  start: z.date(),
  end: z.date(),
  /** FHIR: `booked`, or `pending` while prior authorization is awaited (held, not confirmed). */
  status: z.enum(['booked', 'pending']),
  confirmedAt: z.date().nullable(),
  /** The day-before readiness check (domain.md §5): asked, and the patient's answer once given. */
  readiness: z.object({ askedAt: z.date(), answer: z.enum(['yes', 'no', 'unsure']).nullable(), answeredAt: z.date().nullable() }).nullable().default(null),
});
export type CaseAppointment = z.infer<typeof CaseAppointment>;

export const CaseScreening = z.object({
  /** review: booking waits for staff; noted: a task before the visit (claustrophobia, a kidney-function check), booking goes on. */
  status: z.enum(['no_flags', 'noted', 'review', 'cleared']),
  /** Question ids answered other than the safe way, with the patient's words when they said more than yes or no. */
  flags: z.array(z.object({ id: z.string(), answer: z.enum(['yes', 'no', 'unsure']), words: z.string().max(500).optional() })),
  /** Whether the screening questions were answered (false: a disclosure put the case in review before they were asked). */
  answered: z.boolean().default(true),
  /** The question ids answered so far: an order that arrives for another study asks only the questions it adds. */
  asked: z.array(z.string().max(40)).max(60).optional(),
  /** Safety facts said anywhere in the conversation, verbatim; `reviewed` once staff cleared the review after them. */
  disclosures: z.array(Disclosure.extend({ reviewed: z.boolean().default(false) })).default([]),
  at: z.date(),
  /** Who cleared a review (staff:<id>), and their note. */
  clearedBy: z.string().optional(),
  note: z.string().max(500).optional(),
});
export type CaseScreening = z.infer<typeof CaseScreening>;

export const Case = z.object({
  id: z.string(),
  state: CaseState,
  track: Track,
  version: z.number().int().min(0),
  source: CaseSource,
  patientId: z.string(),
  referrerOrgId: z.string().nullable(),
  order: ServiceRequest,
  /** Checklist items still missing (domain.md §3), by name. */
  missing: z.array(z.string()),
  /** The booked (or, while authorization is pending, held) appointment, shaped after FHIR Appointment. */
  appointment: CaseAppointment.nullable().default(null),
  /** Prior authorization, once the payer rules asked for it: status, number, approved dates and units, or the denial. */
  authorization: CaseAuthorization.nullable().default(null),
  /** The patient's safety screening: `review` means staff must clear it before any slot is offered. */
  screening: CaseScreening.nullable().default(null),
  history: z.array(HistoryEntry.extend({ data: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional() })),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type Case = z.infer<typeof Case>;
export type CaseHistoryEntry = Case['history'][number];

export const Patient = z.object({
  id: z.string(),
  givenName: z.string().nullable(),
  familyName: z.string().nullable(),
  birthDate: z.string().nullable(),
  phone: z.string().nullable(),
  phoneHash: z.string().nullable(),
  language: Language,
  createdAt: z.date(),
});
export type Patient = z.infer<typeof Patient>;

export const CaseFilter = z.object({
  state: CaseState.optional(),
  track: Track.optional(),
  referrerOrgId: z.string().optional(),
  patientIds: z.array(z.string()).optional(),
});
export type CaseFilter = z.infer<typeof CaseFilter>;

export type CaseChannel = z.infer<typeof Channel>;
