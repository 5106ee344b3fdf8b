import type { Gateway } from '../messaging/gateway';
import type { NoticeWords } from '../messaging/notices';
import type { Language } from '../messaging/templates';
import type { ConsentService } from './consent.service';
import { classifyInbound } from './keywords';
import { PURPOSES } from './consent.schema';

export interface InboundSms {
  phone: string;
  text: string;
  messageSid: string;
  receivedAt: Date;
  language: Language;
}

/**
 * Runs before any dialog (domain.md §6): STOP and free-text revocations, START, HELP. Answers through the
 * gateway, keyed by the inbound MessageSid so a retried webhook never sends a second confirmation.
 * Returns 'continue' when the message is for the conversation too (HELP is answered here and there).
 */
export function createKeywordLayer(deps: {
  consent: ConsentService;
  gateway: Gateway;
  words: NoticeWords;
  hashPhone: (e164: string) => string;
  /** A reply or an opt-out, for the campaign that texted this number (its stats). */
  onInbound?: (phoneHash: string, what: 'replied' | 'opted_out', at: Date) => Promise<void>;
}) {
  const { consent, gateway } = deps;

  const reply = (sms: InboundSms, kind: 'help' | 'opt_out_confirmation' | 'opt_in_confirmation') =>
    gateway.send({
      to: sms.phone,
      body: deps.words({ kind }, sms.language),
      purpose: 'care',
      template: kind,
      idempotencyKey: `${kind}:${sms.messageSid}`,
      initiated: false,
      language: sms.language,
    });

  return async function handle(sms: InboundSms): Promise<'handled' | 'continue'> {
    const phoneHash = deps.hashPhone(sms.phone);
    const before = await consent.statuses(phoneHash);
    // YES opts back in only after care texts were stopped; otherwise it answers a question (a readiness check).
    const c = classifyInbound(sms.text, before.care === 'revoked');
    switch (c.kind) {
      case 'opt_out': {
        await consent.revokeAll(phoneHash, c.via === 'keyword' ? 'sms_keyword' : 'sms_free_text', sms.text, sms.receivedAt);
        await deps.onInbound?.(phoneHash, 'opted_out', sms.receivedAt);
        // Exactly one confirmation: a second STOP from a number already opted out of everything gets none.
        if (!PURPOSES.every((p) => before[p] === 'revoked')) await reply(sms, 'opt_out_confirmation');
        return 'handled';
      }
      case 'opt_in':
        await consent.optIn(phoneHash, sms.text, sms.receivedAt);
        await reply(sms, 'opt_in_confirmation');
        return 'handled';
      case 'help':
        await reply(sms, 'help');
        // The conversation then helps with whatever it was asking (never while care texts are revoked).
        return before.care === 'revoked' ? 'handled' : 'continue';
      case 'message':
        // Opted out of care: we may not answer until they text START; the message is stored all the same.
        if (before.care === 'revoked') return 'handled';
        await consent.noteInbound(phoneHash, sms.receivedAt);
        await deps.onInbound?.(phoneHash, 'replied', sms.receivedAt);
        return 'continue';
    }
  };
}
export type KeywordLayer = ReturnType<typeof createKeywordLayer>;
