import { Schema, type Connection } from 'mongoose';
import { StaffTokenRecord, type StaffTokenRepository } from '../services/staff/staff-token.service';

const StaffTokenSchema = new Schema(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    role: { type: String, required: true },
    tokenHash: { type: String, required: true, unique: true },
    referrerOrgId: { type: String, default: null },
    createdAt: { type: Date, required: true },
    revokedAt: { type: Date, default: null },
  },
  { collection: 'staff_tokens', versionKey: false },
);

type Row = Record<string, unknown> & { _id: string };

export function createStaffTokenRepository(conn: Connection): StaffTokenRepository & { ensureIndexes(): Promise<void> } {
  const model = conn.model('StaffToken', StaffTokenSchema);
  return {
    async ensureIndexes() {
      await model.createIndexes();
    },
    async insert(record) {
      const { id, ...rest } = record;
      await model.create({ _id: id, ...rest });
    },
    async findByHash(tokenHash) {
      const row = await model.findOne({ tokenHash }).lean<Row>();
      if (!row) return null;
      const { _id, ...rest } = row;
      return StaffTokenRecord.parse({ id: _id, ...rest });
    },
  };
}
