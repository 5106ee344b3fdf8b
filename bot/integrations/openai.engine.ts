import OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import { modalityPromptList } from '../../services/exams/modality.catalog';
import { FaqTopic } from '../../services/faq/faq.topics';
import { Understanding, type UnderstandContext, type UnderstandingEngine } from '../../services/understanding/understanding.schema';

/** Used when OPENAI_MODEL is not set. */
export const DEFAULT_OPENAI_MODEL = 'gpt-4o-mini';

const INSTRUCTIONS = `You read one message that a patient sent to a medical imaging center by SMS or chat, in English or Spanish.
Return only what the message says, as the JSON schema asks; use null (or an empty list) for anything it does not say.
Never answer the patient and never give medical advice.
intent: request_exam (wants an imaging exam), reschedule, cancel_appointment, confirm_appointment, order_status
(where is my order/report), prep_question (how to prepare), waitlist (wants an earlier slot), talk_to_human, help,
opt_out (no more texts), opt_in, greeting, other.
modality: ${modalityPromptList()}. bodyPart: the canonical English name (e.g. "lower back" ->
"lumbar spine", "cuello" -> "cervical spine"). providerName: the doctor named, as "Dr. Lastname";
providerPractice and providerPhone (E.164, +1…): the doctor's practice and office number, never the patient's own.
payer: the insurance named, as the site's list below calls it, or "self-pay"; memberId: the member id as written.
preferredTimes: ISO 8601 local date-times (YYYY-MM-DDTHH:mm) or dates, read relative to the current time given.
timeWish: when they can come, as constraints: days and notDays (1 = Monday … 7 = Sunday), after and before (minutes
after local midnight: "after 5" is after 1020), from (the first local date, YYYY-MM-DD, for "next week"); null if none.
language: the language of the message (en or es).
The intent is what the person asks to do (move, cancel, confirm, check on, ask about, book), never just the exam named:
"push my ultrasound back a week" is reschedule, "did insurance approve my ct" is order_status.
topic: the first FAQ question asked (${FaqTopic.options.join(', ')}), or null.
clinical: true when the message asks for medical judgement (what results mean, doses, whether something is safe for
this person, contrast while breastfeeding).
disclosures: what the person says about themselves that a technologist must know (contrast_reaction, implant_device,
pregnancy, kidney), each with the words that say it; a denial ("no pacemaker") is none.
secondary: a second, different intent asked in the same message, or null.
Placeholders [name] and [date] stand for words kept back on purpose.`;

/** The site's payer names, so the engine says a payer as the center lists it. */
function payerList(ctx: UnderstandContext): string {
  return ctx.payers?.length ? `\nThe site's payers: ${ctx.payers.map((p) => p.name).join('; ')}.` : '';
}

/**
 * The OpenAI engine: Chat Completions with structured output validated by the same zod schema as the rules
 * engine's. It only extracts; replies are always our templates.
 */
export function createOpenAiEngine(opts: { apiKey: string; baseURL?: string; model: string }): UnderstandingEngine {
  // The deadline and retries are the understanding service's: no SDK retries that would outlast the 4 s budget.
  const client = new OpenAI({ apiKey: opts.apiKey, ...(opts.baseURL ? { baseURL: opts.baseURL } : {}), maxRetries: 0, timeout: 10_000 });
  return {
    name: 'openai',
    async understand(text: string, ctx: UnderstandContext, signal?: AbortSignal) {
      const completion = await client.chat.completions.parse(
        {
          model: opts.model,
          temperature: 0,
          messages: [
            { role: 'system', content: `${INSTRUCTIONS}\nCurrent time: ${ctx.now.toISOString()} (center time zone ${ctx.timeZone}).${payerList(ctx)}` },
            { role: 'user', content: text },
          ],
          response_format: zodResponseFormat(Understanding, 'understanding'),
        },
        signal ? { signal } : {},
      );
      const parsed = completion.choices[0]?.message.parsed;
      if (!parsed) throw new Error('the model returned no structured answer');
      return Understanding.parse(parsed);
    },
  };
}
