import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * One scripted patient conversation (test/fixtures/conversations/*.jsonl), written from the patient's side by someone
 * who had not read the prompts: who they are, what the center already has, what they say first, and how they answer
 * each kind of question whenever the bot asks it. The expected end state is checked in the database.
 */
const Answer = z.union([z.string(), z.array(z.string()).min(1)]);
export const Script = z.object({
  id: z.string(),
  lang: z.enum(['en', 'es']),
  channel: z.enum(['sms', 'webchat']),
  world: z.object({
    kind: z.enum(['new', 'ordered', 'booked', 'in_progress']),
    exam: z
      .object({
        modality: z.enum(['mri', 'ct', 'ultrasound', 'mammography', 'xray', 'pet']),
        bodyPart: z.string().optional(),
        laterality: z.enum(['left', 'right', 'bilateral']).optional(),
        contrast: z.enum(['with', 'without']).optional(),
      })
      .optional(),
    appointment: z.object({ daysFromNow: z.number().int().min(0).max(20), hour: z.number().int().min(0).max(23) }).optional(),
  }),
  patient: z.object({ givenName: z.string(), familyName: z.string(), birthDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), phone: z.string() }),
  opening: z.string().min(1),
  answers: z
    .object({
      exam: Answer,
      has_order: Answer,
      name: Answer,
      dob: Answer,
      dob_which: Answer,
      phone: Answer,
      reason: Answer,
      provider: Answer,
      timing: Answer,
      coverage: Answer,
      screening: z.record(z.string()),
      pick_time: Answer,
      cancel_reason: Answer,
      cancel_or_rebook: Answer,
      marketing: Answer,
    })
    .partial(),
  asides: z.array(z.object({ before: z.string(), says: z.string(), kind: z.enum(['faq', 'clinical']) })).default([]),
  after: z.array(z.object({ says: z.string(), kind: z.enum(['faq', 'clinical', 'thanks']) })).default([]),
  expect: z.object({
    outcome: z.enum(['request_submitted', 'booked', 'review_hold', 'rescheduled', 'confirmed', 'appointment_cancelled', 'withdrawn', 'status_told', 'waitlisted', 'handoff', 'faq_answered']),
    requests: z.number().int().optional(),
    modality: z.string().optional(),
    bodyPartIncludes: z.string().optional(),
    familyName: z.string().optional(),
    givenName: z.string().optional(),
    birthDate: z.string().optional(),
    providerIncludes: z.string().optional(),
    providerPhoneDigits: z.string().optional(),
    payer: z.string().optional(),
    memberId: z.string().optional(),
    priority: z.literal('asap').optional(),
    disclosures: z.array(z.enum(['contrast_reaction', 'implant_device', 'pregnancy', 'kidney'])).optional(),
    slot: z
      .object({ weekdayNot: z.string().optional(), weekday: z.string().optional(), fromHour: z.number().optional(), beforeHour: z.number().optional(), pick: z.number().int().optional() })
      .optional(),
    marketing: z.enum(['granted', 'not_granted']).optional(),
    handoffHasCase: z.boolean().optional(),
  }),
});
export type Script = z.infer<typeof Script>;

export function loadScripts(file: string): Script[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      const r = Script.safeParse(JSON.parse(l));
      if (!r.success) throw new Error(`${file}:${i + 1}: ${r.error.issues.map((x) => `${x.path.join('.')} ${x.message}`).join('; ')}`);
      return r.data;
    });
}
