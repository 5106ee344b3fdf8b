import { Schema, trusted, type Connection } from 'mongoose';
import { OfficeSession, type OfficeSessionRepository } from '../services/referrers/office-session';
import { rowCodec, type Row } from './rows';

const SessionSchema = new Schema(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    userId: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    endedAt: { type: Date, default: null },
  },
  { collection: 'office_sessions', versionKey: false },
);

const { fromRow, toRow } = rowCodec(OfficeSession);

/** Web Chat office sign-ins kept on a device, by the hash of their token. */
export function createOfficeSessionRepository(conn: Connection): OfficeSessionRepository & { ensureIndexes(): Promise<void> } {
  const model = conn.model('OfficeSession', SessionSchema);
  return {
    async ensureIndexes() {
      await model.createIndexes();
    },
    async insert(s) {
      await model.create(toRow(s));
    },
    async findLive(id, now) {
      const row = await model.findOne({ _id: id, endedAt: null, expiresAt: trusted({ $gt: now }) }).lean<Row>();
      return row ? fromRow(row) : null;
    },
    async end(id, now) {
      await model.updateOne({ _id: id, endedAt: null }, { $set: { endedAt: now } });
    },
  };
}
