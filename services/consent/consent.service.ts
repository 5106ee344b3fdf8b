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

  async function statuses(phoneHash: string): Promise<ConsentStatuses> {
    const recs = await consents.get(phoneHash);
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

  const record = (phoneHash: string, purpose: Purpose, status: ConsentStatus, source: ConsentSource, evidence: string | null, receivedAt: Date) =>
    consents.record(phoneHash, purpose, { status, source, evidence, receivedAt, effectiveAt: deps.now() });

  async function set(phoneHash: string, purpose: Purpose, status: ConsentStatus, source: ConsentSource, evidence: string | null, receivedAt: Date) {
    await oneAtATime(phoneHash, () => record(phoneHash, purpose, status, source, evidence, receivedAt));
  }

  /** Care consent from texting in or a referral, unless the number already said something (a STOP included). */
  async function grantCareIfUnknown(phoneHash: string, source: ConsentSource, evidence: string | null, receivedAt: Date) {
    await oneAtATime(phoneHash, async () => {
      if ((await statuses(phoneHash)).care === 'unknown') await record(phoneHash, 'care', 'granted', source, evidence, receivedAt);
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
      const recs = await consents.get(phoneHash);
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
