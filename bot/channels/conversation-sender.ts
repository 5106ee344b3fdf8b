import type { ConversationReference, TurnContext } from 'botbuilder';
import type { ConversationRef } from '../../services/conversations/conversation-ref.schema';
import type { ConversationSender } from '../../services/conversations/proactive.service';
import type { OutboundContent } from '../../services/conversations/outbound-content';
import { LOCAL_DIRECT_LINE_URL, type DirectLineAdapter } from '../directline/directline.adapter';
import { renderContent } from '../render/channel-render';
import type { IntakeCloudAdapter } from './cloud-adapter';

/**
 * Continues a stored conversation: Teams and Azure Direct Line through CloudAdapter (a Bot Connector call to the
 * reference's serviceUrl), the built-in Direct Line in process. The content is rendered for the channel.
 */
export function createConversationSender(deps: { cloud: IntakeCloudAdapter; local: DirectLineAdapter | null }): ConversationSender {
  return {
    async send(ref: ConversationRef, content: OutboundContent) {
      const activity = renderContent(ref.channel, content, ref.language ?? undefined);
      // The stored shape is a validated subset of botbuilder's (optional fields left out rather than undefined).
      const reference = ref.reference as unknown as ConversationReference;
      let activityId: string | null = null;
      const failed: { error?: Error } = {};
      // Failures are caught here, not by the adapter's onTurnError (which apologizes and carries on): the caller
      // records the outcome.
      const logic = async (context: TurnContext) => {
        try {
          // A new message to the conversation, not a reply to the made-up id of the continuation activity.
          Reflect.deleteProperty(context.activity, 'id');
          activityId = (await context.sendActivity(activity))?.id || null;
        } catch (e) {
          failed.error = e instanceof Error ? e : new Error(String(e));
        }
      };
      if (reference.serviceUrl === LOCAL_DIRECT_LINE_URL) {
        if (!deps.local) throw new Error('the built-in Direct Line is not running here');
        await deps.local.continueConversation(reference, logic);
      } else {
        await deps.cloud.continueConversationAsync(deps.cloud.credentials.appId ?? '', reference, logic);
      }
      if (failed.error) throw failed.error;
      return { activityId };
    },
  };
}
