/** What is wrong with an NPI, or null: 10 digits, the first 1 or 2, the last a Luhn check over 80840 and the first nine. */
export function npiProblem(npi: string): 'not_10_digits' | 'first_digit' | 'check_digit' | null {
  if (!/^\d{10}$/.test(npi)) return 'not_10_digits';
  // Individual NPIs start with 1, organizations' with 2; a phone number or 0000000006 is no NPI.
  if (npi[0] !== '1' && npi[0] !== '2') return 'first_digit';
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
  return (10 - (sum % 10)) % 10 === Number(npi[9]) ? null : 'check_digit';
}

export const isValidNpi = (npi: string): boolean => npiProblem(npi) === null;

/** ICD-10-CM code shape (U too: U07.1 is COVID-19): a letter, a digit, a letter or digit, then optionally a dot and 1–4 more. */
const ICD10_CM = /^[A-Z]\d[0-9A-Z](\.[0-9A-Z]{1,4})?$/;

/** Upper-cases and inserts the dot when omitted ("m5450" → "M54.50"); null when the shape is wrong. */
export function normalizeIcd10(raw: string): string | null {
  let code = raw.trim().toUpperCase();
  if (!code.includes('.') && code.length > 3) code = `${code.slice(0, 3)}.${code.slice(3)}`;
  return ICD10_CM.test(code) ? code : null;
}
