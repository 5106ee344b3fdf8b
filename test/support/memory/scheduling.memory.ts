import { Appointment, cellKeys, type AppointmentRepository, type BookedInterval } from '../../../services/scheduling/appointment.schema';
import { SlotOffer, WaitlistEntry, type WaitlistRepository } from '../../../services/waitlist/waitlist.schema';
import { copy } from './util';

/** Appointments and the scanner-time cells they hold: a cell has one holder, which is what stops double booking. */
export class MemoryAppointments implements AppointmentRepository {
  readonly rows = new Map<string, Appointment>();
  /** Cell key (scanner and 15-minute start) → the appointment holding it. */
  readonly cells = new Map<string, string>();

  book = (a: Appointment): Promise<boolean> => {
    const keys = cellKeys(a.scannerId, a.start, a.end);
    if (keys.some((k) => this.cells.has(k))) return Promise.resolve(false);
    for (const k of keys) this.cells.set(k, a.id);
    this.rows.set(a.id, copy(a));
    return Promise.resolve(true);
  };

  cancel = (id: string, reason: string, now: Date): Promise<Appointment | null> => {
    const a = this.rows.get(id);
    if (!a || a.status !== 'booked') return Promise.resolve(null);
    Object.assign(a, { status: 'cancelled', cancelReason: reason, updatedAt: now });
    // Only this appointment's cells: a newer booking of the same time keeps its own.
    for (const k of cellKeys(a.scannerId, a.start, a.end)) if (this.cells.get(k) === id) this.cells.delete(k);
    return Promise.resolve(Appointment.parse(copy(a)));
  };

  findById = (id: string): Promise<Appointment | null> => {
    const a = this.rows.get(id);
    return Promise.resolve(a ? Appointment.parse(copy(a)) : null);
  };

  bookedBetween = (scannerIds: string[], from: Date, to: Date): Promise<BookedInterval[]> => {
    const hits = [...this.rows.values()].filter((a) => scannerIds.includes(a.scannerId) && a.status === 'booked' && a.start < to && a.end > from);
    return Promise.resolve(hits.map((a) => ({ scannerId: a.scannerId, start: new Date(a.start), end: new Date(a.end) })));
  };
}

/** The waitlist (one entry per case: `w_<caseId>`) and the freed times held for its patients. */
export class MemoryWaitlist implements WaitlistRepository {
  readonly entries = new Map<string, WaitlistEntry>();
  readonly offers = new Map<string, SlotOffer>();

  join = (entry: WaitlistEntry): Promise<boolean> => {
    const was = this.entries.get(entry.id);
    if (!was) {
      this.entries.set(entry.id, copy(entry));
      return Promise.resolve(true);
    }
    // A case that left the list and asks again joins at the back.
    if (was.status !== 'done') return Promise.resolve(false);
    Object.assign(was, { status: 'waiting', joinedAt: entry.joinedAt, updatedAt: entry.updatedAt });
    return Promise.resolve(true);
  };

  waiting = (modality: WaitlistEntry['modality']): Promise<WaitlistEntry[]> => {
    const rows = [...this.entries.values()].filter((e) => e.modality === modality && e.status === 'waiting');
    rows.sort((a, b) => Number(b.urgent) - Number(a.urgent) || a.joinedAt.getTime() - b.joinedAt.getTime() || (a.id < b.id ? -1 : 1));
    return Promise.resolve(rows.slice(0, 500).map((e) => WaitlistEntry.parse(copy(e))));
  };

  finish = (caseId: string, now: Date): Promise<void> => {
    const e = this.entries.get(`w_${caseId}`);
    if (e?.status === 'waiting') Object.assign(e, { status: 'done', updatedAt: now });
    return Promise.resolve();
  };

  insertOffer = (offer: SlotOffer): Promise<void> => {
    if (this.offers.has(offer.id)) return Promise.reject(new Error(`slot offer ${offer.id} exists already`));
    this.offers.set(offer.id, copy(offer));
    return Promise.resolve();
  };

  findOffer = (id: string): Promise<SlotOffer | null> => {
    const o = this.offers.get(id);
    return Promise.resolve(o ? SlotOffer.parse(copy(o)) : null);
  };

  latestOfferTo = (phoneHash: string, since: Date): Promise<SlotOffer | null> => {
    const rows = [...this.offers.values()].filter((o) => o.phoneHash === phoneHash && o.offeredAt >= since);
    rows.sort((a, b) => b.offeredAt.getTime() - a.offeredAt.getTime() || (a.id < b.id ? 1 : -1));
    return Promise.resolve(rows[0] ? SlotOffer.parse(copy(rows[0])) : null);
  };

  hasOpenOffer = (caseId: string): Promise<boolean> => {
    return Promise.resolve([...this.offers.values()].some((o) => o.caseId === caseId && o.status === 'open'));
  };

  openOffersEndedBefore = (before: Date, limit: number): Promise<SlotOffer[]> => {
    const rows = [...this.offers.values()].filter((o) => o.status === 'open' && o.expiresAt < before);
    rows.sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime());
    return Promise.resolve(rows.slice(0, limit).map((o) => SlotOffer.parse(copy(o))));
  };

  closeOffer = (id: string, status: Exclude<SlotOffer['status'], 'open'>, now: Date): Promise<boolean> => {
    const o = this.offers.get(id);
    if (o?.status !== 'open') return Promise.resolve(false);
    Object.assign(o, { status, updatedAt: now });
    return Promise.resolve(true);
  };
}
