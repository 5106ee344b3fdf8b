import type { Connection } from 'mongoose';
import { connectMongo } from '../../models/db';
import { createReferrerRepository } from '../../models/referrer.repository';
import { createPatientRepository } from '../../models/patient.repository';
import { testMongoUri, uniqueDbName } from '../support/test-app';

// The second fence behind zod: a query operator that slipped past validation is matched as a value, never run,
// while the repositories' own operators (trusted) still work.
let conn: Connection;
beforeAll(async () => {
  conn = await connectMongo(testMongoUri(), uniqueDbName('sanitize'));
});
afterAll(async () => {
  await conn.db?.dropDatabase();
  await conn.close();
});

const found = (p: Promise<unknown>) => p.then((x) => x !== null, () => false);

test('an operator object in a lookup finds nothing; trusted operators still select', async () => {
  const orgs = createReferrerRepository(conn);
  await orgs.ensureIndexes();
  await orgs.insert({ id: 'org-a', name: 'Northside Family', tenantId: 'tenant-a', phone: null, fax: null, users: [], officeHours: null, language: 'en', createdAt: new Date() } as never);
  expect(await orgs.findByTenant('tenant-a')).toMatchObject({ id: 'org-a' });
  for (const op of [{ $gt: '' }, { $ne: null }, { $regex: '.*' }, { $exists: true }]) expect(await found(orgs.findByTenant(op as never))).toBe(false);
  // Without the fence the same filter matches (the raw driver has none).
  expect(await conn.collection('referrers').countDocuments({ tenantId: { $gt: '' } })).toBe(1);

  const patients = createPatientRepository(conn);
  await patients.ensureIndexes();
  const { id } = await patients.findOrCreate({ givenName: 'Ana', familyName: 'Ruiz', birthDate: '1980-01-02', phone: '+15125550111', phoneHash: 'h1', language: 'en' } as never, new Date());
  expect((await patients.findByIds([id])).map((x) => x.id)).toEqual([id]); // a trusted $in
  expect(await found(patients.findById({ $ne: null } as never))).toBe(false);
});
