import { Schema, trusted, type Connection } from 'mongoose';
import { ReferrerOrg, type ReferrerRepository } from '../services/referrers/referrer.schema';
import { rowCodec, type Row } from './rows';

const UserSchema = new Schema(
  { id: String, name: String, email: { type: String, default: null }, aadObjectId: { type: String, default: null }, status: { type: String, default: 'active' }, officeAdmin: { type: Boolean, default: false } },
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
    /** Bumped with every change of `users`: a user is changed by one conditional update of the whole list. */
    usersVersion: { type: Number, default: 0 },
    officeHours: { type: Schema.Types.Mixed, default: null },
    language: { type: String, default: 'en' },
    createdAt: { type: Date, required: true },
  },
  { collection: 'referrers', versionKey: false },
);

const codec = rowCodec(ReferrerOrg);
const toOrg = ({ usersVersion: _v, ...row }: Row) => codec.fromRow(row);
const toRow = codec.toRow;

export function createReferrerRepository(conn: Connection): ReferrerRepository & { ensureIndexes(): Promise<void> } {
  const model = conn.model('Referrer', ReferrerSchema);
  return {
    async ensureIndexes() {
      await model.createIndexes();
      // Organizations stored before users had a version start at 0.
      await model.updateMany({ usersVersion: trusted({ $exists: false }) }, { $set: { usersVersion: 0 } });
    },
    async insert(org) {
      await model.create(toRow(ReferrerOrg.parse(org)));
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
      const guard = user.aadObjectId ? { 'users.aadObjectId': trusted({ $ne: user.aadObjectId }) } : {};
      await model.updateOne({ _id: orgId, ...guard }, { $push: { users: user }, $inc: { usersVersion: 1 } });
      const row = await model.findById(orgId).lean<Row>();
      return row ? toOrg(row) : null;
    },
    async updateUser(orgId, userId, set) {
      // No positional updates on the embedded server: the list is replaced under its version, retried on a race.
      for (let attempt = 0; attempt < 5; attempt++) {
        const row = await model.findById(orgId).lean<Row>();
        if (!row) return null;
        const org = toOrg(row);
        if (!org.users.some((u) => u.id === userId)) return null;
        const users = org.users.map((u) => (u.id === userId ? { ...u, ...set } : u));
        const version = typeof row['usersVersion'] === 'number' ? row['usersVersion'] : 0;
        const saved = await model
          .findOneAndUpdate({ _id: orgId, usersVersion: version }, { $set: { users, usersVersion: version + 1 } }, { new: true })
          .lean<Row>();
        if (saved) return toOrg(saved);
      }
      throw new Error(`the users of organization ${orgId} kept changing`);
    },
    async list(limit) {
      return (await model.find().sort({ name: 1 }).limit(limit).lean<Row[]>()).map(toOrg);
    },
    async exists(id) {
      return (await model.countDocuments({ _id: id })) > 0;
    },
  };
}
