import { DateTime } from 'luxon';
import { z } from 'zod';
import { err, ok, type Result } from '../result';
import { CHANGED_STUDY, REQUESTED } from '../orders/order.completeness';
import type { CaseState, PipelineEvent } from '../pipeline/pipeline.states';

/** What the payer decided, tracked by the center (domain.md §3; FHIR Task businessStatus auth-submitted/approved/denied). */
export const AuthorizationStatus = z.enum(['pending', 'approved', 'denied', 'expired']);

/** After a denial, what happens next: the office sends more, the doctor asks for a peer-to-peer review, the study changes, or the order ends. */
export const DenialNextStep = z.enum(['documentation', 'peer_to_peer', 'changed_study', 'cancel']);
export type DenialNextStep = z.infer<typeof DenialNextStep>;

const LocalDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD').refine((d) => DateTime.fromISO(d).isValid, 'is not a real date');

/** The case's prior authorization as a record, not free data on a history entry. */
export const CaseAuthorization = z.object({
  payer: z.string().max(200).nullable(),
  status: AuthorizationStatus,
  /** The payer's reference (authorization) number. */
  number: z.string().max(64).nullable(),
  /** The approved dates, inclusive, in the center's time zone. */
  validFrom: LocalDate.nullable(),
  validTo: LocalDate.nullable(),
  units: z.number().int().min(1).max(99).nullable(),
  denialReason: z.string().max(500).nullable(),
  nextStep: DenialNextStep.nullable(),
  updatedAt: z.date(),
});
export type CaseAuthorization = z.infer<typeof CaseAuthorization>;

/** What staff send with `approve_authorization` (all optional: a phone approval may give its number later). */
export const ApprovalData = z
  .object({
    authorizationNumber: z.string().trim().min(1).max(64).regex(/^[\w./-]+$/, 'letters, digits and . / - only').optional(),
    validFrom: LocalDate.optional(),
    validTo: LocalDate.optional(),
    units: z.number().int().min(1).max(99).optional(),
  })
  .passthrough()
  .refine((d) => !d.validFrom || !d.validTo || d.validFrom <= d.validTo, { message: 'validTo is before validFrom', path: ['validTo'] });

/** What staff send with `deny_authorization`; the reason (the payer's words) is the event's reason. */
export const DenialData = z.object({ nextStep: DenialNextStep.default('documentation') }).passthrough();

/** Where a denial leaves the case. */
export const DENIAL_LANDS: Record<DenialNextStep, CaseState> = {
  documentation: 'awaiting_documentation',
  changed_study: 'awaiting_documentation',
  peer_to_peer: 'pending_authorization',
  cancel: 'cancelled',
};

/** What the office is asked for after a denial, as a missing item (notes close the first, a changed exam the second). */
export function deniedItem(next: DenialNextStep, reason: string): string | null {
  if (next === 'documentation') return `${REQUESTED}what the payer needs to approve it (denied: ${reason})`.slice(0, 300);
  return next === 'changed_study' ? CHANGED_STUDY : null;
}

const issues = (e: z.ZodError) => e.issues.map((i) => ({ field: `data.${i.path.join('.')}`, message: i.message }));

/** The record a new authorization request starts (a first request, or after a denial or expiry). */
export function pendingAuthorization(payer: string | null, now: Date): CaseAuthorization {
  return { payer, status: 'pending', number: null, validFrom: null, validTo: null, units: null, denialReason: null, nextStep: null, updatedAt: now };
}

/**
 * The record after a staff event, from the event's data; null when the event does not touch it. `today` is the
 * center's local date: an approval that already ended is refused.
 */
export function authorizationAfter(
  event: PipelineEvent,
  current: CaseAuthorization | null,
  input: { reason?: string; data?: Record<string, unknown>; payer: string | null },
  now: Date,
  today: string,
): Result<{ record: CaseAuthorization; to?: CaseState } | null, 'INVALID_INPUT'> {
  const base = current ?? pendingAuthorization(input.payer, now);
  switch (event) {
    case 'require_authorization':
    case 'reauthorize':
      return ok({ record: pendingAuthorization(input.payer ?? base.payer, now) });
    case 'approve_authorization': {
      const d = ApprovalData.safeParse(input.data ?? {});
      if (!d.success) return err('INVALID_INPUT', issues(d.error).map((i) => `${i.field}: ${i.message}`).join('; '), issues(d.error));
      if (d.data.validTo && d.data.validTo < today) {
        const details = [{ field: 'data.validTo', message: `this approval ended on ${d.data.validTo}: record a new one, or expire_authorization` }];
        return err('INVALID_INPUT', `data.validTo: ${details[0]!.message}`, details);
      }
      return ok({ record: { ...base, status: 'approved', number: d.data.authorizationNumber ?? null, validFrom: d.data.validFrom ?? null, validTo: d.data.validTo ?? null, units: d.data.units ?? null, denialReason: null, nextStep: null, updatedAt: now } });
    }
    case 'deny_authorization': {
      const d = DenialData.safeParse(input.data ?? {});
      if (!d.success) return err('INVALID_INPUT', issues(d.error).map((i) => `${i.field}: ${i.message}`).join('; '), issues(d.error));
      return ok({ record: { ...base, status: 'denied', denialReason: input.reason?.trim() ?? null, nextStep: d.data.nextStep, updatedAt: now }, to: DENIAL_LANDS[d.data.nextStep] });
    }
    case 'expire_authorization':
      return ok({ record: { ...base, status: 'expired', updatedAt: now } });
    default:
      return ok(null);
  }
}

/** Whether an approval covers a visit on this local date (no dates recorded: any date). */
export function covers(a: CaseAuthorization | null, localDate: string): boolean {
  if (!a || a.status !== 'approved') return true;
  return (!a.validFrom || localDate >= a.validFrom) && (!a.validTo || localDate <= a.validTo);
}

/** An approval whose last day is behind us. */
export function lapsed(a: CaseAuthorization | null, today: string): boolean {
  return a?.status === 'approved' && a.validTo !== null && a.validTo < today;
}
