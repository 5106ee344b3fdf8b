import { z } from 'zod';
import type { Actor, PipelineEvent } from '../pipeline/pipeline.states';
import { TRANSITIONS } from '../pipeline/pipeline.transitions';

export const Role = z.enum(['admin', 'coordinator', 'scheduler', 'technologist', 'marketing', 'ris', 'referrer']);
export type Role = z.infer<typeof Role>;

const ALL = Object.keys(TRANSITIONS) as PipelineEvent[];
const INTAKE: PipelineEvent[] = [
  'qualify',
  'request_order',
  'receive_order',
  'request_documentation',
  'documentation_received',
  'require_authorization',
  'mark_ready',
  'approve_authorization',
  'deny_authorization',
  'expire_authorization',
];
const SCHEDULING: PipelineEvent[] = ['book', 'request_reschedule', 'reauthorize', 'mark_no_show', 'cancel'];
const IMAGING: PipelineEvent[] = ['check_in', 'complete_imaging', 'mark_incomplete'];

/** Which pipeline events each role may apply. Marketing applies none; referrers act through the chat flows. */
export const ROLE_EVENTS: Readonly<Record<Role, ReadonlySet<PipelineEvent>>> = {
  admin: new Set(ALL),
  coordinator: new Set([...INTAKE, ...SCHEDULING, 'close']),
  scheduler: new Set(SCHEDULING),
  technologist: new Set(IMAGING),
  ris: new Set([...IMAGING, 'mark_no_show', 'finalize_report', 'deliver_report', 'close']),
  marketing: new Set(),
  referrer: new Set(),
};

/** Case details are PHI: marketing works on audiences, never on case records (minimum necessary). */
export function canReadCases(role: Role): boolean {
  return role !== 'marketing';
}

export function canCreateCases(role: Role): boolean {
  return role === 'admin' || role === 'coordinator' || role === 'referrer';
}

export interface Principal {
  id: string;
  name: string;
  role: Role;
  /** Set for `referrer` tokens: every read and write is scoped to this organization. */
  referrerOrgId: string | null;
}

export function actorOf(p: Principal): Actor {
  if (p.role === 'ris') return 'ris';
  if (p.role === 'referrer') return `referrer:${p.id}`;
  return `staff:${p.id}`;
}
