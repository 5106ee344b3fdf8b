import { randomUUID } from 'node:crypto';
import type { CaseView } from '../../services/cases/case.service';
import type { CaseChannel } from '../../services/cases/case.schema';
import { normalizePhone } from '../../services/contact/phone';
import { pickChoice, type Choice, type OutboundContentInput } from '../../services/conversations/outbound-content';
import { orderName, orderNames, usesContrast } from '../../services/exams/modality.catalog';
import { codeRefusal, type DiagnosisCodes } from '../../services/orders/diagnosis-codes';
import { normalizeIcd10, npiProblem } from '../../services/orders/order.codes';
import { CHANGED_STUDY, REQUESTED } from '../../services/orders/order.completeness';
import { needsLaterality } from '../../services/orders/order.completeness';
import type { Insurance, OrderInput } from '../../services/orders/order.schema';
import { foldAccents } from '../../services/text';
import type { Understanding } from '../../services/understanding/understanding.schema';
import { parseBirthDate, parseCoverage, parseFullName } from '../patient/parse';
import { extractFields } from '../../services/understanding/rules.engine';

type Step = 'patient_name' | 'patient_dob' | 'patient_phone' | 'patient_language' | 'exam' | 'laterality' | 'contrast' | 'codes' | 'reason' | 'priority' | 'provider' | 'npi' | 'callback' | 'insurance' | 'notes' | 'confirm';
const STEPS: Step[] = ['patient_name', 'patient_dob', 'patient_phone', 'patient_language', 'exam', 'laterality', 'contrast', 'codes', 'reason', 'priority', 'provider', 'npi', 'callback', 'insurance', 'notes', 'confirm'];

/** The order as the office gives it; `null` means "asked, and skipped" (the checklist then names it as missing). */
export interface OrderAnswers {
  givenName?: string;
  familyName?: string;
  birthDate?: string;
  phone?: string | null;
  /** The language of the patient's texts. */
  language?: 'en' | 'es';
  modality?: NonNullable<OrderInput['modality']>;
  bodyPart?: string | null;
  laterality?: 'left' | 'right' | 'bilateral' | null;
  contrast?: 'with' | 'without' | 'with_and_without' | null;
  reasonCodes?: string[];
  reasonText?: string | null;
  priority?: 'routine' | 'urgent' | 'asap' | 'stat' | null;
  providerName?: string | null;
  npi?: string | null;
  callback?: string | null;
  insurance?: Insurance | null;
  note?: string | null;
}

export interface OrderFormState {
  /** new: a new order; accept: the order for a patient's request (case known); documentation: missing items of a case. */
  mode: 'new' | 'accept' | 'documentation';
  caseId?: string;
  step: Step;
  fails: number;
  /** Keys the case made from this form, so a repeated submit finds it. */
  submitKey: string;
  answers: OrderAnswers;
  /** documentation: only these steps are asked. */
  only?: Step[];
  /** accept: what the patient told us, where "start over" goes back to. */
  prefill?: OrderAnswers;
  /** A warning to show with the next question (a code our table does not know). */
  notice?: string;
}

/** Checklist item names (services/orders/order.completeness.ts) → the step that asks for them. */
const STEP_FOR_ITEM: Record<string, Step> = {
  'phone number': 'patient_phone',
  modality: 'exam',
  'body part': 'exam',
  laterality: 'laterality',
  contrast: 'contrast',
  'diagnosis code or reason': 'codes',
  'ordering provider name': 'provider',
  'ordering provider NPI': 'npi',
  'ordering provider callback number': 'callback',
  priority: 'priority',
  'insurance or self-pay': 'insurance',
  'insurance member id': 'insurance',
};

export function documentationState(caseId: string, missing: string[]): OrderFormState | null {
  // A study the payer denied: the office names the one it orders instead (the study, its side and contrast when they apply).
  const stepsFor = (m: string): Array<Step | undefined> => (m.startsWith(REQUESTED) ? ['notes'] : m === CHANGED_STUDY ? ['exam', 'laterality', 'contrast'] : [STEP_FOR_ITEM[m]]);
  const only = [...new Set(missing.flatMap(stepsFor).filter((x): x is Step => x !== undefined))];
  if (only.length === 0) return null;
  return { mode: 'documentation', caseId, step: only[0]!, fails: 0, submitKey: randomUUID(), answers: {}, only };
}

export function newOrderState(prefill: OrderAnswers = {}, acceptCaseId?: string): OrderFormState {
  return { mode: acceptCaseId ? 'accept' : 'new', ...(acceptCaseId ? { caseId: acceptCaseId } : {}), step: 'patient_name', fails: 0, submitKey: randomUUID(), answers: { ...prefill }, prefill };
}

const PRIORITY: Choice[] = [
  { value: 'routine', title: 'Routine' },
  { value: 'urgent', title: 'Urgent' },
  { value: 'asap', title: 'ASAP' },
  { value: 'stat', title: 'Stat' },
];
const CONTRAST: Choice[] = [
  { value: 'without', title: 'Without contrast' },
  { value: 'with', title: 'With contrast' },
  { value: 'with_and_without', title: 'With and without' },
];
const SIDE: Choice[] = [
  { value: 'left', title: 'Left' },
  { value: 'right', title: 'Right' },
  { value: 'bilateral', title: 'Both sides' },
];
const LANGUAGE: Choice[] = [
  { value: 'en', title: 'English' },
  { value: 'es', title: 'Spanish' },
];
const CONFIRM: Choice[] = [
  { value: 'submit', title: 'Submit the order' },
  { value: 'restart', title: 'Start over' },
];

const PROMPTS: Record<Exclude<Step, 'confirm'>, string> = {
  patient_name: "Patient's full name (first and last)?",
  patient_dob: "Patient's date of birth? (MM/DD/YYYY)",
  patient_phone: "Patient's mobile number, for scheduling texts? (or SKIP)",
  patient_language: 'Language for the patient’s texts?',
  exam: 'Which study? Modality and body part, e.g. "MRI lumbar spine" or "CT abdomen pelvis with contrast".',
  laterality: 'Which side?',
  contrast: 'Contrast?',
  codes: 'Diagnosis codes (ICD-10-CM), e.g. M54.50; several separated by commas. Or SKIP.',
  reason: 'Reason for the exam, in a few words? (or SKIP)',
  priority: 'Priority?',
  provider: "Ordering provider's name?",
  npi: "Ordering provider's NPI (10 digits)? (or SKIP)",
  callback: 'Callback number for the ordering provider? (or SKIP)',
  insurance: 'Insurance: payer and member ID (e.g. Aetna W123456789), or SELF PAY. (or SKIP)',
  notes: 'Clinical notes for the radiologist? (or NONE)',
};

const SKIP = /^(skip|none|n\/a|na|no|unknown|omitir|ninguno|ninguna)$/;
const STOP = /^(cancel|cancelar|stop here|start over|menu|never ?mind)$/;

/** The order in the shape the case service takes (skipped items left out, so the checklist names them). */
export function orderInputFrom(a: OrderAnswers): { patient: { givenName?: string; familyName?: string; birthDate?: string; phone?: string; language: 'en' | 'es' }; order: Record<string, unknown> } {
  const requester = { ...(a.providerName ? { name: a.providerName } : {}), ...(a.npi ? { npi: a.npi } : {}), ...(a.callback ? { phone: a.callback } : {}) };
  return {
    patient: { ...(a.givenName ? { givenName: a.givenName } : {}), ...(a.familyName ? { familyName: a.familyName } : {}), ...(a.birthDate ? { birthDate: a.birthDate } : {}), ...(a.phone ? { phone: a.phone } : {}), language: a.language ?? 'en' },
    order: {
      ...(a.modality ? { modality: a.modality } : {}),
      ...(a.bodyPart ? { bodyPart: a.bodyPart } : {}),
      ...(a.laterality ? { laterality: a.laterality } : {}),
      ...(a.contrast ? { contrast: a.contrast } : {}),
      ...(a.priority ? { priority: a.priority } : {}),
      reasonCodes: a.reasonCodes ?? [],
      ...(a.reasonText ? { reasonText: a.reasonText } : {}),
      ...(Object.keys(requester).length ? { requester } : {}),
      ...(a.insurance ? { insurance: a.insurance } : {}),
      ...(a.note ? { note: a.note } : {}),
    },
  };
}

export interface OrderFormTurn {
  text: string;
  channel: CaseChannel;
  understanding: Understanding;
  now: Date;
}

/** What submitting does (the case service behind it), by mode. */
export interface OrderFormPort {
  create(a: OrderAnswers, submitKey: string): Promise<{ ok: true; case: CaseView } | { ok: false; message: string }>;
  accept(caseId: string, a: OrderAnswers): Promise<{ ok: true; case: CaseView } | { ok: false; message: string }>;
  supply(caseId: string, a: OrderAnswers): Promise<{ ok: true; case: CaseView } | { ok: false; message: string }>;
  /** The ICD-10-CM table the codes are checked against, when there is one. */
  codes?: DiagnosisCodes;
}

/**
 * The order form for referring offices, one question per message in plain text (issue 6): patient, study, contrast,
 * diagnosis codes (ICD-10-CM shape checked), reason, priority, provider with NPI (Luhn over 80840 checked) and
 * callback, insurance, notes; a summary to confirm; then the case. Skipped items are not guessed: the checklist names
 * them and the office is asked for exactly those. Invalid values are refused with the reason and asked again; no
 * case exists until the office submits.
 */
export function createOrderForm(port: OrderFormPort) {
  function needed(s: OrderFormState, step: Step): boolean {
    const a = s.answers;
    if (s.only && step !== 'confirm' && !s.only.includes(step)) return false;
    switch (step) {
      case 'patient_name':
        return a.givenName === undefined;
      case 'patient_dob':
        return a.birthDate === undefined;
      case 'patient_phone':
        return a.phone === undefined;
      case 'patient_language':
        return a.language === undefined && !!a.phone;
      case 'exam':
        return a.modality === undefined || (s.mode === 'documentation' && !a.bodyPart);
      // Asked for on its own in documentation mode; with a changed study given here, only where the study needs it.
      case 'laterality':
        return a.laterality === undefined && ((s.mode === 'documentation' && !s.only?.includes('exam')) || (!!a.bodyPart && needsLaterality(a.bodyPart)));
      case 'contrast':
        return a.contrast === undefined && ((s.mode === 'documentation' && !s.only?.includes('exam')) || (a.modality !== undefined && usesContrast(a.modality)));
      case 'codes':
        return a.reasonCodes === undefined;
      case 'reason':
        return a.reasonText === undefined && (s.mode !== 'documentation' || (a.reasonCodes ?? []).length === 0);
      case 'priority':
        return a.priority === undefined;
      case 'provider':
        return a.providerName === undefined;
      case 'npi':
        return a.npi === undefined;
      case 'callback':
        return a.callback === undefined;
      case 'insurance':
        return a.insurance === undefined;
      // In documentation mode only when the center asked for documents ("UHC needs office notes").
      case 'notes':
        return a.note === undefined;
      case 'confirm':
        return true;
    }
  }

  function summary(s: OrderFormState): OutboundContentInput {
    const a = s.answers;
    const o = orderInputFrom(a).order as { requester?: { name?: string; npi?: string; phone?: string } };
    const v = (x: string | null | undefined) => x ?? 'missing';
    return {
      text: s.mode === 'documentation' ? 'Send these to complete the order?' : 'Please check the order, then submit it.',
      summary: {
        title: s.mode === 'documentation' ? 'Missing items' : 'Imaging order',
        facts: [
          ...(s.mode === 'documentation' ? [] : [
            { label: 'Patient', value: `${v(a.givenName)} ${a.familyName ?? ''}`.trim() },
            { label: 'Date of birth', value: v(a.birthDate) },
            { label: 'Mobile', value: a.phone ? `${a.phone} (texts in ${a.language === 'es' ? 'Spanish' : 'English'})` : 'missing' },
          ]),
          { label: 'Study', value: [a.modality ? orderName(a.modality) : 'missing', a.bodyPart, a.laterality, a.contrast ? a.contrast.replace(/_/g, ' ') + ' contrast' : null].filter(Boolean).join(', ') },
          { label: 'Diagnosis', value: [...(a.reasonCodes ?? []), a.reasonText].filter(Boolean).join('; ') || 'missing' },
          { label: 'Priority', value: v(a.priority) },
          { label: 'Ordering provider', value: [o.requester?.name ?? 'missing', o.requester?.npi ? `NPI ${o.requester.npi}` : 'NPI missing', o.requester?.phone ?? 'callback missing'].join(', ') },
          { label: 'Insurance', value: a.insurance ? ('selfPay' in a.insurance ? 'self-pay' : `${a.insurance.payer} ${a.insurance.memberId ?? '(member id missing)'}`) : 'missing' },
        ].filter((f) => s.mode !== 'documentation' || s.only?.some((st) => f.label.toLowerCase().includes(st === 'codes' ? 'diagnosis' : st === 'npi' || st === 'callback' || st === 'provider' ? 'provider' : st === 'exam' || st === 'contrast' || st === 'laterality' ? 'study' : st))),
      },
      choices: CONFIRM,
    };
  }

  function prompt(s: OrderFormState): OutboundContentInput {
    switch (s.step) {
      case 'confirm':
        return summary(s);
      case 'laterality':
        return { text: PROMPTS.laterality, choices: SIDE };
      case 'contrast':
        return { text: PROMPTS.contrast, choices: CONTRAST };
      case 'priority':
        return { text: PROMPTS.priority, choices: PRIORITY };
      case 'patient_language':
        return { text: PROMPTS.patient_language, choices: LANGUAGE };
      case 'codes':
        return { text: s.mode === 'documentation' ? 'Diagnosis codes (ICD-10-CM), e.g. M54.50, or the reason for the exam in words.' : PROMPTS.codes };
      default:
        return { text: s.mode === 'documentation' ? PROMPTS[s.step].replace(/ \(or SKIP\)| Or SKIP\./, '') : PROMPTS[s.step] };
    }
  }

  function advance(s: OrderFormState): OutboundContentInput {
    s.step = STEPS.find((st) => needed(s, st))!;
    s.fails = 0;
    return prompt(s);
  }

  /** One answer: null and a reason when it does not fit. */
  function read(s: OrderFormState, turn: OrderFormTurn): string | null {
    const a = s.answers;
    const text = turn.text.trim();
    const f = foldAccents(text).trim().replace(/[.!]+$/, '');
    const skip = SKIP.test(f) && s.mode !== 'documentation';
    switch (s.step) {
      case 'patient_name': {
        const n = parseFullName(text);
        if (!n) return "Please send the patient's first and last name.";
        Object.assign(a, n);
        return null;
      }
      case 'patient_dob': {
        const d = parseBirthDate(text, turn.now);
        if (!d) return 'Please send the date of birth as MM/DD/YYYY.';
        a.birthDate = d;
        return null;
      }
      case 'patient_phone': {
        if (skip) {
          a.phone = null;
          return null;
        }
        const p = normalizePhone(text);
        if (!p) return 'That is not a US phone number; send 10 digits, or SKIP.';
        a.phone = p;
        return null;
      }
      case 'patient_language': {
        const i = pickChoice(text, LANGUAGE) ?? (/\b(english|ingles)\b/.test(f) ? 0 : /\b(spanish|espanol)\b/.test(f) ? 1 : null);
        if (i === null) return 'Reply 1 (English) or 2 (Spanish).';
        a.language = LANGUAGE[i]!.value as 'en' | 'es';
        return null;
      }
      case 'exam': {
        const u = turn.understanding.fields;
        if (!u.modality) return `Please name the modality (${orderNames()}) and the body part.`;
        a.modality = u.modality;
        a.bodyPart = u.bodyPart ?? a.bodyPart ?? null;
        if (u.laterality) a.laterality = u.laterality;
        if (u.contrast) a.contrast = u.contrast;
        return null;
      }
      case 'laterality': {
        const i = pickChoice(text, SIDE) ?? (/\bleft\b|izquierd/.test(f) ? 0 : /\bright\b|derech/.test(f) ? 1 : /\b(both|bilateral|ambos)\b/.test(f) ? 2 : null);
        if (i === null) return 'Reply 1 (left), 2 (right) or 3 (both sides).';
        a.laterality = SIDE[i]!.value as OrderAnswers['laterality'];
        return null;
      }
      case 'contrast': {
        const i = pickChoice(text, CONTRAST) ?? (/with and without|w\/ and w\/o|con y sin/.test(f) ? 2 : /without|w\/o|sin/.test(f) ? 0 : /\bwith\b|con/.test(f) ? 1 : null);
        if (i === null) return 'Reply 1 (without), 2 (with) or 3 (with and without).';
        a.contrast = CONTRAST[i]!.value as OrderAnswers['contrast'];
        return null;
      }
      case 'codes': {
        if (skip) {
          a.reasonCodes = [];
          return null;
        }
        const raw = text.split(/[\s,;]+/).filter(Boolean);
        const bad = raw.filter((c) => !normalizeIcd10(c));
        // Asked for missing "diagnosis code or reason": words (not a mistyped code) are the reason.
        if (s.mode === 'documentation' && bad.length === raw.length && raw.length >= 2 && /[a-z]{3,}/i.test(text)) {
          a.reasonText = text.slice(0, 1000);
          a.reasonCodes = [];
          return null;
        }
        if (raw.length === 0 || bad.length) return `'${(bad[0] ?? text).slice(0, 12)}' is not an ICD-10-CM code (a letter, two characters, then optionally a dot and up to 4 more, e.g. M54.50).${s.mode === 'documentation' ? '' : ' Or SKIP.'}`;
        const codes = raw.map((c) => normalizeIcd10(c)!).slice(0, 12);
        const refused = codes.map((c) => codeRefusal(port.codes, c)).find((x) => x !== null);
        if (refused) return `${refused}.`;
        // Well formed but not in our table: taken, and the office asked to check it.
        const unknown = codes.filter((c) => port.codes?.check(c).kind === 'unknown');
        if (unknown.length) s.notice = `Note: ${unknown.join(', ')} ${unknown.length > 1 ? 'are' : 'is'} not in our ICD-10-CM table of imaging indications; please check ${unknown.length > 1 ? 'them' : 'it'} (we kept ${unknown.length > 1 ? 'them' : 'it'}).`;
        a.reasonCodes = codes;
        return null;
      }
      case 'reason': {
        if (skip) {
          a.reasonText = null;
          return null;
        }
        if (text.length < 3) return 'A few words, please (or SKIP).';
        a.reasonText = text.slice(0, 1000);
        return null;
      }
      case 'priority': {
        const i = pickChoice(text, PRIORITY);
        if (i === null) return 'Reply 1 (routine), 2 (urgent), 3 (ASAP) or 4 (stat).';
        a.priority = PRIORITY[i]!.value as OrderAnswers['priority'];
        return null;
      }
      case 'provider': {
        if (!/[a-z]{2,}/i.test(text)) return "Please send the ordering provider's name.";
        a.providerName = text.slice(0, 200);
        return null;
      }
      case 'npi': {
        if (skip) {
          a.npi = null;
          return null;
        }
        const digits = text.replace(/\D/g, '');
        const problem = npiProblem(digits);
        if (problem === 'not_10_digits') return 'An NPI has 10 digits.';
        if (problem === 'first_digit') return `${digits} is not an NPI: an NPI starts with 1 (a person) or 2 (an organization). Please check it.`;
        if (problem) return `The NPI ${digits} fails its check digit (the last digit must match a Luhn check over 80840 and the first nine digits). Please check it.`;
        a.npi = digits;
        return null;
      }
      case 'callback': {
        if (skip) {
          a.callback = null;
          return null;
        }
        const p = normalizePhone(text);
        if (!p) return 'That is not a US phone number; send 10 digits, or SKIP.';
        a.callback = p;
        return null;
      }
      case 'insurance': {
        if (skip) {
          a.insurance = null;
          return null;
        }
        const c = parseCoverage(text);
        if (!c.ok) return c.missing === 'member_id' ? 'Please add the member ID (e.g. Aetna W123456789), or SELF PAY.' : 'Please name the payer (e.g. Aetna W123456789), or SELF PAY.';
        a.insurance = c.value;
        return null;
      }
      case 'notes': {
        a.note = SKIP.test(f) ? null : text.slice(0, 4000);
        return null;
      }
      case 'confirm':
        return 'Reply 1 to submit, or 2 to start over.';
    }
  }

  /** The same questions as one form (Teams and Web Chat), prefilled with what was typed when it is sent back. */
  function card(values: Record<string, string> = {}): OutboundContentInput {
    const none: Choice = { value: 'none', title: 'Not applicable / not known' };
    const field = (id: Exclude<Step, 'confirm'>, label: string, choices?: Choice[]) => ({ id, label, ...(choices ? { choices } : {}), ...(values[id] ? { value: values[id] } : {}) });
    return {
      text: 'Fill in the order form, or answer the questions one at a time below.',
      form: {
        id: 'order',
        title: 'Imaging order',
        submit: 'Review the order',
        fields: [
          field('patient_name', "Patient's full name"),
          field('patient_dob', 'Date of birth (MM/DD/YYYY)'),
          field('patient_phone', "Patient's mobile number"),
          field('patient_language', 'Language for texts', LANGUAGE),
          field('exam', 'Study: modality and body part (e.g. MRI lumbar spine)'),
          field('laterality', 'Side', [none, ...SIDE]),
          field('contrast', 'Contrast (CT and MRI)', [none, ...CONTRAST]),
          field('codes', 'Diagnosis codes, ICD-10-CM (e.g. M54.50)'),
          field('reason', 'Reason for the exam'),
          field('priority', 'Priority', PRIORITY),
          field('provider', 'Ordering provider'),
          field('npi', "Ordering provider's NPI"),
          field('callback', 'Callback number'),
          field('insurance', 'Insurance and member ID, or SELF PAY'),
          field('notes', 'Clinical notes'),
        ],
      },
    };
  }

  /**
   * A submitted form: every field read by the same rules as its step (an empty optional field is skipped, so the
   * checklist names it). Problems are listed by field; with none, the form goes to its summary.
   */
  function fromCard(values: Record<string, unknown>, channel: CaseChannel, now: Date): { state: OrderFormState; problems: string[]; values: Record<string, string> } {
    const v: Record<string, string> = {};
    for (const [k, x] of Object.entries(values)) if (typeof x === 'string' && k !== 'form') v[k] = x.trim().slice(0, 1000);
    const s = newOrderState();
    const problems: string[] = [];
    const required = new Set<Step>(['patient_name', 'patient_dob', 'exam', 'provider']);
    for (const step of STEPS) {
      if (step === 'confirm') continue;
      const raw = v[step] ?? '';
      if ((!raw || raw === 'none') && (step === 'laterality' || step === 'contrast' || step === 'priority' || step === 'patient_language')) continue; // not chosen: the checklist decides
      if (!raw && required.has(step)) {
        problems.push(`${PROMPTS[step].replace(/\?.*$/, '')}: required.`);
        continue;
      }
      s.step = step;
      const text = raw || 'skip';
      const problem = read(s, { text, channel, now, understanding: { intent: 'other', fields: extractFields(text, { now, timeZone: 'UTC' }), topic: null, clinical: false, disclosures: [], secondary: null } });
      if (problem) problems.push(`${PROMPTS[step].replace(/\?.*$/, '')}: ${problem}`);
    }
    s.step = 'confirm';
    return { state: s, problems, values: v };
  }

  return {
    prompt,
    advance,
    card,
    fromCard,

    /** One message of the form; `done` when the form is finished (submitted or abandoned). */
    async handle(s: OrderFormState, turn: OrderFormTurn): Promise<{ replies: OutboundContentInput[]; done: boolean; case?: CaseView }> {
      const f = foldAccents(turn.text).trim().replace(/[.!]+$/, '');
      if (STOP.test(f)) return { replies: [{ text: 'OK, stopped. Nothing was sent. Say NEW ORDER to start again.' }], done: true };
      if (/^(help|ayuda|\?)$/.test(f)) return { replies: [{ text: `${PROMPTS[s.step as Exclude<Step, 'confirm'>] ?? 'Reply 1 to submit, or 2 to start over.'} Say CANCEL to stop, or AGENT to talk to a person.` }], done: false };
      if (s.step === 'confirm') {
        const i = pickChoice(turn.text, CONFIRM);
        if (i === 1) {
          // Start over: new → blank, accept → what the patient told us, documentation → the missing items again.
          s.answers = { ...(s.prefill ?? {}) };
          return { replies: [advance(s)], done: false };
        }
        if (i !== 0) return { replies: [{ text: 'Reply 1 to submit, or 2 to start over.' }, prompt(s)], done: false };
        const r = s.mode === 'new' ? await port.create(s.answers, s.submitKey) : s.mode === 'accept' ? await port.accept(s.caseId!, s.answers) : await port.supply(s.caseId!, s.answers);
        if (!r.ok) return { replies: [{ text: `The order could not be saved: ${r.message}` }], done: true };
        return { replies: [], done: true, case: r.case };
      }
      const problem = read(s, turn);
      if (problem) {
        s.fails++;
        return { replies: [{ text: problem }, ...(s.fails >= 3 ? [{ text: 'Say AGENT to talk to a person, or CANCEL to stop.' }] : [])], done: false };
      }
      const notice = s.notice;
      delete s.notice;
      return { replies: [...(notice ? [{ text: notice }] : []), advance(s)], done: false };
    },
  };
}
export type OrderForm = ReturnType<typeof createOrderForm>;
