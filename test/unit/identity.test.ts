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
    tenantId: null,
    phone: null,
    fax: null,
    users: users.map((u, i) => ({ id: `${id}-u${i}`, name: u, email: null, aadObjectId: null })),
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
