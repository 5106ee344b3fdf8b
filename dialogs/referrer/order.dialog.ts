import { randomUUID } from 'node:crypto';
import type { CaseView } from '../../services/cases/case.service';
import type { CaseChannel } from '../../services/cases/case.schema';
import { normalizePhone } from '../../services/contact/phone';
import { pickChoice, type Choice, type OutboundContentInput } from '../../services/conversations/outbound-content';
import { usesContrast } from '../../services/exams/modality.catalog';
import type { Language } from '../../services/messaging/templates';
import { codeRefusal, type DiagnosisCodes } from '../../services/orders/diagnosis-codes';
import { normalizeIcd10, npiProblem } from '../../services/orders/order.codes';
import { CHANGED_STUDY, requestedKind, REQUESTED, type DocumentKind } from '../../services/orders/order.completeness';
import { needsLaterality } from '../../services/orders/order.completeness';
import type { Insurance, OrderInput } from '../../services/orders/order.schema';
import { foldAccents } from '../../services/text';
import type { Understanding } from '../../services/understanding/understanding.schema';
import { parseBirthDate, parseCoverage, parseFullName } from '../patient/parse';
import { extractFields } from '../../services/understanding/rules.engine';
import { bodyPartName, contrastWords, officeChoices, officeText, priorityWord, sideWord, studyName, studyNames, type OfficeTextId } from './office.texts';

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

/** A request staff typed as a checklist field is asked by that field's step; documents go by the notes step (text or a file). */
const REQUESTED_STEP: Partial<Record<DocumentKind, Step>> = { patient_phone: 'patient_phone', insurance: 'insurance', diagnosis_code: 'codes' };

export function documentationState(caseId: string, missing: string[]): OrderFormState | null {
  // A study the payer denied: the office names the one it orders instead (the study, its side and contrast when they apply).
  const stepsFor = (m: string): Array<Step | undefined> => (m.startsWith(REQUESTED) ? [REQUESTED_STEP[requestedKind(m)] ?? 'notes'] : m === CHANGED_STUDY ? ['exam', 'laterality', 'contrast'] : [STEP_FOR_ITEM[m]]);
  const only = [...new Set(missing.flatMap(stepsFor).filter((x): x is Step => x !== undefined))];
  if (only.length === 0) return null;
  return { mode: 'documentation', caseId, step: only[0]!, fails: 0, submitKey: randomUUID(), answers: {}, only };
}

export function newOrderState(prefill: OrderAnswers = {}, acceptCaseId?: string): OrderFormState {
  return { mode: acceptCaseId ? 'accept' : 'new', ...(acceptCaseId ? { caseId: acceptCaseId } : {}), step: 'patient_name', fails: 0, submitKey: randomUUID(), answers: { ...prefill }, prefill };
}

// Choice titles by language; the values (what a button or a typed number answers) are the same in both.
const PRIORITY_CHOICES = [['routine', 'c_routine'], ['urgent', 'c_urgent'], ['asap', 'c_asap'], ['stat', 'c_stat']] as const;
const CONTRAST_CHOICES = [['without', 'c_without'], ['with', 'c_with'], ['with_and_without', 'c_with_and_without']] as const;
const SIDE_CHOICES = [['left', 'c_left'], ['right', 'c_right'], ['bilateral', 'c_bilateral']] as const;
const LANGUAGE_CHOICES = [['en', 'c_english'], ['es', 'c_spanish']] as const;
const CONFIRM_CHOICES = [['submit', 'c_submit'], ['restart', 'c_restart']] as const;
type ChoiceSet = ReadonlyArray<readonly [string, OfficeTextId]>;

/** The question of each step (office.texts.ts). */
const PROMPT_IDS: Record<Exclude<Step, 'confirm'>, OfficeTextId> = {
  patient_name: 'q_patient_name',
  patient_dob: 'q_patient_dob',
  patient_phone: 'q_patient_phone',
  patient_language: 'q_patient_language',
  exam: 'q_exam',
  laterality: 'q_laterality',
  contrast: 'q_contrast',
  codes: 'q_codes',
  reason: 'q_reason',
  priority: 'q_priority',
  provider: 'q_provider',
  npi: 'q_npi',
  callback: 'q_callback',
  insurance: 'q_insurance',
  notes: 'q_notes',
};

/** A step's question without its skip hint (missing items cannot be skipped). */
const SKIP_HINT = / \((?:or SKIP|u OMITIR)\)| (?:Or SKIP|O escriba OMITIR)\./;

const SKIP = /^(skip|none|n\/a|na|no|unknown|omitir|ninguno|ninguna|nada|no aplica|no se|saltar)$/;
const STOP = /^(cancel|cancelar|stop here|start over|menu|never ?mind|parar|salir)$/;

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

const PHONE = String.raw`(\+?1?[\s.(-]*\d{3}[\s.)-]*\d{3}[\s.-]*\d{4})(?!\d)`;
const LABELLED = {
  patient_dob: /\b(?:dob|d\.o\.b\.?|born|birth ?date|date of birth|fdn|fecha de nacimiento|nacid[oa](?: el)?)\s*[:#-]?\s*(\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2})/i,
  npi: /\bnpi\s*[:#-]?\s*(\d{10})\b/i,
  patient_phone: new RegExp(String.raw`\b(?:pt|patient|paciente|pt's|patient's)\s*(?:cell|mobile|cel|celular|phone|ph|tel|telefono|teléfono|#|number)?\s*[:#-]?\s*${PHONE}|\b(?:cell|mobile|cel|celular)\s*[:#-]?\s*${PHONE}`, 'i'),
  callback: new RegExp(String.raw`\b(?:call ?back|cb|office|ofc|clinic|consultorio|oficina)\s*(?:phone|ph|tel|#|number|line)?\s*[:#-]?\s*${PHONE}`, 'i'),
  priority: /\b(stat|asap|urgent|urgente|routine|rutina)\b/i,
  patient_name: /\b(?:for|pt|patient|paciente|para|name)\s*[:#-]?\s+((?:[A-ZÁÉÍÓÚÑ][\p{L}'’-]+|[A-Z]\.)(?:\s+(?:[A-ZÁÉÍÓÚÑ][\p{L}'’-]+|[A-Z]\.?)){1,4})/u,
} as const;
const SPANISH_PRIORITY: Record<string, string> = { urgente: 'urgent', rutina: 'routine' };
// Words an office types in capitals next to a name that are not part of it.
const NOT_NAME = /\s+(?:DOB|NPI|MRN|DR|CELL|PH|PT|STAT|ASAP|MRI|CT|US|XR|CTA|DEXA|Medicare|Medicaid)\b.*$/;

/** The one phone number in an answer ("office 512-555-0170", "her cell is (512) 555-0142"); null when none or several. */
function phoneIn(text: string): string | null {
  const whole = normalizePhone(text);
  if (whole) return whole;
  const found = [...text.matchAll(new RegExp(PHONE, 'g'))];
  return found.length === 1 ? normalizePhone(found[0]![1]!) : null;
}

/** The pieces of a typed order, each as its step would be answered (the study is read from the whole message). */
function orderPieces(text: string, u: Understanding['fields']): Partial<Record<Step, string>> {
  const one = (re: RegExp) => {
    const m = re.exec(text);
    return m ? (m.slice(1).find((g) => g !== undefined) ?? null) : null;
  };
  const out: Partial<Record<Step, string>> = {};
  const name = one(LABELLED.patient_name)?.replace(NOT_NAME, '');
  if (name && !/^(Dr|Doctor)\b/i.test(name)) out.patient_name = name;
  for (const step of ['patient_dob', 'patient_phone', 'callback', 'npi'] as const) {
    const v = one(LABELLED[step]);
    if (v) out[step] = v;
  }
  // The priority step reads the English words in any language.
  const priority = one(LABELLED.priority)?.toLowerCase();
  if (priority) out.priority = SPANISH_PRIORITY[priority] ?? priority;
  // ICD-10-CM codes: a letter and two digits with an optional dot part, or with a dot when the third is a letter.
  const codes = [...text.matchAll(/(?<![\w.])([A-Z]\d\d(?:\.[0-9A-Z]{1,4})?|[A-Z]\d[A-Z]\.[0-9A-Z]{1,4})(?!\w|\.\w)/gi)].map((m) => m[1]!);
  if (codes.length) out.codes = codes.join(', ');
  if (u.providerName) out.provider = u.providerName;
  // The understanding names self-pay as the payer "self-pay", which the insurance step reads too.
  if (u.payer) out.insurance = `${u.payer} ${u.memberId ?? ''}`.trim();
  if (out.patient_phone && /\b(spanish[- ]speaking|speaks spanish|habla espa[nñ]ol|en espa[nñ]ol|texts? in spanish)\b/i.test(text)) out.patient_language = 'Spanish';
  return out;
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
export function createOrderForm(port: OrderFormPort, lang: Language = 'en') {
  const t = (id: OfficeTextId, vars?: Record<string, string>) => officeText(id, lang, vars);
  const PRIORITY = officeChoices(PRIORITY_CHOICES, lang);
  const CONTRAST = officeChoices(CONTRAST_CHOICES, lang);
  const SIDE = officeChoices(SIDE_CHOICES, lang);
  const LANGUAGE = officeChoices(LANGUAGE_CHOICES, lang);
  const CONFIRM = officeChoices(CONFIRM_CHOICES, lang);
  /** A choice by number, by this language's title or value, or by the English title (a button from an earlier card). */
  const pick = (text: string, choices: Choice[], set: ChoiceSet): number | null => pickChoice(text, choices) ?? (lang === 'en' ? null : pickChoice(text, officeChoices(set, 'en')));
  const question = (step: Exclude<Step, 'confirm'>) => t(PROMPT_IDS[step]);
  /** A step's name in a list of the card's problems: its question without the question mark and hints. */
  const fieldName = (step: Exclude<Step, 'confirm'>) => question(step).replace(/^¿/, '').replace(/\?.*$/, '');

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
    const missing = t('s_missing');
    const v = (x: string | null | undefined) => x ?? missing;
    // Which facts a documentation summary shows: those of the missing items' steps.
    const factOf = (st: Step) => (st === 'codes' ? 'diagnosis' : st === 'npi' || st === 'callback' || st === 'provider' ? 'provider' : st === 'exam' || st === 'contrast' || st === 'laterality' ? 'study' : st);
    const facts: Array<{ key: string; label: string; value: string }> = [
      ...(s.mode === 'documentation' ? [] : [
        { key: 'patient', label: t('s_patient'), value: `${v(a.givenName)} ${a.familyName ?? ''}`.trim() },
        { key: 'dob', label: t('s_dob'), value: v(a.birthDate) },
        { key: 'mobile', label: t('s_mobile'), value: a.phone ? t(a.language === 'es' ? 's_texts_es' : 's_texts_en', { phone: a.phone }) : missing },
      ]),
      { key: 'study', label: t('s_study'), value: [a.modality ? studyName(a.modality, lang) : missing, a.bodyPart ? bodyPartName(a.bodyPart, lang) : a.bodyPart, a.laterality ? sideWord(a.laterality, lang) : null, a.contrast ? contrastWords(a.contrast, lang) : null].filter(Boolean).join(', ') },
      { key: 'diagnosis', label: t('s_diagnosis'), value: [...(a.reasonCodes ?? []), a.reasonText].filter(Boolean).join('; ') || missing },
      { key: 'priority', label: t('s_priority'), value: a.priority ? priorityWord(a.priority, lang) : missing },
      { key: 'provider', label: t('s_provider'), value: [o.requester?.name ?? missing, o.requester?.npi ? t('s_npi', { npi: o.requester.npi }) : t('s_npi_missing'), o.requester?.phone ?? t('s_callback_missing')].join(', ') },
      { key: 'insurance', label: t('s_insurance'), value: a.insurance ? ('selfPay' in a.insurance ? t('s_self_pay') : `${a.insurance.payer} ${a.insurance.memberId ?? t('s_member_missing')}`) : missing },
    ];
    return {
      text: t(s.mode === 'documentation' ? 's_check_documentation' : 's_check'),
      summary: {
        title: t(s.mode === 'documentation' ? 's_title_documentation' : 's_title'),
        facts: facts.filter((f) => s.mode !== 'documentation' || s.only?.some((st) => factOf(st) === f.key)).map(({ label, value }) => ({ label, value })),
      },
      choices: CONFIRM,
    };
  }

  function prompt(s: OrderFormState): OutboundContentInput {
    switch (s.step) {
      case 'confirm':
        return summary(s);
      case 'laterality':
        return { text: question('laterality'), choices: SIDE };
      case 'contrast':
        return { text: question('contrast'), choices: CONTRAST };
      case 'priority':
        return { text: question('priority'), choices: PRIORITY };
      case 'patient_language':
        return { text: question('patient_language'), choices: LANGUAGE };
      case 'codes':
        return { text: s.mode === 'documentation' ? t('q_codes_documentation') : question('codes') };
      default:
        return { text: s.mode === 'documentation' ? question(s.step).replace(SKIP_HINT, '') : question(s.step) };
    }
  }

  function advance(s: OrderFormState): OutboundContentInput {
    s.step = STEPS.find((st) => needed(s, st))!;
    s.fails = 0;
    return prompt(s);
  }

  /** Why a well-formed code cannot go on an order (the table's answer), in this language; null when it can. */
  function refusal(code: string): string | null {
    if (lang === 'en') return codeRefusal(port.codes, code);
    const r = port.codes?.check(code);
    const list = (xs: string[]) => `${xs.slice(0, 3).join(', ')}${xs.length > 3 ? ', …' : ''}`;
    if (r?.kind === 'header') return t('r_code_header', { code, codes: list(r.children) });
    if (r?.kind === 'not_a_code') return t('r_code_not_a_code', { code, category: r.category, codes: list(r.codes) });
    return null;
  }

  /** One answer: null and a reason when it does not fit. */
  function read(s: OrderFormState, turn: OrderFormTurn): string | null {
    const a = s.answers;
    const text = turn.text.trim();
    const f = foldAccents(text).trim().replace(/[.!]+$/, '');
    const skip = SKIP.test(f) && s.mode !== 'documentation';
    switch (s.step) {
      case 'patient_name': {
        const n = parseFullName(text, lang);
        if (!n) return t('r_name');
        Object.assign(a, n);
        return null;
      }
      case 'patient_dob': {
        const d = parseBirthDate(text, turn.now);
        if (!d) return t('r_dob');
        a.birthDate = d;
        return null;
      }
      case 'patient_phone': {
        if (skip) {
          a.phone = null;
          return null;
        }
        const p = phoneIn(text);
        if (!p) return t('r_phone');
        a.phone = p;
        return null;
      }
      case 'patient_language': {
        const i = pick(text, LANGUAGE, LANGUAGE_CHOICES) ?? (/\b(english|ingles)\b/.test(f) ? 0 : /\b(spanish|espanol)\b/.test(f) ? 1 : null);
        if (i === null) return t('r_language');
        a.language = LANGUAGE[i]!.value as 'en' | 'es';
        return null;
      }
      case 'exam': {
        const u = turn.understanding.fields;
        if (!u.modality) return t('r_exam', { modalities: studyNames(lang) });
        a.modality = u.modality;
        a.bodyPart = u.bodyPart ?? a.bodyPart ?? null;
        if (u.laterality) a.laterality = u.laterality;
        if (u.contrast) a.contrast = u.contrast;
        return null;
      }
      case 'laterality': {
        const i = pick(text, SIDE, SIDE_CHOICES) ?? (/\bleft\b|izquierd/.test(f) ? 0 : /\bright\b|derech/.test(f) ? 1 : /\b(both|bilateral|ambos)\b/.test(f) ? 2 : null);
        if (i === null) return t('r_side');
        a.laterality = SIDE[i]!.value as OrderAnswers['laterality'];
        return null;
      }
      case 'contrast': {
        const i = pick(text, CONTRAST, CONTRAST_CHOICES) ?? (/\b(with and without|w\/ and w\/o|w\/wo|con y sin|both|ambos)\b/.test(f) ? 2 : /(^|\s)(without|w\/o|wo|sin|no|non-contrast)(\s|$)/.test(f) ? 0 : /(^|\s)(with|w\/|con|yes|si)(\s|$)/.test(f) ? 1 : null);
        if (i === null) return t('r_contrast');
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
        if (raw.length === 0 || bad.length) return t('r_code', { code: (bad[0] ?? text).slice(0, 12), skip: s.mode === 'documentation' ? '' : t('r_code_skip') });
        const codes = raw.map((c) => normalizeIcd10(c)!).slice(0, 12);
        const refused = codes.map(refusal).find((x) => x !== null);
        if (refused) return `${refused}.`;
        // Well formed but not in our table: taken, and the office asked to check it.
        const unknown = codes.filter((c) => port.codes?.check(c).kind === 'unknown');
        if (unknown.length) s.notice = t(unknown.length > 1 ? 'note_unknown_many' : 'note_unknown_one', { codes: unknown.join(', ') });
        a.reasonCodes = codes;
        return null;
      }
      case 'reason': {
        if (skip) {
          a.reasonText = null;
          return null;
        }
        if (text.length < 3) return t('r_reason');
        a.reasonText = text.slice(0, 1000);
        return null;
      }
      case 'priority': {
        // In Spanish also the words ("rutina", "urgente", "inmediato").
        const i = pick(text, PRIORITY, PRIORITY_CHOICES) ?? (lang === 'en' ? null : /^(rutina|rutinaria|normal)$/.test(f) ? 0 : /^urgente$/.test(f) ? 1 : /^(lo antes posible|cuanto antes)$/.test(f) ? 2 : /^(inmediat[oa]|de inmediato)$/.test(f) ? 3 : null);
        if (i === null) return t('r_priority');
        a.priority = PRIORITY[i]!.value as OrderAnswers['priority'];
        return null;
      }
      case 'provider': {
        if (!/[a-z]{2,}/i.test(text)) return t('r_provider');
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
        if (problem === 'not_10_digits') return t('r_npi_digits');
        if (problem === 'first_digit') return t('r_npi_first', { npi: digits });
        if (problem) return t('r_npi_luhn', { npi: digits });
        a.npi = digits;
        return null;
      }
      case 'callback': {
        if (skip) {
          a.callback = null;
          return null;
        }
        const p = phoneIn(text);
        if (!p) return t('r_phone');
        a.callback = p;
        return null;
      }
      case 'insurance': {
        if (skip) {
          a.insurance = null;
          return null;
        }
        const c = parseCoverage(text);
        if (!c.ok) return c.missing === 'member_id' ? t('r_member_id') : t('r_payer');
        a.insurance = c.value;
        return null;
      }
      case 'notes': {
        a.note = SKIP.test(f) ? null : text.slice(0, 4000);
        return null;
      }
      case 'confirm':
        return t('r_confirm');
    }
  }

  /** The same questions as one form (Teams and Web Chat), prefilled with what was typed when it is sent back. */
  function card(values: Record<string, string> = {}): OutboundContentInput {
    const none: Choice = { value: 'none', title: t('c_none') };
    const field = (id: Exclude<Step, 'confirm'>, label: OfficeTextId, choices?: Choice[]) => ({ id, label: t(label), ...(choices ? { choices } : {}), ...(values[id] ? { value: values[id] } : {}) });
    return {
      text: t('f_text'),
      form: {
        id: 'order',
        title: t('s_title'),
        submit: t('f_submit'),
        fields: [
          field('patient_name', 'f_patient_name'),
          field('patient_dob', 'f_patient_dob'),
          field('patient_phone', 'f_patient_phone'),
          field('patient_language', 'f_patient_language', LANGUAGE),
          field('exam', 'f_exam'),
          field('laterality', 'f_laterality', [none, ...SIDE]),
          field('contrast', 'f_contrast', [none, ...CONTRAST]),
          field('codes', 'f_codes'),
          field('reason', 'f_reason'),
          field('priority', 'f_priority', PRIORITY),
          field('provider', 'f_provider'),
          field('npi', 'f_npi'),
          field('callback', 'f_callback'),
          field('insurance', 'f_insurance'),
          field('notes', 'f_notes'),
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
        problems.push(t('required', { field: fieldName(step) }));
        continue;
      }
      s.step = step;
      const text = raw || 'skip';
      const problem = read(s, { text, channel, now, understanding: { intent: 'other', fields: extractFields(text, { now, timeZone: 'UTC' }), topic: null, clinical: false, disclosures: [], secondary: null } });
      if (problem) problems.push(`${fieldName(step)}: ${problem}`);
    }
    s.step = 'confirm';
    return { state: s, problems, values: v };
  }

  /**
   * An order typed in one message ("stat CT head wo for Harold Jensen dob 3/14/1941, R41.0, Dr Alan Brooks NPI
   * 1234567893, pt cell 512-555-0142, Medicare 1EG4TE5MK72"): each piece found is read by its step's rules, a piece
   * that does not pass is left for its question, and the form goes on from the first question left.
   */
  function fromText(turn: OrderFormTurn): { state: OrderFormState } | null {
    const u = turn.understanding.fields;
    if (!u.modality) return null;
    const text = turn.text;
    const s = newOrderState();
    const found = orderPieces(text, u);
    for (const step of STEPS) {
      const raw = step === 'exam' ? text : found[step];
      if (!raw) continue;
      s.step = step;
      // A piece its step refuses leaves nothing behind: the question asks for it.
      const before = { ...s.answers };
      if (read(s, { ...turn, text: raw }) !== null) s.answers = before;
    }
    return { state: s };
  }

  return {
    prompt,
    advance,
    card,
    fromCard,
    fromText,

    /** One message of the form; `done` when the form is finished (submitted or abandoned). */
    async handle(s: OrderFormState, turn: OrderFormTurn): Promise<{ replies: OutboundContentInput[]; done: boolean; case?: CaseView }> {
      const f = foldAccents(turn.text).trim().replace(/[.!]+$/, '');
      if (STOP.test(f)) return { replies: [{ text: t('stopped') }], done: true };
      if (/^(help|ayuda|\?)$/.test(f)) return { replies: [{ text: t('form_help', { question: s.step === 'confirm' ? t('r_confirm') : question(s.step) }) }], done: false };
      if (s.step === 'confirm') {
        // In Spanish also "enviar" and "empezar de nuevo" in words.
        const i = pick(turn.text, CONFIRM, CONFIRM_CHOICES) ?? (lang === 'en' ? null : /^(enviar|enviarla|confirmar)$/.test(f) ? 0 : /^(de nuevo|otra vez|reiniciar)$/.test(f) ? 1 : null);
        if (i === 1) {
          // Start over: new → blank, accept → what the patient told us, documentation → the missing items again.
          s.answers = { ...(s.prefill ?? {}) };
          return { replies: [advance(s)], done: false };
        }
        if (i !== 0) return { replies: [{ text: t('r_confirm') }, prompt(s)], done: false };
        const r = s.mode === 'new' ? await port.create(s.answers, s.submitKey) : s.mode === 'accept' ? await port.accept(s.caseId!, s.answers) : await port.supply(s.caseId!, s.answers);
        if (!r.ok) return { replies: [{ text: t('not_saved', { message: r.message }) }], done: true };
        return { replies: [], done: true, case: r.case };
      }
      const problem = read(s, turn);
      if (problem) {
        s.fails++;
        return { replies: [{ text: problem }, ...(s.fails >= 3 ? [{ text: t('stuck') }] : [])], done: false };
      }
      const notice = s.notice;
      delete s.notice;
      return { replies: [...(notice ? [{ text: notice }] : []), advance(s)], done: false };
    },
  };
}
export type OrderForm = ReturnType<typeof createOrderForm>;
