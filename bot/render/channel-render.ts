import { ActionTypes, CardFactory, type Activity, type Attachment } from 'botbuilder';
import { plainText, type OutboundContent, type Summary } from '../../services/conversations/outbound-content';

function summaryCard(s: Summary): Attachment {
  return CardFactory.adaptiveCard({
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.4',
    fallbackText: [s.title, ...s.facts.map((f) => `${f.label}: ${f.value}`)].join('\n'),
    body: [
      { type: 'TextBlock', text: s.title, weight: 'Bolder', size: 'Medium', wrap: true },
      { type: 'FactSet', facts: s.facts.map((f) => ({ title: f.label, value: f.value })) },
    ],
  });
}

/**
 * One prompt, rendered for the channel (architecture §7): numbered plain text on SMS, suggested actions on Web Chat,
 * a card with buttons on Teams; a summary as an Adaptive Card on Teams and Web Chat, lines of text on SMS. A button
 * sends its title back, which the dialogs accept as well as the number.
 */
export function renderContent(channelId: string, c: OutboundContent): Partial<Activity> {
  if (channelId === 'sms') return { type: 'message', text: plainText(c) };
  const attachments: Attachment[] = c.summary ? [summaryCard(c.summary)] : [];
  const imBack = (title: string) => ({ type: ActionTypes.ImBack, title, value: title });
  if (channelId === 'msteams') {
    if (c.choices.length === 0) return { type: 'message', text: c.text, attachments };
    // Teams shows suggested actions only in some chats; a card's buttons work in personal, group and channel chats.
    const card = CardFactory.heroCard('', c.text, undefined, c.choices.map((ch) => imBack(ch.title)));
    return { type: 'message', attachments: [...attachments, card] };
  }
  return {
    type: 'message',
    text: c.text,
    attachments,
    ...(c.choices.length ? { suggestedActions: { to: [], actions: c.choices.map((ch) => imBack(ch.title)) } } : {}),
  };
}
