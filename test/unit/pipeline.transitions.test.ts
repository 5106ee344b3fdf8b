import { decide } from '../../services/pipeline/pipeline.decide';
import { CaseState, PipelineEvent } from '../../services/pipeline/pipeline.states';
import { trackFor } from '../../services/pipeline/pipeline.track';

/**
 * Written out by hand from domain.md §2 (not derived from the code's table), so a wrong table fails here.
 * Every pair not listed must be refused.
 */
const EXPECTED: Record<CaseState, Partial<Record<PipelineEvent, CaseState>>> = {
  lead: { qualify: 'qualified', cancel: 'cancelled' },
  qualified: { request_order: 'order_requested', receive_order: 'received', cancel: 'cancelled' },
  order_requested: { receive_order: 'received', cancel: 'cancelled' },
  received: {
    request_documentation: 'awaiting_documentation',
    require_authorization: 'pending_authorization',
    mark_ready: 'ready_to_schedule',
    cancel: 'cancelled',
  },
  awaiting_documentation: { documentation_received: 'received', request_documentation: 'awaiting_documentation', cancel: 'cancelled' },
  pending_authorization: {
    approve_authorization: 'ready_to_schedule',
    deny_authorization: 'awaiting_documentation',
    request_documentation: 'awaiting_documentation',
    cancel: 'cancelled',
  },
  ready_to_schedule: { book: 'scheduled', expire_authorization: 'pending_authorization', cancel: 'cancelled' },
  scheduled: {
    check_in: 'checked_in',
    request_reschedule: 'reschedule_needed',
    mark_no_show: 'no_show',
    expire_authorization: 'pending_authorization',
    cancel: 'cancelled',
  },
  checked_in: { complete_imaging: 'imaging_completed', mark_incomplete: 'incomplete' },
  imaging_completed: { finalize_report: 'reported' },
  incomplete: { request_reschedule: 'reschedule_needed', cancel: 'cancelled' },
  no_show: { request_reschedule: 'reschedule_needed', cancel: 'cancelled' },
  reschedule_needed: { book: 'scheduled', reauthorize: 'pending_authorization', expire_authorization: 'pending_authorization', cancel: 'cancelled' },
  reported: { deliver_report: 'delivered' },
  delivered: { close: 'closed' },
  closed: {},
  cancelled: {},
};

/** domain.md's "typical next" column: each must be reachable by some event. */
const TYPICAL_NEXT: Record<CaseState, CaseState[]> = {
  lead: ['qualified', 'cancelled'],
  qualified: ['order_requested', 'received'],
  order_requested: ['received', 'cancelled'],
  received: ['awaiting_documentation', 'pending_authorization', 'ready_to_schedule'],
  awaiting_documentation: ['received'],
  pending_authorization: ['ready_to_schedule', 'awaiting_documentation', 'cancelled'],
  ready_to_schedule: ['scheduled'],
  scheduled: ['checked_in', 'reschedule_needed', 'no_show', 'cancelled'],
  checked_in: ['imaging_completed', 'incomplete'],
  imaging_completed: ['reported'],
  incomplete: ['reschedule_needed', 'cancelled'],
  no_show: ['reschedule_needed', 'cancelled'],
  reschedule_needed: ['scheduled', 'pending_authorization', 'cancelled'],
  reported: ['delivered'],
  delivered: ['closed'],
  closed: [],
  cancelled: [],
};

const NOW = new Date('2026-11-28T15:00:00Z');
const pairs = CaseState.options.flatMap((state) => PipelineEvent.options.map((event) => [state, event] as const));

describe('pipeline transition table: every state × event', () => {
  test.each(pairs)('%s + %s', (state, event) => {
    const current = Object.freeze({ state, track: 'standard' as const });
    const result = decide(current, event, 'staff:tester', NOW, { channel: 'api', reason: 'test reason' });
    const expected = EXPECTED[state][event];
    if (expected) {
      expect(result).toEqual({
        ok: true,
        value: {
          state: expected,
          entry: { from: state, to: expected, event, actor: 'staff:tester', channel: 'api', at: NOW, reason: 'test reason' },
        },
      });
    } else {
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe('ILLEGAL_TRANSITION');
        expect(result.error.message).toContain(state);
      }
    }
    expect(current).toEqual({ state, track: 'standard' }); // refused or not, the input is never changed
  });

  test.each(CaseState.options)('every typical next state of %s is reachable', (state) => {
    const reachable = Object.values(EXPECTED[state]);
    for (const next of TYPICAL_NEXT[state]) expect(reachable).toContain(next);
  });

  test('closed and cancelled are terminal', () => {
    for (const state of ['closed', 'cancelled'] as const) {
      for (const event of PipelineEvent.options) {
        expect(decide({ state, track: 'standard' }, event, 'system', NOW, { channel: 'system', reason: 'x' }).ok).toBe(false);
      }
    }
  });
});

describe('pipeline rules beyond the table', () => {
  test.each(['cancel', 'mark_incomplete', 'request_documentation'] as const)('%s needs a reason', (event) => {
    const from = event === 'mark_incomplete' ? 'checked_in' : 'received';
    const r = decide({ state: from, track: 'standard' }, event, 'staff:a', NOW, { channel: 'api', reason: '   ' });
    expect(r).toMatchObject({ ok: false, error: { code: 'REASON_REQUIRED' } });
  });

  test('a denial lands where its next step says: documentation, still pending (peer-to-peer), or cancelled; nowhere else', () => {
    const pending = { state: 'pending_authorization' as const, track: 'standard' as const };
    const deny = (to?: CaseState) => decide(pending, 'deny_authorization', 'staff:a', NOW, { channel: 'api', reason: 'not medically necessary', ...(to ? { to } : {}) });
    expect(deny()).toMatchObject({ ok: true, value: { state: 'awaiting_documentation', entry: { from: 'pending_authorization', to: 'awaiting_documentation' } } });
    expect(deny('pending_authorization')).toMatchObject({ ok: true, value: { state: 'pending_authorization', entry: { to: 'pending_authorization' } } });
    expect(deny('cancelled')).toMatchObject({ ok: true, value: { state: 'cancelled' } });
    expect(deny('ready_to_schedule')).toMatchObject({ ok: false, error: { code: 'ILLEGAL_TRANSITION' } });
    expect(decide(pending, 'approve_authorization', 'staff:a', NOW, { channel: 'api', to: 'cancelled' })).toMatchObject({ ok: false, error: { code: 'ILLEGAL_TRANSITION' } });
    expect(decide(pending, 'deny_authorization', 'staff:a', NOW, { channel: 'api' })).toMatchObject({ ok: false, error: { code: 'REASON_REQUIRED' } });
  });

  test('the bot never books a stat or asap case; staff may', () => {
    const human = { state: 'ready_to_schedule' as const, track: 'human' as const };
    expect(decide(human, 'book', 'bot', NOW, { channel: 'sms' })).toMatchObject({ ok: false, error: { code: 'HUMAN_TRACK_ONLY' } });
    expect(decide(human, 'book', 'staff:s1', NOW, { channel: 'api' })).toMatchObject({ ok: true, value: { state: 'scheduled' } });
    expect(decide({ ...human, track: 'fast' }, 'book', 'bot', NOW, { channel: 'sms' }).ok).toBe(true);
  });

  test.each([
    ['stat', 'human'],
    ['asap', 'human'],
    ['urgent', 'fast'],
    ['routine', 'standard'],
  ] as const)('priority %s goes to the %s track', (priority, track) => {
    expect(trackFor(priority)).toBe(track);
  });
});
