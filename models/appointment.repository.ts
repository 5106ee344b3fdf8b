import { Schema, trusted, type Connection } from 'mongoose';
import { Appointment, cellKeys, type AppointmentRepository } from '../services/scheduling/appointment.schema';
import { isDuplicateKey } from './db';
import { rowCodec, type Row } from './rows';

const AppointmentSchema = new Schema(
  {
    _id: { type: String, required: true },
    caseId: { type: String, required: true, index: true },
    scannerId: { type: String, required: true },
    start: { type: Date, required: true },
    end: { type: Date, required: true },
    study: { type: Schema.Types.Mixed, required: true },
    status: { type: String, required: true },
    cancelReason: { type: String, default: null },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'appointments', versionKey: false, minimize: false },
);
AppointmentSchema.index({ scannerId: 1, start: 1 });

// One document per 15-minute cell of scanner time held by a booking: the unique _id is the whole guarantee.
const CellSchema = new Schema({ _id: { type: String, required: true }, appointmentId: { type: String, required: true } }, { collection: 'slot_cells', versionKey: false });

const { fromRow, toRow } = rowCodec(Appointment);

export function createAppointmentRepository(conn: Connection): AppointmentRepository & { ensureIndexes(): Promise<void> } {
  const model = conn.model('Appointment', AppointmentSchema);
  const cells = conn.model('SlotCell', CellSchema);

  /** Frees cells held by this appointment only: a late second cancel must not free a newer booking's cells. */
  async function release(keys: string[], appointmentId: string): Promise<void> {
    for (const k of keys) await cells.deleteOne({ _id: k, appointmentId });
  }

  return {
    async ensureIndexes() {
      await model.createIndexes();
      await cells.createIndexes();
    },
    async book(a) {
      // Cells in time order, one insert each (atomic by _id on any server): two overlapping bookings meet at their
      // first shared cell, and the one that loses gives back what it took.
      const keys = cellKeys(a.scannerId, a.start, a.end);
      const taken: string[] = [];
      for (const k of keys) {
        try {
          await cells.create({ _id: k, appointmentId: a.id });
          taken.push(k);
        } catch (e) {
          await release(taken, a.id);
          if (isDuplicateKey(e)) return false;
          throw e;
        }
      }
      try {
        await model.create(toRow(a));
      } catch (e) {
        await release(taken, a.id);
        throw e;
      }
      return true;
    },
    async cancel(id, reason, now) {
      const row = await model.findOneAndUpdate(
        { _id: id, status: 'booked' },
        { $set: { status: 'cancelled', cancelReason: reason, updatedAt: now } },
        { new: true },
      ).lean<Row>();
      if (!row) return null;
      const a = fromRow(row);
      await release(cellKeys(a.scannerId, a.start, a.end), a.id);
      return a;
    },
    async findById(id) {
      const row = await model.findById(id).lean<Row>();
      return row ? fromRow(row) : null;
    },
    async bookedBetween(scannerIds, from, to) {
      const rows = await model
        .find({ scannerId: trusted({ $in: scannerIds }), status: 'booked', start: trusted({ $lt: to }), end: trusted({ $gt: from }) }, { scannerId: 1, start: 1, end: 1 })
        .lean<Array<{ scannerId: string; start: Date; end: Date }>>();
      return rows.map((r) => ({ scannerId: r.scannerId, start: r.start, end: r.end }));
    },
  };
}
