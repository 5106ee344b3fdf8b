import { parseFullName } from '../../dialogs/patient/parse';
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
  test.each([['MRI L-spine'], ['Ana'], ['12345'], ['yes']])('%s is not a name', (text) => {
    expect(parseFullName(text)).toBeNull();
  });
  test('either surname of a two-surname name verifies', () => {
    const p = parseFullName('Maria Guadalupe Hernandez Torres', 'es')!;
    expect(namesPatient(p, 'Hernandez')).toBe(true);
    expect(namesPatient(p, 'Torres')).toBe(true);
  });
});
