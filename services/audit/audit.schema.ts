import { z } from 'zod';
import { Role } from '../staff/staff.roles';

/**
 * Who did what to which record (HIPAA §164.312(b)): the caller, the action as method and route pattern, the
 * records it named, and the outcome. Never PHI: a patient is named by the phone's keyed hash, never the number.
 */
export const AuditEvent = z.object({
  id: z.string(),
  at: z.date(),
  actorId: z.string().max(100).nullable(),
  role: Role.nullable(),
  action: z.string().max(200),
  caseId: z.string().max(64).nullable(),
  /** Any other record the call named: a task, campaign, conversation, token, document or referring office. */
  targetId: z.string().max(100).nullable(),
  patientRef: z.string().max(100).nullable(),
  status: z.number().int(),
  outcome: z.enum(['ok', 'denied', 'unauthenticated', 'invalid', 'not_found', 'conflict', 'rate_limited', 'failed']),
  requestId: z.string().max(100).nullable(),
});
export type AuditEvent = z.infer<typeof AuditEvent>;

export interface AuditRepository {
  insert(e: AuditEvent): Promise<void>;
  /** Newest first. */
  list(f: { actorId?: string; caseId?: string }, limit: number): Promise<AuditEvent[]>;
}

export function outcomeOf(status: number): AuditEvent['outcome'] {
  if (status < 400) return 'ok';
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'denied';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 429) return 'rate_limited';
  if (status < 500) return 'invalid';
  return 'failed';
}
