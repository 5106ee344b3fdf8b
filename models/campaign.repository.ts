import { Schema, trusted, type Connection } from 'mongoose';
import { Campaign, Recipient, type AudienceMember, type CampaignRepository } from '../services/campaigns/campaign.schema';
import { isDuplicateKey } from './db';
import { rowCodec, type Row } from './rows';
import { findManyByIds } from './by-ids';

const CampaignSchema = new Schema(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    audience: { type: Schema.Types.Mixed, required: true },
    templates: { type: Schema.Types.Mixed, required: true },
    window: { type: Schema.Types.Mixed, required: true },
    perSecond: { type: Number, required: true },
    status: { type: String, required: true },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true, index: true },
    launchedAt: { type: Date, default: null },
    plannedAt: { type: Date, default: null },
  },
  { collection: 'campaigns', versionKey: false, minimize: false },
);

/** `_id` is campaign + number: one text per number per campaign, enforced by the database. */
const RecipientSchema = new Schema(
  {
    _id: { type: String, required: true },
    campaignId: { type: String, required: true, index: true },
    phoneHash: { type: String, default: null, index: true },
    patientId: { type: String, required: true },
    language: { type: String, required: true },
    status: { type: String, required: true },
    skipReason: { type: String, default: null },
    sendAt: { type: Date, default: null },
    waitsForWindow: { type: Boolean, default: false },
    repliedAt: { type: Date, default: null },
    optedOutAt: { type: Date, default: null },
    bookedAt: { type: Date, default: null },
    createdAt: { type: Date, required: true },
  },
  { collection: 'campaign_recipients', versionKey: false, minimize: false },
);

const campaignCodec = rowCodec(Campaign);
const recipientCodec = rowCodec(Recipient);
const DAY = 86_400_000;

export function createCampaignRepository(conn: Connection): CampaignRepository & { ensureIndexes(): Promise<void> } {
  const campaigns = conn.model('Campaign', CampaignSchema);
  const recipients = conn.model('CampaignRecipient', RecipientSchema);

  const countBy = async (match: Record<string, unknown>, field: string): Promise<Record<string, number>> => {
    const rows = await recipients.aggregate<{ _id: string | null; n: number }>([{ $match: match }, { $group: { _id: `$${field}`, n: { $sum: 1 } } }]);
    return Object.fromEntries(rows.map((r) => [String(r._id), r.n]));
  };

  return {
    async ensureIndexes() {
      await campaigns.createIndexes();
      await recipients.createIndexes();
    },
    async insert(c) {
      await campaigns.create(campaignCodec.toRow(c));
    },
    async findById(id) {
      const row = await campaigns.findById(id).lean<Row>();
      return row ? campaignCodec.fromRow(row) : null;
    },
    async list(limit) {
      const rows = await campaigns.find({}).sort({ createdAt: -1 }).limit(limit).lean<Row[]>();
      return rows.map(campaignCodec.fromRow);
    },
    async setStatus(id, from, to, set) {
      const row = await campaigns.findOneAndUpdate({ _id: id, status: trusted({ $in: from }) }, { $set: { status: to, ...set } }, { new: true }).lean<Row>();
      return row ? campaignCodec.fromRow(row) : null;
    },
    async audience(a, now) {
      const match: Record<string, unknown> = { state: { $in: a.states } };
      if (a.modalities) match['order.code.modality'] = { $in: a.modalities };
      const range: Record<string, Date> = {};
      if (a.changedDaysAgo?.min !== undefined) range['$lte'] = new Date(now.getTime() - a.changedDaysAgo.min * DAY);
      if (a.changedDaysAgo?.max !== undefined) range['$gte'] = new Date(now.getTime() - a.changedDaysAgo.max * DAY);
      if (Object.keys(range).length) match['updatedAt'] = range;
      // A patient with several matching cases is one member. One pass over the cases, one over the patients.
      const ids = new Set<string>();
      for await (const c of conn.collection('cases').find(match, { projection: { patientId: 1 }, batchSize: 5_000 })) ids.add(c['patientId'] as string);
      const rows = await findManyByIds(conn, 'patients', [...ids], { phoneHash: 1, phone: 1, language: 1 });
      return rows.map((p): AudienceMember => ({ patientId: String(p._id), phoneHash: (p['phoneHash'] as string | null) ?? null, phone: (p['phone'] as string | null) ?? null, language: p['language'] === 'es' ? 'es' : 'en' }));
    },
    async insertRecipients(rs) {
      if (rs.length === 0) return;
      try {
        await recipients.insertMany(rs.map(recipientCodec.toRow), { ordered: false });
      } catch (e) {
        // A planning run that restarted: the rows it made before are kept as they are.
        const failures = (e as { writeErrors?: unknown[] }).writeErrors;
        if (!(isDuplicateKey(e) || (Array.isArray(failures) && failures.every(isDuplicateKey) && failures.length > 0))) throw e;
      }
    },
    async noteRecipientEvent(phoneHash, field, at, since) {
      await recipients.updateMany({ phoneHash, status: 'queued', sendAt: trusted({ $lte: at }), createdAt: trusted({ $gte: since }), [field]: null }, { $set: { [field]: at } });
    },
    async recipientCounts(campaignId, now) {
      const [byStatus, bySkip, waiting] = await Promise.all([
        countBy({ campaignId }, 'status'),
        countBy({ campaignId, status: 'skipped' }, 'skipReason'),
        recipients.countDocuments({ campaignId, status: 'queued', waitsForWindow: true, sendAt: trusted({ $gt: now }) }),
      ]);
      const [replied, optedOut, booked] = await Promise.all(
        (['repliedAt', 'optedOutAt', 'bookedAt'] as const).map((f) => recipients.countDocuments({ campaignId, [f]: trusted({ $ne: null }) })),
      );
      return {
        total: Object.values(byStatus).reduce((a, b) => a + b, 0),
        waiting,
        skipped: { no_marketing_consent: bySkip['no_marketing_consent'] ?? 0, opted_out: bySkip['opted_out'] ?? 0, no_phone: bySkip['no_phone'] ?? 0 },
        replied: replied!,
        optedOut: optedOut!,
        booked: booked!,
      };
    },
    async messageCounts(campaignId) {
      const rows = await conn.collection('messages').aggregate<{ _id: string; n: number }>([{ $match: { campaignId } }, { $group: { _id: '$status', n: { $sum: 1 } } }]).toArray();
      return Object.fromEntries(rows.map((r) => [r._id, r.n]));
    },
  };
}
