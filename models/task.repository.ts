import { Schema, trusted, type Connection } from 'mongoose';
import { Task, type TaskRepository } from '../services/tasks/task.schema';
import { upsertById } from './db';
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

/**
 * Which task is live for a conversation, by the conversation's key as `_id`: every inbound message asks, and a
 * lookup by `_id` is the one filter the embedded database answers without reading the collection.
 */
const LiveSchema = new Schema({ _id: { type: String, required: true }, taskId: { type: String, required: true } }, { collection: 'live_handoffs', versionKey: false });

export function createTaskRepository(conn: Connection): TaskRepository & { ensureIndexes(): Promise<void> } {
  const model = conn.model('Task', TaskSchema);
  const lives = conn.model('LiveHandoff', LiveSchema);
  return {
    async ensureIndexes() {
      await model.createIndexes();
      // Handoffs made live before the markers existed: marked once (a scan of the tasks, so only while there are none).
      if ((await lives.estimatedDocumentCount()) === 0) for (const t of await model.find({ 'live.backNoticeSent': false, conversationKey: trusted({ $ne: null }) }, { conversationKey: 1 }).lean<Array<{ _id: string; conversationKey: string }>>()) {
        await upsertById(() => lives.updateOne({ _id: t.conversationKey }, { $setOnInsert: { taskId: t._id } }, { upsert: true }));
      }
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
      const marker = await lives.findById(conversationKey).lean<{ taskId: string }>();
      const row = marker ? await model.findById(marker.taskId).lean<Row>() : null;
      const task = row ? fromRow(row) : null;
      return task?.live && !task.live.backNoticeSent ? task : null;
    },
    async setLive(id, by, since, now) {
      const task = await model.findOneAndUpdate({ _id: id }, { $set: { live: { since, lastAt: now, by: by.slice(0, 100), unread: 0, backNoticeSent: false }, updatedAt: now } }, { new: true }).lean<Row>();
      const key = task ? fromRow(task).conversationKey : null;
      if (key) await upsertById(() => lives.updateOne({ _id: key }, { $set: { taskId: id } }, { upsert: true }));
    },
    async touchLive(id, now) {
      await model.updateOne({ _id: id }, { $inc: { 'live.unread': 1 }, $set: { 'live.lastAt': now, updatedAt: now } });
    },
    async endLive(id, now) {
      const task = await model.findOneAndUpdate({ _id: id }, { $set: { 'live.backNoticeSent': true, updatedAt: now } }, { new: true }).lean<Row>();
      const key = task ? fromRow(task).conversationKey : null;
      if (key) await lives.deleteOne({ _id: key, taskId: id }); // a newer handoff of the conversation keeps its marker
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
