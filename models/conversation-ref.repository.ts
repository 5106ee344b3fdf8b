import { Schema, type Connection } from 'mongoose';
import { ConversationRef, type ConversationRefRepository } from '../services/conversations/conversation-ref.schema';
import { rowCodec, type Row } from './rows';
import { upsertById } from './db';

const RefSchema = new Schema(
  {
    _id: { type: String, required: true },
    channel: { type: String, required: true },
    personKey: { type: String, required: true, index: true },
    tenantId: { type: String, default: null, index: true },
    language: { type: String, default: null },
    reference: { type: Schema.Types.Mixed, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true, index: true },
  },
  { collection: 'conversation_refs', versionKey: false, minimize: false },
);

const { fromRow, toRow } = rowCodec(ConversationRef);

export function createConversationRefRepository(conn: Connection): ConversationRefRepository & { ensureIndexes(): Promise<void> } {
  const model = conn.model('ConversationRef', RefSchema);
  return {
    async ensureIndexes() {
      await model.createIndexes();
    },
    async upsert(ref) {
      const { _id, createdAt, ...rest } = toRow(ref);
      await upsertById(() => model.updateOne({ _id }, { $set: rest, $setOnInsert: { createdAt } }, { upsert: true }));
    },
    async findById(id) {
      const row = await model.findById(id).lean<Row>();
      return row ? fromRow(row) : null;
    },
    async list(f, limit) {
      const q: Record<string, unknown> = {};
      if (f.channel) q['channel'] = f.channel;
      if (f.personKey) q['personKey'] = f.personKey;
      if (f.tenantId) q['tenantId'] = f.tenantId;
      const rows = await model.find(q).sort({ updatedAt: -1, _id: 1 }).limit(limit).lean<Row[]>();
      return rows.map(fromRow);
    },
  };
}
