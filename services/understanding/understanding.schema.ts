import { z } from 'zod';
import { Contrast, Laterality, Modality } from '../exams/modality.catalog';

export { Modality };

export const Intent = z.enum([
  'request_exam',
  'reschedule',
  'cancel_appointment',
  'confirm_appointment',
  'order_status',
  'prep_question',
  'waitlist',
  'talk_to_human',
  'help',
  'opt_out',
  'opt_in',
  'greeting',
  'other',
]);
export type Intent = z.infer<typeof Intent>;

/** What the bot took from one message; a field is null when the message does not say. */
export const Fields = z.object({
  modality: Modality.nullable(),
  /** Canonical body part in English (e.g. "lumbar spine"), from lay words in either language. */
  bodyPart: z.string().max(60).nullable(),
  laterality: Laterality.nullable(),
  contrast: Contrast.nullable(),
  hasOrder: z.boolean().nullable(),
  providerName: z.string().max(100).nullable(),
  /** Times the person named, as ISO 8601 local date-times (no zone) or dates. */
  preferredTimes: z.array(z.string().max(40)).max(5),
  language: z.enum(['en', 'es']),
});
export type Fields = z.infer<typeof Fields>;

/** One exam a message names (findExams): a field is null when the message does not say. */
export const ExamMention = z.object({
  modality: Modality.nullable(),
  bodyPart: z.string().max(60).nullable(),
  laterality: Laterality.nullable(),
  contrast: Contrast.nullable(),
});
export type ExamMention = z.infer<typeof ExamMention>;

export const Understanding = z.object({ intent: Intent, fields: Fields });
export type Understanding = z.infer<typeof Understanding>;

export interface UnderstandContext {
  /** Now, for relative dates ("tomorrow morning"). */
  now: Date;
  /** The center's time zone, in which relative dates are read. */
  timeZone: string;
  /** The conversation's language so far, if known. */
  language?: 'en' | 'es';
}

/** One way of understanding a message (the rules, or an LLM behind a port). */
export interface UnderstandingEngine {
  readonly name: 'rules' | 'openai';
  understand(text: string, ctx: UnderstandContext, signal?: AbortSignal): Promise<Understanding>;
}
