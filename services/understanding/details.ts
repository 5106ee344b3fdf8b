import { normalizePhone, PHONE_IN_TEXT } from '../contact/phone';
import { foldAccents as fold, titleCase } from '../text';
import { phrases } from './phrases';

/** A payer as the site lists it: its name and the other words people use for it. */
export interface KnownPayer {
  name: string;
  aliases: readonly string[];
}

// Compiled once per payer list (the site's), not per message and clause.
const payerMatchers = new WeakMap<readonly KnownPayer[], Array<{ name: string; re: RegExp }>>();
function matchersOf(payers: readonly KnownPayer[]): Array<{ name: string; re: RegExp }> {
  let m = payerMatchers.get(payers);
  if (!m) payerMatchers.set(payers, (m = payers.map((p) => ({ name: p.name, re: phrases([p.name, ...p.aliases].map(fold), 'g') }))));
  return m;
}

// "dr patel at northside family sent…", "la dra. ruiz de clinica san jose": the practice named after the doctor,
// up to punctuation or the verb that follows it.
const PRACTICE_AFTER = /^\s*(?:,\s*)?(?:at|from|with|of|de|del|en)\s+((?:the\s+|la\s+|el\s+)?[\p{L}&'’.-]+(?:\s+[\p{L}&'’.-]+){0,4}?)(?=\s*(?:[,.;!?]|$)|\s+(?:sent|faxed|said|says|wants|ordered|referred|and|y|mando|envio|dijo|quiere|me|is|has|put|told|already|ya|who|que)\b)/iu;
// "call me at", "my cell is": a number that is the person's own, not the office's.
const OWN_NUMBER = /\b(me|my|mine|mi|mio|myself|yo|cell|celular)\b[^\d]{0,20}$/;

/** The practice and phone of the doctor a message names (the name's end is where the practice begins). */
export function providerDetails(text: string, nameEnd: number | null): { practice: string | null; phone: string | null } {
  if (nameEnd === null) return { practice: null, phone: null };
  const m = PRACTICE_AFTER.exec(text.slice(nameEnd));
  const practice = m?.[1] && !/^(the )?(order|orden|referral|office|clinic|hospital)$/i.test(m[1]) ? m[1].replace(/^(the|la|el)\s+/i, '').trim().slice(0, 100) : null;
  const number = [...text.matchAll(PHONE_IN_TEXT)].find((p) => normalizePhone(p[0]) !== null && !OWN_NUMBER.test(fold(text.slice(0, p.index))));
  // Typed all in lower case: capitalized for the record; otherwise kept as written.
  const named = practice && /\p{L}{2,}/u.test(practice) ? (practice === practice.toLowerCase() ? titleCase(practice) : practice) : null;
  return { practice: named, phone: number ? normalizePhone(number[0]) : null };
}

const SELF_PAY = /\b(self[- ]?pay|pay (it )?myself|pay cash|no insurance|uninsured|don'?t have insurance|no tengo seguro|sin seguro|no tengo aseguranza|sin aseguranza|pago (en efectivo|particular)|(voy a )?pagar yo|lo pago yo|out of pocket)\b/;
// A member id: letters and digits with at least one digit, not a phone, a date or a time.
const ID_TOKEN = /^(?=[A-Za-z0-9-]*\d)[A-Za-z0-9-]{6,20}$/;
const ID_CUE = /\b(member|id|policy|poliza|numero de (miembro|afiliado|socio)|afiliado|subscriber|#)\s*(number|no\.?|#|es|is|:)?\s*$/i;

/**
 * The payer and member id a message names: the payer as the site lists it (or "self-pay"), the id as a token of
 * letters and digits right after the payer or after "member id" / "#". null for either when it is not said.
 */
export function coverageIn(text: string, payers: readonly KnownPayer[]): { payer: string | null; memberId: string | null } {
  const t = fold(text);
  if (SELF_PAY.test(t)) return { payer: 'self-pay', memberId: null };
  let payer: string | null = null;
  let payerEnd = -1;
  // The first payer the message names; its last mention is where a member id may follow.
  for (const { name, re } of matchersOf(payers)) {
    const found = [...t.matchAll(re)].at(-1);
    if (!found) continue;
    [payer, payerEnd] = [name, found.index + found[0].length];
    break;
  }
  let memberId: string | null = null;
  for (const w of text.matchAll(/[A-Za-z0-9-]+/g)) {
    if (!ID_TOKEN.test(w[0]) || /^\d{1,2}-\d{1,2}(-\d{2,4})?$/.test(w[0]) || normalizePhone(w[0]) !== null) continue;
    const before = fold(text.slice(Math.max(0, w.index - 30), w.index));
    if ((payerEnd >= 0 && w.index >= payerEnd && w.index - payerEnd <= 20) || ID_CUE.test(before)) {
      memberId = w[0].toUpperCase();
      break;
    }
  }
  return { payer, memberId };
}
