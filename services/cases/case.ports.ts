import type { Case, CaseFilter, CaseHistoryEntry, Patient } from './case.schema';

/** Case fields a transition (or a patch) may set along with it, in the same conditional update. */
export type CaseFieldsPatch = Partial<Pick<Case, 'appointment' | 'screening' | 'authorization' | 'order' | 'missing' | 'referrerOrgId' | 'patientId'>>;
import type { CaseState, Track } from '../pipeline/pipeline.states';

export interface CaseRepository {
  /** Inserts a new case; `false` when a case with this id already exists (an idempotent retry). */
  insert(c: Case): Promise<boolean>;
  findById(id: string): Promise<Case | null>;
  /** Newest first; `after` is the opaque cursor from the previous page (validate it with isCursor first). */
  list(filter: CaseFilter, page: { limit: number; after?: string }): Promise<{ items: Case[]; next?: string }>;
  /**
   * One conditional update on { id, state, version }: sets the new state, bumps the version and appends the
   * history entry (or entries, for two steps taken as one, like reschedule-and-book). null when the case moved on
   * meanwhile (a conflict), never a silent overwrite.
   */
  applyTransition(
    id: string,
    expected: { state: CaseState; version: number },
    change: { state: CaseState; track?: Track; entry: CaseHistoryEntry | CaseHistoryEntry[]; now: Date; set?: CaseFieldsPatch },
  ): Promise<Case | null>;
  /** Sets fields without a transition, conditioned on the version (and bumping it); null on a conflict. */
  patch(id: string, expectedVersion: number, set: CaseFieldsPatch, now: Date): Promise<Case | null>;
}

export interface PatientRepository {
  /** Same phone, date of birth and family name (within `scope`, a referring organization) is the same person. */
  findOrCreate(p: Omit<Patient, 'id' | 'createdAt'>, now: Date, scope?: string | null): Promise<Patient>;
  findById(id: string): Promise<Patient | null>;
  findByIds(ids: string[]): Promise<Patient[]>;
  findIdsByPhoneHash(phoneHash: string): Promise<string[]>;
  /** The language the patient themselves used with us: their texts follow it (an office may not have known). */
  setLanguage(ids: string[], language: Patient['language']): Promise<void>;
}
