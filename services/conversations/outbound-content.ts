import { z } from 'zod';
import { foldAccents } from '../text';

export const Choice = z.object({ value: z.string().trim().min(1).max(100), title: z.string().trim().min(1).max(100) });
export type Choice = z.infer<typeof Choice>;

/** An order or an appointment at a glance: a card on Teams and Web Chat, lines of text on SMS. */
export const Summary = z.object({
  title: z.string().trim().min(1).max(200),
  facts: z.array(z.object({ label: z.string().trim().min(1).max(60), value: z.string().trim().min(1).max(500) })).max(20),
  /**
   * Buttons on the card (Teams, Web Chat) that send their `value` as the message text, such as C, R and X for an
   * appointment; on SMS one line, "C = Confirm, R = Reschedule, X = Cancel". Values are what a person could type.
   */
  actions: z.array(Choice).max(5).optional(),
});
export type Summary = z.infer<typeof Summary>;

/** A form of inputs (an Adaptive Card on Teams and Web Chat; never sent on SMS, where the same questions come one by one). */
export const FormCard = z.object({
  id: z.string().regex(/^[a-z_]{1,40}$/),
  title: z.string().trim().min(1).max(200),
  fields: z
    .array(z.object({ id: z.string().regex(/^[a-z_]{1,40}$/), label: z.string().trim().min(1).max(100), choices: z.array(Choice).max(10).optional(), value: z.string().max(500).optional() }))
    .max(30),
  submit: z.string().trim().min(1).max(60),
});
export type FormCard = z.infer<typeof FormCard>;

/** What the bot says, independent of the channel; bot/render turns it into SMS text, suggested actions or cards. */
export const OutboundContent = z.object({
  text: z.string().trim().min(1).max(1600),
  choices: z.array(Choice).max(10).default([]),
  summary: Summary.nullable().default(null),
  form: FormCard.nullable().default(null),
  /** SMS only: the line that says how to answer and how to opt out. */
  smsFooter: z.string().max(300).nullable().default(null),
  /** A staff member writing in person (a handoff): chats show their name with the message, so no one takes it for the bot. */
  staffName: z.string().trim().min(1).max(100).nullable().default(null),
});
export type OutboundContent = z.infer<typeof OutboundContent>;
export type OutboundContentInput = z.input<typeof OutboundContent>;

/** Choices as SMS shows them, one numbered line each; chats show the same lines so past turns stay readable. */
export const choiceLines = (choices: readonly Choice[]): string[] => choices.map((ch, i) => `${i + 1}. ${ch.title}`);

/** A summary as lines of text: its title, its facts, and its actions as what to type ("C = Confirm, ..."). */
export function summaryLines(s: Summary): string[] {
  const actions = s.actions?.length ? [s.actions.map((a) => `${a.value} = ${a.title}`).join(', ')] : [];
  return [s.title, ...s.facts.map((f) => `${f.label}: ${f.value}`), ...actions];
}

/** The whole content as plain text: summary facts as lines, choices numbered (SMS, and the fallback elsewhere). */
export function plainText(c: OutboundContent): string {
  const summary = c.summary ? summaryLines(c.summary) : [];
  return [c.text, ...summary, ...choiceLines(c.choices), ...(c.smsFooter ? [c.smsFooter] : [])].join('\n');
}

const fold = (s: string) => foldAccents(s.trim()).replace(/[.!?\s]+$/, '');

/** Which choice an answer picks: its number (as SMS shows it) or its title (what a button sends); else null. */
const ORDINALS: Array<[RegExp, number]> = [
  [/^(the )?(1st|first)( one)?$|^(el |la )?(primer[oa]?)( opcion)?$/, 1],
  [/^(the )?(2nd|second)( one)?$|^(el |la )?(segund[oa])( opcion)?$/, 2],
  [/^(the )?(3rd|third)( one)?$|^(el |la )?(tercer[oa]?)( opcion)?$/, 3],
];

export function pickChoice(text: string, choices: readonly Choice[]): number | null {
  // "#2", "number 2", "option 2", "opción 2", "the second one": the same as "2".
  const t = fold(text).replace(/^(#|no\.?\s*|number\s+|option\s+|opcion\s+|numero\s+|el\s+|la\s+)(?=\d)/, '');
  const ordinal = ORDINALS.find(([re]) => re.test(t))?.[1];
  const n = /^\d{1,2}$/.test(t) ? Number(t) : (ordinal ?? NaN);
  if (n >= 1 && n <= choices.length) return n - 1;
  const i = choices.findIndex((c) => fold(c.title) === t || fold(c.value) === t);
  return i >= 0 ? i : null;
}
