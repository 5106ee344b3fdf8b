import { Schema, type Connection } from 'mongoose';
import { ConsentRecord, type ConsentRepository, type ConsentStatus } from '../services/consent/consent.schema';
import type { Row } from './rows';
import { upsertById } from './db';
import { findManyByIds } from './by-ids';

/** One document per (number, purpose), keyed by the phone's keyed hash, never the number. */
const ConsentSchema = new Schema(
  {
    _id: { type: String, required: true },
    phoneHash: { type: String, required: true, index: true },
    purpose: { type: String, required: true },
    status: { type: String, required: true },
    history: { type: [Schema.Types.Mixed], default: [] },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'consents', versionKey: false },
);

export function createConsentRepository(conn: Connection): ConsentRepository & { ensureIndexes(): Promise<void> } {
  const model = conn.model('Consent', ConsentSchema);
  return {
    async ensureIndexes() {
      await model.createIndexes();
    },
    async get(phoneHash) {
      // Two lookups by _id rather than one query by phoneHash: both are indexed on MongoDB, and the embedded
      // FerretDB/SQLite answers only _id lookups without scanning the collection.
      const [care, marketing] = await Promise.all([
        model.findById(`${phoneHash}:care`).lean<Row>(),
        model.findById(`${phoneHash}:marketing`).lean<Row>(),
      ]);
      const parse = (purpose: 'care' | 'marketing') => {
        const row = purpose === 'care' ? care : marketing;
        if (!row) return null;
        return ConsentRecord.parse({ phoneHash: row['phoneHash'], purpose: row['purpose'], status: row['status'], history: row['history'] });
      };
      return { care: parse('care'), marketing: parse('marketing') };
    },
    async statusesMany(phoneHashes) {
      const out = new Map<string, Partial<Record<'care' | 'marketing', ConsentStatus>>>();
      if (phoneHashes.length === 0) return out;
      const rows = await findManyByIds(conn, 'consents', phoneHashes.flatMap((h) => [`${h}:care`, `${h}:marketing`]), { phoneHash: 1, purpose: 1, status: 1 });
      for (const r of rows) {
        const h = r['phoneHash'] as string;
        out.set(h, { ...out.get(h), [r['purpose'] as 'care' | 'marketing']: r['status'] as ConsentStatus });
      }
      return out;
    },
    async record(phoneHash, purpose, change) {
      await upsertById(() =>
        model.updateOne(
          { _id: `${phoneHash}:${purpose}` },
          { $set: { phoneHash, purpose, status: change.status, updatedAt: change.effectiveAt }, $push: { history: change } },
          { upsert: true },
        ),
      );
    },
  };
}
