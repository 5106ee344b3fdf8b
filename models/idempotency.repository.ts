import { Schema, trusted, type Connection } from 'mongoose';
import type { Claim, IdempotencyStore } from '../services/idempotency/idempotency';
import { isDuplicateKey } from './db';

// The key (hashed with its scope) is the _id, so the first claim is decided by the unique _id, never a read.
const IdempotencySchema = new Schema(
  {
    _id: { type: String, required: true },
    bodyHash: { type: String, required: true },
    ref: { type: String, default: null },
    claimedAt: { type: Date, required: true },
  },
  { collection: 'idempotency_keys', versionKey: false },
);

interface KeyRow {
  _id: string;
  bodyHash: string;
  ref: string | null;
  claimedAt: Date;
}

export function createIdempotencyRepository(conn: Connection): IdempotencyStore & { ensureIndexes(): Promise<void> } {
  const model = conn.model('IdempotencyKey', IdempotencySchema);
  return {
    async ensureIndexes() {
      await model.createIndexes();
    },
    async claim(id, bodyHash, now, staleMs): Promise<Claim> {
      try {
        await model.create({ _id: id, bodyHash, ref: null, claimedAt: now });
        return { kind: 'claimed' };
      } catch (e) {
        if (!isDuplicateKey(e)) throw e;
      }
      const row = await model.findById(id).lean<KeyRow>();
      if (!row) return { kind: 'pending' }; // released between our insert and read: the caller tries again
      if (row.bodyHash !== bodyHash) return { kind: 'conflict' };
      if (row.ref) return { kind: 'done', ref: row.ref };
      // A claim whose holder died (the process was killed mid-request) is taken over once it is stale.
      const taken = await model.findOneAndUpdate(
        { _id: id, ref: null, claimedAt: trusted({ $lte: new Date(now.getTime() - staleMs) }) },
        { $set: { claimedAt: now } },
        { new: true },
      );
      return taken ? { kind: 'claimed' } : { kind: 'pending' };
    },
    async complete(id, ref) {
      await model.updateOne({ _id: id }, { $set: { ref } });
    },
    async release(id) {
      await model.deleteOne({ _id: id, ref: null });
    },
  };
}
