import { DateTime } from 'luxon';
import { z } from 'zod';
import type { CaseRepository, PatientRepository } from '../cases/case.ports';
import type { Case, CaseHistoryEntry } from '../cases/case.schema';
import type { SiteConfig } from '../config/site.schema';
import type { ConversationRefRepository } from '../conversations/conversation-ref.schema';
import type { ProactiveSender } from '../conversations/proactive.service';
import { modalityLabel, orderName } from '../exams/modality.catalog';
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

type Lang = ReferrerOrg['language'];

/** An update's words in the office's language; {x} are filled in by `say`. */
const W = {
  en: {
    create: 'we received the order',
    request_documentation: 'we need: {items} (reply COMPLETE {n} to send it here)',
    require_authorization: "it needs prior authorization{payer}; we'll invite the patient to book once it is approved",
    payer: ' from {p}',
    ready_human: 'it is complete; a scheduler is calling the patient',
    ready_bot: "it is complete; we're inviting the patient to book",
    approved: 'prior authorization approved{detail}',
    valid: 'valid {from} to {to}',
    calling: 'a scheduler is calling the patient',
    inviting: "we're inviting the patient to book",
    denied: 'prior authorization was denied{by}{reason}. Next step: {next}{reply}',
    by: ' by {p}',
    reply: ' (reply COMPLETE {n})',
    expired: 'the prior authorization{number} ended{on} before the exam; please get it renewed and send us the new number and dates',
    on: ' on {d}',
    booked: 'scheduled for {when}',
    booked_bare: 'scheduled',
    check_in: 'the patient checked in for the exam',
    complete_imaging: 'the exam is done; the report will follow',
    mark_no_show: "the patient missed the appointment; we'll contact them to rebook",
    deliver_report: 'the report has been delivered',
    cancel_staff: 'cancelled: {reason}',
    cancel_office: 'declined by your office',
    cancel_patient: 'cancelled at the patient’s request',
    cancel: 'cancelled',
    next_documentation: 'please send what the payer needs to approve it',
    next_changed_study: 'please send the study you will order instead',
    next_peer_to_peer: 'the ordering doctor may request a peer-to-peer review with the payer; tell us the outcome here',
    next_cancel: 'the order is cancelled',
    head: 'Update from {center} on order {n} ({who}, {study}): {lines}.',
    the_patient: 'the patient',
    exam: 'exam',
  },
  es: {
    create: 'recibimos la orden',
    request_documentation: 'necesitamos: {items} (responda COMPLETE {n} para enviarlo aquí)',
    require_authorization: 'necesita autorización previa{payer}; invitaremos al paciente a agendar en cuanto la aprueben',
    payer: ' de {p}',
    ready_human: 'está completa; alguien de nuestro equipo está llamando al paciente',
    ready_bot: 'está completa; le estamos escribiendo al paciente para que agende',
    approved: 'autorización previa aprobada{detail}',
    valid: 'válida del {from} al {to}',
    calling: 'alguien de nuestro equipo está llamando al paciente',
    inviting: 'le estamos escribiendo al paciente para que agende',
    denied: 'la autorización previa fue negada{by}{reason}. Siguiente paso: {next}{reply}',
    by: ' por {p}',
    reply: ' (responda COMPLETE {n})',
    expired: 'la autorización previa{number} venció{on} antes del examen; renuévela y envíenos el nuevo número y las fechas',
    on: ' el {d}',
    booked: 'agendada para el {when}',
    booked_bare: 'agendada',
    check_in: 'el paciente se registró para el examen',
    complete_imaging: 'el examen está hecho; el informe llegará después',
    mark_no_show: 'el paciente no vino a la cita; lo contactaremos para reagendarla',
    deliver_report: 'el informe fue entregado',
    cancel_staff: 'cancelada: {reason}',
    cancel_office: 'rechazada por su consultorio',
    cancel_patient: 'cancelada a pedido del paciente',
    cancel: 'cancelada',
    next_documentation: 'envíe lo que la aseguradora necesita para aprobarla',
    next_changed_study: 'envíe el estudio que ordenará en su lugar',
    next_peer_to_peer: 'el médico que ordena puede pedir una revisión entre médicos (peer-to-peer) con la aseguradora; díganos aquí el resultado',
    next_cancel: 'la orden está cancelada',
    head: 'Novedad de {center} sobre la orden {n} ({who}, {study}): {lines}.',
    the_patient: 'el paciente',
    exam: 'examen',
  },
} as const;
type Word = keyof (typeof W)['en'];
const say = (lang: Lang, id: Word, vars: Record<string, string> = {}) => W[lang][id].replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? '');

/** Why an order was cancelled, for its office (its updates and its status list): staff's words; a patient's own words stay with the center. */
export function cancelledText(h: CaseHistoryEntry | undefined, lang: Lang): string {
  if (h?.actor.startsWith('staff:') && h.reason) return say(lang, 'cancel_staff', { reason: h.reason });
  return say(lang, h?.actor.startsWith('referrer:') ? 'cancel_office' : h?.actor === 'bot' ? 'cancel_patient' : 'cancel');
}

/** The words of one write for the office, in its language: what changed, the real next step, nothing clinical it did not send. */
export function noticeLines(site: SiteConfig, c: Case, entries: CaseHistoryEntry[], lang: Lang = 'en'): string[] {
  const n = requestNumber(c.id);
  const a = c.authorization;
  const valid = a?.validFrom || a?.validTo ? say(lang, 'valid', { from: a.validFrom ?? '…', to: a.validTo ?? '…' }) : '';
  const human = c.track === 'human';
  const lines: string[] = [];
  for (const h of entries) {
    switch (h.event) {
      case 'create':
        lines.push(say(lang, 'create'));
        break;
      case 'request_documentation':
        // The items as staff or the checklist wrote them (their words); the rest of the line is the office's language.
        lines.push(say(lang, 'request_documentation', { items: (h.reason ?? c.missing.join(', ')).replace(/^missing: /, '').replace(/requested: /g, ''), n }));
        break;
      case 'require_authorization':
        lines.push(say(lang, 'require_authorization', { payer: a?.payer ? say(lang, 'payer', { p: a.payer }) : '' }));
        break;
      case 'mark_ready':
        lines.push(say(lang, human ? 'ready_human' : 'ready_bot'));
        break;
      case 'approve_authorization': {
        const detail = [a?.number, valid].filter(Boolean).join(', ');
        lines.push(say(lang, 'approved', { detail: detail ? ` (${detail})` : '' }));
        // A held time confirmed in the same write says so itself (the booking line).
        if (h.to === 'ready_to_schedule' && !entries.some((x) => x.event === 'book')) lines.push(say(lang, human ? 'calling' : 'inviting'));
        break;
      }
      case 'deny_authorization': {
        const next = a?.nextStep ?? 'documentation';
        lines.push(
          say(lang, 'denied', {
            by: a?.payer ? say(lang, 'by', { p: a.payer }) : '',
            reason: h.reason ? `: ${h.reason}` : '',
            next: say(lang, `next_${next}`),
            reply: next === 'documentation' || next === 'changed_study' ? say(lang, 'reply', { n }) : '',
          }),
        );
        break;
      }
      case 'expire_authorization':
        lines.push(say(lang, 'expired', { number: a?.number ? ` ${a.number}` : '', on: a?.validTo ? say(lang, 'on', { d: a.validTo }) : '' }));
        break;
      case 'book':
        lines.push(c.appointment ? say(lang, 'booked', { when: slotText(c.appointment.start, site, lang) }) : say(lang, 'booked_bare'));
        break;
      case 'check_in':
      case 'complete_imaging':
      case 'mark_no_show':
      case 'deliver_report':
        lines.push(say(lang, h.event));
        break;
      case 'cancel':
        lines.push(cancelledText(h, lang));
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
      const org = await deps.referrers.findById(c.referrerOrgId);
      if (!org) return 'no_office';
      const lang = org.language;
      const lines = noticeLines(site, c, entries, lang);
      if (lines.length === 0) return 'stale';
      const patient = await deps.patients.findById(c.patientId);
      const who = [patient?.givenName, patient?.familyName].filter(Boolean).join(' ') || say(lang, 'the_patient');
      // The body part as the office wrote it on the order.
      const study = [c.order.code.modality ? (lang === 'en' ? orderName(c.order.code.modality) : modalityLabel(c.order.code.modality, 'es')) : say(lang, 'exam'), c.order.bodySite.text].filter(Boolean).join(' ');
      const text = say(lang, 'head', { center: site.center.name, n: requestNumber(c.id), who, study, lines: lines.join('; ') });
      const id = `office-notice:${c.id}:${n}`;
      await deps.notices.insert({ id, orgId: org.id, caseId: c.id, n, text, createdAt: deps.now(), shownAt: null });
      const ref = await officeTeamsChat(deps.refs, org);
      if (!ref) return 'kept';
      const sent = await deps.proactive.send({ to: { conversationId: ref.id }, content: { text }, purpose: 'care', template: 'office_update', idempotencyKey: id, caseId: c.id, language: lang });
      if (!sent.ok) throw new Error(`office update not posted: ${sent.error.code}`);
      return 'office_told';
    },

    /** What a Web Chat user of the office has not seen yet (at sign-in, or asking for updates): shown once, dated in their language. */
    async forWebChat(orgId: string, lang: Lang = 'en'): Promise<string[]> {
      const unseen = await deps.notices.unshown(orgId, 20);
      if (unseen.length) await deps.notices.markShown(unseen.map((u) => u.id), deps.now());
      const zone = site.center.timeZone;
      return unseen.map((u) => `${DateTime.fromJSDate(u.createdAt, { zone }).setLocale(lang).toFormat(lang === 'es' ? 'd LLL' : 'LLL d')}: ${u.text}`);
    },
  };
}
export type OfficeNotices = ReturnType<typeof createOfficeNotices>;
