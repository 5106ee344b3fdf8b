import type { Study } from '../scheduling/study';
import type { Language } from './templates';

/**
 * What a service tells a person without a conversation turn (confirmations, reminders, offers, consent answers): the
 * outcome and its facts, never words. The words are the dialogs' catalogue (dialogs/notices.texts.ts), handed to each
 * service at the composition root as `words`.
 */
export type Notice =
  | { kind: 'booking_confirmed'; start: Date; study: Study }
  | { kind: 'invite_to_book' }
  | { kind: 'order_declined' }
  /** The payer said no for now; the office is working on it (more documentation, a peer-to-peer review, another study). */
  | { kind: 'authorization_denied' }
  /** The payer said no and the order was cancelled. */
  | { kind: 'authorization_cancelled' }
  /** The approval's dates ran out: the office renews it; a booked time is held meanwhile. */
  | { kind: 'authorization_expired'; held: Date | null }
  | { kind: 'screening_cleared' }
  | { kind: 'prep'; start: Date; study: Study }
  | { kind: 'appointment_reminder'; start: Date }
  | { kind: 'readiness_check'; stopEatingAt: Date }
  | { kind: 'waitlist_offer'; start: Date; holdUntil: Date; current: Date | null }
  | { kind: 'lead_nurture' }
  /** A campaign's own words (staff wrote them, per language), named and with the opt-out line. */
  | { kind: 'campaign'; text: string }
  | { kind: 'help' }
  | { kind: 'opt_out_confirmation' }
  | { kind: 'opt_in_confirmation' };

export type NoticeWords = (notice: Notice, lang: Language) => string;
