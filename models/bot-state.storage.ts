import { randomBytes } from 'node:crypto';
import type { Storage, StoreItems } from 'botbuilder';
import { Schema, trusted, type Connection } from 'mongoose';
import { isDuplicateKey, upsertById } from './db';

const StateSchema = new Schema(
  {
    _id: { type: String, required: true },
    eTag: { type: String, required: true },
    // The item as JSON text: dialog state may hold keys MongoDB-compatible servers refuse (dots, `$`).
    json: { type: String, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'bot_state', versionKey: false },
);

// One document per (key, eTag) being replaced: the unique _id lets exactly one writer replace a given version.
const ClaimSchema = new Schema({ _id: { type: String, required: true }, at: { type: Date, required: true } }, { collection: 'bot_state_claims', versionKey: false });

export class EtagConflictError extends Error {
  constructor(key: string) {
    super(`storage item '${key}' was changed by another writer (stale eTag)`);
    this.name = 'EtagConflictError';
  }
}

const newEtag = () => randomBytes(8).toString('hex');
/** A claim this old belongs to a writer that died mid-write. */
const STALE_CLAIM_MS = 30_000;

/**
 * Bot Framework Storage on MongoDB with real eTags, like botbuilder's MemoryStorage: a write carrying a stale eTag is
 * refused, `*` (or none) overwrites, and a write with an eTag to a missing key creates it. Keys are botbuilder's
 * (channel/conversation id); our conversation ids never contain a phone number.
 */
export function createMongoStorage(conn: Connection): Storage & { ensureIndexes(): Promise<void> } {
  const model = conn.model('BotState', StateSchema);
  const claims = conn.model('BotStateClaim', ClaimSchema);

  async function overwrite(key: string, json: string): Promise<void> {
    const set = { json, eTag: newEtag(), updatedAt: new Date() };
    await upsertById(() => model.updateOne({ _id: key }, { $set: set }, { upsert: true }));
  }

  async function claim(claimId: string): Promise<boolean> {
    try {
      await claims.create({ _id: claimId, at: new Date() });
      return true;
    } catch (e) {
      if (isDuplicateKey(e)) return false;
      throw e;
    }
  }

  async function replaceVersion(key: string, eTag: string, json: string): Promise<void> {
    // The conditional update alone is atomic on MongoDB but not on FerretDB v1.24 (query, then update by _id), so
    // writers first claim the version they replace; the unique _id lets one of them through.
    const claimId = `${eTag}:${key}`;
    if (!(await claim(claimId))) {
      // A claim left by a writer that died between claiming and finishing would block this eTag for good: one older
      // than any write takes is taken over.
      const stale = await claims.findById(claimId).lean<{ at: Date }>();
      if (!stale || Date.now() - stale.at.getTime() < STALE_CLAIM_MS) throw new EtagConflictError(key);
      await claims.deleteOne({ _id: claimId, at: stale.at });
      if (!(await claim(claimId))) throw new EtagConflictError(key);
    }
    try {
      const r = await model.updateOne({ _id: key, eTag }, { $set: { json, eTag: newEtag(), updatedAt: new Date() } });
      if (r.matchedCount === 1) return;
      if (await model.exists({ _id: key })) throw new EtagConflictError(key);
      try {
        await model.create({ _id: key, json, eTag: newEtag(), updatedAt: new Date() });
      } catch (e) {
        throw isDuplicateKey(e) ? new EtagConflictError(key) : e;
      }
    } finally {
      // The replaced eTag is never issued again, so its claim has done its work.
      await claims.deleteOne({ _id: claimId });
    }
  }

  return {
    async ensureIndexes() {
      await model.createIndexes();
      await claims.createIndexes();
    },
    async read(keys: string[]): Promise<StoreItems> {
      if (keys.length === 0) return {};
      type StateRow = { _id: string; eTag: string; json: string };
      // One key (the usual turn) as a lookup by _id: the embedded server answers that from its primary key.
      const rows =
        keys.length === 1
          ? [await model.findById(keys[0]).lean<StateRow>()].filter((r): r is StateRow => r !== null)
          : await model.find({ _id: trusted({ $in: keys }) }).lean<StateRow[]>();
      const out: StoreItems = {};
      for (const r of rows) out[r._id] = { ...(JSON.parse(r.json) as object), eTag: r.eTag };
      return out;
    },
    async write(changes: StoreItems): Promise<void> {
      for (const [key, item] of Object.entries(changes)) {
        const { eTag, ...rest } = (item ?? {}) as { eTag?: string };
        const json = JSON.stringify(rest);
        if (!eTag || eTag === '*') await overwrite(key, json);
        else await replaceVersion(key, eTag, json);
      }
    },
    async delete(keys: string[]): Promise<void> {
      if (keys.length) await model.deleteMany({ _id: trusted({ $in: keys }) });
    },
  };
}
