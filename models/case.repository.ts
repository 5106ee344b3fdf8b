import { Schema, trusted, type Connection } from 'mongoose';
import type { CaseRepository } from '../services/cases/case.ports';
import { Case, type CaseFilter } from '../services/cases/case.schema';
import { insertUnique, rowCodec, type Row } from './rows';

const HistorySchema = new Schema(
  {
    from: { type: String, default: null },
    to: { type: String, required: true },
    event: { type: String, required: true },
    actor: { type: String, required: true },
    channel: { type: String, required: true },
    at: { type: Date, required: true },
    reason: String,
    data: Schema.Types.Mixed,
  },
  { _id: false },
);

const CaseSchema = new Schema(
  {
    _id: { type: String, required: true },
    state: { type: String, required: true, index: true },
    track: { type: String, required: true, index: true },
    version: { type: Number, required: true },
    source: { type: String, required: true },
    patientId: { type: String, required: true, index: true },
    referrerOrgId: { type: String, default: null, index: true },
    order: { type: Schema.Types.Mixed, required: true },
    missing: { type: [String], default: [] },
    appointment: { type: Schema.Types.Mixed, default: null },
    screening: { type: Schema.Types.Mixed, default: null },
    authorization: { type: Schema.Types.Mixed, default: null },
    history: { type: [HistorySchema], default: [] },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'cases', versionKey: false, minimize: false },
);
CaseSchema.index({ createdAt: -1, _id: -1 });

const { fromRow: toCase, toRow } = rowCodec(Case);

function encodeCursor(c: Case): string {
  return Buffer.from(`${c.createdAt.toISOString()}|${c.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { at: Date; id: string } | null {
  const [iso, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const at = new Date(iso ?? '');
  return id && !Number.isNaN(at.getTime()) ? { at, id } : null;
}

export function createCaseRepository(conn: Connection): CaseRepository & { ensureIndexes(): Promise<void> } {
  const model = conn.model('Case', CaseSchema);

  return {
    async ensureIndexes() {
      await model.createIndexes();
    },

    insert(c) {
      return insertUnique(model as never, toRow(c));
    },

    async findById(id) {
      const row = await model.findById(id).lean<Row>();
      return row ? toCase(row) : null;
    },

    async list(filter: CaseFilter, page) {
      const q: Record<string, unknown> = {};
      if (filter.state) q['state'] = filter.state;
      if (filter.track) q['track'] = filter.track;
      if (filter.referrerOrgId) q['referrerOrgId'] = filter.referrerOrgId;
      if (filter.patientIds) q['patientId'] = trusted({ $in: filter.patientIds });
      const cursor = page.after ? decodeCursor(page.after) : null;
      if (page.after && !cursor) throw new RangeError('page cursor is malformed');
      if (cursor) q['$or'] = [{ createdAt: trusted({ $lt: cursor.at }) }, { createdAt: cursor.at, _id: trusted({ $lt: cursor.id }) }];
      const rows = await model
        .find(q)
        .sort({ createdAt: -1, _id: -1 })
        .limit(page.limit + 1)
        .lean<Row[]>();
      const items = rows.slice(0, page.limit).map(toCase);
      const last = items[items.length - 1];
      return rows.length > page.limit && last ? { items, next: encodeCursor(last) } : { items };
    },

    async applyTransition(id, expected, change) {
      const entries = Array.isArray(change.entry) ? change.entry : [change.entry];
      const row = await model
        .findOneAndUpdate(
          { _id: id, state: expected.state, version: expected.version },
          {
            $set: { ...change.set, state: change.state, updatedAt: change.now, ...(change.track ? { track: change.track } : {}) },
            $inc: { version: 1 },
            $push: { history: { $each: entries } },
          },
          { new: true },
        )
        .lean<Row>();
      return row ? toCase(row) : null;
    },

    async patch(id, expectedVersion, set, now) {
      const row = await model
        .findOneAndUpdate({ _id: id, version: expectedVersion }, { $set: { ...set, updatedAt: now }, $inc: { version: 1 } }, { new: true })
        .lean<Row>();
      return row ? toCase(row) : null;
    },
  };
}
