import { z } from 'zod';
import { Contrast, Laterality, Modality } from '../exams/modality.catalog';
import { FaqTopic } from '../faq/faq.topics';
import { TimeWish } from '../scheduling/time-wish';
import { DisclosureKind } from '../screening/disclosures';
import type { KnownPayer } from './details';

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
  /** The doctor's practice and office phone (E.164) when the message gives them ("dr patel at northside, 512-555-0188"). */
  providerPractice: z.string().max(100).nullable(),
  providerPhone: z.string().max(20).nullable(),
  /** The payer as the site lists it, or "self-pay"; the member id as written, upper case. */
  payer: z.string().max(100).nullable(),
  memberId: z.string().max(64).nullable(),
  /** Times the person named, as ISO 8601 local date-times (no zone) or dates. */
  preferredTimes: z.array(z.string().max(40)).max(5),
  /** When they can come, as constraints ("after 5", "mornings", "not tuesday", "next week"), or null. */
  timeWish: TimeWish.nullable(),
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

/** A safety fact the person says about themselves, with the words that say it. */
export const SaidDisclosure = z.object({ kind: DisclosureKind, words: z.string().min(1).max(500) });
export type SaidDisclosure = z.infer<typeof SaidDisclosure>;

export const Understanding = z.object({
  /** What the person asks to do (move, cancel, confirm, check on, ask about, book): the exam words are fields. */
  intent: Intent,
  fields: Fields,
  /** The built-in FAQ topic the message asks about first, or null. */
  topic: FaqTopic.nullable(),
  /** Whether it asks for medical judgement (results, doses, safety for this person): only a clinician answers it. */
  clinical: z.boolean(),
  disclosures: z.array(SaidDisclosure).max(4),
  /** A second, different thing asked in the same message ("…can you get it? also how much is it"), or null. */
  secondary: Intent.nullable(),
});
export type Understanding = z.infer<typeof Understanding>;

export interface UnderstandContext {
  /** Now, for relative dates ("tomorrow morning"). */
  now: Date;
  /** The center's time zone, in which relative dates are read. */
  timeZone: string;
  /** The conversation's language so far, if known. */
  language?: 'en' | 'es';
  /** The site's payers, by which a payer named is known. */
  payers?: readonly KnownPayer[];
}

/** One way of understanding a message (the rules, or an LLM behind a port). */
export interface UnderstandingEngine {
  readonly name: 'rules' | 'openai';
  understand(text: string, ctx: UnderstandContext, signal?: AbortSignal): Promise<Understanding>;
}
