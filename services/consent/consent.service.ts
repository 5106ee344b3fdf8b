import { AsyncLocalStorage } from 'node:async_hooks';
import type { Locks } from '../locks';
import { PURPOSES, type ConsentRecord, type ConsentRepository, type ConsentSource, type ConsentStatus, type Purpose } from './consent.schema';

export type ConsentStatuses = Record<Purpose, ConsentStatus>;

/** Consent per number and purpose (domain.md §6): every change kept with its source and evidence. */
export function createConsentService(deps: {
  consents: ConsentRepository;
  now: () => Date;
  /** Writers of one number take turns, so no change drops out of the history (FerretDB's $push is not atomic). Readers need none. */
  locks?: Locks;
}) {
  const { consents } = deps;
  // Inside a turn (`perTurn`) a number's records are read once; any write of ours drops the copy.
  const turnCopies = new AsyncLocalStorage<Map<string, ReturnType<ConsentRepository['get']>>>();

  function read(phoneHash: string): ReturnType<ConsentRepository['get']> {
    const copies = turnCopies.getStore();
    if (!copies) return consents.get(phoneHash);
    let recs = copies.get(phoneHash);
    if (!recs) {
      recs = consents.get(phoneHash);
      copies.set(phoneHash, recs);
      recs.catch(() => copies.delete(phoneHash)); // a failed read is not kept; the caller sees the failure
    }
    return recs;
  }

  async function statuses(phoneHash: string): Promise<ConsentStatuses> {
    const recs = await read(phoneHash);
    return { care: recs.care?.status ?? 'unknown', marketing: recs.marketing?.status ?? 'unknown' };
  }

  /**
   * Changes of one number take turns. Should the lock not come in time, the change is written anyway: an opt-out
   * must never be lost, and the write alone is atomic on MongoDB.
   */
  async function oneAtATime(phoneHash: string, fn: () => Promise<void>): Promise<void> {
    if (!deps.locks) return fn();
    const r = await deps.locks.withLock(`consent:${phoneHash}`, fn);
    if (!r.ok) await fn();
  }

  async function record(phoneHash: string, purpose: Purpose, status: ConsentStatus, source: ConsentSource, evidence: string | null, receivedAt: Date) {
    turnCopies.getStore()?.delete(phoneHash);
    await consents.record(phoneHash, purpose, { status, source, evidence, receivedAt, effectiveAt: deps.now() });
    turnCopies.getStore()?.delete(phoneHash); // a read between the two saw the old record
  }

  async function set(phoneHash: string, purpose: Purpose, status: ConsentStatus, source: ConsentSource, evidence: string | null, receivedAt: Date) {
    await oneAtATime(phoneHash, () => record(phoneHash, purpose, status, source, evidence, receivedAt));
  }

  /** Care consent from texting in or a referral, unless the number already said something (a STOP included). */
  async function grantCareIfUnknown(phoneHash: string, source: ConsentSource, evidence: string | null, receivedAt: Date) {
    // Known already (nearly every text after the first): nothing to write, so no lock to take.
    if ((await statuses(phoneHash)).care !== 'unknown') return;
    await oneAtATime(phoneHash, async () => {
      // Under the lock, from the database: another writer may have answered since the turn's copy was read.
      if (((await consents.get(phoneHash)).care?.status ?? 'unknown') === 'unknown') await record(phoneHash, 'care', 'granted', source, evidence, receivedAt);
    });
  }

  /** The status a purpose had before its latest revocation, so START gives back what STOP took. */
  function beforeLastRevocation(rec: ConsentRecord | null): ConsentStatus {
    if (!rec) return 'unknown';
    const lastRevoke = rec.history.map((h) => h.status).lastIndexOf('revoked');
    return lastRevoke > 0 ? rec.history[lastRevoke - 1]!.status : 'unknown';
  }

  return {
    statuses,

    /**
     * Runs a turn in which each number's consent is read from the database once (the turn's first look) and again
     * only after the turn itself changed it: a turn reads the statuses four to six times otherwise.
     */
    perTurn<T>(fn: () => Promise<T>): Promise<T> {
      return turnCopies.run(new Map(), fn);
    },

    async statusesMany(phoneHashes: string[]): Promise<Map<string, ConsentStatuses>> {
      const found = await consents.statusesMany(phoneHashes);
      return new Map(phoneHashes.map((h) => [h, { care: found.get(h)?.care ?? 'unknown', marketing: found.get(h)?.marketing ?? 'unknown' }]));
    },

    async hasRevoked(phoneHash: string): Promise<boolean> {
      const s = await statuses(phoneHash);
      return PURPOSES.some((p) => s[p] === 'revoked');
    },

    /** STOP and its kin revoke every purpose at once. */
    async revokeAll(phoneHash: string, source: ConsentSource, evidence: string | null, receivedAt: Date): Promise<void> {
      for (const p of PURPOSES) await set(phoneHash, p, 'revoked', source, evidence, receivedAt);
    },

    /**
     * START: care comes back (texting START asks for texts); marketing only if it was granted before the STOP,
     * since marketing needs its own written opt-in.
     */
    async optIn(phoneHash: string, evidence: string, receivedAt: Date): Promise<void> {
      const recs = await read(phoneHash);
      await set(phoneHash, 'care', 'granted', 'sms_keyword', evidence, receivedAt);
      if (recs.marketing?.status === 'revoked' && beforeLastRevocation(recs.marketing) === 'granted') {
        await set(phoneHash, 'marketing', 'granted', 'sms_keyword', evidence, receivedAt);
      }
    },

    /** A person who texts us gives care consent for that number (prior express consent), unless they revoked it. */
    async noteInbound(phoneHash: string, receivedAt: Date): Promise<void> {
      await grantCareIfUnknown(phoneHash, 'sms_inbound', null, receivedAt);
    },

    /** A referral gave the patient's number for their care (the order): care consent, unless the number said otherwise. */
    async noteReferral(phoneHash: string, evidence: string, receivedAt: Date): Promise<void> {
      await grantCareIfUnknown(phoneHash, 'referral', evidence, receivedAt);
    },

    set,
  };
}
export type ConsentService = ReturnType<typeof createConsentService>;
