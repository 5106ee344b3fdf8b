import { parseCoverage, parseProvider } from '../../dialogs/patient/parse';
import { exampleSite } from '../support/test-app';

describe('a doctor named in the patient’s words', () => {
  test.each([
    ['dr patel at northside family, their number is 512-555-0188', { name: 'Dr. Patel', practice: 'Northside Family', phone: '+15125550188', display: 'Dr. Patel at Northside Family' }],
    ['Dr. Okafor at Riverside Spine', { name: 'Dr. Okafor', practice: 'Riverside Spine', phone: null, display: 'Dr. Okafor at Riverside Spine' }],
    ['Dr. Okafor', { name: 'Dr. Okafor', practice: null, phone: null, display: 'Dr. Okafor' }],
    ['la dra. ramirez de clinica del sol 512 555 0199', { name: 'La Dra. Ramirez', practice: 'Clinica Del Sol', phone: '+15125550199', display: 'La Dra. Ramirez de Clinica Del Sol' }],
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
