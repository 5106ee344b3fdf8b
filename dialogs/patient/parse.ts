import * as chrono from 'chrono-node';
import { DateTime } from 'luxon';
import { foldAccents, titleCase, withoutEmoji } from '../../services/text';
import type { Insurance } from '../../services/orders/order.schema';
import type { SiteConfig } from '../../services/config/site.schema';
import { normalizePhone, PHONE_IN_TEXT } from '../../services/contact/phone';

/**
 * A date of birth that may be read two ways: "05/11/1979" from someone writing in Spanish could be 5 November or
 * May 11. Both readings (day-first first) when that is so and they differ; the caller asks, never guesses.
 */
export function birthDateReadings(text: string, now: Date, language: 'en' | 'es'): string[] {
  // "nineteen seventy-seven, June 2nd", "el doce de agosto de mil novecientos cuarenta y ocho": numbers in words.
  if (!/\d{3}/.test(text) && NUMBER_WORD.test(foldAccents(text))) text = numbersInDigits(foldAccents(text));
  // "3/17/82 wait no 83. march 17 1983": a correction, so the last date said.
  const all = datesIn(text);
  if (all.length > 1) return birthDateReadings(all.at(-1)!.text, now, language);
  // "11/2/1957 sorry i mean 1958", "12 de agosto del 63... perdón, del 64": the year corrected.
  const year = all[0] ? YEAR_FIX.exec(foldAccents(text.slice(all[0].index + all[0].text.length))) : null;
  if (all[0] && year) {
    const first = birthDateReadings(all[0].text, now, language);
    const yy = Number(year[1]);
    const y = year[1]!.length === 4 ? yy : yy > now.getFullYear() % 100 ? 1900 + yy : 2000 + yy;
    return first.map((d) => `${y}${d.slice(4)}`).filter((d) => parseBirthDate(d, now) === d);
  }
  const one = parseBirthDate(text, now);
  if (!one) {
    // A date among other words ("born 2/9/52 i think"): that date.
    return all[0] && all[0].text !== text.trim() ? birthDateReadings(all[0].text, now, language) : [];
  }
  const us = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/.exec(text.trim());
  if (language !== 'es' || !us || Number(us[1]) > 12 || Number(us[2]) > 12 || us[1] === us[2]) return [one];
  const swapped = parseBirthDate(`${us[2]}/${us[1]}/${us[3]}`, now);
  return swapped && swapped !== one ? [swapped, one] : [one];
}

const UNITS: Record<string, number> = Object.fromEntries(
  [
    ...'zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen'.split(' ').map((w, i) => [w, i] as const),
    ...'cero uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince dieciseis diecisiete dieciocho diecinueve'.split(' ').map((w, i) => [w, i] as const),
    ['oh', 0], ['un', 1], ['primero', 1], ['first', 1], ['second', 2], ['third', 3], ['fifth', 5], ['eighth', 8], ['ninth', 9], ['twelfth', 12],
    ...'veinte veintiuno veintidos veintitres veinticuatro veinticinco veintiseis veintisiete veintiocho veintinueve'.split(' ').map((w, i) => [w, 20 + i] as const),
  ],
);
const TENS: Record<string, number> = { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90, treinta: 30, cuarenta: 40, cincuenta: 50, sesenta: 60, setenta: 70, ochenta: 80, noventa: 90 };
const UNIT_RE = Object.keys(UNITS).sort((a, b) => b.length - a.length).join('|');
const TENS_RE = Object.keys(TENS).join('|');
// A number below 100 in words: "seventy-seven", "cuarenta y ocho", "twenty eighth", "doce".
const UNDER_100 = `(?:(?:${TENS_RE})(?:[- ]|\\s+y\\s+)(?:${UNIT_RE})(?:th|st|nd|rd)?|(?:${TENS_RE})|(?:${UNIT_RE})(?:th)?)`;
const NUMBER_WORD = new RegExp(`\\b(?:${TENS_RE}|${UNIT_RE}|mil|thousand|hundred)\\b`);
function under100(words: string): number | null {
  const m = new RegExp(`^(?:(${TENS_RE})(?:[- ]|\\s+y\\s+))?(${UNIT_RE}|${TENS_RE})(?:th|st|nd|rd)?$`).exec(words);
  if (!m) return null;
  return (m[1] ? TENS[m[1]]! : 0) + (UNITS[m[2]!] ?? TENS[m[2]!]!);
}
/** Years and days said in words, written in digits ("mil novecientos cuarenta y ocho" → 1948), for the date readers. */
function numbersInDigits(text: string): string {
  const year = (rest: string | undefined, base: number) => String(base + (rest ? (under100(rest.trim()) ?? 0) : 0));
  return text
    .replace(new RegExp(`\\b(?:mil novecientos|nineteen hundred(?: and)?|nineteen)(\\s+${UNDER_100})?\\b`, 'g'), (_m, rest: string | undefined) => year(rest, 1900))
    .replace(new RegExp(`\\b(?:dos mil|two thousand(?: and)?)(\\s+${UNDER_100})?\\b`, 'g'), (_m, rest: string | undefined) => year(rest, 2000))
    .replace(new RegExp(`\\b${UNDER_100}\\b`, 'g'), (m) => String(under100(m) ?? m))
    // "1977, June 2": the year said first goes last, where the date readers look for it.
    .replace(/^\s*(\d{4}),?\s+(.+?)[.!]*$/, '$2 $1');
}

/** A date of birth as YYYY-MM-DD from "04/02/1980", "4-2-80", "1980-04-02" or "April 2 1980" / "2 de abril de 1980". */
const ES_MONTHS: Record<string, string> = { ene: 'enero', feb: 'febrero', mar: 'marzo', abr: 'abril', may: 'mayo', jun: 'junio', jul: 'julio', ago: 'agosto', sep: 'septiembre', sept: 'septiembre', set: 'septiembre', oct: 'octubre', nov: 'noviembre', dic: 'diciembre' };
const MONTH_WORD = /\b(jan\w*|feb\w*|mar\w*|apr\w*|may|jun\w*|jul\w*|aug\w*|sep\w*|oct\w*|nov\w*|dec\w*|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre)\b/i;

export function parseBirthDate(text: string, now: Date): string | null {
  let t = text
    .trim()
    .replace(/^(it'?s|its|i was born( on)?|born( on)?|nac[ií] el|naci el|es el|el)\s+/i, '')
    .replace(/[.!]+$/, '')
    // "3 de sept 1966", "24 dic 1958": Spanish month abbreviations written out, which the Spanish date reader needs.
    .replace(/\b(de |\d{1,2} )(ene|feb|mar|abr|may|jun|jul|ago|sep|sept|set|oct|nov|dic)\.?(?=\s|$)/i, (_m, de: string, mo: string) => `${/\d/.test(de) ? `${de}de ` : de}${ES_MONTHS[mo.toLowerCase()] ?? mo}`);
  // "march 3 75", "21 de enero del 77": a two-digit year after a month in words.
  const short = MONTH_WORD.test(t) ? /^(.*\D)(?:'|de |del )?(\d{2})$/i.exec(t) : null;
  if (short && !/\d{4}/.test(t)) {
    const yy = Number(short[2]);
    t = `${short[1]!.replace(/['’]\s*$/, '').replace(/\s*(de|del)\s*$/i, ' de').trimEnd()} ${yy > now.getFullYear() % 100 ? 1900 + yy : 2000 + yy}`;
  }
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

/** A year said again after a date, as a correction: "sorry i mean 1958", "perdón, del 64". */
const YEAR_FIX = /\b(?:sorry|i mean|no|wait|actually|perdon|digo|quise decir|mejor dicho|o sea)\b[^\d]*?(?:\b(?:de|del)\s+)?'?(\d{4}|\d{2})\s*[.!]*\s*$/;
/** Dates written inside other words, in order: "2/28/72", "1961-11-23", "march 17 1983", "17 de marzo de 1983". */
const DATE_IN_TEXT = new RegExp(
  [
    String.raw`\b\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})\b`,
    String.raw`\b\d{4}-\d{1,2}-\d{1,2}\b`,
    String.raw`\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2}(?:st|nd|rd|th)?,? (?:\d{4}|'?\d{2})\b`,
    String.raw`\b\d{1,2}(?:st|nd|rd|th)? (?:of )?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*,? (?:\d{4}|'?\d{2})\b`,
    String.raw`\b\d{1,2} de [a-z]+ (?:de |del )?\d{2,4}\b`,
  ].join('|'),
  'gi',
);
export function datesIn(text: string): Array<{ text: string; index: number }> {
  return [...foldAccents(text).matchAll(DATE_IN_TEXT)].map((m) => ({ text: text.slice(m.index, m.index + m[0].length), index: m.index }));
}

/**
 * A name with a date of birth in the same message: "brenda kowalski 2/28/72", "its linda ferguson-hale dob 11/23/1961",
 * "Walter Boyd, born March 3, 1941". null unless the words before the date are a name and the date is a birth date.
 */
export function nameAndBirthDate(text: string, now: Date, language: 'en' | 'es', inSentence = false): { givenName: string; familyName: string; birthDate?: string } | null {
  const date = datesIn(text)[0];
  if (!date) return null;
  let before = withoutEmoji(text.slice(0, date.index))
    .replace(/[\s,;:-]*\b(dob|d\.o\.b\.?|born( on)?|birthday|bday|date of birth( is)?|fecha de nacimiento|nacid[oa] el|naci el|nacio el|cumpleanos)\s*:?\s*$/i, '')
    .replace(/[\s,;:-]+$/, '');
  // In a longer message only the words after "its", "my name is", "se llama"… can be the name.
  if (inSentence) before = NAME_CUE.exec(before)?.[1] ?? '';
  const name = before ? parseFullName(before, language) : null;
  if (!name) return null;
  // A day and month that read two ways are asked about later, never guessed.
  const readings = birthDateReadings(date.text, now, language);
  return readings.length === 1 ? { ...name, birthDate: readings[0]! } : name;
}
const NAME_CUE = /(?:^|[.!?;,]\s*|\s)(?:it'?s|its|my name is|name is|name:|this is|i am|i'?m|his name is|her name is|their name is|patient is|soy|me llamo|se llama|su nombre es|mi nombre es|el nombre es)\s+([^.!?;,]+)$/i;

const SUFFIX = /^(jr|sr|ii|iii|iv|v)\.?$/i;
/** Second given names common in Spanish compound names (José Luis, María Guadalupe, Francisco Javier). */
const SECOND_GIVEN = new Set(
  'javier luis carlos jose maria guadalupe antonio pablo angel manuel elena isabel fernanda alejandro eduardo andres alberto enrique ignacio miguel ramon fernando daniel david alejandra teresa cristina luisa carmen del marisol lucia ezequiel martin sebastian gabriel emilio ernesto felipe gustavo joaquin julian mateo nicolas rodrigo santiago tomas agustin ivan jorge mario oscar raul sergio victor camila valeria daniela natalia carolina claudia diana karla laura liliana lorena marina marta silvia sonia susana vanessa yaneth sofia paola andrea patricia beatriz alicia juana josefina jesus francisco rafael ricardo roberto armando esteban mercedes dolores socorro pilar yolanda veronica adriana gabriela mariana monica rosa ines ruth'.split(' '),
);
/** Words that are in sentences, never in names (English and Spanish). */
const NON_NAME = new Set(
  ('i me my you your we our he she her his they them their is are am was be can could do does did would should need want have has had ' +
    'for or and but the an to of in on at with about what when where why how yes no not just also please pls thanks thank appt appointment ' +
    'yo mi mis su sus es soy son esta estoy tengo necesito quiero para por con que como cuando donde porque pero si hija hijo esposa esposo mama papa madre padre')
    .split(' '),
);
function hasNonNameWord(text: string): boolean {
  return foldAccents(text)
    .split(/[^a-z']+/)
    .some((w) => NON_NAME.has(w));
}
const PARTICLE = /^(de|del|la|las|los|y|van|von|da|di|der|den|le|st\.?)$/i;

/**
 * A full name as people type it: "Ana María López", "its john r. smith jr", "DELGADO-VILLANUEVA, ROSA",
 * "Maria Guadalupe Hernandez Torres" (two surnames: in Spanish the last two words of three or more are the family
 * name, so either surname verifies later), "de la Cruz", "O'Brien". null unless there is a given and a family name.
 */
export function parseFullName(text: string, language: 'en' | 'es' = 'en'): { givenName: string; familyName: string } | null {
  let t = text
    .trim()
    .replace(/^((sorry|oops|oh|ok|okay|perdon|perdón|disculpe)[,!.]*\s+)+/i, '')
    .replace(/^(my (full |legal |complete )?name is|my name'?s|name is|(her|his|their|the patient'?s) (full |legal |complete )?name is|it'?s|its|this is|i am|i'?m|soy|me llamo|se llama|(mi|su) nombre (completo )?es|el nombre (completo )?es|es)\s+/i, '')
    .replace(/^(mrs|mr|ms|miss|mx|sra|srta|sr|dona|doña)\.?\s+/i, '')
    // "Angela Marie Russo Bianchi with a dash between Russo and Bianchi": the two written as one.
    .replace(/^(.+?)\s+with an? (?:dash|hyphen) between (\p{L}+) and (\p{L}+)[.!]*$/iu, (_m, name: string, a: string, b: string) => name.replace(new RegExp(`(?<!\\p{L})${a}\\s+${b}(?!\\p{L})`, 'iu'), `${a}-${b}`))
    // "robert keane (bobby)", 'robert "bobby" keane': the nickname is not part of the legal name.
    .replace(/\s*(\([^)]*\)|"[^"]*"|“[^”]*”)\s*/g, ' ')
    .replace(/[.,!]+$/, '')
    // "Frank Delgado dash Moss D E L G A D O hyphen M O S S": the spelling after the name is not part of it.
    .replace(/(?:\s+(?:\p{L}|dash|hyphen|guion|guión)(?=\s|$)){3,}\s*$/iu, '')
    .replace(/\s+(?:dash|hyphen|guion|guión)\s+/giu, '-')
    .replace(/\s+the (second|third|fourth|2nd|3rd|4th)$/i, (_m, n: string) => ` ${({ second: 'II', '2nd': 'II', third: 'III', '3rd': 'III', fourth: 'IV', '4th': 'IV' } as Record<string, string>)[n.toLowerCase()]}`)
    .trim();

  // "rosa elena vargas mendoza, yo soy su hija": the name, without what follows it.
  const [head, ...tail] = t.split(',');
  if (tail.length && tail.some((x) => hasNonNameWord(x))) t = head!.trim();
  if (!/^[\p{L}'’. ,-]{3,100}$/u.test(t)) return null;
  // "also can i just walk in for xrays or do i need an appt" is a question, not a name.
  if (t.split(/[\s,]+/).length > 7 || hasNonNameWord(t)) return null;
  // "MRI L-spine" is an exam, not a person.
  if (/\b(mri|ct|cat scan|x-?ray|xr|us|ultrasound|mammo\w*|pet|dexa|scan|spine|l-spine|c-spine|knee|shoulder|abdomen|pelvis|resonancia|tomografia|ultrasonido|radiografia)\b/i.test(foldAccents(t))) return null;
  // "LAST, FIRST MIDDLE"
  const comma = /^([^,]+),\s*([^,]+)$/.exec(t);
  if (comma) {
    const family = comma[1]!.trim();
    const given = comma[2]!.trim();
    if (!/\p{L}{2,}/u.test(family) || !/\p{L}/u.test(given)) return null;
    return { givenName: given, familyName: family };
  }
  t = t.replace(/,/g, ' ');
  const parts = t.split(/\s+/).filter(Boolean);
  const suffix = parts.length > 2 && SUFFIX.test(parts.at(-1)!) ? parts.pop()! : null;
  if (parts.length < 2 || !parts.some((w) => /\p{L}{2,}/u.test(w))) return null;
  // The family name starts at its particles ("de la Cruz"); in Spanish a second surname is common.
  let i = parts.length - 1;
  // "Francisco Javier Ortiz": a compound given name and one surname; "Leticia Morales Treviño": two surnames.
  const compoundGiven = parts.length === 3 && SECOND_GIVEN.has(foldAccents(parts[1]!));
  if (language === 'es' && parts.length >= 3 && !compoundGiven && !PARTICLE.test(parts[i - 1]!)) i--;
  while (i > 1 && PARTICLE.test(parts[i - 1]!)) i--;
  // "Yokasta Almonte de la Cruz": in Spanish the first surname comes before one with particles.
  if (language === 'es' && i > 1 && PARTICLE.test(parts[i]!) && !SECOND_GIVEN.has(foldAccents(parts[i - 1]!))) i--;
  const familyName = [...parts.slice(i), ...(suffix ? [suffix.replace(/\.$/, '')] : [])].join(' ');
  const givenName = parts.slice(0, i).join(' ');
  if (!/\p{L}{2,}/u.test(familyName.replace(SUFFIX, ''))) return null;
  return { givenName, familyName };
}

/**
 * The name in an answer that says more after it: "Her name is Emma Rodriguez-Walsh. I'm her dad, Kevin.", "Gerald
 * Fitzpatrick. I should perhaps mention that I have chronic kidney disease": the first sentence's name, and the rest.
 */
export function nameInAnswer(text: string, language: 'en' | 'es' = 'en'): { name: { givenName: string; familyName: string }; rest: string } | null {
  // A sentence ends after a word of two letters or more, so "Harold W. Beaumont" is one.
  const m = /^(.*?\p{L}{2})[.!;]+\s+(.+)$/su.exec(text.trim());
  const first = m ? parseFullName(m[1]!, language) : null;
  if (first) return { name: first, rest: m![2]!.trim() };
  const whole = parseFullName(text, language);
  return whole ? { name: whole, rest: '' } : null;
}

/** One name word alone ("Eli", "tony", "Castellanos"): not a sentence word, not yes or no. */
export function oneName(text: string): string | null {
  const t = text.trim().replace(/[.!,]+$/, '');
  if (!/^\p{L}[\p{L}'’-]{1,29}$/u.test(t) || hasNonNameWord(t) || /^(si|sí|ok|okay|nope|nah|yep|yeah|hola|hello|hi|hey|gracias|ninguno|none)$/i.test(t)) return null;
  return t;
}

/** "Aetna W123456789", "BCBS member id XYZ12345", "self pay", "no tengo seguro". */
export function parseCoverage(text: string, site?: Pick<SiteConfig, 'payers'>): { ok: true; value: Insurance } | { ok: false; missing: 'member_id' | 'payer'; payer?: string } {
  const t = foldAccents(text).trim();
  if (/\b(self[- ]?pay|cash|pay myself|no insurance|uninsured|don'?t have insurance|no tengo seguro|sin seguro|no tengo aseguranza|sin aseguranza|pago propio|pago en efectivo|particular|efectivo|(voy a )?pagar yo|pago yo|lo pago yo|i'?ll pay (myself|out of pocket|cash)|out of pocket)\b/.test(t)) {
    return { ok: true, value: { selfPay: true } };
  }
  // "aetna W238841907. oh and fyi…": an id ends at its punctuation.
  const words = text.trim().split(/[\s,;:#]+/).map((w) => w.replace(/[.!?)]+$/, '')).filter(Boolean);
  const idIndex = words.findIndex((w) => /^(?=.*\d)[A-Za-z0-9-]{5,30}$/.test(w));
  const payer = words
    .filter((_, i) => i !== idIndex)
    .filter((w) => !/^(member|id|number|no\.?|numero|miembro|de|del|my|mi|is|es|insurance|seguro)$/i.test(w))
    .join(' ');
  // The payer as the site knows it ("blue cross" → Blue Cross Blue Shield of Texas), else the words given.
  const known = site?.payers.find((p) => [p.name, ...p.aliases].some((n) => new RegExp(`\\b${foldAccents(n).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(t)));
  const cleaned = payer.replace(/^(i have|i've got|i got|tengo|it'?s|its|my insurance is|mi seguro es)\s+/i, '').trim();
  if (idIndex < 0) return { ok: false, missing: 'member_id', ...(known ? { payer: known.name } : {}) };
  if (!known && !/[a-z]{2,}/i.test(cleaned)) return { ok: false, missing: 'payer' };
  return { ok: true, value: { payer: (known?.name ?? cleaned).slice(0, 100), memberId: words[idIndex]!.slice(0, 64) } };
}

/**
 * A screening question's answer in everyday words: "yes, ive had a pacemaker since 2019", "no never", "nope",
 * "a little", "si claro", "creo que no" (unsure: any doubt goes to a person). null when it answers nothing.
 */
export function screeningAnswer(text: string): 'yes' | 'no' | 'unsure' | null {
  // "actually yes im about 8 weeks", "well no", "pues si": the filler in front does not change the answer.
  const t = foldAccents(text).toLowerCase().trim().replace(/^[¡¿\s]+/, '').replace(/^((actually|well|um+|uh+|oh|ok(ay)?|so|hmm+|honestly|pues|bueno|mmm+|la verdad|ah|ay|eh|este|mira|oye)[\s,.!]+)+/, '').replace(/[\s!.?,]+$/g, '');
  if (!t) return null;
  // "She's 84, so no", "tengo 70 años, así que no": the answer closes the reason given for it.
  const so = /\b(so|then|entonces|asi que|por eso|por lo tanto),? (no+|nope|yes|si)$/.exec(t);
  if (so) return /^(no+|nope)$/.test(so[2]!) ? 'no' : 'yes';
  if (/^(not sure|unsure|i have no idea|no idea|ni idea|i'?m not sure|i don'?t know|idk|dunno|maybe|perhaps|possibly|i think so|i don'?t think so|not that i know( of)?|i don'?t remember|can'?t remember|no se|no lo se|no estoy segur[oa]|tal vez|quizas?|a lo mejor|puede ser|creo que (si|no)|no recuerdo|no me acuerdo)\b/.test(t)) return 'unsure';
  if (/^((definitely|absolutely|certainly|of course|def|hell) not|no way|no chance|not (at all|really|a chance|likely))\b/.test(t)) return 'no';
  if (/^(yes|yeah|yea|yep|yup|ya|y|sure|correct|i do|i have|i did|i am|i had|of course|definitely|a little|a lil|a lil bit|lil bit|slightly|un poquito|poquito|a bit|kind of|kinda|sort of|somewhat|sometimes|si+|sip|simon|sep|yess+|obvio|claro|asi es|correcto|un poco|algo|a veces|tengo|tuve|si tengo|tiene|tuvo|he has|she has|he had|she had|he does|she does|i've had|ive had)\b/.test(t)) return 'yes';
  if (/^(no+|n|nope|nop|nopes|nel|nones|nah|naa+|never|none|i don'?t|i do not|i haven'?t|not at all|not really|negative|nunca|ninguno|ninguna|para nada|jamas|no tengo)\b/.test(t)) return 'no';
  // "tengo un atraso de como 2 semanas, puede ser": a doubt anywhere in the answer is an unsure (a person checks).
  if (/\b(no se|no estoy segur[oa]|puede ser|tal vez|quizas?|a lo mejor|maybe|not sure|i'?m not sure|possibly|might be|could be)\b/.test(t)) return 'unsure';
  return null;
}

/** Words of a sentence about the doctor, never of a practice's name ("i dont have his number", "no sé el número"). */
const NOT_PRACTICE = /\b(i|me|my|you|your|we|he|she|they|them|is|are|am|was|have|has|had|dont|don'?t|know|sorry|think|not|yo|tengo|tiene|se|no|creo)\b/;

/**
 * A patient's answer about their doctor: "dr patel at northside family, their number is 512-555-0188" → name
 * "Dr. Patel", practice "Northside Family", phone "+15125550188". null when it names nobody.
 */
export function parseProvider(text: string): { name: string; practice: string | null; phone: string | null; display: string } | null {
  // Typed all in lower case: capitalized for the record; otherwise kept as written.
  const titled = (x: string) => (text === text.toLowerCase() ? titleCase(x) : x);
  const digits = [...text.matchAll(PHONE_IN_TEXT)].find((m) => normalizePhone(m[0]) !== null) ?? null;
  const phone = digits ? normalizePhone(digits[0]) : null;
  // "la clinica de la uni, la nurse practitioner se llama Jessica Tran": the name said as a name, the place before it.
  const called = /^(.*?)[,;]?\s*[^,;]*?\b(?:se llama|is named|named|is called|her name is|his name is|su nombre es|(?:the )?(?:doc|doctor|dr) (?:was|is)|me atendi[oó] (?:el|la))\s+(\p{L}[\p{L}'’.-]*(?:\s+\p{L}[\p{L}'’.-]*){0,3})/iu.exec(text);
  if (called && called[2] && !hasNonNameWord(called[2])) {
    const place = called[1]!.replace(/[,;\s]+$/, '').trim();
    const practice = place && !NOT_PRACTICE.test(foldAccents(place)) ? titled(place).slice(0, 100) : null;
    const name = titled(called[2].trim()).replace(/^dr\.?\s+/i, 'Dr. ').replace(/^dra\.?\s+/i, 'Dra. ').slice(0, 100);
    return { name, practice, phone, display: (practice ? `${name}, ${practice}` : name).slice(0, 200) };
  }
  // "dr kim at texas medcare, dont have their number sorry": the clauses after a comma that are not a name go.
  const kept = text.split(/[,;]|(?<!\b(?:dr|dra|st|mr|mrs|ms|jr|sr|drs))\.\s+/i).filter((part, i) => i === 0 || (!NOT_PRACTICE.test(foldAccents(part).replace(/\b(their|the|his|her|su|el)\s+(phone\s+)?(number|phone|telefono|numero)\s*(is|es)?\b/gi, '')) && !/\b(dont|don'?t|no tengo|sorry|perdon|not sure|idk)\b/i.test(part)) || /\d{3}/.test(part));
  let rest = (digits ? kept.join(',').replace(digits[0], ' ') : kept.join(','))
    .replace(/\b((their|the|his|her|su|el)\s+)?(phone\s+)?(number|phone|telefono|teléfono|numero|número)\s*(is|es)?\b/gi, ' ')
    .replace(/\b(my (primary care|primary|pcp|family|regular|usual)?\s*(doctor|dr|physician|provider)?\s*(is|'?s name is)|(her|his|their) name is|it'?s|its|mi doctor(a)? es|mi medic[oa] es|es el|es la|se llama)\b/gi, ' ')
    .replace(/[,;:]+\s*$/, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[,;.]+$/, '')
    .trim();
  // "dr kim at texas medcare", or "dr nguyen, the clinic on south 1st": the practice after "at" or the first comma.
  const at = /^(.*?)\s*(?:,\s*)?\b(at|from|with|of|in|de|del|en)\b\s+(.+)$/i.exec(rest) ?? /^(.*?)(,)\s*(.+)$/.exec(rest);
  let practice: string | null = null;
  let joiner = 'at';
  if (at && /\p{L}{2,}/u.test(at[1]!) && /\p{L}{2,}/u.test(at[3]!)) {
    rest = at[1]!.trim();
    joiner = at[2]!.toLowerCase();
    practice = titled(at[3]!.replace(/[,;.]+$/, '').trim()).slice(0, 100);
  }
  if (!/\p{L}{2,}/u.test(rest)) return null;
  // "el dr. ramirez", "la dra. ramirez": the article is not part of the name.
  const bare = rest.replace(/^(el|la)\s+(?=dra?\.?\s)/i, '');
  const name = titled(bare.replace(/^dr\.?\s+/i, 'Dr. ').replace(/^dra\.?\s+/i, 'Dra. ')).slice(0, 100);
  return { name, practice, phone, display: (practice ? (joiner === ',' ? `${name}, ${practice}` : `${name} ${joiner} ${practice}`) : name).slice(0, 200) };
}
