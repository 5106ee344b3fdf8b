import * as chrono from 'chrono-node';
import { DateTime } from 'luxon';
import { foldAccents } from '../../services/text';
import type { Insurance } from '../../services/orders/order.schema';

/** A date of birth as YYYY-MM-DD from "04/02/1980", "4-2-80", "1980-04-02" or "April 2 1980" / "2 de abril de 1980". */
export function parseBirthDate(text: string, now: Date): string | null {
  const t = text.trim();
  let y: number, m: number, d: number;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  const us = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/.exec(t);
  if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (us) {
    [m, d, y] = [Number(us[1]), Number(us[2]), Number(us[3])];
    if (m > 12 && d <= 12) [m, d] = [d, m]; // 15/03/1985: day first, as most Spanish speakers write it
    if (y < 100) y += y > now.getFullYear() % 100 ? 1900 : 2000;
  } else {
    const parsed = (/[a-z]/i.test(t) && /\b(de|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre)\b/i.test(t) ? chrono.es : chrono).parse(t, now, { forwardDate: false })[0];
    if (!parsed || !parsed.start.isCertain('year')) return null;
    [y, m, d] = [parsed.start.get('year')!, parsed.start.get('month')!, parsed.start.get('day')!];
  }
  const date = DateTime.fromObject({ year: y, month: m, day: d });
  if (!date.isValid || y < 1900 || date.toJSDate() > now) return null;
  return date.toFormat('yyyy-MM-dd');
}

/** "Ana María López" → given "Ana María", family "López"; null unless there are two words of letters. */
export function parseFullName(text: string): { givenName: string; familyName: string } | null {
  const t = text.trim().replace(/^(my name is|i am|i'm|soy|me llamo|mi nombre es)\s+/i, '').replace(/[.,!]+$/, '');
  if (!/^[\p{L}'’ -]{3,100}$/u.test(t)) return null;
  const parts = t.split(/\s+/).filter(Boolean);
  if (parts.length < 2) return null;
  // Spanish family names often start with a particle: "de la Cruz", "del Valle".
  let i = parts.length - 1;
  while (i > 1 && /^(de|del|la|las|los|y|van|von|da|di)$/i.test(parts[i - 1]!)) i--;
  return { givenName: parts.slice(0, i).join(' '), familyName: parts.slice(i).join(' ') };
}

/** "Aetna W123456789", "BCBS member id XYZ12345", "self pay", "no tengo seguro". */
export function parseCoverage(text: string): { ok: true; value: Insurance } | { ok: false; missing: 'member_id' | 'payer' } {
  const t = foldAccents(text).trim();
  if (/\b(self[- ]?pay|cash|pay myself|no insurance|uninsured|don'?t have insurance|no tengo seguro|sin seguro|pago propio|pago en efectivo|particular|efectivo)\b/.test(t)) {
    return { ok: true, value: { selfPay: true } };
  }
  const words = text.trim().split(/[\s,;:#]+/).filter(Boolean);
  const idIndex = words.findIndex((w) => /^(?=.*\d)[A-Za-z0-9-]{5,30}$/.test(w));
  if (idIndex < 0) return { ok: false, missing: 'member_id' };
  const payer = words
    .filter((_, i) => i !== idIndex)
    .filter((w) => !/^(member|id|number|no\.?|numero|miembro|de|del|my|mi|is|es|insurance|seguro)$/i.test(w))
    .join(' ');
  if (!/[a-z]{2,}/i.test(payer)) return { ok: false, missing: 'payer' };
  return { ok: true, value: { payer: payer.slice(0, 100), memberId: words[idIndex]!.slice(0, 64) } };
}

/**
 * A screening question's answer in everyday words: "yes, ive had a pacemaker since 2019", "no never", "nope",
 * "a little", "si claro", "creo que no" (unsure: any doubt goes to a person). null when it answers nothing.
 */
export function screeningAnswer(text: string): 'yes' | 'no' | 'unsure' | null {
  const t = foldAccents(text).toLowerCase().trim().replace(/^[¡¿\s]+/, '').replace(/[\s!.?,]+$/g, '');
  if (!t) return null;
  if (/^(not sure|unsure|i have no idea|no idea|ni idea|i'?m not sure|i don'?t know|idk|dunno|maybe|perhaps|possibly|i think so|i don'?t think so|not that i know( of)?|i don'?t remember|can'?t remember|no se|no lo se|no estoy segur[oa]|tal vez|quizas?|a lo mejor|puede ser|creo que (si|no)|no recuerdo|no me acuerdo)\b/.test(t)) return 'unsure';
  if (/^(yes|yeah|yea|yep|yup|ya|y|sure|correct|i do|i have|i did|i am|i had|of course|definitely|a little|a bit|kind of|kinda|sort of|somewhat|sometimes|si|sip|claro|asi es|correcto|un poco|algo|a veces|tengo|tuve|si tengo)\b/.test(t)) return 'yes';
  if (/^(no|n|nope|nah|never|none|i don'?t|i do not|i haven'?t|not at all|not really|negative|nunca|ninguno|ninguna|para nada|jamas|no tengo)\b/.test(t)) return 'no';
  return null;
}
