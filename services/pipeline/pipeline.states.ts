import { z } from 'zod';

/** Case states: names are the contract (domain.md §2). */
export const CaseState = z.enum([
  'lead',
  'qualified',
  'order_requested',
  'received',
  'awaiting_documentation',
  'pending_authorization',
  'ready_to_schedule',
  'scheduled',
  'checked_in',
  'imaging_completed',
  'incomplete',
  'no_show',
  'reschedule_needed',
  'reported',
  'delivered',
  'closed',
  'cancelled',
]);
export type CaseState = z.infer<typeof CaseState>;

export const PipelineEvent = z.enum([
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
  'book',
  'check_in',
  'complete_imaging',
  'mark_incomplete',
  'mark_no_show',
  'request_reschedule',
  'reauthorize',
  'finalize_report',
  'deliver_report',
  'close',
  'cancel',
]);
export type PipelineEvent = z.infer<typeof PipelineEvent>;

export const Priority = z.enum(['routine', 'urgent', 'asap', 'stat']);
export type Priority = z.infer<typeof Priority>;

export const Track = z.enum(['standard', 'fast', 'human']);
export type Track = z.infer<typeof Track>;

/** `bot`, `system`, `ris`, or a staff/referrer principal with its id. */
export const Actor = z
  .string()
  .regex(/^(bot|system|ris|staff:[\w-]{1,64}|referrer:[\w-]{1,64})$/, 'actor must be bot, system, ris, staff:<id> or referrer:<id>');
export type Actor = z.infer<typeof Actor>;

export const Channel = z.enum(['sms', 'webchat', 'msteams', 'api', 'fax', 'phone', 'system']);
export type Channel = z.infer<typeof Channel>;

export const HistoryEntry = z.object({
  from: CaseState.nullable(),
  to: CaseState,
  /** `correct`: staff changed the patient's details or order fields (the state may stay). */
  event: z.union([PipelineEvent, z.literal('create'), z.literal('correct')]),
  actor: Actor,
  channel: Channel,
  at: z.date(),
  reason: z.string().max(500).optional(),
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;
