import { orderedId } from '../ids';
import { z } from 'zod';
import { Purpose } from '../consent/consent.schema';

export const MessageStatus = z.enum([
  'received', // inbound
  'pending', // stored, not yet sent
  'deferred', // waiting for the recipient's send window
  'sending',
  'accepted',
  'queued',
  'sent',
  'delivered',
  'undelivered',
  'failed',
  'read',
  'refused', // stopped at the gateway (consent, caps, template), never sent
]);
export type MessageStatus = z.infer<typeof MessageStatus>;

/** Order of delivery statuses: a callback may only move a message forward (domain.md §6). */
export const STATUS_RANK: Record<MessageStatus, number> = {
  received: 0,
  pending: 0,
  deferred: 1,
  sending: 2,
  accepted: 3,
  queued: 4,
  sent: 5,
  delivered: 6,
  undelivered: 6,
  failed: 6,
  refused: 6,
  read: 7,
};

export const MessageChannel = z.enum(['sms', 'msteams', 'webchat']);
export type MessageChannel = z.infer<typeof MessageChannel>;

export const StatusEvent = z.object({ status: MessageStatus, at: z.date(), errorCode: z.number().int().nullable() });

export const Message = z.object({
  id: z.string(),
  direction: z.enum(['inbound', 'outbound']),
  /** SMS goes by phone number; Teams and Web Chat continue a stored conversation. */
  channel: MessageChannel.default('sms'),
  /** SMS only (null on chat channels). */
  phoneHash: z.string().nullable(),
  /** The number itself: needed to send; stored, never logged. SMS only. */
  phone: z.string().nullable(),
  /** Chat channels: the stored conversation reference it went to, and the channel's id for the activity. */
  conversationRefId: z.string().nullable().default(null),
  activityId: z.string().nullable().default(null),
  body: z.string(),
  /** Inbound MMS: the pictures or files Twilio holds for it (their URLs and types), kept with the message. */
  media: z.array(z.object({ url: z.string().max(1000), contentType: z.string().max(100) })).max(10).optional(),
  purpose: Purpose,
  template: z.string(),
  /** Unique per message; inbound messages use `in:<MessageSid>`. */
  idempotencyKey: z.string(),
  /** true for messages we start (reminders, campaigns), which wait for the send window. */
  initiated: z.boolean(),
  caseId: z.string().nullable(),
  /** Marketing texts: the campaign they belong to (its stats count them). */
  campaignId: z.string().nullable().default(null),
  language: z.enum(['en', 'es']),
  /** The recipient's zone from their record, when known; else the area code's, else the center's. */
  timeZone: z.string().nullable(),
  status: MessageStatus,
  statusRank: z.number().int(),
  statusHistory: z.array(StatusEvent),
  twilioSid: z.string().nullable(),
  errorCode: z.number().int().nullable(),
  /** Why the gateway refused or deferred it, in stable words (e.g. `no_consent:marketing`). */
  reason: z.string().nullable(),
  sendAfter: z.date().nullable(),
  attempts: z.number().int(),
  /** Inbound only: arrival order per number, and whether its turn ran. */
  seq: z.number().int().nullable(),
  handled: z.boolean(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type Message = z.infer<typeof Message>;

export type OutboundFields = Pick<
  Message,
  'channel' | 'phoneHash' | 'phone' | 'conversationRefId' | 'body' | 'purpose' | 'template' | 'idempotencyKey' | 'initiated' | 'caseId' | 'language' | 'timeZone'
>;

/** A new outbound message as it is stored before anything is sent: `pending`, no provider id, no attempts. */
export function pendingOutbound(fields: OutboundFields & { campaignId?: string | null }, now: Date): Message {
  return {
    id: orderedId('m'),
    direction: 'outbound',
    ...fields,
    campaignId: fields.campaignId ?? null,
    activityId: null,
    status: 'pending',
    statusRank: STATUS_RANK.pending,
    statusHistory: [{ status: 'pending', at: now, errorCode: null }],
    twilioSid: null,
    errorCode: null,
    reason: null,
    sendAfter: null,
    attempts: 0,
    seq: null,
    handled: true,
    createdAt: now,
    updatedAt: now,
  };
}

export interface MessageRepository {
  /** false when a message with this idempotency key exists already (the database's unique index decides). */
  insert(m: Message): Promise<boolean>;
  findById(id: string): Promise<Message | null>;
  findByKey(idempotencyKey: string): Promise<Message | null>;
  /**
   * Sets fields and appends a status event, only if the message is still in one of `fromStatuses`. Callers hold the
   * message's lock (`sms-out:` / `chat-out:` + id), so the check needs no conditional filter (the embedded database
   * would read the whole collection for one): given an id, the status is read by `_id` first; given the copy this
   * lock hold read or wrote, its status is taken as current and only the write goes to the database.
   */
  transition(
    target: string | Pick<Message, 'id' | 'status'>,
    fromStatuses: MessageStatus[],
    set: Partial<Pick<Message, 'status' | 'statusRank' | 'twilioSid' | 'activityId' | 'errorCode' | 'reason' | 'sendAfter' | 'attempts'>>,
    event: z.infer<typeof StatusEvent> | null,
    now: Date,
  ): Promise<Message | null>;
  /** A delivery status from Twilio: always appended to the history; the current status moves only forward. */
  recordDeliveryStatus(twilioSid: string, event: z.infer<typeof StatusEvent>, now: Date): Promise<Message | null>;
  countOutbound(filter: { phoneHash?: string; caseId?: string; purpose?: Purpose; template?: string; since: Date; statuses: MessageStatus[] }): Promise<number>;
  /** Its turn ran; the number's handled arrival count moves up to its `seq`. */
  markHandled(m: Pick<Message, 'id' | 'phoneHash' | 'seq'>, now: Date): Promise<void>;
  /** Inbound SMS stored in [since, before) whose turn never ran (of one number, or all), oldest first. */
  listUnhandledInbound(f: { since: Date; before: Date; phoneHash?: string }, limit: number): Promise<Message[]>;
  /**
   * The highest arrival number of this number's stored inbound texts (handled ones only, if asked), 0 when none:
   * one lookup by `_id` of the number's counters, kept as texts are stored and handled.
   */
  maxInboundSeq(phoneHash: string, handledOnly: boolean): Promise<number>;
  /** Outbound SMS in these statuses not changed since `before`, oldest first. */
  listStale(statuses: MessageStatus[], before: Date, limit: number): Promise<Message[]>;
  /** SMS held for the send window whose time passed before `before`: their delayed job should have run by now. */
  listOverdueDeferred(before: Date, limit: number): Promise<Message[]>;
  list(filter: { phoneHash?: string; caseId?: string; conversationRefId?: string }, limit: number): Promise<Message[]>;
}
