import { z } from 'zod';
import { FaqTopic } from '../faq/faq.topics';
import { DisclosureKind } from '../screening/disclosures';
import { fold } from './lexicon';
import { Fields, Intent } from './understanding.schema';
import type { RuleBasis } from './rules.engine';

/** A labelled message of the corpus (corpus/nlu/*.jsonl, the held-out sets): the intent and the fields it says. */
export const LabelledMessage = z.object({
  text: z.string().min(1).max(2_000),
  intent: Intent,
  fields: Fields.omit({ preferredTimes: true })
    .extend({
      topic: FaqTopic,
      clinical: z.boolean(),
      disclosures: z.array(DisclosureKind).max(4),
      secondary: Intent,
    })
    .partial(),
});
export type LabelledMessage = z.infer<typeof LabelledMessage>;

/** A classifier trained on the labelled corpus (a port: the library behind it is the adapter's). */
export interface IntentModel {
  /** The likeliest intent and its score in [0, 1], or null when the model has no opinion. */
  predict(text: string): Promise<{ intent: Intent; score: number } | null>;
}

const MODEL_INTENTS: ReadonlySet<Intent> = new Set(['request_exam', 'reschedule', 'cancel_appointment', 'confirm_appointment', 'order_status', 'prep_question', 'waitlist', 'other']);

const APPOINTMENT_ACTIONS: ReadonlySet<Intent> = new Set(['reschedule', 'cancel_appointment', 'confirm_appointment']);
// Every move, cancel or confirm in the corpus names the exam, the visit or a when; "can i drive myself home after?" none.
const NAMES_A_VISIT = /\b(appointments?|appts?|citas?|visit|schedul\w*|resched\w*|cancel\w*|mov\w*|confirm\w*|dates?|times?|\w*days?|tonight|tomorrow|manana|weeks?|semanas?|horas?|horarios?|fechas?|dias?|hoy|lunes|martes|miercoles|jueves|viernes|sabado|domingo|make it|be there|there|come|coming|come in|ir|voy|asistir|llegar|llego|ahi|\d+)\b/;

const SPEAKS_OF_BOOKED = /\b(appointments?|appts?|citas?|scheduled|booked|agendad[ao]|programad[ao]|resched\w*|cancel\w*|mov\w*|confirm\w*|change|cambiar|can'?t (make|come|go)|no (puedo|voy a poder) (ir|llegar|asistir)|tomorrow|manana|tonight|today|hoy)\b/;

/** Below this the model's guess is not taken (chosen by cross-validation on the tuning corpus, never the held-out sets). */
export const MODEL_MIN_SCORE = 0.5;

/**
 * Which intent stands: a keyword or phrase rule's (they never miss a STOP or a "call me"), else the model's when it
 * is sure enough, else the rules' default (an exam named reads as a request for it). On cross-validation the rules
 * were right 95% of the time when a rule fired and 60% when only the default stood; the model 78% there.
 */
export function combineIntent(text: string, rules: { intent: Intent; basis: RuleBasis }, model: { intent: Intent; score: number } | null): { intent: Intent; by: 'rules' | 'model' } {
  if (rules.basis === 'rule' || !model || model.score < MODEL_MIN_SCORE) return { intent: rules.intent, by: 'rules' };
  // Consent, a person, help and greetings are the keyword rules' alone: a statistical guess never opts anyone out,
  // hands an answer to staff or shows the menu; it only tells apart what the person asks done with an exam.
  if (!MODEL_INTENTS.has(model.intent)) return { intent: rules.intent, by: 'rules' };
  if (rules.intent === 'other' && APPOINTMENT_ACTIONS.has(model.intent) && !NAMES_A_VISIT.test(fold(text))) return { intent: rules.intent, by: 'rules' };
  // "Dr. Brandt would like me to have one of those CT scans… please be patient with me" scored 1.0 as a cancel: an exam
  // asked for becomes a move, cancel or confirm only when the message speaks of a visit booked or changed.
  if (rules.intent === 'request_exam' && APPOINTMENT_ACTIONS.has(model.intent) && !SPEAKS_OF_BOOKED.test(fold(text))) return { intent: rules.intent, by: 'rules' };
  return { intent: model.intent, by: 'model' };
}
