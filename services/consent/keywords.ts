import { foldAccents } from '../text';

/**
 * The keyword layer (domain.md §6), pure: what an inbound SMS means for consent before any dialog sees it.
 * Exact keywords are single words, case-insensitive, with surrounding spaces and punctuation ignored.
 */
export const OPT_OUT_WORDS = ['stop', 'stopall', 'unsubscribe', 'cancel', 'end', 'quit', 'revoke', 'optout'] as const;
export const OPT_IN_WORDS = ['start', 'yes', 'unstop'] as const;
export const HELP_WORDS = ['help', 'info'] as const;
/** The same keywords as Spanish speakers send them (answered in Spanish); CANCELAR is left out: it means an appointment. */
export const SPANISH_KEYWORDS: Readonly<Record<string, KeywordKind>> = { alto: 'opt_out', basta: 'opt_out', parar: 'opt_out', baja: 'opt_out', inicio: 'opt_in', comenzar: 'opt_in', reanudar: 'opt_in', ayuda: 'help' };

export type KeywordKind = 'opt_out' | 'opt_in' | 'help';
/** Opt-in words that also answer questions and start flows: they re-subscribe only a number that opted out. */
const EVERYDAY_OPT_IN: ReadonlySet<string> = new Set(['yes', 'inicio', 'comenzar', 'reanudar']);

/** Lower-case, accents folded, surrounding punctuation and spaces dropped. */
export function normalizeForKeywords(text: string): string {
  return foldAccents(text)
    .replace(/^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$/gu, '')
    .replace(/\s+/g, ' ');
}

export function exactKeyword(text: string): { kind: KeywordKind; word: string } | null {
  const word = normalizeForKeywords(text);
  if ((OPT_OUT_WORDS as readonly string[]).includes(word)) return { kind: 'opt_out', word };
  if ((OPT_IN_WORDS as readonly string[]).includes(word)) return { kind: 'opt_in', word };
  if ((HELP_WORDS as readonly string[]).includes(word)) return { kind: 'help', word };
  // Own keys only: "constructor" or "__proto__" texted in must not read Object's prototype.
  const es = Object.hasOwn(SPANISH_KEYWORDS, word) ? SPANISH_KEYWORDS[word] : undefined;
  return es ? { kind: es, word } : null;
}

const MSG_EN = '(?:text(?:s|ing)?|messag(?:e|es|ing)|sms|msgs?|contact(?:ing)?|writ(?:e|ing)|send(?:ing)?|notifications?|reminders|spam)';
const MSG_ES = '(?:mensajes?|textos?|sms|recordatorios|notificaciones)';

/**
 * Sentences a reasonable person reads as "stop texting me" (FCC, April 2025), in English and Spanish.
 * Each needs a word about messaging or contact, so "can I stop by earlier?" or "I need to cancel my appointment"
 * are not revocations.
 */
const REVOCATION_PATTERNS: RegExp[] = [
  // English
  new RegExp(`\\b(?:stop|quit|cease|end|halt)\\b(?:\\s+\\w+){0,3}\\s+${MSG_EN}\\b`),
  new RegExp(`\\b(?:no|any) more\\s+(?:\\w+\\s+)?${MSG_EN}\\b`),
  new RegExp(`\\b(?:don'?t|do not|dont|never|please don'?t)\\s+(?:\\w+\\s+)?(?:text|message|sms|contact|write|send)\\b(?:\\s+\\w+){0,2}\\s*(?:me|us|this number|my number|again|anymore)\\b`),
  new RegExp(`\\b(?:i|we)\\s+(?:don'?t|do not|no longer)\\s+want\\s+(?:\\w+\\s+){0,3}${MSG_EN}\\b`),
  /\bunsubscribe\b/,
  /\bopt (?:me|us|this number|my number) out\b/,
  /\bopt(?:[- ]?out)\b(?!\s+of\s+(?:the\s+)?(?:mri|ct|scan|exam|appointment))/,
  /\b(?:lose|delete|erase|forget)\s+(?:my|this)\s+number\b/,
  /\bleave me alone\b/,
  // Only the messages themselves as the object: "cancel my appt and text me back" revokes nothing.
  /\b(?:discontinue|terminate|disable|turn off|cancel)\s+(?:(?:the|my|these|those|all|your|text|sms|appointment|appt)\s+)*(?:texts|text messages|messages|reminders|notifications|alerts|sms)\b/,
  new RegExp(`\\b(?:don'?t|do not|dont|no longer)\\s+(?:wish|want|care)\\s+to\\s+(?:receive|get|be sent)\\b(?:\\s+\\w+){0,3}\\s+${MSG_EN}\\b`),
  /\b(?:remove|delete|erase)\s+(?:my|this)\s+(?:phone\s+)?number\b(?!\s+from\s+(?:the\s+)?(?:wait ?list|schedule))/,
  /^(?:please\s+)?stop(?:\s+(?:it|now|please|all|this))*(?:\s+please)?$/,
  // Spanish (accents folded)
  new RegExp(`\\bno (?:me |nos )?(?:manden|envien|escriban|mande|envie|escriba|contacten|contacte|mandes|envies|escribas|envieis|mandeis|escribais)\\b(?:\\s+\\w+){0,3}\\s*(?:mas|nunca)\\b`),
  /\bya no (?:me |nos )?(?:manden|envien|escriban|contacten|mande|envie|escriba)\b/,
  new RegExp(`\\benough (?:with )?(?:the |these |your |all the |all these )?${MSG_EN}`),
  /\b(?:quit|sac|elimin|borr)(?:e|en|a|ar)(?:me| mi numero| mi telefono| este numero) de (?:la|su|sus|esta|esa) (?:lista|mensajes|textos)\b(?! de espera)/,
  new RegExp(`\\bno (?:me |nos )?(?:manden|envien|mande|envie|mandes|envies) (?:\\w+ )?${MSG_ES}\\b`),
  new RegExp(`\\bno (?:quiero|queremos) (?:recibir )?(?:mas |ningun |ninguno |ninguna )?${MSG_ES}\\b`),
  new RegExp(`\\b(?:ya )?no mas\\s+(?:\\w+\\s+)?${MSG_ES}\\b`),
  new RegExp(`\\b(?:dej(?:e|en|a|ar)|par(?:e|en|a|ar)|ya no)\\s+(?:de\\s+)?(?:escribirme|escribirnos|enviarme|mandarme|contactarme|enviar|mandar|escribir)\\b`),
  /\b(?:darme|dar me|me doy|me quiero dar|quiero darme|denme|deme) de baja\b/,
  /\bbaja\b.*\b(?:lista|mensajes|textos)\b/,
  /\bborr(?:e|en|a|ar)(?:me| mi numero| mi telefono)\b/,
  /\b(?:dejenme|dejeme|dejame) en paz\b/,
  new RegExp(`\\bbasta de\\s+${MSG_ES}\\b`),
  /\bcancelar (?:la )?suscripcion\b/,
  new RegExp(`\\bcancel\\w* (?:los |las |mis |estos |esos |todos los )?${MSG_ES}\\b`),
  new RegExp(`\\bno (?:estoy interesad[oa] en|me interesa|quiero seguir) recibi\\w*(?:\\s+\\w+){0,2}\\s+${MSG_ES}\\b`),
  /\bno (?:quiero|queremos) que (?:me |nos )?(?:escriban|manden|envien|contacten|textean|sigan escribiendo|sigan mandando)\b/,
  /\bno (?:me |nos )?vuelvan a (?:escribir|mandar|enviar|contactar)\w*/,
  /\bdesuscrib\w*|\bdarme de baja\b|\bdenme de baja\b/,
  new RegExp(`\\b${MSG_ES}\\b.{0,40}\\b(?:ya paren|paren ya|ya basta|basta ya)\\b|\\b(?:ya paren|ya basta) (?:con )?(?:los |las |sus |tantos |tantas )?${MSG_ES}\\b`),
  /^(?:por favor\s+)?(?:alto|basta|parar|para ya)(?:\s+por favor)?$/,
];

/** An exact opt-out word, or a sentence that revokes consent in words. */
const TAKE_ME_OFF = /\b(?:remove|take|delete|erase)\s+(?:me|my number|this number)\s+(?:off|from)\b/;
/** "take me off the schedule", "dont need it, take me off": about the exam, unless the texts are named too. */
const ABOUT_THE_EXAM = /\b(?:schedule|calendar|appointment|appt|wait ?list|exam|scan|mri|ct|x-?ray|ultrasound|mammo\w*|need(?:ed)? it|don'?t need|dont need)\b/;

export function isRevocation(text: string): boolean {
  if (exactKeyword(text)?.kind === 'opt_out') return true;
  const t = normalizeForKeywords(text).replace(/[¿¡!?.,;:]/g, ' ').replace(/\s+/g, ' ').trim();
  // "I don't want to stop the texts, i just need to reschedule" says the opposite.
  if (/\b(don'?t|do not|dont) want (you )?to stop\b|\b(don'?t|do not|dont) stop (the |my |sending )?(texts|messages|reminders)\b|\bno (los|las) (mensajes|textos|recordatorios)\b|\bno quiero (que )?(dejar de recibir|dejen de (mandar|enviar))\b/.test(t)) return false;
  if (REVOCATION_PATTERNS.some((p) => p.test(t))) return true;
  return TAKE_ME_OFF.test(t) && (!ABOUT_THE_EXAM.test(t) || new RegExp(`\\b${MSG_EN}\\b|(?<!wait )\\blist\\b`).test(t));
}

export type InboundClassification =
  | { kind: 'opt_out'; via: 'keyword' | 'free_text' }
  | { kind: 'opt_in' }
  | { kind: 'help' }
  | { kind: 'message' };

/**
 * `YES` is an opt-in word, but patients also answer questions with it: it re-subscribes only a number whose care
 * texts are stopped (a marketing opt-out alone leaves YES to the dialog, e.g. a readiness answer).
 */
export function classifyInbound(text: string, careRevoked: boolean): InboundClassification {
  const kw = exactKeyword(text);
  if (kw?.kind === 'opt_out') return { kind: 'opt_out', via: 'keyword' };
  if (kw?.kind === 'help') return { kind: 'help' };
  if (kw?.kind === 'opt_in' && (!EVERYDAY_OPT_IN.has(kw.word) || careRevoked)) return { kind: 'opt_in' };
  if (isRevocation(text)) return { kind: 'opt_out', via: 'free_text' };
  return { kind: 'message' };
}
