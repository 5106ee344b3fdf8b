import { screeningSets, type ScreeningSet } from '../exams/modality.catalog';
import type { Study } from '../scheduling/study';
import type { DisclosureKind } from './disclosures';

export type Answer = 'yes' | 'no' | 'unsure';
export type ReviewKind = 'technologist_review' | 'contrast_review';

export interface ScreeningQuestion {
  id: string;
  en: string;
  es: string;
  /** The answer that needs no review; anything else (including "unsure") flags the case. */
  safe: Exclude<Answer, 'unsure'>;
  review: ReviewKind;
  /**
   * A flag holds booking until staff clear it (a device, pregnancy, a contrast reaction, kidney disease); the others
   * (claustrophobia, diabetes, metformin, blood-pressure medicine, age over 60) are a task to do before the visit.
   */
  holds: boolean;
}

const q = (id: string, en: string, es: string, review: ReviewKind, safe: 'yes' | 'no' = 'no', holds = true): ScreeningQuestion => ({ id, en, es, safe, review, holds });
/** A question whose flag is a task before the visit (a kidney-function check, comfort), not a hold on booking. */
const beforeVisit = (id: string, en: string, es: string, review: ReviewKind): ScreeningQuestion => q(id, en, es, review, 'no', false);

/** MRI safety (domain.md §4), one question per message so a plain yes or no answers it. */
const MRI: ScreeningQuestion[] = [
  q('pacemaker', 'Do you have a pacemaker, defibrillator or pacing wires?', '¿Tiene marcapasos, desfibrilador o cables de marcapasos?', 'technologist_review'),
  q('cochlear', 'Do you have a cochlear (ear) implant?', '¿Tiene un implante coclear (del oído)?', 'technologist_review'),
  q('neurostimulator', 'Do you have a neurostimulator (nerve or spine stimulator)?', '¿Tiene un neuroestimulador (de nervios o de columna)?', 'technologist_review'),
  q('pump', 'Do you have an implanted pump (insulin, pain medicine)?', '¿Tiene una bomba implantada (de insulina o de medicina para el dolor)?', 'technologist_review'),
  q('aneurysm_clip', 'Do you have an aneurysm clip in your head?', '¿Tiene un clip de aneurisma en la cabeza?', 'technologist_review'),
  q('metal_eyes', 'Have you ever had metal in your eyes, or worked with metal (welding, grinding)?', '¿Alguna vez tuvo metal en los ojos o trabajó con metal (soldadura, esmerilado)?', 'technologist_review'),
  q('shrapnel', 'Do you have shrapnel or a bullet in your body?', '¿Tiene metralla o una bala en el cuerpo?', 'technologist_review'),
  q('implants', 'Do you have any other implant, stent, joint replacement or metal in your body?', '¿Tiene algún otro implante, stent, prótesis o metal en el cuerpo?', 'technologist_review'),
  beforeVisit('claustrophobia', 'Are you afraid of small or closed spaces (claustrophobia)?', '¿Le dan miedo los espacios pequeños o cerrados (claustrofobia)?', 'technologist_review'),
  q('lie_still', 'Can you lie still on your back for 30 to 60 minutes?', '¿Puede quedarse quieto(a) boca arriba de 30 a 60 minutos?', 'technologist_review', 'yes'),
];

const PREGNANCY = q('pregnancy', 'Is there any chance you could be pregnant? (Answer NO if this does not apply to you.)', '¿Existe alguna posibilidad de que esté embarazada? (Responda NO si no aplica.)', 'technologist_review');

/** Contrast (CT with contrast, MRI with gadolinium): answers go to a nurse or radiologist, never advice from the bot. */
const CONTRAST: ScreeningQuestion[] = [
  q('contrast_reaction', 'Have you ever had a reaction to contrast dye?', '¿Alguna vez tuvo una reacción al medio de contraste?', 'contrast_review'),
  q('kidney', 'Do you have kidney disease, dialysis or a kidney transplant?', '¿Tiene enfermedad de los riñones, diálisis o un trasplante de riñón?', 'contrast_review'),
  beforeVisit('diabetes', 'Do you have diabetes?', '¿Tiene diabetes?', 'contrast_review'),
  beforeVisit('metformin', 'Do you take metformin (Glucophage)?', '¿Toma metformina (Glucophage)?', 'contrast_review'),
  beforeVisit('blood_pressure', 'Do you take medicine for high blood pressure?', '¿Toma medicina para la presión alta?', 'contrast_review'),
];

/** The questions of each screening group the modality catalogue names. */
const SETS: Record<ScreeningSet, ScreeningQuestion[]> = { mri_safety: MRI, pregnancy: [PREGNANCY], contrast: CONTRAST };

const ALL = [...MRI, PREGNANCY, ...CONTRAST];
/** Which review a question's flag goes to (age over 60 is a contrast matter). */
export function reviewOfQuestion(id: string): ReviewKind {
  return ALL.find((x) => x.id === id)?.review ?? 'contrast_review';
}
/** Whether a flag holds booking (age over 60 means a kidney-function check before the visit, not a hold). */
export function flagHolds(id: string): boolean {
  return ALL.find((x) => x.id === id)?.holds ?? false;
}
/** Which review a disclosure said in conversation goes to: contrast and kidney to a nurse, devices and pregnancy to a technologist. */
export function reviewFor(kind: DisclosureKind): ReviewKind {
  return kind === 'contrast_reaction' || kind === 'kidney' ? 'contrast_review' : 'technologist_review';
}

/** The questions a study needs before any slot is offered, in the order they are asked. */
export function screeningQuestions(study: Study): ScreeningQuestion[] {
  const contrast = study.contrast === 'with' || study.contrast === 'with_and_without';
  return screeningSets(study.modality, contrast).flatMap((set) => SETS[set]);
}

export interface ScreeningOutcome {
  /** true when every answer is the safe one. It never means "cleared for MRI". */
  noFlags: boolean;
  /** A flag that holds booking: no slot is offered until staff clear it. Other flags are a task before the visit. */
  held: boolean;
  flags: Array<{ id: string; answer: Answer; review: ReviewKind }>;
  /** Reviews staff must do (before slots are offered when held, else before the visit). */
  reviews: ReviewKind[];
}

/** Any answer other than the safe one, "unsure" included, flags the case for the matching review. */
export function evaluateScreening(questions: ScreeningQuestion[], answers: Record<string, Answer>, ageYears: number | null): ScreeningOutcome {
  const flags = questions.filter((x) => answers[x.id] !== x.safe).map((x) => ({ id: x.id, answer: answers[x.id] ?? 'unsure', review: x.review }));
  // Age over 60 before contrast means a kidney-function check (domain.md §4): asked of no one, read from the birth date.
  if (questions.some((x) => x.review === 'contrast_review') && ageYears !== null && ageYears > 60) flags.push({ id: 'age_over_60', answer: 'yes', review: 'contrast_review' });
  const reviews = [...new Set(flags.map((f) => f.review))];
  return { noFlags: flags.length === 0, held: flags.some((f) => flagHolds(f.id)), flags, reviews };
}
