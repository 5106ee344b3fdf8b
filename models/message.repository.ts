import { Schema, trusted, type Connection } from 'mongoose';
import { Message, STATUS_RANK, type MessageRepository } from '../services/messaging/message.schema';
import { upsertById } from './db';
import { insertUnique, rowCodec, type Row } from './rows';

const MessageSchema = new Schema(
  {
    _id: { type: String, required: true },
    direction: { type: String, required: true },
    channel: { type: String, required: true, default: 'sms' },
    phoneHash: { type: String, default: null, index: true },
    phone: { type: String, default: null },
    conversationRefId: { type: String, default: null, index: true },
    activityId: { type: String, default: null },
    // An MMS may carry no text at all (a picture): an empty body is a stored message too.
    body: { type: String, default: '' },
    media: { type: Schema.Types.Mixed, default: undefined },
    purpose: { type: String, required: true },
    template: { type: String, required: true },
    idempotencyKey: { type: String, required: true, unique: true },
    initiated: { type: Boolean, required: true },
    caseId: { type: String, default: null, index: true },
    campaignId: { type: String, default: null, index: true },
    language: { type: String, required: true },
    timeZone: { type: String, default: null },
    status: { type: String, required: true },
    statusRank: { type: Number, required: true },
    statusHistory: { type: [Schema.Types.Mixed], default: [] },
    twilioSid: { type: String, default: null, index: true },
    errorCode: { type: Number, default: null },
    reason: { type: String, default: null },
    sendAfter: { type: Date, default: null },
    attempts: { type: Number, required: true },
    seq: { type: Number, default: null },
    handled: { type: Boolean, required: true },
    createdAt: { type: Date, required: true, index: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'messages', versionKey: false, minimize: false },
);
// The workers' recovery sweep, every minute: half-sent texts and held texts whose time passed.
MessageSchema.index({ status: 1, updatedAt: 1 });
MessageSchema.index({ status: 1, sendAfter: 1 });
// The sweep for inbound texts whose turn never ran.
MessageSchema.index({ handled: 1, createdAt: 1 });

const { fromRow, toRow } = rowCodec(Message);

/**
 * Per number: the highest arrival number stored and handled. Read only when Redis lost its counters (or for a new
 * number), by `_id`: the same answer from the messages themselves is a filter the embedded database scans for.
 */
const SmsNumberSchema = new Schema(
  { _id: { type: String, required: true }, seq: { type: Number, default: 0 }, done: { type: Number, default: 0 } },
  { collection: 'sms_numbers', versionKey: false },
);

export function createMessageRepository(conn: Connection): MessageRepository & { ensureIndexes(): Promise<void> } {
  const model = conn.model('Message', MessageSchema);
  const numbers = conn.model('SmsNumber', SmsNumberSchema);
  const raise = (phoneHash: string, field: 'seq' | 'done', value: number) =>
    upsertById(() => numbers.updateOne({ _id: phoneHash }, { $max: { [field]: value } }, { upsert: true }));
  return {
    async ensureIndexes() {
      await model.createIndexes();
      await numbers.createIndexes();
      // Texts stored before the counters existed: counted once, in one pass.
      if ((await numbers.estimatedDocumentCount()) === 0 && (await model.exists({ direction: 'inbound', seq: trusted({ $ne: null }) }))) {
        const counts = new Map<string, { seq: number; done: number }>();
        for await (const m of model.find({ direction: 'inbound', seq: trusted({ $ne: null }) }, { phoneHash: 1, seq: 1, handled: 1 }).lean<{ phoneHash: string | null; seq: number; handled: boolean }>().cursor()) {
          if (!m.phoneHash) continue;
          const c = counts.get(m.phoneHash) ?? { seq: 0, done: 0 };
          counts.set(m.phoneHash, { seq: Math.max(c.seq, m.seq), done: m.handled ? Math.max(c.done, m.seq) : c.done });
        }
        for (const [phoneHash, c] of counts) await numbers.updateOne({ _id: phoneHash }, { $max: c }, { upsert: true });
      }
    },
    async insert(m) {
      // Counted before it is stored: a rebuilt counter is never below a stored text's number.
      if (m.direction === 'inbound' && m.phoneHash && m.seq !== null) await raise(m.phoneHash, 'seq', m.seq);
      return insertUnique(model as never, toRow(m));
    },
    async findById(id) {
      const row = await model.findById(id).lean<Row>();
      return row ? fromRow(row) : null;
    },
    async findByKey(idempotencyKey) {
      const row = await model.findOne({ idempotencyKey }).lean<Row>();
      return row ? fromRow(row) : null;
    },
    async transition(target, fromStatuses, set, event, now) {
      const id = typeof target === 'string' ? target : target.id;
      const current = typeof target === 'string' ? await model.findById(id, { status: 1 }).lean<{ status: string }>() : target;
      if (!current || !(fromStatuses as string[]).includes(current.status)) return null;
      const row = await model
        .findOneAndUpdate({ _id: id }, { $set: { ...set, updatedAt: now }, ...(event ? { $push: { statusHistory: event } } : {}) }, { new: true })
        .lean<Row>();
      return row ? fromRow(row) : null;
    },
    async recordDeliveryStatus(twilioSid, event, now) {
      await model.updateOne({ twilioSid }, { $push: { statusHistory: event }, $set: { updatedAt: now } });
      const rank = STATUS_RANK[event.status];
      await model.updateOne(
        { twilioSid, statusRank: trusted({ $lt: rank }) },
        { $set: { status: event.status, statusRank: rank, ...(event.errorCode !== null ? { errorCode: event.errorCode } : {}) } },
      );
      const row = await model.findOne({ twilioSid }).lean<Row>();
      return row ? fromRow(row) : null;
    },
    async countOutbound(f) {
      const q: Record<string, unknown> = { direction: 'outbound', createdAt: trusted({ $gte: f.since }), status: trusted({ $in: f.statuses }) };
      if (f.phoneHash) q['phoneHash'] = f.phoneHash;
      if (f.caseId) q['caseId'] = f.caseId;
      if (f.purpose) q['purpose'] = f.purpose;
      if (f.template) q['template'] = f.template;
      return model.countDocuments(q);
    },
    async listStale(statuses, before, limit) {
      const rows = await model.find({ direction: 'outbound', channel: 'sms', status: trusted({ $in: statuses }), updatedAt: trusted({ $lt: before }) }).sort({ updatedAt: 1 }).limit(limit).lean<Row[]>();
      return rows.map(fromRow);
    },
    async listOverdueDeferred(before, limit) {
      const rows = await model.find({ direction: 'outbound', channel: 'sms', status: 'deferred', sendAfter: trusted({ $lt: before }) }).sort({ sendAfter: 1 }).limit(limit).lean<Row[]>();
      return rows.map(fromRow);
    },
    async markHandled(m, now) {
      await model.updateOne({ _id: m.id }, { $set: { handled: true, updatedAt: now } });
      if (m.phoneHash && m.seq !== null) await raise(m.phoneHash, 'done', m.seq);
    },
    async listUnhandledInbound(f, limit) {
      const q = { handled: false, createdAt: trusted({ $gte: f.since, $lt: f.before }), direction: 'inbound', channel: 'sms', ...(f.phoneHash ? { phoneHash: f.phoneHash } : {}) };
      const rows = await model.find(q).sort({ createdAt: 1, _id: 1 }).limit(limit).lean<Row[]>();
      return rows.map(fromRow);
    },
    async maxInboundSeq(phoneHash, handledOnly) {
      const row = await numbers.findById(phoneHash).lean<{ seq?: number; done?: number }>();
      return (handledOnly ? row?.done : row?.seq) ?? 0;
    },
    async list(f, limit) {
      const q: Record<string, unknown> = {};
      if (f.phoneHash) q['phoneHash'] = f.phoneHash;
      if (f.caseId) q['caseId'] = f.caseId;
      if (f.conversationRefId) q['conversationRefId'] = f.conversationRefId;
      const rows = await model.find(q).sort({ createdAt: -1, _id: -1 }).limit(limit).lean<Row[]>();
      return rows.map(fromRow);
    },
  };
}
