import { z } from 'zod';
import { Purpose } from '../consent/consent.schema';
import type { Locks } from '../locks';
import type { Gateway, SendOutcome } from '../messaging/gateway';
import { templateInfo } from '../messaging/templates';
import { pendingOutbound, STATUS_RANK, type Message, type MessageRepository, type MessageStatus } from '../messaging/message.schema';
import { err, ok, type Result } from '../result';
import type { ConversationRef, ConversationRefRepository } from './conversation-ref.schema';
import { OutboundContent, plainText } from './outbound-content';

/** Continues a stored Teams or Web Chat conversation (adapters in bot/); the channel's id for the activity sent. */
export interface ConversationSender {
  send(ref: ConversationRef, content: OutboundContent): Promise<{ activityId: string | null }>;
}

export const ProactiveRequest = z.object({
  to: z.union([z.object({ conversationId: z.string().min(1).max(100) }).strict(), z.object({ phone: z.string().min(1).max(32) }).strict()]),
  content: OutboundContent,
  purpose: Purpose,
  template: z.string().min(1).max(64),
  /** The same key never produces a second message, on any channel. */
  idempotencyKey: z.string().min(1).max(200),
  caseId: z.string().max(64).nullable().default(null),
  /** Unset: the conversation's own language when known, else English. */
  language: z.enum(['en', 'es']).optional(),
  /** false for a reply to someone who is waiting for it (a staff answer to a handoff): not held for the send window. */
  initiated: z.boolean().default(true),
});
export type ProactiveRequest = z.input<typeof ProactiveRequest>;

export interface ProactiveDeps {
  refs: ConversationRefRepository;
  messages: MessageRepository;
  gateway: Pick<Gateway, 'send'>;
  sender: ConversationSender;
  locks: Locks;
  now: () => Date;
}

type Failure = 'UNKNOWN_CONVERSATION' | 'PURPOSE_NOT_ALLOWED' | 'BUSY' | 'IDEMPOTENCY_KEY_REUSED';

/**
 * The one ProactiveSender (reminders, order requests, staff replies): to a phone number through the SMS gateway (with
 * its consent, quiet-hours and cap checks), or to a stored Teams or Web Chat conversation. Either way the message is
 * stored first under its idempotency key and its outcome recorded, so a retry never sends it twice.
 */
export function createProactiveSender(deps: ProactiveDeps) {
  const { messages } = deps;

  /** `m` is this lock hold's own copy, so its status is current. */
  async function finish(m: Message, status: MessageStatus, set: Partial<Pick<Message, 'activityId' | 'reason'>>): Promise<Message> {
    const now = deps.now();
    const updated = await messages.transition(m, [m.status], { status, statusRank: STATUS_RANK[status], ...set }, { status, at: now, errorCode: null }, now);
    return updated ?? (await messages.findById(m.id)) ?? m;
  }

  async function deliver(ref: ConversationRef, id: string, content: OutboundContent): Promise<Result<SendOutcome, Failure>> {
    const locked = await deps.locks.withLock(`chat-out:${id}`, async (): Promise<SendOutcome> => {
      const m = await messages.findById(id);
      if (!m) throw new Error(`outbound message ${id} does not exist`);
      // Only a message that was stored but never tried is sent: after a failure the outcome is unknown, so not again.
      if (m.status !== 'pending') return { outcome: 'duplicate', message: m };
      // The move to `sending` is the claim: whoever does not get it sends nothing.
      const now = deps.now();
      const sending = await messages.transition(m, ['pending'], { status: 'sending', statusRank: STATUS_RANK.sending }, { status: 'sending', at: now, errorCode: null }, now);
      if (!sending) return { outcome: 'duplicate', message: (await messages.findById(id)) ?? m };
      let activityId: string | null;
      try {
        activityId = (await deps.sender.send(ref, content)).activityId;
      } catch (e) {
        const status = (e as { statusCode?: unknown }).statusCode;
        return { outcome: 'failed', message: await finish(sending, 'failed', { reason: `channel_error:${typeof status === 'number' ? status : 'network'}` }) };
      }
      // Delivered: a failure to record it from here on must not read as "not sent" (that would invite a resend).
      return { outcome: 'sent', message: await finish(sending, 'sent', { activityId }) };
    });
    return locked.ok ? ok(locked.value) : err('BUSY', 'this message is being sent right now');
  }

  return {
    async send(input: ProactiveRequest): Promise<Result<SendOutcome, Failure>> {
      const req = ProactiveRequest.parse(input);
      if ('phone' in req.to) {
        return ok(
          await deps.gateway.send({
            to: req.to.phone,
            body: plainText(req.content),
            purpose: req.purpose,
            template: req.template,
            idempotencyKey: req.idempotencyKey,
            initiated: req.initiated,
            language: req.language ?? 'en',
            caseId: req.caseId,
          }),
        );
      }
      // Marketing goes by SMS only, where consent and opt-out are tracked per number (domain.md §6).
      if (req.purpose !== 'care') return err('PURPOSE_NOT_ALLOWED', 'only care messages go to Teams and Web Chat conversations');
      if (!(templateInfo(req.template)?.purposes as readonly string[] | undefined)?.includes(req.purpose)) {
        return err('PURPOSE_NOT_ALLOWED', `template '${req.template}' may not be sent for ${req.purpose}`);
      }
      const ref = await deps.refs.findById(req.to.conversationId);
      if (!ref) return err('UNKNOWN_CONVERSATION', `no stored conversation '${req.to.conversationId}'`);
      const m = pendingOutbound(
        {
          channel: ref.channel,
          phoneHash: null,
          phone: null,
          conversationRefId: ref.id,
          body: plainText(req.content),
          purpose: req.purpose,
          template: req.template,
          idempotencyKey: req.idempotencyKey,
          initiated: true,
          caseId: req.caseId,
          language: req.language ?? ref.language ?? 'en',
          timeZone: null,
        },
        deps.now(),
      );
      if (await messages.insert(m)) return deliver(ref, m.id, req.content);
      const existing = await messages.findByKey(req.idempotencyKey);
      if (!existing) throw new Error('idempotency key reported taken but not found');
      if (existing.conversationRefId !== ref.id || existing.body !== m.body) {
        return err('IDEMPOTENCY_KEY_REUSED', 'this idempotency key was used for another message; use a new key');
      }
      return deliver(ref, existing.id, req.content);
    },
  };
}
export type ProactiveSender = ReturnType<typeof createProactiveSender>;
