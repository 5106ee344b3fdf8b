import { z } from 'zod';

/** Chat channels we can continue a conversation on (SMS goes by phone number through the gateway). */
export const ChatChannel = z.enum(['msteams', 'webchat']);
export type ChatChannel = z.infer<typeof ChatChannel>;

const Account = z.object({ id: z.string().min(1).max(512), name: z.string().max(200).optional(), aadObjectId: z.string().max(64).optional() });

/** The parts of Bot Framework's ConversationReference we keep: enough to continue the conversation later. */
export const StoredReference = z.object({
  channelId: ChatChannel,
  serviceUrl: z.string().min(1).max(1000),
  conversation: z.object({
    id: z.string().min(1).max(1000),
    tenantId: z.string().max(64).optional(),
    conversationType: z.string().max(32).optional(),
    isGroup: z.boolean().optional(),
  }),
  user: Account,
  bot: Account,
  locale: z.string().max(16).optional(),
});
export type StoredReference = z.infer<typeof StoredReference>;

/** One per person and channel conversation: who it is (never a phone number), and how to reach them. */
export const ConversationRef = z.object({
  /** A hash of channel and conversation id: stable, and safe to show in URLs. */
  id: z.string(),
  channel: ChatChannel,
  /** `aad:<object id>` on Teams, `webchat:<user id>` on Web Chat. */
  personKey: z.string(),
  /** Teams: the Azure AD tenant, which staff link to a referring organization. */
  tenantId: z.string().nullable(),
  language: z.enum(['en', 'es']).nullable(),
  reference: StoredReference,
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type ConversationRef = z.infer<typeof ConversationRef>;

export interface ConversationRefRepository {
  /** Inserts or refreshes the reference (same id): the latest serviceUrl and user details win. */
  upsert(ref: ConversationRef): Promise<void>;
  findById(id: string): Promise<ConversationRef | null>;
  list(filter: { channel?: ChatChannel; personKey?: string; tenantId?: string }, limit: number): Promise<ConversationRef[]>;
}
