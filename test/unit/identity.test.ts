import { birthDateReadings, nameInAnswer, parseFullName } from '../../dialogs/patient/parse';
import { namesPatient } from '../../services/cases/identity';
import { matchReferrer } from '../../services/patients/order-request.service';
import type { ReferrerOrg } from '../../services/referrers/referrer.schema';

describe('namesPatient: whole words only', () => {
  const eli = { givenName: 'Eli', familyName: 'de la Cruz' };
  test.each([
    ['Eli', true],
    ['eli de la cruz', true],
    ['De La Cruz', true],
    ['DeLaCruz', true],
    ['Cruz', true],
    ['de la', false], // particles alone are not a name
    ['Li', false],
    ['Elias', false],
    ['Ruz', false],
  ])('%p → %p', (typed, expected) => expect(namesPatient(eli, typed)).toBe(expected));
  test('accents and case do not matter', () => expect(namesPatient({ givenName: 'Ana', familyName: 'López' }, 'LOPEZ')).toBe(true));
});

describe('matchReferrer: the organization or a full provider name, never one shared word', () => {
  const org = (id: string, name: string, users: string[] = []): ReferrerOrg => ({
    id,
    name,
    language: 'en',
    tenantId: null,
    phone: null,
    fax: null,
    users: users.map((u, i) => ({ id: `${id}-u${i}`, name: u, email: null, aadObjectId: null, status: 'active' as const, officeAdmin: false })),
    officeHours: null,
    createdAt: new Date(0),
  });
  const orgs = [org('hill', 'Hill Country Family Medicine', ['Grace Lee', 'Maria Front Desk']), org('river', 'Riverside Orthopedics', ['Sam Okafor'])];
  test.each([
    ['Dr. Lee at Hill Country Family Medicine', 'hill'],
    ['hill country', 'hill'],
    ['Dr. Grace Lee', 'hill'],
    ['Riverside Ortho', null], // not the whole name
    ['Riverside Orthopedics', 'river'],
    ['Dr. Sam Okafor', 'river'],
    ['Dr. Lee', null], // a family name alone could be anyone's
    ['Maria', null], // a user's first name is not a provider
    ['my family doctor', null],
    ['Hill Country Family Medicine and Riverside Orthopedics', null], // two: ask a person
  ])('%p → %p', (said, id) => expect(matchReferrer(orgs, said)?.id ?? null).toBe(id));
});

describe('full names as people type them', () => {
  test.each([
    ['Ana María López', 'en', { givenName: 'Ana María', familyName: 'López' }],
    ['its john r. smith jr', 'en', { givenName: 'john r.', familyName: 'smith jr' }],
    ['DELGADO-VILLANUEVA, ROSA', 'en', { givenName: 'ROSA', familyName: 'DELGADO-VILLANUEVA' }],
    ['Rosa M. Delgado-Villanueva', 'en', { givenName: 'Rosa M.', familyName: 'Delgado-Villanueva' }],
    ['Maria Guadalupe Hernandez Torres', 'es', { givenName: 'Maria Guadalupe', familyName: 'Hernandez Torres' }],
    ['Juan de la Cruz', 'es', { givenName: 'Juan', familyName: 'de la Cruz' }],
    ["Sean O'Brien", 'en', { givenName: 'Sean', familyName: "O'Brien" }],
    ['Mary Ann Smith', 'en', { givenName: 'Mary Ann', familyName: 'Smith' }],
  ] as const)('%s (%s)', (text, lang, expected) => {
    expect(parseFullName(text, lang)).toEqual(expected);
  });
  test.each([
    ['Frank Delgado dash Moss D E L G A D O hyphen M O S S', { givenName: 'Frank', familyName: 'Delgado-Moss' }],
    ['Angela Marie Russo Bianchi with a dash between Russo and Bianchi', { givenName: 'Angela Marie', familyName: 'Russo-Bianchi' }],
    ['Harold W. Beaumont the third', { givenName: 'Harold W.', familyName: 'Beaumont III' }],
    ['Mrs. Eleanor Vance', { givenName: 'Eleanor', familyName: 'Vance' }],
  ] as const)('%s, as people spell it out', (text, expected) => {
    expect(parseFullName(text, 'en')).toEqual(expected);
  });
  test.each([
    ["Her name is Emma Rodriguez-Walsh. I'm her dad, Kevin.", 'en', { givenName: 'Emma', familyName: 'Rodriguez-Walsh' }, "I'm her dad, Kevin."],
    ['Gerald Fitzpatrick. I should perhaps mention that I have chronic kidney disease, stage 3.', 'en', { givenName: 'Gerald', familyName: 'Fitzpatrick' }, 'I should perhaps mention that I have chronic kidney disease, stage 3.'],
    ['Juan Carlos Perez Gomez. y perdon, es tomografia no resonancia', 'es', { givenName: 'Juan Carlos', familyName: 'Perez Gomez' }, 'y perdon, es tomografia no resonancia'],
  ] as const)('the name in an answer that says more: %s', (text, lang, name, rest) => {
    expect(nameInAnswer(text, lang)).toEqual({ name, rest });
  });
  test.each([
    ['nineteen seventy-seven, June 2nd', 'en', '1977-06-02'],
    ['el doce de agosto de mil novecientos cuarenta y ocho', 'es', '1948-08-12'],
    ['June nineteenth, nineteen eighty', 'en', '1980-06-19'],
    ['primero de mayo de mil novecientos noventa', 'es', '1990-05-01'],
    ['march 3rd two thousand and one', 'en', '2001-03-03'],
  ] as const)('a birth date in words: %s', (text, lang, date) => {
    expect(birthDateReadings(text, new Date('2026-12-04T12:00:00Z'), lang)).toEqual([date]);
  });
  test.each([['MRI L-spine'], ['Ana'], ['12345'], ['yes']])('%s is not a name', (text) => {
    expect(parseFullName(text)).toBeNull();
  });
  test('either surname of a two-surname name verifies', () => {
    const p = parseFullName('Maria Guadalupe Hernandez Torres', 'es')!;
    expect(namesPatient(p, 'Hernandez')).toBe(true);
    expect(namesPatient(p, 'Torres')).toBe(true);
  });
});
