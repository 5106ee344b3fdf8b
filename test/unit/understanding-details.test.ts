import { rulesEngine } from '../../services/understanding/rules.engine';
import { exampleSite } from '../support/test-app';

// Monday 30 Nov 2026, 09:00 in Austin; the example site's payers.
const ctx = { now: new Date('2026-11-30T15:00:00Z'), timeZone: 'America/Chicago', payers: exampleSite().payers };
const fields = async (text: string) => (await rulesEngine.understand(text, ctx)).fields;

describe('the doctor: name, practice and office number apart', () => {
  test.each([
    ['my dr patel at northside family sent the order, their number is 512-555-0188', 'Dr. Patel', 'Northside Family', '+15125550188'],
    ['Dr. Okafor from Lakeway Ortho faxed the referral yesterday', 'Dr. Okafor', 'Lakeway Ortho', null],
    ['la dra. ruiz de clinica san jose me mando la orden', 'Dr. Ruiz', 'Clinica San Jose', null],
    ['dr kim sent it over, office is 737 555 0142', 'Dr. Kim', null, '+17375550142'],
    ['my doctor is dr okafor at riverside spine', 'Dr. Okafor', 'Riverside Spine', null],
  ])('%s', async (text, name, practice, phone) => {
    expect(await fields(text)).toMatchObject({ providerName: name, providerPractice: practice, providerPhone: phone });
  });

  test("the person's own number is never the doctor's", async () => {
    expect(await fields('dr patel ordered an mri, call me at 512-555-0123')).toMatchObject({ providerName: 'Dr. Patel', providerPhone: null });
    expect(await fields('mi celular es 512 555 0123, el dr garza me mando')).toMatchObject({ providerPhone: null });
  });

  test('no doctor named: no practice and no number', async () => {
    expect(await fields('i need an mri at 512-555-0188')).toMatchObject({ providerName: null, providerPractice: null, providerPhone: null });
  });
});

describe('payer and member id', () => {
  test.each([
    ['i have aetna W123456789', 'Aetna', 'W123456789'],
    ['BCBS member id zgp99812345', 'Blue Cross Blue Shield of Texas', 'ZGP99812345'],
    ['tengo medicaid, numero de miembro 5521XK0934', 'Texas Medicaid', '5521XK0934'],
    ['insurance is UHC, id # 90031-7742A', 'UnitedHealthcare', '90031-7742A'],
    ['do you take blue cross?', 'Blue Cross Blue Shield of Texas', null],
    ["i'm self pay", 'self-pay', null],
    ['no tengo seguro, cuanto cuesta?', 'self-pay', null],
  ])('%s', async (text, payer, memberId) => {
    expect(await fields(text)).toMatchObject({ payer, memberId });
  });

  test('a date, a phone or a time is no member id; nothing said is null', async () => {
    expect(await fields('aetna, my birthday is 03-14-1980')).toMatchObject({ payer: 'Aetna', memberId: null });
    expect(await fields('i have aetna, call 512-555-0188')).toMatchObject({ payer: 'Aetna', memberId: null });
    expect(await fields('I need an MRI of my knee')).toMatchObject({ payer: null, memberId: null });
  });
});

describe('when they can come, as constraints', () => {
  test.each([
    ['tuesday afternoon after 5 pls', { days: [2], notDays: [], after: 17 * 60 }],
    ['none of those work, im at work til 5', { after: 17 * 60 }],
    ['mornings are best for me', { before: 12 * 60 }],
    ['anything but tuesday', { notDays: [2] }],
    ['not tuesday!!', { notDays: [2] }],
    ['next week any day except friday', { from: '2026-12-07', notDays: [5] }],
    ['los martes no puedo, mejor en la tarde', { notDays: [2] }],
  ])('%s', async (text, wish) => {
    expect((await fields(text)).timeWish).toMatchObject(wish);
  });

  test('a message that says nothing about when has none', async () => {
    expect((await fields('i need an mri of my knee')).timeWish).toBeNull();
  });
});

describe('whether there is an order, in everyday words', () => {
  test.each([
    ['my dr sent a referral last week', true],
    ['i have the order from my doctor', true],
    ['mi doctor ya mando la orden', true],
    ['no tengo orden todavía', false],
    ['no i dont have one yet, can you guys get it?', null],
    ["I don't have a referral", false],
  ])('%s', async (text, hasOrder) => {
    expect((await fields(text)).hasOrder).toBe(hasOrder);
  });
});

describe('order shorthand offices type', () => {
  test.each([
    ['XR R knee', 'xray', 'knee', 'right'],
    ['xr lt shoulder', 'xray', 'shoulder', 'left'],
    ['US RUQ', 'ultrasound', 'right upper quadrant', null],
    ['ultrasound of the right upper quadrant', 'ultrasound', 'right upper quadrant', null],
  ])('%s', async (text, modality, bodyPart, laterality) => {
    expect(await fields(text)).toMatchObject({ modality, bodyPart, laterality });
  });
});
