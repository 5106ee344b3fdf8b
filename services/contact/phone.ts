import { createHmac } from 'node:crypto';

/** E.164, or a 10-digit US number written any usual way ("(555) 123-4567" → "+15551234567"). */
export function normalizePhone(raw: string): string | null {
  const trimmed = raw.trim();
  const digits = trimmed.replace(/[\s().-]/g, '');
  if (/^\+[1-9]\d{7,14}$/.test(digits)) return digits;
  if (/^\d{10}$/.test(digits)) return `+1${digits}`;
  if (/^1\d{10}$/.test(digits)) return `+${digits}`;
  return null;
}

/** The first phone number written anywhere in a sentence ("mi cel es 512 555 2402", "call me at (512) 555-0142 pls"). */
export function findPhone(text: string): string | null {
  const whole = normalizePhone(text);
  if (whole) return whole;
  for (const m of text.matchAll(PHONE_IN_TEXT)) {
    const p = normalizePhone(m[0]);
    if (p) return p;
  }
  return null;
}

/** Where a phone number is written in a sentence: the usual groups, or ten digits however spaced ("512 555 01 88", "5 1 2 5 5 5 0 1 3 1"). */
export const PHONE_IN_TEXT = /(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}\b|(?<![\d/])(?:1[\s.-]*)?\(?\d(?:[\s().-]{0,2}\d){9}(?![\d/])/g;

/** Phone numbers are PHI: storage keys, job ids and lookups use this keyed hash, never the number. */
export function createPhoneHasher(key: string): (e164: string) => string {
  return (e164) => createHmac('sha256', key).update(e164).digest('base64url').slice(0, 32);
}

/** For the rare place a person must recognise a number: all but the last 4 digits masked. */
export function maskPhone(e164: string): string {
  return e164.length <= 4 ? '****' : `${'*'.repeat(e164.length - 4)}${e164.slice(-4)}`;
}
