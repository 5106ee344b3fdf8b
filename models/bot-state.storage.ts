import { randomBytes } from 'node:crypto';
import type { Storage, StoreItems } from 'botbuilder';
import { Schema, type Connection } from 'mongoose';

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

export class EtagConflictError extends Error {
  constructor(key: string) {
    super(`storage item '${key}' was changed by another writer (stale eTag)`);
    this.name = 'EtagConflictError';
  }
}

const newEtag = () => randomBytes(8).toString('hex');

/**
 * Bot Framework Storage on MongoDB with real eTags: a write carrying a stale eTag is refused, `*` (or none)
 * overwrites. Keys are botbuilder's (channel/conversation id), and our conversation ids never contain a phone number.
 */
export function createMongoStorage(conn: Connection): Storage & { ensureIndexes(): Promise<void> } {
  const model = conn.model('BotState', StateSchema);
  return {
    async ensureIndexes() {
      await model.createIndexes();
    },
    async read(keys: string[]): Promise<StoreItems> {
      if (keys.length === 0) return {};
      type StateRow = { _id: string; eTag: string; json: string };
      // One key (the usual turn) as a lookup by _id: the embedded server answers that from its primary key.
      const rows =
        keys.length === 1
          ? [await model.findById(keys[0]).lean<StateRow>()].filter((r): r is StateRow => r !== null)
          : await model.find({ _id: { $in: keys } }).lean<StateRow[]>();
      const out: StoreItems = {};
      for (const r of rows) out[r._id] = { ...(JSON.parse(r.json) as object), eTag: r.eTag };
      return out;
    },
    async write(changes: StoreItems): Promise<void> {
      for (const [key, item] of Object.entries(changes)) {
        const { eTag, ...rest } = (item ?? {}) as { eTag?: string };
        const json = JSON.stringify(rest);
        const now = new Date();
        if (!eTag || eTag === '*') {
          await model.updateOne({ _id: key }, { $set: { json, eTag: newEtag(), updatedAt: now } }, { upsert: true });
          continue;
        }
        const r = await model.updateOne({ _id: key, eTag }, { $set: { json, eTag: newEtag(), updatedAt: now } });
        if (r.matchedCount === 0) throw new EtagConflictError(key);
      }
    },
    async delete(keys: string[]): Promise<void> {
      if (keys.length) await model.deleteMany({ _id: { $in: keys } });
    },
  };
}
