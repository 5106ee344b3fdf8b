import { parseBirthDate, parseCoverage, parseFullName, parseProvider, screeningAnswer } from '../../dialogs/patient/parse';
import { askedLanguage } from '../../dialogs/engine/interruptions';
import { findPhone } from '../../services/contact/phone';
import { pickChoice } from '../../services/conversations/outbound-content';
import { exampleSite } from '../support/test-app';

describe('a doctor named in the patient’s words', () => {
  test.each([
    ['dr patel at northside family, their number is 512-555-0188', { name: 'Dr. Patel', practice: 'Northside Family', phone: '+15125550188', display: 'Dr. Patel at Northside Family' }],
    ['Dr. Okafor at Riverside Spine', { name: 'Dr. Okafor', practice: 'Riverside Spine', phone: null, display: 'Dr. Okafor at Riverside Spine' }],
    ['Dr. Okafor', { name: 'Dr. Okafor', practice: null, phone: null, display: 'Dr. Okafor' }],
    ['la dra. ramirez de clinica del sol 512 555 0199', { name: 'Dra. Ramirez', practice: 'Clinica Del Sol', phone: '+15125550199', display: 'Dra. Ramirez de Clinica Del Sol' }],
    ['el dr. ramirez de la clinica lone star, el telefono es 512 555 0181', { name: 'Dr. Ramirez', practice: 'La Clinica Lone Star', phone: '+15125550181', display: 'Dr. Ramirez de La Clinica Lone Star' }],
  ])('%s', (text, expected) => {
    expect(parseProvider(text)).toEqual(expected);
  });
});

describe('insurance in the patient’s words', () => {
  const site = exampleSite();
  test.each([
    ['i have blue cross, member id XZP8812345', { payer: 'Blue Cross Blue Shield of Texas', memberId: 'XZP8812345' }],
    ['Aetna W123456789', { payer: 'Aetna', memberId: 'W123456789' }],
    ['uhc 88812345', { payer: 'UnitedHealthcare', memberId: '88812345' }],
    ['Cigna 55512345', { payer: 'Cigna', memberId: '55512345' }],
  ])('%s', (text, expected) => {
    expect(parseCoverage(text, site)).toEqual({ ok: true, value: expected });
  });
});

describe('answers in more of people\'s own words (issue 13, point 5)', () => {
  const NOW2 = new Date('2026-11-30T16:00:00Z');
  test.each([
    ['21 de enero del 77', '1977-01-21'],
    ['march 3 75', '1975-03-03'],
    ["april 2 '80", '1980-04-02'],
    ['3 de sept 1966', '1966-09-03'],
    ['nací el 2 de abril de 1980', '1980-04-02'],
  ])('birth date %p → %p', (text, want) => expect(parseBirthDate(text, NOW2)).toBe(want));

  test.each([
    ['se llama rosa elena vargas mendoza, yo soy su hija', 'es', { givenName: 'rosa elena', familyName: 'vargas mendoza' }],
    ['francisco javier ortiz', 'es', { givenName: 'francisco javier', familyName: 'ortiz' }],
    ['leticia morales treviño', 'es', { givenName: 'leticia', familyName: 'morales treviño' }],
    ['Will Smith', 'en', { givenName: 'Will', familyName: 'Smith' }],
  ] as const)('name %p', (text, lang, want) => expect(parseFullName(text, lang)).toEqual(want));

  test('a question is not a name', () => {
    expect(parseFullName('also can i just walk in for xrays or do i need an appt')).toBeNull();
  });

  test('a phone number inside a sentence', () => {
    expect(findPhone('mi cel es 512 555 2402')).toBe('+15125552402');
    expect(findPhone('call me at (512) 555-0142 pls')).toBe('+15125550142');
    expect(findPhone('my number changed')).toBeNull();
  });

  test('"#2", "number 2", "option 2", "the second one", "la segunda" pick the second choice', () => {
    const choices = [{ value: 'a', title: 'A' }, { value: 'b', title: 'B' }, { value: 'c', title: 'C' }];
    for (const x of ['#2', 'number 2', 'option 2', 'opción 2', 'the second one', 'la segunda', '2']) expect(pickChoice(x, choices)).toBe(1);
  });

  test('the provider without the clause that is not a name', () => {
    expect(parseProvider('dr kim at texas medcare urgent care, dont have their number sorry')).toMatchObject({ name: 'Dr. Kim', practice: 'Texas Medcare Urgent Care', phone: null });
  });
});

describe('more everyday answers (a second round of unseen conversations)', () => {
  const NOW2 = new Date('2026-11-30T16:00:00Z');
  test.each([
    ['24 dic 1958', '1958-12-24'],
    ['5 ago 1990', '1990-08-05'],
  ])('birth date %p → %p', (text, want) => expect(parseBirthDate(text, NOW2)).toBe(want));

  test('a nickname in brackets or quotes is not part of the name', () => {
    expect(parseFullName('robert keane (bobby)')).toEqual({ givenName: 'robert', familyName: 'keane' });
    expect(parseFullName('Katherine "Kat" Moreau')).toEqual({ givenName: 'Katherine', familyName: 'Moreau' });
  });

  test.each([
    ['actually yes im about 8 weeks', 'yes'],
    ['well no', 'no'],
    ['definitely not', 'no'],
    ['no way', 'no'],
    ['un poquito nomas', 'yes'],
    ['tiene una placa de metal en el tobillo', 'yes'],
    ['he has a stent', 'yes'],
  ] as const)('screening answer %p → %p', (text, want) => expect(screeningAnswer(text)).toBe(want));

  test('a payer without its card is known; the member id is asked for, never made up', () => {
    expect(parseCoverage('medicare and an aarp supplement', exampleSite())).toEqual({ ok: false, missing: 'member_id', payer: 'Medicare' });
    expect(parseCoverage('Medicaid, no tengo el número a la mano', exampleSite())).toEqual({ ok: false, missing: 'member_id', payer: 'Texas Medicaid' });
  });

  test('"my primary care is Dr. Helen Park at One Medical" names the doctor, not the sentence', () => {
    expect(parseProvider('my primary care is Dr. Helen Park at One Medical')).toMatchObject({ name: 'Dr. Helen Park', display: 'Dr. Helen Park at One Medical' });
  });

  test.each([
    ['él no habla inglés', 'es'],
    ['i dont speak spanish', 'en'],
    ['español por favor', 'es'],
    ['do you speak spanish?', 'es'],
    ['in english please', 'en'],
    ['my english teacher said hi', null],
    ['necesito una resonancia', null],
  ] as const)('language asked for in %p → %p', (text, want) => expect(askedLanguage(text)).toBe(want));
});
