import type { SiteConfig } from '../config/site.schema';
import type { ConsentService } from '../consent/consent.service';
import type { Purpose } from '../consent/consent.schema';
import { timeZoneForPhone } from '../contact/area-codes';
import type { Locks } from '../locks';
import { pendingOutbound, STATUS_RANK, type Message, type MessageRepository, type MessageStatus } from './message.schema';
import { nextSendTime } from './quiet-hours';
import { templateInfo, type Language } from './templates';

/** What a transport reports: Twilio's HTTP status and error code when the send was refused. */
export type TransportResult =
  | { ok: true; sid: string; status: MessageStatus }
  | { ok: false; httpStatus: number; code: number | null; message: string };

export interface SmsTransport {
  readonly name: 'twilio' | 'log';
  send(msg: { to: string; body: string; statusCallback: string | null }): Promise<TransportResult>;
  /** Whether the provider took this text since `since` (its log), for a send cut off before the answer came. */
  find?(msg: { to: string; body: string; since: Date }): Promise<{ sid: string; status: MessageStatus } | null>;
}

/** Delayed delivery for messages that must wait for the send window (BullMQ in models/). */
export interface DeferredSends {
  schedule(messageId: string, at: Date): Promise<void>;
}

export interface OutboundRequest {
  to: string;
  body: string;
  purpose: Purpose;
  template: string;
  /** The same key never produces a second message. */
  idempotencyKey: string;
  /** Messages we start wait for the send window; replies in a live conversation do not. */
  initiated: boolean;
  language: Language;
  caseId?: string | null;
  campaignId?: string | null;
  /** From the patient's record, when known. */
  timeZone?: string | null;
}

export type SendOutcome =
  | { outcome: 'sent'; message: Message }
  | { outcome: 'deferred'; message: Message }
  | { outcome: 'refused'; message: Message }
  | { outcome: 'failed'; message: Message }
  /** Handed to the provider with no answer (a reset, a timeout): kept `sending`; the recovery sweep asks its log. */
  | { outcome: 'unconfirmed'; message: Message }
  | { outcome: 'duplicate'; message: Message };

export interface GatewayDeps {
  messages: MessageRepository;
  consent: ConsentService;
  transport: SmsTransport;
  deferred: DeferredSends;
  locks: Locks;
  site: SiteConfig;
  hashPhone: (e164: string) => string;
  now: () => Date;
  /** Base for Twilio's status callbacks (PUBLIC_BASE_URL); null for the log transport. */
  statusCallbackUrl: string | null;
  sleep?: (ms: number) => Promise<void>;
  /** Attempts for 429 and 5xx answers, the first included. */
  maxAttempts?: number;
}

const HOUR = 3_600_000;
const SENT_STATUSES: MessageStatus[] = ['sending', 'accepted', 'queued', 'sent', 'delivered', 'undelivered', 'read'];

/**
 * The one door every outbound SMS goes through (domain.md §6). The message is stored first under its idempotency
 * key; the checks run at send time (so a deferred message is checked again when it is due); then it is sent once.
 */
export function createGateway(deps: GatewayDeps) {
  const { messages, consent, transport, site } = deps;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const maxAttempts = deps.maxAttempts ?? 4;

  /** `m` is this lock hold's own copy (read or written under it), so its status is current: no re-read. */
  async function finish(m: Message, status: MessageStatus, set: Partial<Message>, errorCode: number | null = null): Promise<Message> {
    const now = deps.now();
    const updated = await messages.transition(
      m,
      [m.status],
      { status, statusRank: STATUS_RANK[status], ...set, ...(errorCode !== null ? { errorCode } : {}) },
      { status, at: now, errorCode },
      now,
    );
    return updated ?? (await messages.findById(m.id)) ?? m;
  }

  async function capReason(m: Message, phoneHash: string): Promise<string | null> {
    const now = deps.now().getTime();
    const caps = site.frequencyCaps;
    if (m.purpose === 'marketing') {
      const n = await messages.countOutbound({ phoneHash, purpose: 'marketing', since: new Date(now - 24 * HOUR), statuses: SENT_STATUSES });
      if (n >= caps.marketingPer24h) return 'frequency_cap:marketing_24h';
    }
    if (m.initiated && templateInfo(m.template)?.reminder && m.caseId) {
      const base = { caseId: m.caseId, template: m.template, statuses: SENT_STATUSES };
      if ((await messages.countOutbound({ ...base, since: new Date(now - 24 * HOUR) })) >= caps.careRemindersPerDay) return 'frequency_cap:care_day';
      if ((await messages.countOutbound({ ...base, since: new Date(now - 7 * 24 * HOUR) })) >= caps.careRemindersPerWeek) return 'frequency_cap:care_week';
    }
    return null;
  }

  /** Runs the send-time checks and sends. Safe to call again for the same message: it never sends twice. */
  async function dispatch(messageId: string): Promise<SendOutcome> {
    const locked = await deps.locks.withLock(`sms-out:${messageId}`, async (): Promise<SendOutcome> => {
      const m = await messages.findById(messageId);
      if (!m) throw new Error(`outbound message ${messageId} does not exist`);
      return dispatchHeld(m);
    });
    if (!locked.ok) {
      const m = await messages.findById(messageId);
      if (!m) throw new Error(`outbound message ${messageId} does not exist`);
      return { outcome: 'duplicate', message: m }; // another process is sending it right now
    }
    return locked.value;
  }

  /** The checks and the send, for a message read (or stored) under its `sms-out:` lock in this same hold. */
  async function dispatchHeld(m: Message): Promise<SendOutcome> {
    if (m.status !== 'pending' && m.status !== 'deferred') return { outcome: 'duplicate', message: m };
    const { phone, phoneHash } = m;
    const messageId = m.id;
    if (m.channel !== 'sms' || !phone || !phoneHash) throw new Error(`message ${messageId} is not an SMS`);

    const tpl = templateInfo(m.template);
    if (!tpl || !(tpl.purposes as readonly string[]).includes(m.purpose)) {
      return { outcome: 'refused', message: await finish(m, 'refused', { reason: `template_not_allowed:${m.template}:${m.purpose}` }) };
    }
    if (!tpl.consentExempt) {
      const status = (await consent.statuses(phoneHash))[m.purpose];
      if (status !== 'granted') {
        return { outcome: 'refused', message: await finish(m, 'refused', { reason: `no_consent:${m.purpose}:${status}` }) };
      }
    }
    if (m.initiated) {
      const zone = m.timeZone ?? timeZoneForPhone(phone) ?? site.center.timeZone;
      const now = deps.now();
      const at = nextSendTime(now, zone, site.quietHours[m.purpose]);
      if (at.getTime() > now.getTime()) {
        const deferred = await finish(m, 'deferred', { sendAfter: at, reason: `quiet_hours:${zone}` });
        await deps.deferred.schedule(m.id, at);
        return { outcome: 'deferred', message: deferred };
      }
    }
    const cap = await capReason(m, phoneHash);
    if (cap) return { outcome: 'refused', message: await finish(m, 'refused', { reason: cap }) };

    let sending = await finish(m, 'sending', {});
    for (let attempt = 1; ; attempt++) {
      let r: TransportResult;
      try {
        r = await transport.send({ to: phone, body: m.body, statusCallback: deps.statusCallbackUrl });
      } catch (e) {
        // No answer at all: the provider may have the text, so it is never sent again blindly. It stays `sending`
        // and the recovery sweep, a while later, finds it in the provider's log or sends it then.
        const code = (e as { code?: unknown }).code;
        const reason = `transport_no_answer:${typeof code === 'string' ? code.slice(0, 40) : 'error'}`;
        const kept = await messages.transition(sending, ['sending'], { attempts: attempt, reason }, null, deps.now());
        return { outcome: 'unconfirmed', message: kept ?? sending };
      }
      if (r.ok) {
        const updated = await finish(sending, r.status, { twilioSid: r.sid, attempts: attempt, reason: null });
        return { outcome: 'sent', message: updated };
      }
      if (r.code === 21610) {
        // The recipient replied STOP to the carrier: record it as an opt-out of every purpose; never retry.
        await consent.revokeAll(phoneHash, 'carrier', `twilio error 21610`, deps.now());
        return { outcome: 'failed', message: await finish(sending, 'failed', { attempts: attempt, reason: 'carrier_opt_out' }, 21610) };
      }
      const retryable = r.httpStatus === 429 || r.httpStatus >= 500;
      if (!retryable || attempt >= maxAttempts) {
        const reason = retryable ? `transport_retries_exhausted:${r.httpStatus}` : `transport_refused:${r.httpStatus}`;
        return { outcome: 'failed', message: await finish(sending, 'failed', { attempts: attempt, reason }, r.code) };
      }
      // Twilio did not take the message (429 / 5xx): the same stored message is tried again, never a new one.
      sending = (await messages.transition(sending, ['sending'], { attempts: attempt }, null, deps.now())) ?? sending;
      await sleep(Math.min(200 * 2 ** (attempt - 1), 5_000));
    }
  }

  /** A status change outside a dispatch, under the lock a dispatch takes (transitions check, then write, by `_id`). */
  async function finishLocked(m: Message, status: MessageStatus, set: Partial<Message>): Promise<boolean> {
    const locked = await deps.locks.withLock(`sms-out:${m.id}`, async () => {
      const current = await messages.findById(m.id); // `m` was listed before the lock was taken: still as listed?
      return current && current.status === m.status ? finish(current, status, set) : (current ?? m);
    });
    return locked.ok && locked.value.status === status;
  }

  return {
    dispatch,

    /**
     * Texts a process left half-done (it died, or the provider never answered), older than `staleMs`: `pending` ones,
     * and held ones whose send time passed that long ago (their job was lost), are dispatched; `sending` ones are
     * looked up in the provider's log and recorded as it has them, or sent when it does not have them. Without a log
     * to ask (the log transport) a `sending` text is left alone: never sent twice.
     */
    async recoverInterrupted(staleMs: number): Promise<{ dispatched: number; found: number; resent: number; unknown: number }> {
      const out = { dispatched: 0, found: 0, resent: 0, unknown: 0 };
      const before = new Date(deps.now().getTime() - staleMs);
      // A text held for the send window whose job never ran (Redis restarted without its data): sent now, unless it
      // is so old that it would arrive out of place (a day late); those are marked refused, with the reason.
      const tooOld = deps.now().getTime() - 24 * HOUR;
      for (const m of await messages.listOverdueDeferred(before, 500)) {
        if ((m.sendAfter?.getTime() ?? 0) < tooOld) await finishLocked(m, 'refused', { reason: 'deferred_job_lost_too_late' });
        else await dispatch(m.id);
        out.dispatched++;
      }
      for (const m of await messages.listStale(['pending', 'sending'], before, 500)) {
        if (m.status === 'pending') {
          await dispatch(m.id);
          out.dispatched++;
          continue;
        }
        if (!transport.find || !m.phone) {
          out.unknown++;
          continue;
        }
        const took = await transport.find({ to: m.phone, body: m.body, since: m.createdAt });
        if (took) {
          await finishLocked(m, took.status, { twilioSid: took.sid, reason: 'recovered_from_provider_log' });
          out.found++;
        } else if (await finishLocked(m, 'pending', { reason: 'interrupted_not_at_provider' })) {
          await dispatch(m.id);
          out.resent++;
        }
      }
      return out;
    },

    /** Stores the message under its idempotency key, then dispatches it. A repeated key sends nothing more. */
    async send(req: OutboundRequest): Promise<SendOutcome> {
      const now = deps.now();
      const m = pendingOutbound(
        {
          channel: 'sms',
          phoneHash: deps.hashPhone(req.to),
          phone: req.to,
          conversationRefId: null,
          body: req.body,
          purpose: req.purpose,
          template: req.template,
          idempotencyKey: req.idempotencyKey,
          initiated: req.initiated,
          caseId: req.caseId ?? null,
          campaignId: req.campaignId ?? null,
          language: req.language,
          timeZone: req.timeZone ?? null,
        },
        now,
      );
      // Stored under its lock, so the new message is sent from this copy (no one can reach it before the lock is let go).
      const stored = await deps.locks.withLock(`sms-out:${m.id}`, async () => ((await messages.insert(m)) ? dispatchHeld(m) : null));
      if (!stored.ok) throw new Error(`the new message's lock was refused (${stored.error.code})`); // its id is new: only an outage
      if (stored.value) return stored.value;
      const existing = await messages.findByKey(req.idempotencyKey);
      if (!existing) throw new Error('idempotency key reported taken but not found');
      // A retry of a message that is still pending (a crash between store and send) is finished, not repeated.
      return existing.status === 'pending' ? dispatch(existing.id) : { outcome: 'duplicate', message: existing };
    },
  };
}
export type Gateway = ReturnType<typeof createGateway>;
