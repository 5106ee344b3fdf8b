import { Schema, type Connection } from 'mongoose';
import { ReferrerOrg, type ReferrerRepository } from '../services/referrers/referrer.schema';
import { rowCodec, type Row } from './rows';

const UserSchema = new Schema(
  { id: String, name: String, email: { type: String, default: null }, aadObjectId: { type: String, default: null } },
  { _id: false },
);

const ReferrerSchema = new Schema(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    tenantId: { type: String, default: null, index: true },
    phone: { type: String, default: null },
    fax: { type: String, default: null },
    users: { type: [UserSchema], default: [] },
    createdAt: { type: Date, required: true },
  },
  { collection: 'referrers', versionKey: false },
);

const { fromRow: toOrg, toRow } = rowCodec(ReferrerOrg);

export function createReferrerRepository(conn: Connection): ReferrerRepository & { ensureIndexes(): Promise<void> } {
  const model = conn.model('Referrer', ReferrerSchema);
  return {
    async ensureIndexes() {
      await model.createIndexes();
    },
    async insert(org) {
      await model.create(toRow(org));
    },
    async findById(id) {
      const row = await model.findById(id).lean<Row>();
      return row ? toOrg(row) : null;
    },
    async findByTenant(tenantId) {
      const row = await model.findOne({ tenantId }).lean<Row>();
      return row ? toOrg(row) : null;
    },
    async addUser(orgId, user) {
      const guard = user.aadObjectId ? { 'users.aadObjectId': { $ne: user.aadObjectId } } : {};
      await model.updateOne({ _id: orgId, ...guard }, { $push: { users: user } });
      const row = await model.findById(orgId).lean<Row>();
      return row ? toOrg(row) : null;
    },
    async list(limit) {
      return (await model.find().sort({ name: 1 }).limit(limit).lean<Row[]>()).map(toOrg);
    },
    async exists(id) {
      return (await model.countDocuments({ _id: id })) > 0;
    },
  };
}
