import type { CaseState, PipelineEvent } from './pipeline.states';

/**
 * The one transition table (domain.md §2). Each event lists the states it may leave and the state it lands in.
 * `cancel` is allowed from every state before check-in and after a failed visit: a patient may withdraw at any time.
 */
export const TRANSITIONS: Readonly<Record<PipelineEvent, { from: readonly CaseState[]; to: CaseState; alsoTo?: readonly CaseState[] }>> = {
  qualify: { from: ['lead'], to: 'qualified' },
  request_order: { from: ['qualified'], to: 'order_requested' },
  receive_order: { from: ['qualified', 'order_requested'], to: 'received' },
  // From awaiting_documentation too: another item joins the one missing-items record (the state stays).
  request_documentation: { from: ['received', 'pending_authorization', 'awaiting_documentation'], to: 'awaiting_documentation' },
  documentation_received: { from: ['awaiting_documentation'], to: 'received' },
  require_authorization: { from: ['received'], to: 'pending_authorization' },
  mark_ready: { from: ['received'], to: 'ready_to_schedule' },
  approve_authorization: { from: ['pending_authorization'], to: 'ready_to_schedule' },
  // A denial names the next step: more documentation (the default), a peer-to-peer review (still pending), or cancel.
  deny_authorization: { from: ['pending_authorization'], to: 'awaiting_documentation', alsoTo: ['pending_authorization', 'cancelled'] },
  // The approval's dates ran out before the visit: a new authorization is needed (a booked time is held, not confirmed).
  expire_authorization: { from: ['ready_to_schedule', 'scheduled', 'reschedule_needed'], to: 'pending_authorization' },
  book: { from: ['ready_to_schedule', 'reschedule_needed'], to: 'scheduled' },
  check_in: { from: ['scheduled'], to: 'checked_in' },
  complete_imaging: { from: ['checked_in'], to: 'imaging_completed' },
  mark_incomplete: { from: ['checked_in'], to: 'incomplete' },
  mark_no_show: { from: ['scheduled'], to: 'no_show' },
  request_reschedule: { from: ['scheduled', 'incomplete', 'no_show'], to: 'reschedule_needed' },
  reauthorize: { from: ['reschedule_needed'], to: 'pending_authorization' },
  finalize_report: { from: ['imaging_completed'], to: 'reported' },
  deliver_report: { from: ['reported'], to: 'delivered' },
  close: { from: ['delivered'], to: 'closed' },
  cancel: {
    from: [
      'lead',
      'qualified',
      'order_requested',
      'received',
      'awaiting_documentation',
      'pending_authorization',
      'ready_to_schedule',
      'scheduled',
      'incomplete',
      'no_show',
      'reschedule_needed',
    ],
    to: 'cancelled',
  },
};

/** Events that must carry a reason: the record has to say why (domain.md §2). */
export const REASON_REQUIRED: ReadonlySet<PipelineEvent> = new Set(['cancel', 'mark_incomplete', 'request_documentation', 'deny_authorization']);

export function eventsFrom(state: CaseState): PipelineEvent[] {
  return (Object.keys(TRANSITIONS) as PipelineEvent[]).filter((e) => TRANSITIONS[e].from.includes(state));
}
