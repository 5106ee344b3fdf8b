import { createPhoneHasher, maskPhone, normalizePhone } from '../../services/contact/phone';
import { isValidNpi, normalizeIcd10, npiProblem } from '../../services/orders/order.codes';
import { missingItems } from '../../services/orders/order.completeness';
import { OrderInput, PatientInput } from '../../services/orders/order.schema';
import { scrubText } from '../../bot/logger';

describe('NPI check digit (Luhn over 80840)', () => {
  test('what is wrong is named', () => {
    expect([npiProblem('5125550199'), npiProblem('0000000006'), npiProblem('1234567890'), npiProblem('12345'), npiProblem('1234567893')]).toEqual(['first_digit', 'first_digit', 'check_digit', 'not_10_digits', null]);
  });
  test.each(['1234567893', '1245319599', '1003000126'])('%s is valid', (npi) => expect(isValidNpi(npi)).toBe(true));
  // A phone number and 0000000006 pass the Luhn check but are no NPI: the first digit is 1 or 2.
  test.each(['1234567890', '1234567894', '123456789', '12345678933', 'abcdefghij', '5125550199', '0000000006'])('%s is refused', (npi) =>
    expect(isValidNpi(npi)).toBe(false),
  );
});

describe('ICD-10-CM format', () => {
  test.each([
    ['M54.50', 'M54.50'],
    ['m5450', 'M54.50'],
    ['R10.9', 'R10.9'],
    ['S83.511A', 'S83.511A'],
    ['C50', 'C50'],
    ['u071', 'U07.1'],
  ])('%s → %s', (raw, code) => expect(normalizeIcd10(raw)).toBe(code));
  test.each(['54.50', 'M5', 'M54.50000', 'MM4.5'])('%s is refused', (raw) => expect(normalizeIcd10(raw)).toBeNull());
});

describe('phone numbers', () => {
  test.each([
    ['+15551234567', '+15551234567'],
    ['(555) 123-4567', '+15551234567'],
    ['1 555 123 4567', '+15551234567'],
    ['+34 612 345 678', '+34612345678'],
  ])('%s → %s', (raw, e164) => expect(normalizePhone(raw)).toBe(e164));
  test('junk is refused', () => expect(normalizePhone('call me')).toBeNull());
  test('the keyed hash is stable, keyed and not the number', () => {
    const h = createPhoneHasher('k1');
    expect(h('+15551234567')).toBe(h('+15551234567'));
    expect(h('+15551234567')).not.toBe(createPhoneHasher('k2')('+15551234567'));
    expect(h('+15551234567')).not.toContain('5551234567');
  });
  test('masking keeps the last 4 digits only', () => expect(maskPhone('+15551234567')).toBe('********4567'));
});

describe('order checklist', () => {
  const patient = PatientInput.parse({ givenName: 'Ana', familyName: 'Lopez', birthDate: '1980-04-02', phone: '+15551234567' });
  const full = {
    modality: 'ct',
    bodyPart: 'abdomen',
    contrast: 'with',
    priority: 'routine',
    reasonCodes: ['R10.9'],
    requester: { name: 'Dr. Maya Patel', npi: '1234567893', phone: '+15557654321' },
    insurance: { selfPay: true },
  };

  test('a complete order misses nothing', () => expect(missingItems(patient, OrderInput.parse(full))).toEqual([]));

  test('each missing item is named', () => {
    expect(missingItems(PatientInput.parse({}), OrderInput.parse({}))).toEqual([
      'patient name',
      'date of birth',
      'phone number',
      'modality',
      'body part',
      'diagnosis code or reason',
      'ordering provider name',
      'ordering provider NPI',
      'ordering provider callback number',
      'priority',
      'insurance or self-pay',
    ]);
  });

  test('contrast is required for CT and MRI only; laterality for paired body parts only', () => {
    expect(missingItems(patient, OrderInput.parse({ ...full, contrast: undefined }))).toEqual(['contrast']);
    expect(missingItems(patient, OrderInput.parse({ ...full, modality: 'xray', contrast: undefined }))).toEqual([]);
    expect(missingItems(patient, OrderInput.parse({ ...full, modality: 'mri', contrast: 'without', bodyPart: 'left knee' }))).toEqual(['laterality']);
    expect(
      missingItems(patient, OrderInput.parse({ ...full, modality: 'mri', contrast: 'without', bodyPart: 'knee', laterality: 'left' })),
    ).toEqual([]);
  });

  test('a reason in words stands in for a diagnosis code', () => {
    expect(missingItems(patient, OrderInput.parse({ ...full, reasonCodes: [], reasonText: 'pain after fall' }))).toEqual([]);
  });

  test('malformed values are refused, not counted as missing', () => {
    const r = OrderInput.safeParse({ ...full, requester: { ...full.requester, npi: '1234567890' }, reasonCodes: ['54.50'] });
    expect(r.success).toBe(false);
    if (!r.success) {
      const paths = r.error.issues.map((i) => i.path.join('.'));
      expect(paths).toEqual(expect.arrayContaining(['requester.npi', 'reasonCodes.0']));
    }
  });
});

describe('log scrubbing', () => {
  test('phone numbers and dates in free text are masked', () => {
    const out = scrubText('dup key { phone: "+15551234567" } born 1980-04-02 or 4/2/1980, call (555) 123-4567');
    expect(out).not.toMatch(/5551234567|1980-04-02|4\/2\/1980|123-4567/);
    expect(out).toContain('***4567');
  });
});
