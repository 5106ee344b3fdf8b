import { Schema, type Connection } from 'mongoose';
import { AuditEvent, type AuditRepository } from '../services/audit/audit.schema';
import { rowCodec, type Row } from './rows';

const AuditSchema = new Schema(
  {
    _id: { type: String, required: true },
    at: { type: Date, required: true, index: true },
    actorId: { type: String, default: null, index: true },
    role: { type: String, default: null },
    action: { type: String, required: true },
    caseId: { type: String, default: null, index: true },
    targetId: { type: String, default: null },
    patientRef: { type: String, default: null },
    status: { type: Number, required: true },
    outcome: { type: String, required: true },
    requestId: { type: String, default: null },
  },
  { collection: 'audit_events', versionKey: false },
);

const { fromRow, toRow } = rowCodec(AuditEvent);

export function createAuditRepository(conn: Connection): AuditRepository & { ensureIndexes(): Promise<void> } {
  const model = conn.model('AuditEvent', AuditSchema);
  return {
    async ensureIndexes() {
      await model.createIndexes();
    },
    async insert(e) {
      await model.create(toRow(e));
    },
    async list(f, limit) {
      const q: Record<string, string> = {};
      if (f.actorId) q['actorId'] = f.actorId;
      if (f.caseId) q['caseId'] = f.caseId;
      const rows = await model.find(q).sort({ at: -1, _id: -1 }).limit(limit).lean<Row[]>();
      return rows.map(fromRow);
    },
  };
}
