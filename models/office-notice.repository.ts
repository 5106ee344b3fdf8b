import { Schema, trusted, type Connection } from 'mongoose';
import { OfficeNotice, type OfficeNoticeRepository } from '../services/referrers/office-notices';
import { insertUnique, rowCodec, type Row } from './rows';

const NoticeSchema = new Schema(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    caseId: { type: String, required: true },
    n: { type: Number, default: 0 },
    text: { type: String, required: true },
    createdAt: { type: Date, required: true },
    shownAt: { type: Date, default: null },
  },
  { collection: 'office_notices', versionKey: false },
);
// An office's unseen updates, oldest first.
NoticeSchema.index({ orgId: 1, shownAt: 1, createdAt: 1, n: 1 });

const { fromRow, toRow } = rowCodec(OfficeNotice);

/** Updates kept for referring offices; the id is the change it tells of, so the same change is kept once. */
export function createOfficeNoticeRepository(conn: Connection): OfficeNoticeRepository & { ensureIndexes(): Promise<void> } {
  const model = conn.model('OfficeNotice', NoticeSchema);
  return {
    async ensureIndexes() {
      await model.createIndexes();
    },
    insert(n) {
      return insertUnique(model as never, toRow(n));
    },
    async unshown(orgId, limit) {
      return (await model.find({ orgId, shownAt: null }).sort({ createdAt: 1, n: 1 }).limit(limit).lean<Row[]>()).map(fromRow);
    },
    async markShown(ids, at) {
      await model.updateMany({ _id: trusted({ $in: ids }), shownAt: null }, { $set: { shownAt: at } });
    },
  };
}
