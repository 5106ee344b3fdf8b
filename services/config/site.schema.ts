import { z } from 'zod';
import { Contrast, Modality } from '../exams/modality.catalog';
import { isBuiltInTopic } from '../faq/faq.topics';
import { BODY_PARTS } from '../understanding/lexicon';

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time as HH:MM (24 h)');
const Window = z
  .object({ start: HHMM, end: HHMM })
  .strict()
  .refine((w) => w.start < w.end, 'start must be before end');

const SendWindow = z
  .object({ sendFrom: HHMM, sendUntil: HHMM })
  .strict()
  .refine((w) => w.sendFrom < w.sendUntil, 'sendFrom must be before sendUntil');

const TimeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false; // Intl throws RangeError for an unknown zone; that is the answer, not an accident
  }
}, 'must be an IANA time zone such as America/Chicago');

const Bilingual = z.object({ en: z.string().min(1), es: z.string().min(1) }).strict();
const Minutes = z.number().int().min(5).max(480);

const Weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);

export const SiteConfig = z
  .object({
    center: z
      .object({
        name: z.string().min(1).max(100),
        phone: z.string().regex(/^\+[1-9]\d{7,14}$/, 'must be E.164, e.g. +15125550100'),
        website: z.string().url().optional(),
        address: z
          .object({ line1: z.string().min(1), city: z.string().min(1), state: z.string().length(2), postalCode: z.string().min(3) })
          .strict(),
        timeZone: TimeZone,
      })
      .strict(),
    openingHours: z.record(Weekday, z.array(Window).max(3)),
    scanners: z
      .array(
        z
          .object({
            id: z.string().regex(/^[a-z0-9-]{2,40}$/, 'must be lower-case letters, digits and dashes'),
            name: z.string().min(1),
            modality: Modality,
            hours: z.record(Weekday, z.array(Window).max(3)).optional(),
          })
          .strict(),
      )
      .min(1),
    /** Minutes per study: a modality default, per-contrast lengths, and body-part overrides. */
    slotMinutes: z.record(
      Modality,
      z
        .object({
          default: Minutes,
          contrast: z.record(Contrast, Minutes).optional(),
          bodyPart: z.record(z.string(), Minutes).optional(),
        })
        .strict(),
    ),
    prep: z
      .array(
        z
          .object({
            id: z.string().min(1),
            modality: Modality.optional(),
            contrast: z.array(Contrast).optional(),
            /** Canonical body parts (the lexicon's names: "abdomen", "gallbladder", "bladder"), never a pattern. */
            bodyParts: z.array(z.string().min(1)).min(1).optional(),
            /** A combined study ("abdomen and pelvis"): applies when the study names every one, in place of the single-part entries. */
            allBodyParts: z.array(z.string().min(1)).min(2).optional(),
            fastingHours: z.number().min(0).max(24).optional(),
            /** Minutes before the appointment to arrive; the prep says one time, the longest that applies. */
            arriveMinutesEarly: z.number().int().min(0).max(240).optional(),
            text: Bilingual,
          })
          .strict(),
      )
      .min(1),
    payers: z
      .array(
        z
          .object({
            name: z.string().min(1),
            aliases: z.array(z.string()).default([]),
            priorAuthorization: z.array(Modality),
          })
          .strict(),
      )
      .min(1),
    /**
     * Answers to patients' side questions, by topic (EN/ES); a study-specific answer (how long an MRI takes) by
     * modality. Eating and medicines, what to bring, hours and accepted insurance come from prep, openingHours and
     * payers unless a topic here says otherwise. A new topic is one more entry here with its `words` (phrases in
     * English and Spanish that ask about it) and its `text`; the built-in topics (services/faq) need neither.
     */
    faq: z
      .record(
        z.string().regex(/^[a-z][a-z0-9_]{1,40}$/, 'a topic is lower_snake_case'),
        z
          .object({
            text: Bilingual.optional(),
            byModality: z.record(Modality, Bilingual).optional(),
            words: z.object({ en: z.array(z.string().min(2).max(60)).max(50).default([]), es: z.array(z.string().min(2).max(60)).max(50).default([]) }).strict().optional(),
          })
          .strict(),
      )
      .superRefine((faq, ctx) => {
        for (const [topic, entry] of Object.entries(faq)) {
          if (isBuiltInTopic(topic)) continue;
          if (!entry.words || entry.words.en.length + entry.words.es.length === 0) ctx.addIssue({ code: 'custom', path: [topic, 'words'], message: `topic ${topic} is not built in: give the words that ask about it` });
          if (!entry.text) ctx.addIssue({ code: 'custom', path: [topic, 'text'], message: `topic ${topic} is not built in: give its answer (text)` });
        }
      })
      .default({}),
    /** A live handoff (staff replied) keeps the bot silent until staff close it or nobody wrote for this long. */
    handoff: z.object({ idleMinutes: z.number().int().min(5).max(24 * 60) }).strict().default({ idleMinutes: 60 }),
    /** Studies that need authorization when the payer is not listed (self-pay never does). */
    defaultPriorAuthorization: z.array(Modality),
    /** The SMS sender's throughput (a long code ~1/s, toll-free 3/s, a short code 100/s): campaign sends never exceed it. */
    /** Days a Web Chat office sign-in stays on the device (0: every visit needs a new code). */
    webChatSignInDays: z.number().int().min(0).max(90).default(14),
    /** The staff's Teams channel (its conversation id, 19:…@thread…; the bot must have been @mentioned there once): urgent tasks are posted to it. */
    staffTeams: z.object({ conversationId: z.string().min(1).max(200) }).strict().optional(),
    sender: z.object({ messagesPerSecond: z.number().int().min(1).max(1000) }).strict().default({ messagesPerSecond: 10 }),
    /** Local-time windows in which messages we start may go out; outside them they wait (domain.md §6). */
    quietHours: z.object({ care: SendWindow, marketing: SendWindow }).strict(),
    frequencyCaps: z
      .object({
        marketingPer24h: z.number().int().min(0),
        careRemindersPerDay: z.number().int().min(0),
        careRemindersPerWeek: z.number().int().min(0),
      })
      .strict(),
    reminders: z
      .object({
        confirmationOnBooking: z.boolean(),
        prepHoursBefore: z.number().int().min(1).max(240),
        reminderHoursBefore: z.number().int().min(1).max(120),
        readinessCheck: z.object({ daysBefore: z.number().int().min(1).max(7), at: HHMM }).strict(),
      })
      .strict(),
    /** A freed time offered from the waitlist is held this long for the patient it is offered to. */
    waitlist: z.object({ holdMinutes: z.number().int().min(5).max(240) }).strict().default({ holdMinutes: 30 }),
    followUps: z
      .object({
        orderRequestedReminderBusinessDays: z.number().int().min(1),
        orderRequestedStaffTaskBusinessDays: z.number().int().min(1),
        documentationReminderBusinessDays: z.array(z.number().int().min(1)).min(1),
        leadNurtureDays: z.number().int().min(1),
        /** A stat or asap order: minutes within which a scheduler calls the patient; past them the task is re-raised. */
        urgentCallMinutes: z.number().int().min(1).max(240).default(15),
      })
      .strict(),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    const ids = new Set<string>();
    cfg.scanners.forEach((s, i) => {
      if (ids.has(s.id)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['scanners', i, 'id'], message: `duplicate scanner id '${s.id}'` });
      ids.add(s.id);
    });
    for (const m of new Set(cfg.scanners.map((s) => s.modality))) {
      if (!cfg.slotMinutes[m]) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['slotMinutes', m], message: `a ${m} scanner needs slot lengths` });
    }
    cfg.prep.forEach((p, i) => {
      for (const key of ['bodyParts', 'allBodyParts'] as const) {
        p[key]?.forEach((b, j) => {
          if (!BODY_PARTS.includes(b)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['prep', i, key, j], message: `'${b}' is not a body part name; use one of: ${BODY_PARTS.join(', ')}` });
        });
      }
    });
  });
export type SiteConfig = z.infer<typeof SiteConfig>;

/** Whether a study for this payer needs prior authorization; self-pay never does. */
export function needsPriorAuthorization(cfg: SiteConfig, modality: z.infer<typeof Modality>, payer: string | null): boolean {
  if (payer === null) return false;
  const wanted = payer.trim().toLowerCase();
  const rule = cfg.payers.find((p) => [p.name, ...p.aliases].some((n) => n.toLowerCase() === wanted));
  return (rule ? rule.priorAuthorization : cfg.defaultPriorAuthorization).includes(modality);
}
