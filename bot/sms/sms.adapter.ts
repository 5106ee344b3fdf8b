import { BotAdapter, TurnContext, type Activity, type ConversationReference, type ResourceResponse } from 'botbuilder';
import type { Gateway } from '../../services/messaging/gateway';
import type { Language } from '../../services/messaging/templates';

export interface SmsTurn {
  phone: string;
  phoneHash: string;
  text: string;
  messageSid: string;
  language: Language;
  receivedAt: Date;
  /** Pictures or files in an MMS (none in a plain SMS). */
  mediaCount?: number;
}

const SMS_TURN = Symbol('smsTurn');

/** The number that texted, inside an SMS turn (never stored in conversation state); null on other channels. */
export const smsPhoneOf = (context: TurnContext): string | null => context.turnState.get<SmsTurn | undefined>(SMS_TURN)?.phone ?? null;

/** An SMS conversation's id (and its user's): the number's keyed hash, never the number. */
export const smsConversationId = (phoneHash: string) => `sms_${phoneHash}`;
/** The keyed phone hash an SMS conversation id was made from; null for other channels' ids. */
export const phoneHashOfSmsConversation = (id: string) => (id.startsWith('sms_') ? id.slice(4) : null);
const SENT_COUNT = Symbol('smsSentCount');

/** Plain SMS text for an activity: its text, then any suggested actions as numbered lines. */
export function renderSms(a: Partial<Activity>): string {
  const actions = a.suggestedActions?.actions ?? [];
  const lines = actions.map((act, i) => `${i + 1}. ${act.title ?? String(act.value)}`);
  return [a.text ?? '', ...lines].filter(Boolean).join('\n');
}

/**
 * Runs SMS turns through the same bot as Teams and Web Chat. The conversation id is the keyed hash of the phone
 * number, never the number; replies leave through the outbound gateway, keyed by the inbound message and their
 * position in the turn, so a repeated turn cannot send a reply twice.
 */
export class SmsAdapter extends BotAdapter {
  constructor(private readonly gateway: Gateway) {
    super();
  }

  async runTurn(turn: SmsTurn, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const activity: Partial<Activity> = {
      type: 'message',
      id: turn.messageSid,
      channelId: 'sms',
      serviceUrl: 'sms://local',
      conversation: { id: smsConversationId(turn.phoneHash), isGroup: false, conversationType: 'personal', name: 'sms' },
      from: { id: smsConversationId(turn.phoneHash), name: 'patient', role: 'user' },
      recipient: { id: 'intake-bot', name: 'intake-bot', role: 'bot' },
      text: turn.text,
      channelData: { mediaCount: turn.mediaCount ?? 0 },
      locale: turn.language === 'es' ? 'es-US' : 'en-US',
      timestamp: turn.receivedAt,
    };
    const context = new TurnContext(this, activity);
    context.turnState.set(SMS_TURN, turn);
    context.turnState.set(SENT_COUNT, 0);
    await this.runMiddleware(context, logic);
  }

  async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const turn = context.turnState.get<SmsTurn | undefined>(SMS_TURN);
    if (!turn) throw new Error('SmsAdapter can only reply inside a turn it started');
    const out: ResourceResponse[] = [];
    for (const a of activities) {
      const body = a.type === 'message' ? renderSms(a) : '';
      if (!body) {
        out.push({ id: '' });
        continue;
      }
      const n = context.turnState.get<number>(SENT_COUNT) + 1;
      context.turnState.set(SENT_COUNT, n);
      const language: Language = a.locale?.startsWith('es') ? 'es' : turn.language;
      const r = await this.gateway.send({
        to: turn.phone,
        body,
        purpose: 'care',
        template: 'reply',
        idempotencyKey: `reply:${turn.messageSid}:${n}`,
        initiated: false,
        language,
      });
      out.push({ id: r.message.id });
    }
    return out;
  }

  updateActivity(): Promise<void> {
    return Promise.reject(new Error('an SMS cannot be edited once sent'));
  }

  deleteActivity(): Promise<void> {
    return Promise.reject(new Error('an SMS cannot be deleted once sent'));
  }

  continueConversation(_reference: Partial<ConversationReference>): Promise<void> {
    // Messages we start on SMS go straight to the gateway (reminders, campaigns): no conversation to continue.
    return Promise.reject(new Error('SMS messages we start are sent through the outbound gateway, not a turn'));
  }
}
