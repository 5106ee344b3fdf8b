import { DateTime } from 'luxon';
import { SuppliedItems, type CaseService, type CaseView } from '../../services/cases/case.service';
import type { CaseChannel } from '../../services/cases/case.schema';
import type { SiteConfig } from '../../services/config/site.schema';
import { pickChoice, type Choice, type OutboundContentInput } from '../../services/conversations/outbound-content';
import { MODALITIES, modalityWords } from '../../services/exams/modality.catalog';
import type { Language } from '../../services/messaging/templates';
import type { DiagnosisCodes } from '../../services/orders/diagnosis-codes';
import { OrderInput, PatientInput } from '../../services/orders/order.schema';
import { requestNumber } from '../../services/patients/order-request.service';
import { cancelledText, type OfficeNotices } from '../../services/referrers/office-notices';
import type { TeamsIdentityService } from '../../services/referrers/teams-identity.service';
import type { Principal } from '../../services/staff/staff.roles';
import { foldAccents } from '../../services/text';
import { askedLanguage } from '../engine/interruptions';
import type { Understanding } from '../../services/understanding/understanding.schema';
import { createOrderForm, documentationState, newOrderState, orderInputFrom, type OrderAnswers, type OrderForm, type OrderFormState } from './order.dialog';
import { bodyPartName, missingText, officeChoices, officeText, priorityWord, stateName, stateWords, studyName, type OfficeTextId } from './office.texts';

/** The office conversation's part of the dialog state. */
export interface OfficeConversation {
  office?: { menu?: boolean; form?: OrderFormState; declining?: { caseId: string; reason?: string }; files?: string };
  /**
   * The language the office conversation speaks: the turn's when it starts, changed only when the office asks for
   * another one. The patient's language chosen in the form ("Spanish" from its button) does not change it.
   */
  officeLanguage?: Language;
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
  /** The conversation's language (the person's, as the bot decided it): every prompt is in it. English when not given. */
  lang?: Language;
}

// "is the MRI for Rosa scheduled yet?", "any update on Harold?", "what's missing for 9EAC56?": an office asking after its orders.
const ASKS_STATUS = /\b(status|statuses|my orders|our orders|open orders|where is|where are|update|updates|news|scheduled|booked|missing|approved|authoriz\w*|estado|estados|novedades|agendad[oa]|programad[oa]|ordenes|pendientes|falta|faltan|aprobad[oa]|autorizad[oa]|como va|como van)\b/;
// Words of the question that name no patient.
const NOT_A_NAME_WORD = new Set(['status', 'order', 'orders', 'open', 'our', 'the', 'for', 'what', 'whats', 'where', 'show', 'scan', 'any', 'update', 'updates', 'news', 'scheduled', 'booked', 'yet', 'has', 'have', 'been', 'was', 'did', 'get', 'got', 'patient', 'appointment', 'missing', 'approved', 'authorization', 'with', 'about', 'still', 'estado', 'novedades', 'paciente', 'orden', 'para', 'agendado', 'agendada', 'programado', 'programada', 'already', 'his', 'her', 'their', 'and', 'exam', 'study', 'imaging', 'estados', 'ordenes', 'mis', 'nuestras', 'las', 'los', 'del', 'una', 'que', 'como', 'van', 'esta', 'estan', 'hay', 'cual', 'sobre', 'con', 'falta', 'faltan', 'aprobada', 'aprobado', 'autorizacion', 'autorizada', 'autorizado', 'pendientes', 'estudio', 'examen', 'cita', 'todavia', 'sus'].concat(MODALITIES.flatMap((m) => modalityWords(m)).filter((w) => !w.includes(' '))));

// Choice titles by language; the values (what a button or a typed number answers) are the same in both.
const MENU_CHOICES = [['new', 'menu_new'], ['status', 'menu_status'], ['human', 'menu_human']] as const;
const DECLINE_CHOICES = [['decline', 'decline_choice'], ['keep', 'keep_choice']] as const;
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
    }, turn.lang ?? 'en');

  function saved(r: Awaited<ReturnType<CaseService['create']>>): { ok: true; case: CaseView } | { ok: false; message: string } {
    return r.ok ? { ok: true, case: r.value.case } : { ok: false, message: r.error.message };
  }


  /** An appointment's time for the list: "Mon Dec 7 at 2:30 PM"; "lun 7 de dic. a las 2:30 p. m." in Spanish. */
  function when(at: Date, lang: Language): string {
    const d = DateTime.fromJSDate(at, { zone: deps.site.center.timeZone });
    if (lang === 'en') return d.toFormat("ccc LLL d 'at' h:mm a");
    return d.setLocale('es').toFormat(`ccc d 'de' LLL '${d.hour % 12 === 1 ? 'a la' : 'a las'}' h:mm a`);
  }

  function line(c: CaseView, lang: Language): string {
    const t = (id: OfficeTextId, vars?: Record<string, string>) => officeText(id, lang, vars);
    const who = [c.patient?.givenName, c.patient?.familyName].filter(Boolean).join(' ') || t('line_patient');
    const study = [c.order.code.modality ? studyName(c.order.code.modality, lang) : t('line_exam'), c.order.bodySite.text ? bodyPartName(c.order.bodySite.text, lang) : c.order.bodySite.text].filter(Boolean).join(' ');
    const at = c.appointment && c.state === 'scheduled' ? ` ${when(c.appointment.start, lang)}` : '';
    // Stat and asap orders are never texted to book: a scheduler calls.
    const a = c.authorization;
    const standing =
      c.track === 'human' && c.state === 'ready_to_schedule'
        ? t('line_human_ready')
        : c.state === 'pending_authorization' && a?.status === 'denied'
          ? t('line_denied', { reason: a.denialReason ? ` (${a.denialReason})` : '' })
          : c.state === 'pending_authorization' && a?.status === 'expired'
            ? t('line_expired', { on: a.validTo ? t('line_expired_on', { date: a.validTo }) : '' })
            : c.state === 'cancelled'
              ? cancelledText(c.history.at(-1), lang)
              : stateWords(c.state, lang);
    const words = c.state === 'awaiting_documentation' ? t('line_missing', { missing: missingText(c.missing, lang), number: requestNumber(c.id) }) : `${standing}${at}`;
    return `${requestNumber(c.id)} · ${who} · ${study}${c.order.priority && c.order.priority !== 'routine' ? ` · ${priorityWord(c.order.priority, lang).toUpperCase()}` : ''} · ${words}`;
  }

  /** After a submit: where the case stands, and the missing items asked for at once. */
  function afterSubmit(conv: OfficeConversation, c: CaseView, form: OrderForm, lang: Language): OutboundContentInput[] {
    const t = (id: OfficeTextId, vars?: Record<string, string>) => officeText(id, lang, vars);
    const head = { number: requestNumber(c.id), patient: `${c.patient?.givenName ?? t('the_patient')} ${c.patient?.familyName ?? ''}`.trim() };
    // The truth for a stat or asap order: a person calls within the site's minutes (the urgent task is open already).
    const calls = c.track === 'human' ? t('calls', { priority: priorityWord(c.order.priority ?? 'asap', lang).toUpperCase(), minutes: String(deps.site.followUps.urgentCallMinutes) }) : '';
    if (c.state === 'awaiting_documentation') {
      const docs = documentationState(c.id, c.missing);
      conv.office = docs ? { form: docs } : {};
      return [{ text: t(c.missing.length > 1 ? 'saved_missing_many' : 'saved_missing_one', { ...head, missing: missingText(c.missing, lang), calls }) }, ...(docs ? [form.prompt(docs)] : [])];
    }
    delete conv.office;
    const next =
      c.track === 'human'
        ? t('next_human', { calls })
        : c.state === 'pending_authorization'
        ? t('next_authorization')
        : c.state === 'ready_to_schedule'
          ? t('next_ready')
          : t('next_state', { state: stateName(c.state, lang) });
    return [{ text: t('received', { ...head, next }) }];
  }

  async function findByNumber(principal: Principal, number: string): Promise<CaseView | null> {
    const r = await deps.cases.list({ limit: 200 }, principal);
    return r.ok ? (r.value.items.find((c) => requestNumber(c.id) === number.toUpperCase()) ?? null) : null;
  }

  async function status(turn: OfficeTurn, filter: string): Promise<OutboundContentInput[]> {
    const lang = turn.lang ?? 'en';
    const r = await deps.cases.list({ limit: 100 }, turn.principal);
    if (!r.ok) return [{ text: r.error.message }];
    if (turn.inChannel) return [{ text: officeText('status_in_channel', lang) }];
    const words = foldAccents(filter).split(/[^a-z0-9]+/).filter((w) => w.length >= 3 && !NOT_A_NAME_WORD.has(w) && !/\d/.test(w));
    const modality = turn.understanding.fields.modality;
    const open = r.value.items
      // A cancelled order stays in the list for two weeks, so the office sees that (and why) rather than losing it.
      .filter((c) => !['closed', 'delivered'].includes(c.state) && (c.state !== 'cancelled' || turn.now.getTime() - c.updatedAt.getTime() < 14 * 86_400_000))
      .filter((c) => words.length === 0 || words.some((w) => foldAccents(`${c.patient?.givenName ?? ''} ${c.patient?.familyName ?? ''}`).includes(w)))
      .filter((c) => !modality || words.length === 0 || c.order.code.modality === modality)
      .sort((a, b) => (PRIORITY_RANK[a.order.priority ?? 'routine'] ?? 3) - (PRIORITY_RANK[b.order.priority ?? 'routine'] ?? 3));
    if (open.length === 0) return [{ text: officeText(words.length ? 'status_none_for_patient' : 'status_none', lang) }];
    return [{ text: `${officeText(words.length ? 'status_matching' : 'status_open', lang)}\n${open.slice(0, 15).map((c) => line(c, lang)).join('\n')}` }];
  }

  return {
    /** Handles the message when it is an office action; null when it is not (the bot's menu answers). */
    async handle(conv: OfficeConversation, turn0: OfficeTurn, officeChosen: boolean): Promise<OutboundContentInput[] | null> {
      // The bot switches its language on a bare "Spanish" or "English", which here may be the patient's language
      // picked in the form: the office keeps its own language unless it asks for another one elsewhere.
      const answersPatientLanguage = conv.office?.form?.step === 'patient_language';
      const asked = answersPatientLanguage ? null : askedLanguage(turn0.text);
      const lang: Language = asked ?? conv.officeLanguage ?? turn0.lang ?? 'en';
      conv.officeLanguage = lang;
      const turn: OfficeTurn = { ...turn0, lang };
      const t = (id: OfficeTextId, vars?: Record<string, string>) => officeText(id, lang, vars);
      const MENU = officeChoices(MENU_CHOICES, lang);
      const DECLINE = officeChoices(DECLINE_CHOICES, lang);
      const form = formFor(turn);
      const text = turn.text.trim();
      const f = foldAccents(text).replace(/[.!?]+$/, '').trim();
      /** A choice by number, by this language's title or value, or by the English title (a button from an earlier card). */
      const pick = (choices: Choice[], set: typeof MENU_CHOICES | typeof DECLINE_CHOICES) => pickChoice(text, choices) ?? (lang === 'en' ? null : pickChoice(text, officeChoices(set, 'en')));
      const o = conv.office;
      // The order form card sent back: read like the steps; problems listed and the card sent again with the values.
      const submitted = turn.value as { form?: unknown } | undefined;
      if (submitted && typeof submitted === 'object' && submitted.form === 'order') {
        const r = form.fromCard(submitted, turn.channel, turn.now);
        if (r.problems.length) {
          conv.office = { form: newOrderState() };
          return [{ text: `${t('fix')}\n${r.problems.map((p) => `- ${p}`).join('\n')}` }, form.card(r.values)];
        }
        conv.office = { form: r.state };
        return [form.prompt(r.state)];
      }
      if (o?.form) {
        if (/^(agent|talk to a person|human|agente|hablar con una persona|persona)$/.test(f)) {
          delete conv.office;
          await turn.handoff('asked for a person while sending an order');
          return [{ text: t('asked_team') }];
        }
        // Clinical notes may come as a file: the case keeps its name, type and where to fetch it.
        const files = (turn.attachments ?? []).filter((a) => a.url);
        const r = await form.handle(o.form, o.form.step === 'notes' && files.length ? { ...turn, text: files.map((a) => `Attachment: ${a.name ?? 'file'} (${a.contentType}) ${a.url}`).join('\n').slice(0, 4000) } : turn);
        if (!r.done) return r.replies;
        delete conv.office;
        return r.case ? [...r.replies, ...afterSubmit(conv, r.case, form, lang)] : r.replies;
      }
      if (o?.declining) {
        const { caseId, reason } = o.declining;
        const number = requestNumber(caseId);
        if (/^(cancel|cancelar|stop|menu|never ?mind|back|no|keep it|keep the request|mantener|dejarla abierta|volver)$/.test(f) || (reason && pick(DECLINE, DECLINE_CHOICES) === 1)) {
          delete conv.office;
          return [{ text: t('request_kept', { number }) }];
        }
        if (!reason) {
          if (text.length < 3) return [{ text: t('decline_reason_short') }];
          o.declining = { caseId, reason: text.slice(0, 300) };
          return [{ text: t('decline_confirm', { number, reason: o.declining.reason! }), choices: DECLINE }];
        }
        if (pick(DECLINE, DECLINE_CHOICES) !== 0) return [{ text: t('decline_reply', { number }), choices: DECLINE }];
        const r = await deps.cases.declineRequestedOrder(caseId, reason, turn.principal, turn.channel);
        delete conv.office;
        return [{ text: r.ok ? t('declined', { number }) : r.error.message }];
      }
      // Files (or "notes for 9EAC56") outside the form: documentation for one order, named by its number or asked for.
      const sentFiles = (turn.attachments ?? []).filter((a) => a.url).map((a) => `Attachment: ${a.name ?? 'file'} (${a.contentType}) ${a.url}`).join('\n').slice(0, 4000);
      const named = /\b([a-f0-9]{6})\b/i.exec(f);
      const files = sentFiles || (o?.files && named ? o.files : '');
      if (files) {
        const target = named && /\d/.test(named[1]!) ? await findByNumber(turn.principal, named[1]!) : null;
        if (!target) {
          const listed = await deps.cases.list({ state: 'awaiting_documentation', limit: 50 }, turn.principal);
          const waiting = listed.ok ? listed.value.items : [];
          conv.office = { files };
          return [{ text: `${t('files_which')}${waiting.length && !turn.inChannel ? `\n${waiting.slice(0, 10).map((c) => line(c, lang)).join('\n')}` : ''}` }];
        }
        delete conv.office;
        const number = requestNumber(target.id);
        if (target.state !== 'awaiting_documentation') return [{ text: t('files_not_waiting', { number }) }];
        const r = await deps.cases.supplyDocumentation(target.id, { note: files }, turn.principal, turn.channel);
        if (!r.ok) return [{ text: t('files_not_taken', { number, why: r.error.message }) }];
        return [{ text: r.value.state === 'awaiting_documentation' ? t('files_still_missing', { number, missing: missingText(r.value.missing, lang) }) : t('files_taken', { number }) }];
      }
      // An office admin lets a colleague in ("APPROVE Dana Ruiz", from the message the bot sent them).
      const approve = /^(?:approve|aprobar)\s+(.{2,100})$/i.exec(text.trim());
      if (approve && deps.enrolment && turn.channel === 'msteams') {
        const r = await deps.enrolment.approveByName(turn.principal, approve[1]!);
        return [{ text: r.ok ? t('approved_user', { name: r.value.name }) : r.error.message.replace(/^./, (c) => c.toUpperCase()) + '.' }];
      }
      // By request number, in English or Spanish: SEND THE ORDER / ACCEPT, DECLINE, COMPLETE / MISSING.
      const act = /^(?:send the order|accept|decline|complete|missing|enviar la orden|enviar orden|mandar la orden|aceptar|rechazar|completar|falta|faltantes?)\s+([a-z0-9]{6})$/i.exec(f);
      if (act) {
        const c = await findByNumber(turn.principal, act[1]!);
        if (!c) return [{ text: t('not_found', { number: act[1]!.toUpperCase() }) }];
        const number = requestNumber(c.id);
        const state = stateName(c.state, lang);
        if (/^(decline|rechazar)/.test(f)) {
          if (c.state !== 'order_requested') return [{ text: t('not_open', { number, state }) }];
          conv.office = { declining: { caseId: c.id } };
          return [{ text: t('decline_why') }];
        }
        if (/^(complete|missing|completar|falta)/.test(f)) {
          const docs = c.state === 'awaiting_documentation' ? documentationState(c.id, c.missing) : null;
          if (!docs) return [{ text: t('nothing_missing', { number, state }) }];
          conv.office = { form: docs };
          return [{ text: t('order_missing', { number, missing: missingText(c.missing, lang) }) }, form.prompt(docs)];
        }
        if (c.state !== 'order_requested') return [{ text: t('not_open', { number, state }) }];
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
        const s = newOrderState(prefill, c.id);
        conv.office = { form: s };
        return [{ text: t('prefilled', { number }) }, form.advance(s)];
      }
      // A request number in a question: that order, its state and what it is missing.
      const numbered = /\b([a-f0-9]{6})\b/i.exec(f);
      if (numbered && /\d/.test(numbered[1]!) && (ASKS_STATUS.test(f) || /\?\s*$/.test(text))) {
        if (turn.inChannel) return status(turn, '');
        const c = await findByNumber(turn.principal, numbered[1]!);
        if (!c) return [{ text: t('not_found', { number: numbered[1]!.toUpperCase() }) }];
        return [{ text: line(c, lang) }];
      }
      if (ASKS_STATUS.test(f) || (pick(MENU, MENU_CHOICES) === 1 && o?.menu)) {
        delete conv.office;
        return status(turn, /^\d$/.test(f) ? '' : text);
      }
      if (/^(new order|send an order|submit an order|order|nueva orden|orden nueva|enviar una orden|mandar una orden|orden)$/.test(f) || (o?.menu && pick(MENU, MENU_CHOICES) === 0)) {
        const s = newOrderState();
        conv.office = { form: s };
        return [{ text: t('new_order') }, form.card(), form.advance(s)];
      }
      // An order typed in one message: what it says is taken, and the form asks only for the rest.
      const typed = !/\?\s*$/.test(text) && pick(MENU, MENU_CHOICES) === null ? form.fromText(turn) : null;
      if (typed) {
        const notice = typed.state.notice;
        delete typed.state.notice;
        conv.office = { form: typed.state };
        return [{ text: t('typed_order') }, ...(notice ? [{ text: notice }] : []), form.advance(typed.state)];
      }
      if (o?.menu && pick(MENU, MENU_CHOICES) === 2) {
        delete conv.office;
        await turn.handoff('an office asked for a person');
        return [{ text: t('asked_team') }];
      }
      if (officeChosen) {
        conv.office = { menu: true };
        // Web Chat has no conversation to post to: what changed since its users last looked is shown here, once.
        const orgId = turn.principal.referrerOrgId;
        const news = turn.channel === 'webchat' && orgId && deps.notices ? await deps.notices.forWebChat(orgId, lang) : [];
        return [...(news.length ? [{ text: `${t('news')}\n${news.map((n) => `- ${n}`).join('\n')}` }] : []), { text: t('menu_question'), choices: MENU }];
      }
      return null;
    },
  };
}
export type OfficeConversationHandler = ReturnType<typeof createOfficeConversation>;
