import { DateTime } from 'luxon';
import { z } from 'zod';
import type { CaseRepository, PatientRepository } from '../cases/case.ports';
import type { Case, CaseHistoryEntry } from '../cases/case.schema';
import type { SiteConfig } from '../config/site.schema';
import type { ConversationRefRepository } from '../conversations/conversation-ref.schema';
import type { ProactiveSender } from '../conversations/proactive.service';
import { orderName } from '../exams/modality.catalog';
import { slotText } from '../scheduling/slot-text';
import { requestNumber } from '../patients/order-request.service';
import type { ReferrerOrg } from './referrer.schema';
import { officeTeamsChat } from './office-chat';

/** One update an office was given about one of its orders: kept for its Web Chat users, posted on Teams when it has a conversation. */
export const OfficeNotice = z.object({
  /** The write it tells of (case and first history index): the same change is never told twice. */
  id: z.string().min(1).max(120),
  orgId: z.string(),
  caseId: z.string(),
  /** The first history index of the change: its order among the case's updates. */
  n: z.number().int().min(0).default(0),
  text: z.string().max(1500),
  createdAt: z.date(),
  /** When a Web Chat user of the office was shown it (at sign-in or asking for updates). */
  shownAt: z.date().nullable(),
});
export type OfficeNotice = z.infer<typeof OfficeNotice>;

export interface OfficeNoticeRepository {
  /** false: this change was kept already. */
  insert(n: OfficeNotice): Promise<boolean>;
  /** Not yet shown on Web Chat, oldest first. */
  unshown(orgId: string, limit: number): Promise<OfficeNotice[]>;
  markShown(ids: string[], at: Date): Promise<void>;
}

/** The events an office is told of (issue 15 §4); the rest (a screening answer, a readiness reply) are the center's. */
const TOLD: ReadonlySet<string> = new Set([
  'create',
  'request_documentation',
  'require_authorization',
  'mark_ready',
  'approve_authorization',
  'deny_authorization',
  'expire_authorization',
  'book',
  'check_in',
  'complete_imaging',
  'mark_no_show',
  'deliver_report',
  'cancel',
]);

/**
 * Whether the office is told of the write that appended the entries from index `n` on: the order came from or goes to
 * a referring organization, the write holds a change it cares about, and the office did not make it itself (it saw
 * the answer in its chat; a patient's request is told when the office sends the order).
 */
export function officeIsTold(c: Case, n: number): boolean {
  const entries = c.history.slice(n);
  return c.referrerOrgId !== null && entries.some((h) => TOLD.has(h.event)) && !entries.some((h) => h.actor.startsWith('referrer:'));
}

/** Who cancelled an order, as its office is told: staff with their words; a patient's own words stay with the center. */
export type CancelledBy = { by: 'staff'; reason: string } | { by: 'office' | 'patient' | 'unknown' };
export function cancelledBy(h: CaseHistoryEntry | undefined): CancelledBy {
  if (h?.actor.startsWith('staff:') && h.reason) return { by: 'staff', reason: h.reason };
  if (h?.actor.startsWith('referrer:')) return { by: 'office' };
  return { by: h?.actor === 'bot' ? 'patient' : 'unknown' };
}

function cancelledText(h: CaseHistoryEntry): string {
  const c = cancelledBy(h);
  return c.by === 'staff' ? `cancelled: ${c.reason}` : c.by === 'office' ? 'declined by your office' : c.by === 'patient' ? 'cancelled at the patient’s request' : 'cancelled';
}

const NEXT_STEP: Record<string, string> = {
  documentation: 'please send what the payer needs to approve it',
  changed_study: 'please send the study you will order instead',
  peer_to_peer: 'the ordering doctor may request a peer-to-peer review with the payer; tell us the outcome here',
  cancel: 'the order is cancelled',
};

/** The words of one write for the office: what changed, the real next step, nothing clinical it did not send. */
export function noticeLines(site: SiteConfig, c: Case, entries: CaseHistoryEntry[]): string[] {
  const number = requestNumber(c.id);
  const a = c.authorization;
  const dates = a?.validFrom || a?.validTo ? `, valid ${a.validFrom ?? '…'} to ${a.validTo ?? '…'}` : '';
  const lines: string[] = [];
  for (const h of entries) {
    switch (h.event) {
      case 'create':
        lines.push('we received the order');
        break;
      case 'request_documentation':
        lines.push(`we need: ${(h.reason ?? c.missing.join(', ')).replace(/^missing: /, '').replace(/requested: /g, '')} (reply COMPLETE ${number} to send it here)`);
        break;
      case 'require_authorization':
        lines.push(`it needs prior authorization${a?.payer ? ` from ${a.payer}` : ''}; we'll invite the patient to book once it is approved`);
        break;
      case 'mark_ready':
        lines.push(c.track === 'human' ? 'it is complete; a scheduler is calling the patient' : "it is complete; we're inviting the patient to book");
        break;
      case 'approve_authorization':
        lines.push(`prior authorization approved${a?.number ? ` (${a.number}${dates})` : dates ? ` (${dates.slice(2)})` : ''}`);
        // A held time confirmed in the same write says so itself (the booking line).
        if (h.to === 'ready_to_schedule' && !entries.some((x) => x.event === 'book')) lines.push(c.track === 'human' ? 'a scheduler is calling the patient' : "we're inviting the patient to book");
        break;
      case 'deny_authorization':
        lines.push(`prior authorization was denied${a?.payer ? ` by ${a.payer}` : ''}${h.reason ? `: ${h.reason}` : ''}. Next step: ${NEXT_STEP[a?.nextStep ?? 'documentation']}${a?.nextStep === 'documentation' || a?.nextStep === 'changed_study' ? ` (reply COMPLETE ${number})` : ''}`);
        break;
      case 'expire_authorization':
        lines.push(`the prior authorization${a?.number ? ` ${a.number}` : ''} ended${a?.validTo ? ` on ${a.validTo}` : ''} before the exam; please get it renewed and send us the new number and dates`);
        break;
      case 'book':
        lines.push(c.appointment ? `scheduled for ${slotText(c.appointment.start, site, 'en')}` : 'scheduled');
        break;
      case 'check_in':
        lines.push('the patient checked in for the exam');
        break;
      case 'complete_imaging':
        lines.push('the exam is done; the report will follow');
        break;
      case 'mark_no_show':
        lines.push("the patient missed the appointment; we'll contact them to rebook");
        break;
      case 'deliver_report':
        lines.push('the report has been delivered');
        break;
      case 'cancel':
        lines.push(cancelledText(h));
        break;
      default:
    }
  }
  return lines;
}

export type NoticeOutcome = 'office_told' | 'kept' | 'stale' | 'no_office';

/**
 * The office is told (issue 15 §4): every change it cares about, once, kept for its Web Chat users and posted to its
 * Teams conversation when it has one. Runs as a follow-up job queued in office hours; a booking a later write moved
 * again is left to that write's notice, so the office hears the time that holds.
 */
export function createOfficeNotices(deps: {
  cases: CaseRepository;
  patients: PatientRepository;
  referrers: { findById(id: string): Promise<ReferrerOrg | null> };
  refs: ConversationRefRepository;
  proactive: Pick<ProactiveSender, 'send'>;
  notices: OfficeNoticeRepository;
  site: SiteConfig;
  now: () => Date;
}) {
  const { site } = deps;
  return {
    async run(caseId: string, n: number, count: number): Promise<NoticeOutcome> {
      const c = await deps.cases.findById(caseId);
      const entries = c ? c.history.slice(n, n + count) : [];
      if (!c || !c.referrerOrgId || entries.length === 0) return 'stale';
      const later = c.history.slice(n + entries.length);
      if (entries.some((h) => h.event === 'book') && later.some((h) => h.event === 'book' || h.event === 'cancel' || h.event === 'request_reschedule')) return 'stale';
      const lines = noticeLines(site, c, entries);
      if (lines.length === 0) return 'stale';
      const org = await deps.referrers.findById(c.referrerOrgId);
      if (!org) return 'no_office';
      const patient = await deps.patients.findById(c.patientId);
      const who = [patient?.givenName, patient?.familyName].filter(Boolean).join(' ') || 'the patient';
      const study = [c.order.code.modality ? orderName(c.order.code.modality) : 'exam', c.order.bodySite.text].filter(Boolean).join(' ');
      const text = `Update from ${site.center.name} on order ${requestNumber(c.id)} (${who}, ${study}): ${lines.join('; ')}.`;
      const id = `office-notice:${c.id}:${n}`;
      await deps.notices.insert({ id, orgId: org.id, caseId: c.id, n, text, createdAt: deps.now(), shownAt: null });
      const ref = await officeTeamsChat(deps.refs, org);
      if (!ref) return 'kept';
      const sent = await deps.proactive.send({ to: { conversationId: ref.id }, content: { text }, purpose: 'care', template: 'office_update', idempotencyKey: id, caseId: c.id, language: 'en' });
      if (!sent.ok) throw new Error(`office update not posted: ${sent.error.code}`);
      return 'office_told';
    },

    /** What a Web Chat user of the office has not seen yet (at sign-in, or asking for updates): shown once. */
    async forWebChat(orgId: string): Promise<string[]> {
      const unseen = await deps.notices.unshown(orgId, 20);
      if (unseen.length) await deps.notices.markShown(unseen.map((u) => u.id), deps.now());
      const zone = site.center.timeZone;
      return unseen.map((u) => `${DateTime.fromJSDate(u.createdAt, { zone }).toFormat('LLL d')}: ${u.text}`);
    },
  };
}
export type OfficeNotices = ReturnType<typeof createOfficeNotices>;
