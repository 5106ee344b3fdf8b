/** NPI: 10 digits whose last is the Luhn check digit computed over the prefix 80840 and the first nine. */
export function isValidNpi(npi: string): boolean {
  if (!/^\d{10}$/.test(npi)) return false;
  const payload = `80840${npi.slice(0, 9)}`;
  let sum = 0;
  // Luhn: double every second digit from the right of the payload (the check digit would sit to its right).
  for (let i = 0; i < payload.length; i++) {
    let d = Number(payload[payload.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10 === Number(npi[9]);
}

/** ICD-10-CM code shape: a letter (not U), a digit, a letter or digit, then optionally a dot and 1–4 more. */
const ICD10_CM = /^[A-TV-Z]\d[0-9A-Z](\.[0-9A-Z]{1,4})?$/;

/** Upper-cases and inserts the dot when omitted ("m5450" → "M54.50"); null when the shape is wrong. */
export function normalizeIcd10(raw: string): string | null {
  let code = raw.trim().toUpperCase();
  if (!code.includes('.') && code.length > 3) code = `${code.slice(0, 3)}.${code.slice(3)}`;
  return ICD10_CM.test(code) ? code : null;
}
