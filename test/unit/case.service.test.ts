import type { CaseRepository, PatientRepository } from '../../services/cases/case.ports';
import type { Case } from '../../services/cases/case.schema';
import { createCaseService } from '../../services/cases/case.service';
import type { Locks } from '../../services/locks';
import { ok } from '../../services/result';
import type { Principal } from '../../services/staff/staff.roles';
import { exampleSite } from '../support/test-app';

const admin: Principal = { id: 's1', name: 'A', role: 'admin', referrerOrgId: null };
const at = new Date('2026-11-28T10:00:00Z');
const base: Case = {
  id: 'c_aaaaaaaaaaaaaaaaaaaaaaaa',
  state: 'pending_authorization',
  track: 'standard',
  version: 1,
  source: 'fax',
  patientId: 'p_1',
  referrerOrgId: null,
  order: { intent: 'order', priority: 'routine', code: { modality: 'mri', contrast: 'without' }, bodySite: { text: 'lumbar spine', laterality: null }, reasonCode: [], reasonText: 'pain', requester: null, insurance: null, note: [] },
  missing: [],
  appointment: null,
  screening: null,
  authorization: null,
  history: [],
  createdAt: at,
  updatedAt: at,
};

/** A repository whose conditional update loses to another writer: the service's conflict path, without timing luck. */
function racingRepo(moves: Case[]): CaseRepository & { attempts: number } {
  let current = base;
  const repo = {
    attempts: 0,
    insert: () => Promise.resolve(true),
    findById: () => Promise.resolve(current),
    list: () => Promise.resolve({ items: [] }),
    patch: () => Promise.resolve(null),
    applyTransition: () => {
      repo.attempts++;
      // Someone else wrote first: the stored case moved on, our expectation no longer matches.
      current = moves.shift() ?? current;
      return Promise.resolve(null);
    },
  };
  return repo;
}

const patients: PatientRepository = {
  findOrCreate: () => Promise.reject(new Error('unused')),
  findById: () => Promise.resolve(null),
  findByIds: () => Promise.resolve([]),
  findIdsByPhoneHash: () => Promise.resolve([]),
  setLanguage: () => Promise.resolve(),
};
const noLock: Locks = { withLock: async (_n, fn) => ok(await fn()) };

function service(cases: CaseRepository) {
  return createCaseService({ cases, patients, site: exampleSite(), locks: noLock, orgs: { exists: () => Promise.resolve(true) }, hashPhone: (p) => p, now: () => at });
}

test('a lost conditional update is decided again on the fresh case and refused when the event no longer applies', async () => {
  const repo = racingRepo([{ ...base, state: 'ready_to_schedule', version: 2 }]);
  const r = await service(repo).applyEvent(base.id, { event: 'approve_authorization' }, admin, 'api');
  expect(r).toMatchObject({ ok: false, error: { code: 'ILLEGAL_TRANSITION' } });
  expect(repo.attempts).toBe(1);
});

test('with expectedVersion, a lost conditional update is a VERSION_CONFLICT at once', async () => {
  const repo = racingRepo([]);
  const r = await service(repo).applyEvent(base.id, { event: 'approve_authorization', expectedVersion: 1 }, admin, 'api');
  expect(r).toMatchObject({ ok: false, error: { code: 'VERSION_CONFLICT' } });
  expect(repo.attempts).toBe(1);
});

test('a case that keeps changing is given up on after a bounded number of tries', async () => {
  const repo = racingRepo([]); // every update loses, the event stays legal
  const r = await service(repo).applyEvent(base.id, { event: 'cancel', reason: 'x' }, admin, 'api');
  expect(r).toMatchObject({ ok: false, error: { code: 'VERSION_CONFLICT' } });
  expect(repo.attempts).toBe(4);
});
