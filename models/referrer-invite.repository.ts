import { Schema, trusted, type Connection } from 'mongoose';
import { ReferrerInvite, type ReferrerInviteRepository } from '../services/referrers/invite.service';
import { rowCodec, type Row } from './rows';

const InviteSchema = new Schema(
  {
    _id: { type: String, required: true },
    codeHash: { type: String, required: true, unique: true },
    orgId: { type: String, required: true },
    name: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    usedAt: { type: Date, default: null },
  },
  { collection: 'referrer_invites', versionKey: false },
);

const { fromRow, toRow } = rowCodec(ReferrerInvite);

export function createReferrerInviteRepository(conn: Connection): ReferrerInviteRepository & { ensureIndexes(): Promise<void> } {
  const model = conn.model('ReferrerInvite', InviteSchema);
  return {
    async ensureIndexes() {
      await model.createIndexes();
    },
    async insert(invite) {
      await model.create(toRow(invite));
    },
    async redeem(codeHash, now) {
      const row = await model.findOneAndUpdate({ codeHash, usedAt: null, expiresAt: trusted({ $gt: now }) }, { $set: { usedAt: now } }, { new: true }).lean<Row>();
      return row ? fromRow(row) : null;
    },
  };
}
