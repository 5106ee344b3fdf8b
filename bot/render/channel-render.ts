import { ActionTypes, CardFactory, type Activity, type Attachment } from 'botbuilder';
import { choiceLines, plainText, summaryLines, type Choice, type FormCard, type OutboundContent, type Summary } from '../../services/conversations/outbound-content';
import type { Language } from '../../services/messaging/templates';

/** The locale every outgoing activity carries, so a chat page can speak the conversation's language. */
export const LOCALES: Record<Language, string> = { en: 'en-US', es: 'es-US' };

/**
 * A card button that sends `value` as the message text. Web Chat sends a string `data` as an imBack; Teams needs
 * its own `msteams` imBack (a plain submit would arrive as a value with no text).
 */
function sendsText(channelId: string, a: Choice) {
  return { type: 'Action.Submit', title: a.title, data: channelId === 'msteams' ? { msteams: { type: 'imBack', value: a.value } } : a.value };
}

function summaryCard(channelId: string, s: Summary): Attachment {
  return CardFactory.adaptiveCard({
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.4',
    fallbackText: summaryLines(s).join('\n'),
    body: [
      { type: 'TextBlock', text: s.title, weight: 'Bolder', size: 'Medium', wrap: true },
      { type: 'FactSet', facts: s.facts.map((f) => ({ title: f.label, value: f.value })) },
    ],
    ...(s.actions?.length ? { actions: s.actions.map((a) => sendsText(channelId, a)) } : {}),
  });
}

/** A form as an Adaptive Card: text inputs and compact choice sets, one submit that names the form. */
function formCard(f: FormCard): Attachment {
  return CardFactory.adaptiveCard({
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.4',
    body: [
      { type: 'TextBlock', text: f.title, weight: 'Bolder', size: 'Medium', wrap: true },
      ...f.fields.map((x) =>
        x.choices
          ? { type: 'Input.ChoiceSet', id: x.id, label: x.label, style: 'compact', choices: x.choices.map((c) => ({ title: c.title, value: c.value })), ...(x.value ? { value: x.value } : {}) }
          : { type: 'Input.Text', id: x.id, label: x.label, ...(x.value ? { value: x.value } : {}) },
      ),
    ],
    actions: [{ type: 'Action.Submit', title: f.submit, data: { form: f.id } }],
  });
}

/** Chats label every incoming message as the bot's: a person's message carries their name in bold. */
function chatText(c: OutboundContent): string {
  return c.staffName ? `**${c.staffName.replace(/[*_`]/g, '')}** (staff): ${c.text}` : c.text;
}

function forChannel(channelId: string, c: OutboundContent): Partial<Activity> {
  if (channelId === 'sms') return { type: 'message', text: plainText(c) };
  const attachments: Attachment[] = [...(c.summary ? [summaryCard(channelId, c.summary)] : []), ...(c.form ? [formCard(c.form)] : [])];
  const imBack = (title: string) => ({ type: ActionTypes.ImBack, title, value: title });
  if (channelId === 'msteams') {
    if (c.choices.length === 0) return { type: 'message', text: chatText(c), attachments };
    // Teams shows suggested actions only in some chats; a card's buttons work in personal, group and channel chats.
    const card = CardFactory.heroCard('', c.text, undefined, c.choices.map((ch) => imBack(ch.title)));
    return { type: 'message', attachments: [...attachments, card] };
  }
  return {
    type: 'message',
    // Suggested actions vanish after a pick: the numbered lines keep the options readable in the transcript.
    text: [chatText(c), ...choiceLines(c.choices)].join('\n'),
    ...(c.staffName ? { channelData: { staffName: c.staffName } } : {}),
    attachments,
    ...(c.choices.length ? { suggestedActions: { to: [], actions: c.choices.map((ch) => imBack(ch.title)) } } : {}),
  };
}

/**
 * One prompt, rendered for the channel (architecture §7): numbered plain text on SMS; on Web Chat the text with its
 * choices as numbered lines and as suggested actions (never the SMS footer); a card with buttons on Teams. A summary
 * is an Adaptive Card on Teams and Web Chat (its actions as buttons), lines of text on SMS. A button sends its title
 * back (a card action its value), which the dialogs accept as well as the number. With `lang`, every activity
 * carries the conversation's locale.
 */
export function renderContent(channelId: string, c: OutboundContent, lang?: Language): Partial<Activity> {
  const activity = forChannel(channelId, c);
  return lang ? { ...activity, locale: LOCALES[lang] } : activity;
}
