import { err, ok, type Result } from '../result';
import type { Actor, CaseState, Channel, HistoryEntry, PipelineEvent, Track } from './pipeline.states';
import { REASON_REQUIRED, TRANSITIONS } from './pipeline.transitions';

export type DecideRefusal = 'ILLEGAL_TRANSITION' | 'REASON_REQUIRED' | 'HUMAN_TRACK_ONLY';

export interface DecideInput {
  state: CaseState;
  track: Track;
}

export interface DecideOptions {
  channel: Channel;
  reason?: string;
  /** One of the event's other landing states (`alsoTo` in the table), when the event's data chooses it. */
  to?: CaseState;
}

export interface Decision {
  state: CaseState;
  entry: HistoryEntry;
}

/** Pure: what the event does to the case, or why it may not. Persisting is the repository's job. */
export function decide(
  current: DecideInput,
  event: PipelineEvent,
  actor: Actor,
  now: Date,
  options: DecideOptions,
): Result<Decision, DecideRefusal> {
  const rule = TRANSITIONS[event];
  if (!rule.from.includes(current.state)) {
    return err('ILLEGAL_TRANSITION', `event '${event}' is not allowed from state '${current.state}'`);
  }
  const to = options.to ?? rule.to;
  if (to !== rule.to && !rule.alsoTo?.includes(to)) {
    return err('ILLEGAL_TRANSITION', `event '${event}' does not lead to '${to}'`);
  }
  const reason = options.reason?.trim();
  if (REASON_REQUIRED.has(event) && !reason) {
    return err('REASON_REQUIRED', `event '${event}' needs a reason`);
  }
  if (event === 'book' && actor === 'bot' && current.track === 'human') {
    return err('HUMAN_TRACK_ONLY', 'stat and asap orders are booked by staff, never by the bot');
  }
  const entry: HistoryEntry = {
    from: current.state,
    to,
    event,
    actor,
    channel: options.channel,
    at: now,
    ...(reason ? { reason } : {}),
  };
  return ok({ state: to, entry });
}
