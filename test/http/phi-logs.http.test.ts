import { api, completeOrder, startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ name: 'phi' });
});
afterAll(() => t.close());

const GIVEN = 'Zephyrine';
const FAMILY = 'Quackenbush';
const DOB = '1971-09-13';
const PHONE = '+15559876543';

test('creating, reading, listing and failing requests about a patient leave no name, birth date or phone in the logs', async () => {
  const token = await t.token('admin');
  const body = completeOrder();
  const patient = { givenName: GIVEN, familyName: FAMILY, birthDate: DOB, phone: PHONE, language: 'en' };
  const logsBefore = t.logs.length;

  const created = await api(t.base, 'POST', '/api/v1/cases', { token, body: { ...body, patient } });
  expect(created.status).toBe(201);
  expect(created.body.patient).toMatchObject({ givenName: GIVEN, familyName: FAMILY, birthDate: DOB, phone: PHONE });
  await api(t.base, 'GET', `/api/v1/cases/${created.body.id}`, { token });
  const byPhone = await api(t.base, 'GET', `/api/v1/cases?phone=${encodeURIComponent(PHONE)}`, { token });
  expect(byPhone.body.items.map((c: { id: string }) => c.id)).toContain(created.body.id);
  // A refused request that quotes PHI back in its error must not put it in the log either.
  const refused = await api(t.base, 'POST', '/api/v1/cases', {
    token,
    body: { ...body, patient: { ...patient, birthDate: '1971-13-45' }, order: { ...body.order, reasonCodes: [FAMILY] } },
  });
  expect(refused.status).toBe(400);

  const output = t.logs.slice(logsBefore).join('');
  expect(output).toContain('"route":"/api/v1/cases"'); // the requests were logged...
  for (const phi of [GIVEN, FAMILY, DOB, '1971-13-45', PHONE, '5559876543', '987-6543', '09/13/1971']) {
    expect(output).not.toContain(phi); // ...without any of the PHI
  }
});
