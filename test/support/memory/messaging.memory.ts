import type { z } from 'zod';
import { ConsentRecord, type ConsentChange, type ConsentRepository, type ConsentStatus, type Purpose } from '../../../services/consent/consent.schema';
import { ConversationRef, type ChatChannel, type ConversationRefRepository } from '../../../services/conversations/conversation-ref.schema';
import { Message, STATUS_RANK, type MessageRepository, type MessageStatus, type StatusEvent } from '../../../services/messaging/message.schema';
import { byNewest, copy, definedOnly } from './util';

type MessageSet = Partial<Pick<Message, 'status' | 'statusRank' | 'twilioSid' | 'activityId' | 'errorCode' | 'reason' | 'sendAfter' | 'attempts'>>;
type Event = z.infer<typeof StatusEvent>;

/** Messages in and out; the idempotency key is unique, as the Mongo repository's unique index makes it. */
export class MemoryMessages implements MessageRepository {
  readonly rows = new Map<string, Message>();

  /** Every message, oldest first (for assertions). */
  all = (): Message[] => {
    return [...this.rows.values()].sort(byNewest).reverse().map((m) => Message.parse(copy(m)));
  };

  private read = (m: Message | undefined): Message | null => {
    return m ? Message.parse(copy(m)) : null;
  };

  insert = (m: Message): Promise<boolean> => {
    if (this.rows.has(m.id) || [...this.rows.values()].some((x) => x.idempotencyKey === m.idempotencyKey)) return Promise.resolve(false);
    this.rows.set(m.id, copy(m));
    return Promise.resolve(true);
  };

  findById = (id: string): Promise<Message | null> => {
    return Promise.resolve(this.read(this.rows.get(id)));
  };

  findByKey = (idempotencyKey: string): Promise<Message | null> => {
    return Promise.resolve(this.read([...this.rows.values()].find((m) => m.idempotencyKey === idempotencyKey)));
  };

  transition = (target: string | Pick<Message, 'id' | 'status'>, fromStatuses: MessageStatus[], set: MessageSet, event: Event | null, now: Date): Promise<Message | null> => {
    const id = typeof target === 'string' ? target : target.id;
    const m = this.rows.get(id);
    // As the real store: a held copy's status is taken as current.
    if (!m || !fromStatuses.includes(typeof target === 'string' ? m.status : target.status)) return Promise.resolve(null);
    const next: Message = { ...m, ...copy(definedOnly(set)), updatedAt: now, statusHistory: event ? [...m.statusHistory, copy(event)] : m.statusHistory };
    this.rows.set(id, next);
    return Promise.resolve(this.read(next));
  };

  recordDeliveryStatus = (twilioSid: string, event: Event, now: Date): Promise<Message | null> => {
    const m = [...this.rows.values()].find((x) => x.twilioSid === twilioSid);
    if (!m) return Promise.resolve(null);
    m.statusHistory.push(copy(event));
    m.updatedAt = now;
    // The current status only moves forward.
    const rank = STATUS_RANK[event.status];
    if (m.statusRank < rank) Object.assign(m, { status: event.status, statusRank: rank, ...(event.errorCode !== null ? { errorCode: event.errorCode } : {}) });
    return Promise.resolve(this.read(m));
  };

  countOutbound = (f: { phoneHash?: string; caseId?: string; purpose?: Purpose; template?: string; since: Date; statuses: MessageStatus[] }): Promise<number> => {
    const n = [...this.rows.values()].filter(
      (m) =>
        m.direction === 'outbound' &&
        m.createdAt >= f.since &&
        f.statuses.includes(m.status) &&
        (!f.phoneHash || m.phoneHash === f.phoneHash) &&
        (!f.caseId || m.caseId === f.caseId) &&
        (!f.purpose || m.purpose === f.purpose) &&
        (!f.template || m.template === f.template),
    ).length;
    return Promise.resolve(n);
  };

  markHandled = (handled: Pick<Message, 'id'>, now: Date): Promise<void> => {
    const m = this.rows.get(handled.id);
    if (m) Object.assign(m, { handled: true, updatedAt: now });
    return Promise.resolve();
  };

  listUnhandledInbound = (f: { since: Date; before: Date; phoneHash?: string }, limit: number): Promise<Message[]> => {
    const rows = [...this.rows.values()].filter((m) => m.direction === 'inbound' && m.channel === 'sms' && !m.handled && m.createdAt >= f.since && m.createdAt < f.before && (!f.phoneHash || m.phoneHash === f.phoneHash));
    return Promise.resolve(rows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()).slice(0, limit).map((m) => this.read(m)!));
  };

  maxInboundSeq = (phoneHash: string, handledOnly: boolean): Promise<number> => {
    return Promise.resolve(Math.max(0, ...[...this.rows.values()].filter((m) => m.phoneHash === phoneHash && m.seq !== null && (!handledOnly || m.handled)).map((m) => m.seq!)));
  };

  listStale = (statuses: MessageStatus[], before: Date, limit: number): Promise<Message[]> => {
    const rows = [...this.rows.values()].filter((m) => m.direction === 'outbound' && m.channel === 'sms' && statuses.includes(m.status) && m.updatedAt < before);
    return Promise.resolve(rows.sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime()).slice(0, limit).map((m) => this.read(m)!));
  };

  listOverdueDeferred = (before: Date, limit: number): Promise<Message[]> => {
    const rows = [...this.rows.values()].filter((m) => m.direction === 'outbound' && m.channel === 'sms' && m.status === 'deferred' && m.sendAfter !== null && m.sendAfter < before);
    return Promise.resolve(rows.sort((a, b) => a.sendAfter!.getTime() - b.sendAfter!.getTime()).slice(0, limit).map((m) => this.read(m)!));
  };

  list = (f: { phoneHash?: string; caseId?: string; conversationRefId?: string }, limit: number): Promise<Message[]> => {
    const rows = [...this.rows.values()].filter((m) => (!f.phoneHash || m.phoneHash === f.phoneHash) && (!f.caseId || m.caseId === f.caseId) && (!f.conversationRefId || m.conversationRefId === f.conversationRefId));
    return Promise.resolve(rows.sort(byNewest).slice(0, limit).map((m) => this.read(m)!));
  };
}

/** Consent per number and purpose, keyed by the phone's hash (never the number), with its history. */
export class MemoryConsents implements ConsentRepository {
  readonly rows = new Map<string, ConsentRecord>();

  get = (phoneHash: string): Promise<Record<Purpose, ConsentRecord | null>> => {
    const of = (p: Purpose) => {
      const r = this.rows.get(`${phoneHash}:${p}`);
      return r ? ConsentRecord.parse(copy(r)) : null;
    };
    return Promise.resolve({ care: of('care'), marketing: of('marketing') });
  };

  statusesMany = (phoneHashes: string[]): Promise<Map<string, Partial<Record<Purpose, ConsentStatus>>>> => {
    const out = new Map<string, Partial<Record<Purpose, ConsentStatus>>>();
    for (const r of this.rows.values()) if (phoneHashes.includes(r.phoneHash)) out.set(r.phoneHash, { ...out.get(r.phoneHash), [r.purpose]: r.status });
    return Promise.resolve(out);
  };

  record = (phoneHash: string, purpose: Purpose, change: ConsentChange): Promise<void> => {
    const key = `${phoneHash}:${purpose}`;
    const r = this.rows.get(key) ?? { phoneHash, purpose, status: change.status, history: [] };
    this.rows.set(key, { ...r, status: change.status, history: [...r.history, copy(change)] });
    return Promise.resolve();
  };
}

/** Teams and Web Chat conversation references; an upsert keeps the first createdAt. */
export class MemoryConversationRefs implements ConversationRefRepository {
  readonly rows = new Map<string, ConversationRef>();

  upsert = (ref: ConversationRef): Promise<void> => {
    const was = this.rows.get(ref.id);
    this.rows.set(ref.id, { ...copy(ref), createdAt: was?.createdAt ?? ref.createdAt });
    return Promise.resolve();
  };

  findById = (id: string): Promise<ConversationRef | null> => {
    const r = this.rows.get(id);
    return Promise.resolve(r ? ConversationRef.parse(copy(r)) : null);
  };

  list = (f: { channel?: ChatChannel; personKey?: string; tenantId?: string }, limit: number): Promise<ConversationRef[]> => {
    const rows = [...this.rows.values()].filter((r) => (!f.channel || r.channel === f.channel) && (!f.personKey || r.personKey === f.personKey) && (!f.tenantId || r.tenantId === f.tenantId));
    rows.sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime() || (a.id < b.id ? -1 : 1));
    return Promise.resolve(rows.slice(0, limit).map((r) => ConversationRef.parse(copy(r))));
  };
}
