import { createHash } from 'node:crypto';
import { TurnContext, type ActivityHandler, type BotState, type UserState } from 'botbuilder';
import type { Logger } from 'pino';
import { ChatChannel, StoredReference, type ConversationRefRepository } from '../../services/conversations/conversation-ref.schema';
import type { Locks } from '../../services/locks';
import type { Metrics } from '../metrics';
import type { MessageRepository } from '../../services/messaging/message.schema';
import { recordChatTurn } from './transcript';

export interface TurnRunnerDeps {
  bot: ActivityHandler;
  states: BotState[];
  userState: UserState;
  /** First come, first served per conversation (Redis): one turn at a time, in arrival order. */
  queue: Locks;
  refs: ConversationRefRepository;
  messages: MessageRepository;
  logger: Logger;
  metrics: Metrics;
  now: () => Date;
}

export class TurnBusyError extends Error {
  constructor() {
    super('an earlier message of this conversation is still being answered');
    this.name = 'TurnBusyError';
  }
}

const hash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 32);

/** The stored reference's id: a hash of channel and conversation id (conversation ids can be long and opaque). */
export const conversationRefId = (channelId: string, conversationId: string) => `cr_${hash(`${channelId}\u0000${conversationId}`)}`;

/**
 * Runs a bot turn and saves its state. Chat turns (Teams, Web Chat) run one at a time per conversation, in arrival
 * order, because botbuilder saves state with eTag `*`; afterwards the conversation reference is kept for proactive
 * messages. SMS turns are already serialized per phone number by their own queue and only need `turn`.
 */
export function createTurnRunner(deps: TurnRunnerDeps) {
  const profile = deps.userState.createProperty<{ language?: 'en' | 'es' }>('profile');

  async function turn(context: TurnContext): Promise<void> {
    await deps.bot.run(context);
    for (const s of deps.states) await s.saveChanges(context);
    // A fixed label set: the channel id comes from the request.
    const channel = context.activity.channelId;
    deps.metrics.botTurns.inc({ channel: ['sms', 'msteams', 'webchat', 'directline', 'emulator'].includes(channel) ? channel : 'other' });
  }

  async function remember(context: TurnContext): Promise<void> {
    const a = context.activity;
    const channel = ChatChannel.safeParse(a.channelId);
    // Messages, and the install or join events that come before any message (so a new Teams user can be reached).
    if (!channel.success || !['message', 'installationUpdate', 'conversationUpdate'].includes(a.type)) return;
    const ref = StoredReference.safeParse(JSON.parse(JSON.stringify(TurnContext.getConversationReference(a))));
    if (!ref.success) {
      deps.logger.warn({ channel: a.channelId, issues: ref.error.issues.map((i) => i.path.join('.')) }, 'conversation reference not stored: unexpected shape');
      return;
    }
    const now = deps.now();
    const tenantId = ref.data.conversation.tenantId ?? null;
    await deps.refs.upsert({
      id: conversationRefId(a.channelId, a.conversation.id),
      channel: channel.data,
      personKey: channel.data === 'msteams' && a.from.aadObjectId ? `aad:${a.from.aadObjectId}` : `${channel.data}:${hash(a.from.id)}`,
      tenantId,
      language: (await profile.get(context))?.language ?? null,
      reference: ref.data,
      createdAt: now,
      updatedAt: now,
    });
  }

  return {
    turn,
    /** A chat turn: queued behind earlier turns of its conversation, then its reference is remembered. */
    async serialized(context: TurnContext, beforeTurn?: () => Promise<void>): Promise<void> {
      const a = context.activity;
      const r = await deps.queue.withLock(`turn:${a.channelId}:${hash(a.conversation.id)}`, async () => {
        await beforeTurn?.();
        const keepInbound = ChatChannel.safeParse(a.channelId).success ? recordChatTurn(context, { messages: deps.messages, conversationRefId: conversationRefId(a.channelId, a.conversation.id), now: deps.now }) : null;
        try {
          await turn(context);
        } finally {
          await keepInbound?.();
        }
        await remember(context);
      });
      if (!r.ok) throw new TurnBusyError();
    },
  };
}
export type TurnRunner = ReturnType<typeof createTurnRunner>;
