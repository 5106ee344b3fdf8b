import { Schema, type Connection } from 'mongoose';
import { StaffTokenRecord, type StaffTokenRepository } from '../services/staff/staff-token.service';
import { rowCodec, type Row } from './rows';

const StaffTokenSchema = new Schema(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    role: { type: String, required: true },
    tokenHash: { type: String, required: true, unique: true },
    referrerOrgId: { type: String, default: null },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, default: null },
    revokedAt: { type: Date, default: null },
  },
  { collection: 'staff_tokens', versionKey: false },
);

const { fromRow, toRow } = rowCodec(StaffTokenRecord);

export function createStaffTokenRepository(conn: Connection): StaffTokenRepository & { ensureIndexes(): Promise<void> } {
  const model = conn.model('StaffToken', StaffTokenSchema);
  return {
    async ensureIndexes() {
      await model.createIndexes();
    },
    async insert(record) {
      await model.create(toRow(record));
    },
    async findByHash(tokenHash) {
      const row = await model.findOne({ tokenHash }).lean<Row>();
      return row ? fromRow(row) : null;
    },
    async list(limit) {
      const rows = await model.find({}).sort({ createdAt: -1 }).limit(limit).lean<Row[]>();
      return rows.map(fromRow);
    },
    async revoke(id, now) {
      await model.updateOne({ _id: id, revokedAt: null }, { $set: { revokedAt: now } });
      const row = await model.findById(id).lean<Row>();
      return row ? fromRow(row) : null;
    },
  };
}
