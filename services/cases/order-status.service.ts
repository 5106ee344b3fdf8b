import { verifiedPatients } from './identity';
import type { CaseState } from '../pipeline/pipeline.states';
import { err, ok, type Result } from '../result';
import type { CaseRepository, PatientRepository } from './case.ports';

/**
 * "Where is my order?" (domain.md §8): answered only when phone, date of birth and name match a patient;
 * otherwise nothing is disclosed, not even whether the number is known.
 */
export function createOrderStatus(deps: { cases: CaseRepository; patients: PatientRepository }) {
  return {
    /** The matched patient's latest orders (when and where each stands); the dialogs put them in words. */
    async describe(who: { phoneHash: string; birthDate: string; familyName: string }): Promise<Result<Array<{ createdAt: Date; state: CaseState }>, 'NOT_VERIFIED'>> {
      const matched = await verifiedPatients(deps.patients, { phoneHash: who.phoneHash, birthDate: who.birthDate, name: who.familyName });
      if (matched.length === 0) return err('NOT_VERIFIED', 'the details do not match a patient');
      const { items } = await deps.cases.list({ patientIds: matched.map((p) => p.id) }, { limit: 5 });
      return ok(items.map((c) => ({ createdAt: c.createdAt, state: c.state })));
    },
  };
}
export type OrderStatusService = ReturnType<typeof createOrderStatus>;
