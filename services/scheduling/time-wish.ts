import { DateTime } from 'luxon';
import { z } from 'zod';
import { foldAccents } from '../text';

/**
 * What a person said about when they can come, as constraints on the offered times: "after 5", "im at work til 5",
 * "mornings", "not tuesday", "thursday evening", "next week", "la segunda semana"… Local times in the center's zone.
 * Stored in conversation state (JSON), so dates are yyyy-MM-dd strings.
 */
export const TimeWish = z.object({
  /** Weekdays allowed (1 = Monday … 7 = Sunday); empty: any. */
  days: z.array(z.number().int().min(1).max(7)),
  notDays: z.array(z.number().int().min(1).max(7)),
  /** Minutes after local midnight: start at or after / end by. */
  after: z.number().int().nullable(),
  before: z.number().int().nullable(),
  /** No time before this local date. */
  from: z.string().nullable(),
});
export type TimeWish = z.infer<typeof TimeWish>;

const DAY_WORDS: Array<[RegExp, number]> = [
  [/\b(mon|monday|mondays|lunes)\b/, 1],
  [/\b(tue|tues|tuesday|tuesdays|martes)\b/, 2],
  [/\b(wed|weds|wednesday|wednesdays|miercoles)\b/, 3],
  [/\b(thu|thur|thurs|thursday|thursdays|jueves)\b/, 4],
  [/\b(fri|friday|fridays|viernes)\b/, 5],
  [/\b(sat|saturday|saturdays|sabado|sabados)\b/, 6],
  [/\b(sun|sunday|sundays|domingo|domingos)\b/, 7],
];
/** The weekday a message names (Luxon's 1 = Monday … 7 = Sunday), or null; folded text. */
export function weekdayNamed(folded: string): number | null {
  return DAY_WORDS.find(([re]) => re.test(folded))?.[1] ?? null;
}
const NEGATION = /\b(not|no|can'?t( do| make( it)?)?|cannot|won'?t work|except( for)?|but not|anything but|(any ?day|any ?time|whenever|days?|time) but|other than|aside from|apart from|besides|busy|ni|menos|no puedo( el)?|(que )?no sea|excepto|salvo)\s+(on\s+|el\s+|los\s+|a\s+|an\s+)?$/;
/** "no, mejor…", "actually…", "i mean…": what follows replaces what was said before. */
const CORRECTION = /\b(no,? mejor|mejor (el|los|la)|actually|i mean|wait,? no|no wait|scratch that|on second thought|pensandolo bien|however|instead|rather|sin embargo|pero mejor)\b/g;
/** "los martes no puedo", "tuesdays don't work", "tuesday is bad": the day said first, then ruled out. */
const NEGATED_AFTER = /^s?\s*(no\b|don'?t|doesn'?t|won'?t|(is|are) (out|bad|no good|not good)|(is|are) a no|never|no puedo|no me (queda|sirve|funciona|conviene)|tampoco)/;

const DAY_ALT = '(mon\\w*|tue\\w*|wed\\w*|thu\\w*|fri\\w*|sat\\w*|sun\\w*|lunes|martes|miercoles|jueves|viernes|sabados?|domingos?)';
const BUSY_RANGE = new RegExp(`\\b(?:work|working|busy|trabajo|ocupad[oa])\\b[^.;]*?\\b(?:de |from )?${DAY_ALT}\\s*(?:a|to|through|thru|till|til|until|-)\\s*${DAY_ALT}\\b`);
/** "weekdays", "entre semana": Monday to Friday. */
const WEEKDAYS = /\b(weekdays?|week days?|entre semana|durante la semana)\b/;

/** Hour words to minutes: "5" → 17:00 in a business day context (1–6 read as PM), "5pm", "17:30", "noon". */
function clock(h: string, m: string | undefined, ampm: string | undefined): number {
  let hour = Number(h);
  const min = m ? Number(m) : 0;
  const p = ampm?.replace(/\./g, '');
  if (p === 'pm' && hour < 12) hour += 12;
  else if (p === 'am' && hour === 12) hour = 0;
  else if (!p && hour >= 1 && hour <= 6) hour += 12;
  return hour * 60 + min;
}

/** The constraints in a message, or null when it says nothing about when. */
export function parseTimeWish(text: string, now: Date, zone: string): TimeWish | null {
  const t = foldAccents(text).toLowerCase().replace(/\s+/g, ' ');
  const w: TimeWish = { days: [], notDays: [], after: null, before: null, from: null };
  let said = false;
  // "el miércoles... no, mejor el jueves": a correction, so the days said before it do not count.
  const fix = [...t.matchAll(CORRECTION)].at(-1);
  const from = fix && DAY_WORDS.some(([re]) => re.test(t.slice(fix.index + fix[0].length))) ? fix.index + fix[0].length : 0;
  let heard = t.slice(from);
  // "trabajo de lunes a viernes", "i work monday through friday": busy those days, so they are ruled out.
  const busy = BUSY_RANGE.exec(heard);
  if (busy) {
    const [a, b] = [weekdayNamed(busy[1]!)!, weekdayNamed(busy[2]!)!];
    for (let d = a; ; d = (d % 7) + 1) {
      w.notDays.push(d);
      if (d === b) break;
    }
    heard = heard.slice(0, busy.index) + ' '.repeat(busy[0].length) + heard.slice(busy.index + busy[0].length);
    said = true;
  }
  const found = DAY_WORDS.flatMap(([re, day]) => {
    const m = re.exec(heard);
    return m ? [{ day, at: m.index, end: m.index + m[0].length }] : [];
  }).sort((a, b) => a.at - b.at);
  for (const { day, at, end } of found) {
    said = true;
    if (NEGATION.test(heard.slice(0, at)) || NEGATED_AFTER.test(heard.slice(end))) w.notDays.push(day);
    // After a correction only the first day it names is wanted ("mejor el jueves, que el miércoles tengo cita").
    else if (!from || w.days.length === 0) w.days.push(day);
  }
  if (WEEKDAYS.test(t) && w.days.length === 0) {
    w.days.push(...[1, 2, 3, 4, 5].filter((d) => !w.notDays.includes(d)));
    said = true;
  }
  const time = '(\\d{1,2})(?::(\\d{2}))?\\s*(am|pm|a\\.m\\.|p\\.m\\.)?';
  // "after 5", "después de las 5"; and "at work til 5", "trabajo hasta las 5": busy until then, so after it.
  const after = new RegExp(`\\b(?:after|past|later than|despues de las?|a partir de las?)\\s*${time}`).exec(t)
    ?? (/\b(work|working|busy|trabajo|ocupad[oa])\b/.test(t) ? new RegExp(`\\b(?:til|till|until|hasta las?)\\s*${time}`).exec(t) : null)
    // "salgo del trabajo a las 5", "i get off at 5": free from then.
    ?? new RegExp(`\\b(?:salgo (?:del trabajo |de trabajar )?a las?|get off (?:work )?at|off work at|i'?m off at|out of work at)\\s*${time}`).exec(t)
    // "de las 10 en adelante", "anything 9 or later", "from 10 on", "can't get there before 9": from then.
    ?? new RegExp(`\\b(?:de las?|desde las?)\\s*${time}\\s*(?:en adelante|para adelante|pa'? ?delante)`).exec(t)
    ?? new RegExp(`\\b${time}\\s*(?:or later|or after|and later|and after|onwards?)\\b`).exec(t)
    ?? new RegExp(`\\b(?:can'?t|cannot|can not|won'?t|no (?:alcanzo a|puedo|llego|voy a poder)(?: llegar| estar| ir)?)\\b(?:\\s+\\w+){0,3}?\\s+(?:before|antes de las?)\\s*${time}`).exec(t);
  if (after) {
    w.after = clock(after[1]!, after[2], after[3]);
    said = true;
  }
  // A "before" that says when they cannot come is the "after" above, not a limit.
  const before = after && /\b(before|antes)\b/.test(after[0]) ? null : new RegExp(`\\b(before|by|no later than|antes de las?)\\s*${time}`).exec(t);
  if (before) {
    w.before = clock(before[2]!, before[3], before[4]);
    said = true;
  }
  if (/\b(noon|mediodia)\b/.test(t) && /\b(before|antes)\b/.test(t)) {
    w.before = 12 * 60;
    said = true;
  }
  const local = DateTime.fromJSDate(now, { zone });
  // "hoy si se puede o mañana", "tomorrow": those days (mañana alone is tomorrow; "en la mañana" is the morning).
  if (/\b(today|hoy)\b/.test(t)) {
    w.days.push(local.weekday);
    said = true;
  }
  if (/\b(tomorrow|tmrw|tmr|tomorow)\b/.test(t) || (/\bmanana\b/.test(t.replace(/\b(la|las|por la|en la|de la|esta|pasado) manana\b/g, ' ')))) {
    w.days.push(local.plus({ days: 1 }).weekday);
    said = true;
  }
  if (/\b(late morning|mid ?morning|media manana|a media manana)\b/.test(t)) {
    w.after ??= 10 * 60;
    w.before ??= 12 * 60;
    said = true;
  }
  // "más temprano de esas" is the earliest of those offered, not the morning.
  const morning = /\b(morning|mornings|manana temprano|en la manana|por la manana|(en|por) las mananas|las mananas|(?<!mas )temprano)\b/.exec(t);
  if (morning) {
    // "Mornings... actually no, I do school drop-off in the mornings. Afternoons after 1": the later wish wins.
    const later = /\b(afternoons?|evenings?|after \d|tarde|despues de las)/.exec(t.slice(morning.index));
    const unsaid = later && /\b(no|not|actually|can'?t|cannot|mejor|but|pero)\b/.test(t.slice(morning.index, morning.index + later.index));
    if (!unsaid) w.before ??= 12 * 60;
    said = true;
  }
  if (/\b(afternoon|afternoons|en la tarde|por la tarde)\b/.test(t)) {
    w.after ??= 12 * 60;
    said = true;
  }
  if (/\b(evening|evenings|after work|night|en la noche|despues del trabajo)\b/.test(t)) {
    w.after ??= 16 * 60;
    said = true;
  }
  if (/\b(next week|la proxima semana|la semana que viene|la otra semana)\b/.test(t)) {
    w.from = local.startOf('week').plus({ weeks: 1 }).toFormat('yyyy-MM-dd');
    said = true;
  }
  // "el miércoles en la tarde, en la mañana no tengo quien me lleve": the morning was ruled out, not asked for.
  if (w.after !== null && w.before !== null && w.after >= w.before) w.before = null;
  return said ? w : null;
}

/** A new wish on top of an earlier one ("not tuesday", then "after 5"): what the new one says wins, days excluded add up. */
export function mergeWish(old: TimeWish | undefined, w: TimeWish): TimeWish {
  if (!old) return w;
  return {
    days: w.days.length ? w.days : old.days.filter((d) => !w.notDays.includes(d)),
    notDays: [...new Set([...old.notDays.filter((d) => !w.days.includes(d)), ...w.notDays])],
    after: w.after ?? old.after,
    before: w.before ?? old.before,
    from: w.from ?? old.from,
  };
}

/** Whether a slot start fits the wish (its local weekday and time; its length counted for "before"). */
export function fitsWish(w: TimeWish, start: Date, minutes: number, zone: string): boolean {
  const d = DateTime.fromJSDate(start, { zone });
  const mins = d.hour * 60 + d.minute;
  if (w.days.length && !w.days.includes(d.weekday)) return false;
  if (w.notDays.includes(d.weekday)) return false;
  if (w.after !== null && mins < w.after) return false;
  if (w.before !== null && mins + minutes > w.before) return false;
  if (w.from !== null && d.toFormat('yyyy-MM-dd') < w.from) return false;
  return true;
}
