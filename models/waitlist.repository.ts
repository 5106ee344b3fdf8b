import { Schema, trusted, type Connection } from 'mongoose';
import { SlotOffer, WaitlistEntry, type WaitlistRepository } from '../services/waitlist/waitlist.schema';
import { insertUnique, rowCodec, type Row } from './rows';

const EntrySchema = new Schema(
  {
    _id: { type: String, required: true },
    caseId: { type: String, required: true },
    modality: { type: String, required: true },
    status: { type: String, required: true },
    urgent: { type: Boolean, default: false },
    joinedAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'waitlist', versionKey: false },
);
EntrySchema.index({ modality: 1, status: 1, urgent: -1, joinedAt: 1 });

const OfferSchema = new Schema(
  {
    _id: { type: String, required: true },
    scannerId: { type: String, required: true },
    start: { type: Date, required: true },
    holdAppointmentId: { type: String, required: true },
    caseId: { type: String, required: true },
    phoneHash: { type: String, required: true, index: true },
    status: { type: String, required: true },
    tried: { type: [String], default: [] },
    offeredAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'slot_offers', versionKey: false },
);
// The workers' sweep of ended holds, and "does this case hold an offer".
OfferSchema.index({ status: 1, expiresAt: 1 });
OfferSchema.index({ caseId: 1, status: 1 });

const entries = rowCodec(WaitlistEntry);
const offers = rowCodec(SlotOffer);

export function createWaitlistRepository(conn: Connection): WaitlistRepository & { ensureIndexes(): Promise<void> } {
  const entryModel = conn.model('WaitlistEntry', EntrySchema);
  const offerModel = conn.model('SlotOffer', OfferSchema);
  return {
    async ensureIndexes() {
      await entryModel.createIndexes();
      await offerModel.createIndexes();
    },
    async join(entry) {
      if (await insertUnique(entryModel as never, entries.toRow(entry))) return true;
      // A case that left the list (it took a time, or stopped fitting) and asks again joins at the back.
      const r = await entryModel.updateOne({ _id: entry.id, status: 'done' }, { $set: { status: 'waiting', urgent: entry.urgent, joinedAt: entry.joinedAt, updatedAt: entry.updatedAt } });
      return r.modifiedCount === 1;
    },
    async waiting(modality) {
      const rows = await entryModel.find({ modality, status: 'waiting' }).sort({ urgent: -1, joinedAt: 1, _id: 1 }).limit(500).lean<Row[]>();
      return rows.map(entries.fromRow);
    },
    async finish(caseId, now) {
      await entryModel.updateOne({ _id: `w_${caseId}`, status: 'waiting' }, { $set: { status: 'done', updatedAt: now } });
    },
    async insertOffer(offer) {
      await offerModel.create(offers.toRow(offer));
    },
    async findOffer(id) {
      const row = await offerModel.findById(id).lean<Row>();
      return row ? offers.fromRow(row) : null;
    },
    async latestOfferTo(phoneHash, since) {
      const row = await offerModel.findOne({ phoneHash, offeredAt: trusted({ $gte: since }) }).sort({ offeredAt: -1, _id: -1 }).lean<Row>();
      return row ? offers.fromRow(row) : null;
    },
    async hasOpenOffer(caseId) {
      return (await offerModel.findOne({ caseId, status: 'open' }, { _id: 1 }).lean<Row>()) !== null;
    },
    async openOffersEndedBefore(before, limit) {
      const rows = await offerModel.find({ status: 'open', expiresAt: trusted({ $lt: before }) }).sort({ expiresAt: 1 }).limit(limit).lean<Row[]>();
      return rows.map(offers.fromRow);
    },
    async closeOffer(id, status, now) {
      const r = await offerModel.updateOne({ _id: id, status: 'open' }, { $set: { status, updatedAt: now } });
      return r.modifiedCount === 1;
    },
  };
}
