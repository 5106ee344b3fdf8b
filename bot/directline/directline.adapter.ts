import { BotAdapter, TurnContext, type Activity, type ConversationReference, type ResourceResponse } from 'botbuilder';
import type { DirectLineStore } from '../../models/directline.store';

/** The serviceUrl of conversations on the built-in Direct Line: replies are stored for polling, not posted anywhere. */
export const LOCAL_DIRECT_LINE_URL = 'urn:intake-bot:local-direct-line';
export const BOT_ACCOUNT = { id: 'intake-bot', name: 'Intake', role: 'bot' } as const;

/**
 * Runs Web Chat turns for the built-in Direct Line in this process (no Bot Connector round trip): the bot's replies
 * are appended to the conversation's transcript, which Web Chat polls. Proactive messages continue it the same way.
 */
export class DirectLineAdapter extends BotAdapter {
  constructor(private readonly store: DirectLineStore) {
    super();
  }

  runTurn(activity: Partial<Activity>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    return this.runMiddleware(new TurnContext(this, activity), logic);
  }

  async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const conversationId = context.activity.conversation.id;
    const out: Array<Record<string, unknown>> = [];
    for (const a of activities) {
      if (a.type === 'delay' || a.type === 'invokeResponse') continue;
      out.push({
        ...a,
        channelId: 'webchat',
        conversation: { id: conversationId },
        from: BOT_ACCOUNT,
        recipient: context.activity.from,
        timestamp: new Date().toISOString(),
        ...(context.activity.id && !a.replyToId ? { replyToId: context.activity.id } : {}),
      });
    }
    const ids = await this.store.append(conversationId, out);
    return ids.map((id) => ({ id }));
  }

  updateActivity(): Promise<void> {
    return Promise.reject(new Error('the local Direct Line does not edit sent activities'));
  }

  deleteActivity(): Promise<void> {
    return Promise.reject(new Error('the local Direct Line does not delete sent activities'));
  }

  async continueConversation(reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const activity = TurnContext.applyConversationReference({ type: 'event', name: 'continueConversation' }, reference, true);
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }
}
