import { Schema, trusted, type Connection } from 'mongoose';
import type { PatientRepository } from '../services/cases/case.ports';
import { Patient } from '../services/cases/case.schema';
import { patientIdFor } from '../services/cases/identity';
import { isDuplicateKey } from './db';
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

    async findOrCreate(p, now, scope = null) {
      // The identity is the _id, so two parallel creates for one person make one record (the unique _id decides).
      const id = patientIdFor(p, scope);
      const row = { _id: id, ...p, createdAt: now };
      try {
        await model.create(row);
        return toPatient(row);
      } catch (e) {
        if (!isDuplicateKey(e)) throw e;
        const existing = await model.findById(id).lean<Row>();
        if (!existing) throw e;
        return toPatient(existing);
      }
    },

    async findById(id) {
      const row = await model.findById(id).lean<Row>();
      return row ? toPatient(row) : null;
    },

    async findByIds(ids) {
      if (ids.length === 0) return [];
      const rows = await model.find({ _id: trusted({ $in: ids }) }).lean<Row[]>();
      return rows.map(toPatient);
    },

    async setLanguage(ids, language) {
      if (ids.length) await model.updateMany({ _id: trusted({ $in: ids }), language: trusted({ $ne: language }) }, { $set: { language } });
    },

    async findIdsByPhoneHash(phoneHash) {
      const rows = await model.find({ phoneHash }, { _id: 1 }).lean<Row[]>();
      return rows.map((r) => r._id);
    },
  };
}
