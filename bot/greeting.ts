import type { BotState, StatePropertyAccessor, TurnContext } from 'botbuilder';
import { z } from 'zod';
import { OutboundContent, type Choice } from '../services/conversations/outbound-content';
import type { SiteConfig } from '../services/config/site.schema';
import type { Language } from '../services/messaging/templates';
import { renderContent } from './render/channel-render';

/** The event the chat page posts once it is connected (Web Chat's usual welcome event), with the page's language. */
export const JOIN_EVENT = 'webchat/join';
/** Sent to the chat page: keep this office sign-in token on the device (value: token, expiresAt). */
export const OFFICE_SESSION_EVENT = 'office/session';
/** Sent to the chat page: forget the office sign-in (signed out, expired or revoked). */
export const OFFICE_SESSION_ENDED_EVENT = 'office/session-ended';

const JoinValue = z.object({ locale: z.string().max(16).optional(), officeSession: z.string().max(100).optional() }).passthrough();

/** Only chat pages greet this way: SMS starts with the person's text, Teams with its installation welcome. */
const GREETING_CHANNELS: ReadonlySet<string> = new Set(['webchat', 'directline', 'emulator']);

/** What the bot says when a chat opens: who we are, what we can do, and the menu. */
export function greetingContent(site: SiteConfig, lang: Language, menu: readonly Choice[]): OutboundContent {
  const name = site.center.name;
  return OutboundContent.parse({
    text:
      lang === 'es'
        ? `Hola, le escribe ${name}. Puedo ayudarle a pedir un estudio de imagen, con la preparación y con su cita (confirmarla, cambiarla o cancelarla). Los consultorios médicos pueden enviarnos órdenes. ¿Cómo le ayudamos?`
        : `Hi, this is ${name}. I can help you request an imaging exam, get ready for it, and confirm, move or cancel your appointment. Doctor's offices can send us orders. How can we help?`,
    choices: menu,
  });
}

export interface GreeterDeps {
  conversationState: BotState;
  /** The first conversation's state: the menu is marked shown so a click on it is read as a choice. */
  intake: StatePropertyAccessor<{ menuShown?: boolean }>;
  site: SiteConfig;
  menu: Readonly<Record<Language, readonly Choice[]>>;
  now: () => Date;
}

/**
 * Greets a chat page's conversation on its join event, once: a second join (a reconnect, a page that posts it
 * again) or a conversation already under way gets nothing. Returns whether it greeted.
 */
export function createGreeter(deps: GreeterDeps): (context: TurnContext) => Promise<boolean> {
  // Its own state property, so a dialog that resets the first conversation's state cannot make it greet again.
  const greeted = deps.conversationState.createProperty<{ at?: string }>('greeting');
  return async (context) => {
    const a = context.activity;
    if (a.type !== 'event' || a.name !== JOIN_EVENT || !GREETING_CHANNELS.has(a.channelId)) return false;
    const mark = await greeted.get(context, {});
    const intake = await deps.intake.get(context, {});
    if (mark.at || Object.keys(intake).length > 0) return false;
    const value = JoinValue.safeParse(a.value ?? {});
    const locale = (value.success ? value.data.locale : undefined) ?? a.locale ?? '';
    const lang: Language = locale.toLowerCase().startsWith('es') ? 'es' : 'en';
    await context.sendActivity(renderContent(a.channelId, greetingContent(deps.site, lang, deps.menu[lang]), lang));
    mark.at = deps.now().toISOString();
    intake.menuShown = true;
    return true;
  };
}
