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

/** Phone numbers are PHI: storage keys, job ids and lookups use this keyed hash, never the number. */
export function createPhoneHasher(key: string): (e164: string) => string {
  return (e164) => createHmac('sha256', key).update(e164).digest('base64url').slice(0, 32);
}

/** For the rare place a person must recognise a number: all but the last 4 digits masked. */
export function maskPhone(e164: string): string {
  return e164.length <= 4 ? '****' : `${'*'.repeat(e164.length - 4)}${e164.slice(-4)}`;
}
