import { z } from 'zod';
import { normalizePhone } from '../contact/phone';
import { Contrast, Laterality, Modality } from '../exams/modality.catalog';
import { Priority } from '../pipeline/pipeline.states';
import { isValidNpi, normalizeIcd10 } from './order.codes';

// The study's vocabulary is the modality catalogue's; these names stay importable from here.
export { Contrast, Laterality, Modality };
export const Language = z.enum(['en', 'es']);

/** Trimmed, bounded, and free of NUL (MongoDB-compatible servers refuse it). */
export const text = (max: number) => z.string().trim().min(1).max(max).refine((s) => !s.includes('\u0000'), 'must not contain NUL characters');

export const PhoneNumber = z.string().transform((raw, ctx) => {
  const phone = normalizePhone(raw);
  if (!phone) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must be a phone number in E.164 form (+15551234567) or 10 US digits' });
    return z.NEVER;
  }
  return phone;
});

export const BirthDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s) && d.getTime() <= Date.now() && s >= '1900-01-01';
  }, 'must be a real date between 1900-01-01 and today');

export const Npi = z.string().trim().refine(isValidNpi, 'must be 10 digits starting with 1 or 2, with a valid check digit (Luhn over 80840)');

export const Icd10Code = z.string().transform((raw, ctx) => {
  const code = normalizeIcd10(raw);
  if (!code) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: `'${raw.slice(0, 12)}' is not an ICD-10-CM code (e.g. M54.50)` });
    return z.NEVER;
  }
  return code;
});

export const PatientInput = z
  .object({
    givenName: text(100).optional(),
    familyName: text(100).optional(),
    birthDate: BirthDate.optional(),
    phone: PhoneNumber.optional(),
    language: Language.default('en'),
  })
  .strict();
export type PatientInput = z.infer<typeof PatientInput>;

export const Requester = z
  .object({ name: text(200).optional(), npi: Npi.optional(), phone: PhoneNumber.optional() })
  .strict();

export const Insurance = z.union([
  // A payer without its member id is kept (the checklist then asks for the id by name), never a made-up id.
  z.object({ payer: text(100), memberId: text(64).optional() }).strict(),
  z.object({ selfPay: z.literal(true) }).strict(),
]);
export type Insurance = z.infer<typeof Insurance>;

/** An order as a referrer or staff member gives it: missing items are allowed (the checklist names them), malformed ones are not. */
export const OrderInput = z
  .object({
    modality: Modality.optional(),
    bodyPart: text(100).optional(),
    laterality: Laterality.nullable().optional(),
    contrast: Contrast.nullable().optional(),
    priority: Priority.optional(),
    reasonCodes: z.array(Icd10Code).max(12).default([]),
    reasonText: text(1000).optional(),
    requester: Requester.optional(),
    insurance: Insurance.optional(),
    note: text(4000).optional(),
  })
  .strict();
export type OrderInput = z.infer<typeof OrderInput>;
