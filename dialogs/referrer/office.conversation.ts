import { DateTime } from 'luxon';
import { SuppliedItems, type CaseService, type CaseView } from '../../services/cases/case.service';
import type { CaseChannel } from '../../services/cases/case.schema';
import type { SiteConfig } from '../../services/config/site.schema';
import { pickChoice, type Choice, type OutboundContentInput } from '../../services/conversations/outbound-content';
import { MODALITIES, modalityWords, orderName } from '../../services/exams/modality.catalog';
import type { DiagnosisCodes } from '../../services/orders/diagnosis-codes';
import { OrderInput, PatientInput } from '../../services/orders/order.schema';
import type { CaseState } from '../../services/pipeline/pipeline.states';
import { requestNumber } from '../../services/patients/order-request.service';
import { cancelledText, type OfficeNotices } from '../../services/referrers/office-notices';
import type { TeamsIdentityService } from '../../services/referrers/teams-identity.service';
import type { Principal } from '../../services/staff/staff.roles';
import { foldAccents } from '../../services/text';
import type { Understanding } from '../../services/understanding/understanding.schema';
import { createOrderForm, documentationState, newOrderState, orderInputFrom, type OrderAnswers, type OrderForm, type OrderFormState } from './order.dialog';

/** The office conversation's part of the dialog state. */
export interface OfficeConversation {
  office?: { menu?: boolean; form?: OrderFormState; declining?: { caseId: string; reason?: string } };
}

export interface OfficeTurn {
  text: string;
  /** An Adaptive Card's submitted values (Teams and Web Chat), when the message is a form. */
  value?: unknown;
  /** Files sent with the message (name, type, where to fetch them). */
  attachments?: Array<{ name?: string; contentType: string; url?: string }>;
  /** Opens a human handoff task for this conversation, saying why. */
  handoff: (why: string) => Promise<void>;
  channel: CaseChannel;
  principal: Principal;
  understanding: Understanding;
  now: Date;
  /** A Teams channel or group chat: patients' names and orders are never listed there. */
  inChannel?: boolean;
}

// "is the MRI for Rosa scheduled yet?", "any update on Harold?", "what's missing for 9EAC56?": an office asking after its orders.
const ASKS_STATUS = /\b(status|statuses|my orders|our orders|open orders|where is|where are|update|updates|news|scheduled|booked|missing|approved|authoriz\w*|estado|novedades|agendad[oa]|programad[oa])\b/;
// Words of the question that name no patient.
const NOT_A_NAME_WORD = new Set(['status', 'order', 'orders', 'open', 'our', 'the', 'for', 'what', 'whats', 'where', 'show', 'scan', 'any', 'update', 'updates', 'news', 'scheduled', 'booked', 'yet', 'has', 'have', 'been', 'was', 'did', 'get', 'got', 'patient', 'appointment', 'missing', 'approved', 'authorization', 'with', 'about', 'still', 'estado', 'novedades', 'paciente', 'orden', 'para', 'agendado', 'agendada', 'programado', 'programada', 'already', 'his', 'her', 'their', 'and', 'exam', 'study', 'imaging'].concat(MODALITIES.flatMap((m) => modalityWords(m)).filter((w) => !w.includes(' '))));

const MENU: Choice[] = [
  { value: 'new', title: 'Send a new order' },
  { value: 'status', title: 'Status of our orders' },
  { value: 'human', title: 'Talk to a person' },
];

const DECLINE: Choice[] = [
  { value: 'decline', title: 'Decline the request' },
  { value: 'keep', title: 'Keep it open' },
];

const OFFICE_WORDS: Partial<Record<CaseState, string>> = {
  order_requested: 'the patient asked for it; waiting for your order',
  received: 'received, being checked',
  pending_authorization: 'waiting for prior authorization',
  ready_to_schedule: 'complete; the patient is invited to book',
  scheduled: 'booked',
  checked_in: 'the patient is here',
  imaging_completed: 'imaging done, being read',
  incomplete: 'the exam could not be completed; we will rebook',
  no_show: 'the patient missed the appointment',
  reschedule_needed: 'being rebooked',
  reported: 'report ready',
  delivered: 'report delivered',
};
const PRIORITY_RANK: Record<string, number> = { stat: 0, asap: 1, urgent: 2, routine: 3 };

/**
 * Referring offices on Teams (issue 6): send an order with the step-by-step form, answer exactly what is missing,
 * accept or decline a patient's order request, and see their organization's orders. Every action is the office
 * user's (`referrer:<id>`), scoped to their organization by the case service.
 */
export function createOfficeConversation(deps: { cases: CaseService; site: SiteConfig; codes?: DiagnosisCodes; notices?: Pick<OfficeNotices, 'forWebChat'>; enrolment?: Pick<TeamsIdentityService, 'approveByName'> }) {
  // The form's submit acts as this turn's office user: built per turn, so turns of two offices never mix.
  const formFor = (turn: OfficeTurn) =>
    createOrderForm({
      ...(deps.codes ? { codes: deps.codes } : {}),
      async create(a, submitKey) {
        const { patient, order } = orderInputFrom(a);
        const p = PatientInput.safeParse(patient);
        const o = OrderInput.safeParse(order);
        if (!p.success || !o.success) return { ok: false, message: [...(p.error?.issues ?? []), ...(o.error?.issues ?? [])].map((i) => i.message).join('; ') };
        const source = turn.channel === 'webchat' ? 'webchat' : 'msteams';
        return saved(await deps.cases.create({ source, patient: p.data, order: o.data }, turn.principal, turn.channel, submitKey));
      },
      async accept(caseId, a) {
        const parsed = OrderInput.safeParse(orderInputFrom(a).order);
        if (!parsed.success) return { ok: false, message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
        const r = await deps.cases.receiveRequestedOrder(caseId, parsed.data, turn.principal, turn.channel);
        return r.ok ? { ok: true, case: r.value } : { ok: false, message: r.error.message };
      },
      async supply(caseId, a) {
        const { order, patient } = orderInputFrom(a);
        const { reasonCodes, ...rest } = order as { reasonCodes: string[] };
        const parsed = SuppliedItems.safeParse({ ...rest, ...(reasonCodes.length ? { reasonCodes } : {}) });
        if (!parsed.success) return { ok: false, message: parsed.error.issues.map((i) => i.message).join('; ') };
        const phone = patient.phone;
        const r = await deps.cases.supplyDocumentation(caseId, parsed.data, turn.principal, turn.channel, phone ? { phone, ...(a.language ? { language: a.language } : {}) } : undefined);
        return r.ok ? { ok: true, case: r.value } : { ok: false, message: r.error.message };
      },
    });

  function saved(r: Awaited<ReturnType<CaseService['create']>>): { ok: true; case: CaseView } | { ok: false; message: string } {
    return r.ok ? { ok: true, case: r.value.case } : { ok: false, message: r.error.message };
  }

  function line(c: CaseView): string {
    const who = [c.patient?.givenName, c.patient?.familyName].filter(Boolean).join(' ') || 'patient';
    const study = [c.order.code.modality ? orderName(c.order.code.modality) : 'exam', c.order.bodySite.text].filter(Boolean).join(' ');
    const when = c.appointment && c.state === 'scheduled' ? ` ${DateTime.fromJSDate(c.appointment.start, { zone: deps.site.center.timeZone }).toFormat("ccc LLL d 'at' h:mm a")}` : '';
    // Stat and asap orders are never texted to book: a scheduler calls.
    const a = c.authorization;
    const stateWords =
      c.track === 'human' && c.state === 'ready_to_schedule'
        ? 'complete; a scheduler is calling the patient'
        : c.state === 'pending_authorization' && a?.status === 'denied'
          ? `authorization denied${a.denialReason ? ` (${a.denialReason})` : ''}; waiting on a peer-to-peer review`
          : c.state === 'pending_authorization' && a?.status === 'expired'
            ? `the authorization ended${a.validTo ? ` on ${a.validTo}` : ''}; waiting for a renewal`
            : c.state === 'cancelled'
              ? (c.history.at(-1) ? cancelledText(c.history.at(-1)!) : 'cancelled')
              : (OFFICE_WORDS[c.state] ?? c.state.replace(/_/g, ' '));
    const words = c.state === 'awaiting_documentation' ? `missing: ${c.missing.join(', ')} (reply COMPLETE ${requestNumber(c.id)})` : `${stateWords}${when}`;
    return `${requestNumber(c.id)} · ${who} · ${study}${c.order.priority && c.order.priority !== 'routine' ? ` · ${c.order.priority.toUpperCase()}` : ''} · ${words}`;
  }

  /** After a submit: where the case stands, and the missing items asked for at once. */
  function afterSubmit(conv: OfficeConversation, c: CaseView, form: OrderForm): OutboundContentInput[] {
    const head = `Order ${requestNumber(c.id)} for ${c.patient?.givenName ?? 'the patient'} ${c.patient?.familyName ?? ''}`.trim();
    // The truth for a stat or asap order: a person calls within the site's minutes (the urgent task is open already).
    const calls = c.track === 'human' ? ` It is marked ${(c.order.priority ?? 'asap').toUpperCase()}: a scheduler will call the patient within ${deps.site.followUps.urgentCallMinutes} minutes.` : '';
    if (c.state === 'awaiting_documentation') {
      const docs = documentationState(c.id, c.missing);
      conv.office = docs ? { form: docs } : {};
      return [{ text: `${head} is saved, but it is missing: ${c.missing.join(', ')}.${calls} Let's add ${c.missing.length > 1 ? 'them' : 'it'} now.` }, ...(docs ? [form.prompt(docs)] : [])];
    }
    delete conv.office;
    const next =
      c.track === 'human'
        ? `It is complete.${calls}`
        : c.state === 'pending_authorization'
        ? "It is complete and needs prior authorization; we'll invite the patient to book once it is approved."
        : c.state === 'ready_to_schedule'
          ? "It is complete; we're texting the patient to book."
          : `State: ${c.state.replace(/_/g, ' ')}.`;
    return [{ text: `${head} is received. ${next}` }];
  }

  async function findByNumber(principal: Principal, number: string): Promise<CaseView | null> {
    const r = await deps.cases.list({ limit: 200 }, principal);
    return r.ok ? (r.value.items.find((c) => requestNumber(c.id) === number.toUpperCase()) ?? null) : null;
  }

  async function status(turn: OfficeTurn, filter: string): Promise<OutboundContentInput[]> {
    const r = await deps.cases.list({ limit: 100 }, turn.principal);
    if (!r.ok) return [{ text: r.error.message }];
    if (turn.inChannel) return [{ text: 'To keep patients’ details private I don’t list orders in a channel. Ask me in a personal chat (open a chat with me), and I’ll show them there.' }];
    const words = foldAccents(filter).split(/[^a-z0-9]+/).filter((w) => w.length >= 3 && !NOT_A_NAME_WORD.has(w) && !/\d/.test(w));
    const modality = turn.understanding.fields.modality;
    const open = r.value.items
      // A cancelled order stays in the list for two weeks, so the office sees that (and why) rather than losing it.
      .filter((c) => !['closed', 'delivered'].includes(c.state) && (c.state !== 'cancelled' || turn.now.getTime() - c.updatedAt.getTime() < 14 * 86_400_000))
      .filter((c) => words.length === 0 || words.some((w) => foldAccents(`${c.patient?.givenName ?? ''} ${c.patient?.familyName ?? ''}`).includes(w)))
      .filter((c) => !modality || words.length === 0 || c.order.code.modality === modality)
      .sort((a, b) => (PRIORITY_RANK[a.order.priority ?? 'routine'] ?? 3) - (PRIORITY_RANK[b.order.priority ?? 'routine'] ?? 3));
    if (open.length === 0) return [{ text: words.length ? 'I found no open order of yours for that patient.' : 'You have no open orders with us.' }];
    return [{ text: `${words.length ? 'Matching orders' : 'Your open orders'} (stat and urgent first):\n${open.slice(0, 15).map(line).join('\n')}` }];
  }

  return {
    /** Handles the message when it is an office action; null when it is not (the bot's menu answers). */
    async handle(conv: OfficeConversation, turn: OfficeTurn, officeChosen: boolean): Promise<OutboundContentInput[] | null> {
      const form = formFor(turn);
      const text = turn.text.trim();
      const f = foldAccents(text).replace(/[.!?]+$/, '').trim();
      const o = conv.office;
      // The order form card sent back: read like the steps; problems listed and the card sent again with the values.
      const submitted = turn.value as { form?: unknown } | undefined;
      if (submitted && typeof submitted === 'object' && submitted.form === 'order') {
        const r = form.fromCard(submitted, turn.channel, turn.now);
        if (r.problems.length) {
          conv.office = { form: newOrderState() };
          return [{ text: `Please fix:\n${r.problems.map((p) => `- ${p}`).join('\n')}` }, form.card(r.values)];
        }
        conv.office = { form: r.state };
        return [form.prompt(r.state)];
      }
      if (o?.form) {
        if (/^(agent|talk to a person|human)$/.test(f)) {
          delete conv.office;
          await turn.handoff('asked for a person while sending an order');
          return [{ text: "I've asked our team to reply to you here." }];
        }
        // Clinical notes may come as a file: the case keeps its name, type and where to fetch it.
        const files = (turn.attachments ?? []).filter((a) => a.url);
        const r = await form.handle(o.form, o.form.step === 'notes' && files.length ? { ...turn, text: files.map((a) => `Attachment: ${a.name ?? 'file'} (${a.contentType}) ${a.url}`).join('\n').slice(0, 4000) } : turn);
        if (!r.done) return r.replies;
        delete conv.office;
        return r.case ? [...r.replies, ...afterSubmit(conv, r.case, form)] : r.replies;
      }
      if (o?.declining) {
        const { caseId, reason } = o.declining;
        const number = requestNumber(caseId);
        if (/^(cancel|cancelar|stop|menu|never ?mind|back|no|keep it|keep the request)$/.test(f) || (reason && pickChoice(text, DECLINE) === 1)) {
          delete conv.office;
          return [{ text: `OK, request ${number} stays open. Say SEND THE ORDER ${number} when you have it.` }];
        }
        if (!reason) {
          if (text.length < 3) return [{ text: 'A few words on why, please (the patient is only told the order will not be sent), or CANCEL to keep the request open.' }];
          o.declining = { caseId, reason: text.slice(0, 300) };
          return [{ text: `Decline request ${number} because "${o.declining.reason}"? The patient is told only that the order won't be sent.`, choices: DECLINE }];
        }
        if (pickChoice(text, DECLINE) !== 0) return [{ text: `Reply 1 to decline request ${number}, or 2 to keep it open.`, choices: DECLINE }];
        const r = await deps.cases.declineRequestedOrder(caseId, reason, turn.principal, turn.channel);
        delete conv.office;
        return [{ text: r.ok ? `Declined. We've let the patient know, without your reason, and closed request ${number}.` : r.error.message }];
      }
      // An office admin lets a colleague in ("APPROVE Dana Ruiz", from the message the bot sent them).
      const approve = /^(?:approve|aprobar)\s+(.{2,100})$/i.exec(text.trim());
      if (approve && deps.enrolment && turn.channel === 'msteams') {
        const r = await deps.enrolment.approveByName(turn.principal, approve[1]!);
        return [{ text: r.ok ? `Done: ${r.value.name} can now send and follow your organization's orders here; we've told them.` : r.error.message.replace(/^./, (c) => c.toUpperCase()) + '.' }];
      }
      const act = /^(?:send the order|accept|decline|complete|missing)\s+([a-z0-9]{6})$/i.exec(f);
      if (act) {
        const c = await findByNumber(turn.principal, act[1]!);
        if (!c) return [{ text: `I can't find request ${act[1]!.toUpperCase()} among your organization's orders.` }];
        if (/^decline/.test(f)) {
          if (c.state !== 'order_requested') return [{ text: `Request ${requestNumber(c.id)} is no longer open (${c.state.replace(/_/g, ' ')}).` }];
          conv.office = { declining: { caseId: c.id } };
          return [{ text: "Why won't you send this order? A few words; the patient is only told that it won't be sent. (CANCEL keeps the request open.)" }];
        }
        if (/^(complete|missing)/.test(f)) {
          const docs = c.state === 'awaiting_documentation' ? documentationState(c.id, c.missing) : null;
          if (!docs) return [{ text: `Order ${requestNumber(c.id)} is not missing anything we can take here (${c.state.replace(/_/g, ' ')}).` }];
          conv.office = { form: docs };
          return [{ text: `Order ${requestNumber(c.id)} is missing: ${c.missing.join(', ')}.` }, form.prompt(docs)];
        }
        if (c.state !== 'order_requested') return [{ text: `Request ${requestNumber(c.id)} is no longer open (${c.state.replace(/_/g, ' ')}).` }];
        // The form, prefilled with what the patient told us; the office adds the rest and confirms.
        const prefill: OrderAnswers = {
          ...(c.patient?.givenName ? { givenName: c.patient.givenName } : {}),
          ...(c.patient?.familyName ? { familyName: c.patient.familyName } : {}),
          ...(c.patient?.birthDate ? { birthDate: c.patient.birthDate } : {}),
          ...(c.patient?.phone ? { phone: c.patient.phone, language: c.patient.language } : {}),
          ...(c.order.code.modality ? { modality: c.order.code.modality, bodyPart: c.order.bodySite.text } : {}),
          ...(c.order.bodySite.laterality ? { laterality: c.order.bodySite.laterality } : {}),
          ...(c.order.reasonText ? { reasonText: c.order.reasonText } : {}),
          ...(c.order.insurance ? { insurance: c.order.insurance } : {}),
        };
        const state = newOrderState(prefill, c.id);
        conv.office = { form: state };
        return [{ text: `Thanks. I've filled in what the patient told us for request ${requestNumber(c.id)}; a few more details for the order.` }, form.advance(state)];
      }
      // A request number in a question: that order, its state and what it is missing.
      const numbered = /\b([a-f0-9]{6})\b/i.exec(f);
      if (numbered && /\d/.test(numbered[1]!) && (ASKS_STATUS.test(f) || /\?\s*$/.test(text))) {
        if (turn.inChannel) return status(turn, '');
        const c = await findByNumber(turn.principal, numbered[1]!);
        if (!c) return [{ text: `I can't find request ${numbered[1]!.toUpperCase()} among your organization's orders.` }];
        return [{ text: line(c) }];
      }
      if (ASKS_STATUS.test(f) || (pickChoice(text, MENU) === 1 && o?.menu)) {
        delete conv.office;
        return status(turn, /^\d$/.test(f) ? '' : text);
      }
      if (/^(new order|send an order|submit an order|order|nueva orden)$/.test(f) || (o?.menu && pickChoice(text, MENU) === 0)) {
        const state = newOrderState();
        conv.office = { form: state };
        return [{ text: "Let's send an order. Say CANCEL at any time to stop; nothing is sent until you submit." }, form.card(), form.advance(state)];
      }
      if (o?.menu && pickChoice(text, MENU) === 2) {
        delete conv.office;
        await turn.handoff('an office asked for a person');
        return [{ text: "I've asked our team to reply to you here." }];
      }
      if (officeChosen) {
        conv.office = { menu: true };
        // Web Chat has no conversation to post to: what changed since its users last looked is shown here, once.
        const orgId = turn.principal.referrerOrgId;
        const news = turn.channel === 'webchat' && orgId && deps.notices ? await deps.notices.forWebChat(orgId) : [];
        return [...(news.length ? [{ text: `Updates on your orders since you were last here:\n${news.map((n) => `- ${n}`).join('\n')}` }] : []), { text: 'What would you like to do?', choices: MENU }];
      }
      return null;
    },
  };
}
export type OfficeConversationHandler = ReturnType<typeof createOfficeConversation>;
