import { Schema, type Connection } from 'mongoose';
import { Message, STATUS_RANK, type MessageRepository } from '../services/messaging/message.schema';
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
// The sweep for inbound texts whose turn never ran, and the arrival counter rebuilt after Redis lost it.
MessageSchema.index({ handled: 1, createdAt: 1 });
MessageSchema.index({ phoneHash: 1, seq: -1 });

const { fromRow, toRow } = rowCodec(Message);

export function createMessageRepository(conn: Connection): MessageRepository & { ensureIndexes(): Promise<void> } {
  const model = conn.model('Message', MessageSchema);
  return {
    async ensureIndexes() {
      await model.createIndexes();
    },
    insert(m) {
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
    async transition(id, fromStatuses, set, event, now) {
      const row = await model
        .findOneAndUpdate(
          { _id: id, status: { $in: fromStatuses } },
          { $set: { ...set, updatedAt: now }, ...(event ? { $push: { statusHistory: event } } : {}) },
          { new: true },
        )
        .lean<Row>();
      return row ? fromRow(row) : null;
    },
    async recordDeliveryStatus(twilioSid, event, now) {
      await model.updateOne({ twilioSid }, { $push: { statusHistory: event }, $set: { updatedAt: now } });
      const rank = STATUS_RANK[event.status];
      await model.updateOne(
        { twilioSid, statusRank: { $lt: rank } },
        { $set: { status: event.status, statusRank: rank, ...(event.errorCode !== null ? { errorCode: event.errorCode } : {}) } },
      );
      const row = await model.findOne({ twilioSid }).lean<Row>();
      return row ? fromRow(row) : null;
    },
    async countOutbound(f) {
      const q: Record<string, unknown> = { direction: 'outbound', createdAt: { $gte: f.since }, status: { $in: f.statuses } };
      if (f.phoneHash) q['phoneHash'] = f.phoneHash;
      if (f.caseId) q['caseId'] = f.caseId;
      if (f.purpose) q['purpose'] = f.purpose;
      if (f.template) q['template'] = f.template;
      return model.countDocuments(q);
    },
    async listStale(statuses, before, limit) {
      const rows = await model.find({ direction: 'outbound', channel: 'sms', status: { $in: statuses }, updatedAt: { $lt: before } }).sort({ updatedAt: 1 }).limit(limit).lean<Row[]>();
      return rows.map(fromRow);
    },
    async listOverdueDeferred(before, limit) {
      const rows = await model.find({ direction: 'outbound', channel: 'sms', status: 'deferred', sendAfter: { $lt: before } }).sort({ sendAfter: 1 }).limit(limit).lean<Row[]>();
      return rows.map(fromRow);
    },
    async markHandled(id, now) {
      await model.updateOne({ _id: id }, { $set: { handled: true, updatedAt: now } });
    },
    async listUnhandledInbound(f, limit) {
      const q = { handled: false, createdAt: { $gte: f.since, $lt: f.before }, direction: 'inbound', channel: 'sms', ...(f.phoneHash ? { phoneHash: f.phoneHash } : {}) };
      const rows = await model.find(q).sort({ createdAt: 1, _id: 1 }).limit(limit).lean<Row[]>();
      return rows.map(fromRow);
    },
    async maxInboundSeq(phoneHash, handledOnly) {
      const row = await model.findOne({ phoneHash, seq: { $ne: null }, ...(handledOnly ? { handled: true } : {}) }, { seq: 1 }).sort({ seq: -1 }).lean<{ seq: number | null }>();
      return row?.seq ?? 0;
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
