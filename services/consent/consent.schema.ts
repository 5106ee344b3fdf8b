import { z } from 'zod';

export const Purpose = z.enum(['care', 'marketing']);
export type Purpose = z.infer<typeof Purpose>;
export const PURPOSES = Purpose.options;

export const ConsentStatus = z.enum(['granted', 'revoked', 'unknown']);
export type ConsentStatus = z.infer<typeof ConsentStatus>;

/** `sms_reply` / `chat_reply`: an explicit answer to our opt-in question in a conversation (evidence: question and answer). */
export const ConsentSource = z.enum(['sms_keyword', 'sms_free_text', 'sms_inbound', 'sms_reply', 'chat_reply', 'web_form', 'staff', 'referral', 'carrier']);
export type ConsentSource = z.infer<typeof ConsentSource>;

export const ConsentChange = z.object({
  status: ConsentStatus,
  source: ConsentSource,
  /** The exact inbound text or form version that made the change. */
  evidence: z.string().max(1600).nullable(),
  receivedAt: z.date(),
  effectiveAt: z.date(),
});
export type ConsentChange = z.infer<typeof ConsentChange>;

export const ConsentRecord = z.object({
  phoneHash: z.string(),
  purpose: Purpose,
  status: ConsentStatus,
  history: z.array(ConsentChange),
});
export type ConsentRecord = z.infer<typeof ConsentRecord>;

export interface ConsentRepository {
  /** Both purposes for one number; a purpose never recorded reads as null. */
  get(phoneHash: string): Promise<Record<Purpose, ConsentRecord | null>>;
  /** The current status per purpose of many numbers at once (campaign planning); numbers never recorded are absent. */
  statusesMany(phoneHashes: string[]): Promise<Map<string, Partial<Record<Purpose, ConsentStatus>>>>;
  /** Sets the status and appends the change in one update. */
  record(phoneHash: string, purpose: Purpose, change: ConsentChange): Promise<void>;
}
