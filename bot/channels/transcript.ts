import { TurnContext, type Activity } from 'botbuilder';
import { newId, orderedId } from '../../services/ids';
import { STATUS_RANK, type Message, type MessageRepository } from '../../services/messaging/message.schema';

/** What a person read in an activity: its text, else a card's text (hero) or fallback text (Adaptive Card). */
function readableText(a: Partial<Activity>): string {
  if (a.text) return a.text;
  for (const att of a.attachments ?? []) {
    const c = att.content as { text?: unknown; fallbackText?: unknown } | undefined;
    if (typeof c?.text === 'string' && c.text) return c.text;
    if (typeof c?.fallbackText === 'string' && c.fallbackText) return c.fallbackText;
  }
  return '';
}

function chatMessage(direction: 'inbound' | 'outbound', context: TurnContext, conversationRefId: string, body: string, key: string, activityId: string | null, now: Date): Message {
  const status = direction === 'inbound' ? 'received' : 'sent';
  return {
    id: orderedId('m'),
    direction,
    channel: context.activity.channelId as Message['channel'],
    phoneHash: null,
    phone: null,
    conversationRefId,
    activityId,
    body: body.slice(0, 1600),
    purpose: 'care',
    template: direction === 'inbound' ? 'inbound' : 'reply',
    idempotencyKey: key,
    initiated: false,
    caseId: null,
    campaignId: null,
    language: context.activity.locale?.startsWith('es') ? 'es' : 'en',
    timeZone: null,
    status,
    statusRank: STATUS_RANK[status],
    statusHistory: [{ status, at: now, errorCode: null }],
    twilioSid: null,
    errorCode: null,
    reason: null,
    sendAfter: null,
    attempts: direction === 'outbound' ? 1 : 0,
    seq: null,
    handled: true,
    createdAt: now,
    updatedAt: now,
  };
}

/** Set on a turn whose message must not be kept as typed (a sign-in code): the transcript says so instead. */
export const MASK_INBOUND = Symbol('maskInbound');

/**
 * Keeps a chat turn's words like an SMS conversation's (every message in and out is stored): each reply as it is
 * sent, and the person's message once the turn has read it (its id taken before, so it sorts first), so staff
 * taking a handoff read the conversation so far. Returns what stores the person's message; call it after the turn.
 */
export function recordChatTurn(context: TurnContext, deps: { messages: MessageRepository; conversationRefId: string; now: () => Date }): () => Promise<void> {
  const a = context.activity;
  if (a.type !== 'message') return async () => {};
  // What the person wrote, without the bot's @mention (the bot reads it the same way).
  const text = ((a.channelId === 'msteams' ? TurnContext.removeRecipientMention(a) : a.text) ?? '').trim();
  const inbound = chatMessage('inbound', context, deps.conversationRefId, text, `in:${deps.conversationRefId}:${a.id ?? newId('a')}`, a.id ?? null, deps.now());
  context.onSendActivities(async (_ctx, activities, next) => {
    const sent = await next();
    for (const [i, out] of activities.entries()) {
      const body = out.type === 'message' ? readableText(out) : '';
      if (!body) continue;
      const id = sent[i]?.id ?? null;
      await deps.messages.insert(chatMessage('outbound', context, deps.conversationRefId, body, `out:${deps.conversationRefId}:${id ?? newId('a')}`, id, deps.now()));
    }
    return sent;
  });
  return async () => {
    if (!text) return;
    const body = context.turnState.get(MASK_INBOUND) ? '(sign-in code, not kept)' : inbound.body;
    // A retried activity (same id) is stored once: the idempotency key is unique.
    await deps.messages.insert({ ...inbound, body });
  };
}
