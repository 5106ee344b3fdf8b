import { randomUUID } from 'node:crypto';
import { Schema, type Connection } from 'mongoose';
import type { PatientRepository } from '../services/cases/case.ports';
import { Patient } from '../services/cases/case.schema';
import { rowCodec, type Row } from './rows';

const PatientSchema = new Schema(
  {
    _id: { type: String, required: true },
    givenName: { type: String, default: null },
    familyName: { type: String, default: null },
    birthDate: { type: String, default: null },
    phone: { type: String, default: null },
    phoneHash: { type: String, default: null, index: true },
    language: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'patients', versionKey: false },
);

const { fromRow: toPatient } = rowCodec(Patient);

export function createPatientRepository(conn: Connection): PatientRepository & { ensureIndexes(): Promise<void> } {
  const model = conn.model('Patient', PatientSchema);
  return {
    async ensureIndexes() {
      await model.createIndexes();
    },

    async findOrCreate(p, now) {
      // A phone number is not an identity (families share phones): match on phone, birth date and family name.
      if (p.phoneHash && p.birthDate && p.familyName) {
        const candidates = await model.find({ phoneHash: p.phoneHash, birthDate: p.birthDate }).lean<Row[]>();
        const same = candidates.find((c) => typeof c['familyName'] === 'string' && c['familyName'].toLowerCase() === p.familyName!.toLowerCase());
        if (same) return toPatient(same);
      }
      const row = { _id: `p_${randomUUID().replace(/-/g, '').slice(0, 24)}`, ...p, createdAt: now };
      await model.create(row);
      return toPatient(row);
    },

    async findById(id) {
      const row = await model.findById(id).lean<Row>();
      return row ? toPatient(row) : null;
    },

    async findByIds(ids) {
      if (ids.length === 0) return [];
      const rows = await model.find({ _id: { $in: ids } }).lean<Row[]>();
      return rows.map(toPatient);
    },

    async findIdsByPhoneHash(phoneHash) {
      const rows = await model.find({ phoneHash }, { _id: 1 }).lean<Row[]>();
      return rows.map((r) => r._id);
    },
  };
}
