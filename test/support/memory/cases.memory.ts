import { patientIdFor } from '../../../services/cases/identity';
import type { CaseFieldsPatch, CaseRepository, PatientRepository } from '../../../services/cases/case.ports';
import { Case, Patient, type CaseFilter, type CaseHistoryEntry } from '../../../services/cases/case.schema';
import type { CaseState, Track } from '../../../services/pipeline/pipeline.states';
import { byNewest, copy, definedOnly } from './util';

/**
 * Cases in a Map, with the Mongo repository's semantics: unique id, conditional updates on state and version. Methods
 * are own properties (arrow fields), as on the Mongo repositories' object literals: services spread them ({ ...cases }).
 */
export class MemoryCases implements CaseRepository {
  readonly rows = new Map<string, Case>();

  /** Every case, newest first (for assertions). */
  all = (): Case[] => {
    return [...this.rows.values()].sort(byNewest).map((c) => Case.parse(copy(c)));
  };

  insert = (c: Case): Promise<boolean> => {
    if (this.rows.has(c.id)) return Promise.resolve(false);
    this.rows.set(c.id, copy(c));
    return Promise.resolve(true);
  };

  findById = (id: string): Promise<Case | null> => {
    const c = this.rows.get(id);
    return Promise.resolve(c ? Case.parse(copy(c)) : null);
  };

  list = (filter: CaseFilter, page: { limit: number; after?: string }): Promise<{ items: Case[]; next?: string }> => {
    const cursor = page.after ? decodeCursor(page.after) : null;
    if (page.after && !cursor) throw new RangeError('page cursor is malformed');
    const matching = [...this.rows.values()]
      .filter((c) => (!filter.state || c.state === filter.state) && (!filter.track || c.track === filter.track))
      .filter((c) => (!filter.referrerOrgId || c.referrerOrgId === filter.referrerOrgId) && (!filter.patientIds || filter.patientIds.includes(c.patientId)))
      .filter((c) => !cursor || c.createdAt < cursor.at || (c.createdAt.getTime() === cursor.at.getTime() && c.id < cursor.id))
      .sort(byNewest);
    const items = matching.slice(0, page.limit).map((c) => Case.parse(copy(c)));
    const last = items[items.length - 1];
    return Promise.resolve(matching.length > page.limit && last ? { items, next: encodeCursor(last) } : { items });
  };

  applyTransition = (id: string, expected: { state: CaseState; version: number }, change: { state: CaseState; track?: Track; entry: CaseHistoryEntry | CaseHistoryEntry[]; now: Date; set?: CaseFieldsPatch }): Promise<Case | null> => {
    const c = this.rows.get(id);
    if (!c || c.state !== expected.state || c.version !== expected.version) return Promise.resolve(null);
    const entries = Array.isArray(change.entry) ? change.entry : [change.entry];
    const next: Case = { ...c, ...copy(definedOnly(change.set ?? {})), state: change.state, updatedAt: change.now, version: c.version + 1, history: [...c.history, ...copy(entries)] };
    if (change.track) next.track = change.track;
    this.rows.set(id, next);
    return this.findById(id);
  };

  patch = (id: string, expectedVersion: number, set: CaseFieldsPatch, now: Date): Promise<Case | null> => {
    const c = this.rows.get(id);
    if (!c || c.version !== expectedVersion) return Promise.resolve(null);
    this.rows.set(id, { ...c, ...copy(definedOnly(set)), updatedAt: now, version: c.version + 1 });
    return this.findById(id);
  };
}

// The same cursor as the Mongo repository: the staff API checks its shape.
const encodeCursor = (c: Case) => Buffer.from(`${c.createdAt.toISOString()}|${c.id}`).toString('base64url');
function decodeCursor(cursor: string): { at: Date; id: string } | null {
  const [iso, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const at = new Date(iso ?? '');
  return id && !Number.isNaN(at.getTime()) ? { at, id } : null;
}

/** Patients; the same phone, birth date and family name make the same id, as in the Mongo repository. */
export class MemoryPatients implements PatientRepository {
  readonly rows = new Map<string, Patient>();

  findOrCreate = (p: Omit<Patient, 'id' | 'createdAt'>, now: Date, scope: string | null = null): Promise<Patient> => {
    const id = patientIdFor(p, scope);
    if (!this.rows.has(id)) this.rows.set(id, Patient.parse({ ...copy(p), id, createdAt: now }));
    return Promise.resolve(copy(this.rows.get(id)!));
  };

  findById = (id: string): Promise<Patient | null> => {
    const p = this.rows.get(id);
    return Promise.resolve(p ? copy(p) : null);
  };

  findByIds = (ids: string[]): Promise<Patient[]> => {
    return Promise.resolve([...this.rows.values()].filter((p) => ids.includes(p.id)).map(copy));
  };

  findIdsByPhoneHash = (phoneHash: string): Promise<string[]> => {
    return Promise.resolve([...this.rows.values()].filter((p) => p.phoneHash === phoneHash).map((p) => p.id));
  };

  setLanguage = (ids: string[], language: Patient['language']): Promise<void> => {
    for (const id of ids) {
      const p = this.rows.get(id);
      if (p) p.language = language;
    }
    return Promise.resolve();
  };
}
