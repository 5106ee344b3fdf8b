import { Schema, trusted, type Connection } from 'mongoose';
import { Task, type TaskRepository } from '../services/tasks/task.schema';
import { insertUnique, rowCodec, type Row } from './rows';

const TaskSchema = new Schema(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true },
    status: { type: String, required: true, index: true },
    dedupeKey: { type: String, required: true, unique: true },
    summary: { type: String, required: true },
    caseId: { type: String, default: null, index: true },
    referrerOrgId: { type: String, default: null },
    replyTo: { type: Schema.Types.Mixed, default: null },
    conversationKey: { type: String, default: null, index: true },
    live: { type: Schema.Types.Mixed, default: null },
    urgent: { type: Boolean, default: false },
    dueAt: { type: Date, default: null },
    escalatedAt: { type: Date, default: null },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'tasks', versionKey: false },
);

const { fromRow, toRow } = rowCodec(Task);

export function createTaskRepository(conn: Connection): TaskRepository & { ensureIndexes(): Promise<void> } {
  const model = conn.model('Task', TaskSchema);
  return {
    async ensureIndexes() {
      await model.createIndexes();
      // Tasks stored before urgent tasks existed sort as non-urgent ones (a missing field would sort below them).
      await model.updateMany({ urgent: trusted({ $exists: false }) }, { $set: { urgent: false, dueAt: null, escalatedAt: null } });
    },
    insert(task) {
      // Bounded at write time as at read time: no stored task can break the list.
      return insertUnique(model as never, toRow(Task.parse({ ...task, summary: task.summary.slice(0, 500) })));
    },
    async findById(id) {
      const row = await model.findById(id).lean<Row>();
      return row ? fromRow(row) : null;
    },
    async findByKey(dedupeKey) {
      const row = await model.findOne({ dedupeKey }).lean<Row>();
      return row ? fromRow(row) : null;
    },
    async updateSummary(dedupeKey, summary, now) {
      await model.updateOne({ dedupeKey, status: 'open' }, { $set: { summary: summary.slice(0, 500), updatedAt: now } });
    },
    async attachCase(id, caseId, now) {
      await model.updateOne({ _id: id, caseId: null }, { $set: { caseId, updatedAt: now } });
    },
    async findLive(conversationKey) {
      const rows = await model.find({ conversationKey }).sort({ updatedAt: -1 }).limit(5).lean<Row[]>();
      const live = rows.map(fromRow).find((t) => t.live !== null && !t.live.backNoticeSent);
      return live ?? null;
    },
    async setLive(id, by, since, now) {
      await model.updateOne({ _id: id }, { $set: { live: { since, lastAt: now, by: by.slice(0, 100), unread: 0, backNoticeSent: false }, updatedAt: now } });
    },
    async touchLive(id, now) {
      await model.updateOne({ _id: id }, { $inc: { 'live.unread': 1 }, $set: { 'live.lastAt': now, updatedAt: now } });
    },
    async endLive(id, now) {
      await model.updateOne({ _id: id }, { $set: { 'live.backNoticeSent': true, updatedAt: now } });
    },
    async escalate(dedupeKey, summary, now) {
      const r = await model.updateOne({ dedupeKey, status: 'open', escalatedAt: null }, { $set: { escalatedAt: now, summary: summary.slice(0, 500), updatedAt: now } });
      return r.modifiedCount === 1;
    },
    async closeById(id, now) {
      const r = await model.updateOne({ _id: id, status: 'open' }, { $set: { status: 'done', updatedAt: now } });
      return r.modifiedCount === 1;
    },
    async close(dedupeKey, now) {
      const r = await model.updateOne({ dedupeKey, status: 'open' }, { $set: { status: 'done', updatedAt: now } });
      return r.modifiedCount === 1;
    },
    async list(f, limit) {
      const q: Record<string, unknown> = {};
      if (f.status) q['status'] = f.status;
      if (f.kind) q['kind'] = f.kind;
      const rows = await model.find(q).sort({ urgent: -1, escalatedAt: -1, createdAt: -1, _id: 1 }).limit(limit).lean<Row[]>();
      return rows.map(fromRow);
    },
  };
}
