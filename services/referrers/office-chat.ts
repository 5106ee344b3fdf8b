import type { ConversationRef, ConversationRefRepository } from '../conversations/conversation-ref.schema';
import type { ReferrerOrg } from './referrer.schema';

/**
 * The office's Teams conversation with the bot that patients' details may go to: one whose person is an approved
 * user of the organization (someone still waiting for approval is shown nothing).
 */
export async function officeTeamsChat(refs: Pick<ConversationRefRepository, 'list'>, org: ReferrerOrg | null): Promise<ConversationRef | undefined> {
  if (!org?.tenantId) return undefined;
  const approved = new Set(org.users.filter((u) => u.status === 'active' && u.aadObjectId).map((u) => `aad:${u.aadObjectId}`));
  return (await refs.list({ channel: 'msteams', tenantId: org.tenantId }, 50)).find((r) => approved.has(r.personKey));
}
