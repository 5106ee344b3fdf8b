import { Campaign, Recipient, type Audience, type AudienceMember, type CampaignRepository, type SkipReason } from '../../../services/campaigns/campaign.schema';
import type { MemoryCases, MemoryPatients } from './cases.memory';
import type { MemoryMessages } from './messaging.memory';
import { copy } from './util';

const DAY = 86_400_000;
type Stamp = 'repliedAt' | 'optedOutAt' | 'bookedAt';

/** Campaigns and their recipients; the audience reads the in-memory cases and patients, as the Mongo one reads theirs. */
export class MemoryCampaigns implements CampaignRepository {
  readonly rows = new Map<string, Campaign>();
  readonly recipients = new Map<string, Recipient>();

  constructor(private readonly stores: { cases: MemoryCases; patients: MemoryPatients; messages: MemoryMessages }) {}

  insert = (c: Campaign): Promise<void> => {
    if (this.rows.has(c.id)) return Promise.reject(new Error(`campaign ${c.id} exists already`));
    this.rows.set(c.id, copy(c));
    return Promise.resolve();
  };

  findById = (id: string): Promise<Campaign | null> => {
    const c = this.rows.get(id);
    return Promise.resolve(c ? Campaign.parse(copy(c)) : null);
  };

  list = (limit: number): Promise<Campaign[]> => {
    const rows = [...this.rows.values()].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
    return Promise.resolve(rows.slice(0, limit).map((c) => Campaign.parse(copy(c))));
  };

  setStatus = (id: string, from: Campaign['status'][], to: Campaign['status'], set: Partial<Pick<Campaign, 'launchedAt' | 'plannedAt'>>): Promise<Campaign | null> => {
    const c = this.rows.get(id);
    if (!c || !from.includes(c.status)) return Promise.resolve(null);
    Object.assign(c, { status: to, ...copy(set) });
    return this.findById(id);
  };

  audience = (a: Audience, now: Date): Promise<AudienceMember[]> => {
    const min = a.changedDaysAgo?.min;
    const max = a.changedDaysAgo?.max;
    const ids = new Set(
      this.stores.cases
        .all()
        .filter((c) => a.states.includes(c.state) && (!a.modalities || (c.order.code.modality !== null && a.modalities.includes(c.order.code.modality))))
        .filter((c) => (min === undefined || c.updatedAt.getTime() <= now.getTime() - min * DAY) && (max === undefined || c.updatedAt.getTime() >= now.getTime() - max * DAY))
        .map((c) => c.patientId),
    );
    const members = [...this.stores.patients.rows.values()].filter((p) => ids.has(p.id));
    return Promise.resolve(members.map((p) => ({ patientId: p.id, phoneHash: p.phoneHash, phone: p.phone, language: p.language === 'es' ? 'es' : 'en' })));
  };

  insertRecipients = (rs: Recipient[]): Promise<void> => {
    // A planning run that restarted: the rows it made before are kept as they are.
    for (const r of rs) if (!this.recipients.has(r.id)) this.recipients.set(r.id, copy(r));
    return Promise.resolve();
  };

  noteRecipientEvent = (phoneHash: string, field: Stamp, at: Date, since: Date): Promise<void> => {
    for (const r of this.recipients.values()) {
      if (r.phoneHash === phoneHash && r.status === 'queued' && r.sendAt !== null && r.sendAt <= at && r.createdAt >= since && r[field] === null) r[field] = at;
    }
    return Promise.resolve();
  };

  recipientCounts = (campaignId: string, now: Date): ReturnType<CampaignRepository['recipientCounts']> => {
    const rs = [...this.recipients.values()].filter((r) => r.campaignId === campaignId);
    const skipped = (why: SkipReason) => rs.filter((r) => r.status === 'skipped' && r.skipReason === why).length;
    const stamped = (f: Stamp) => rs.filter((r) => r[f] !== null).length;
    return Promise.resolve({
      total: rs.length,
      waiting: rs.filter((r) => r.status === 'queued' && r.waitsForWindow && r.sendAt !== null && r.sendAt > now).length,
      skipped: { no_marketing_consent: skipped('no_marketing_consent'), opted_out: skipped('opted_out'), no_phone: skipped('no_phone') },
      replied: stamped('repliedAt'),
      optedOut: stamped('optedOutAt'),
      booked: stamped('bookedAt'),
    });
  };

  messageCounts = (campaignId: string): Promise<Record<string, number>> => {
    const out: Record<string, number> = {};
    for (const m of this.stores.messages.rows.values()) if (m.campaignId === campaignId) out[m.status] = (out[m.status] ?? 0) + 1;
    return Promise.resolve(out);
  };
}
