import { ActionTypes, CardFactory, type Activity, type Attachment } from 'botbuilder';
import { plainText, type FormCard, type OutboundContent, type Summary } from '../../services/conversations/outbound-content';

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

/**
 * One prompt, rendered for the channel (architecture §7): numbered plain text on SMS, suggested actions on Web Chat,
 * a card with buttons on Teams; a summary as an Adaptive Card on Teams and Web Chat, lines of text on SMS. A button
 * sends its title back, which the dialogs accept as well as the number.
 */
/** Chats label every incoming message as the bot's: a person's message carries their name in bold. */
function chatText(c: OutboundContent): string {
  return c.staffName ? `**${c.staffName.replace(/[*_`]/g, '')}** (staff): ${c.text}` : c.text;
}

export function renderContent(channelId: string, c: OutboundContent): Partial<Activity> {
  if (channelId === 'sms') return { type: 'message', text: plainText(c) };
  const attachments: Attachment[] = [...(c.summary ? [summaryCard(c.summary)] : []), ...(c.form ? [formCard(c.form)] : [])];
  const imBack = (title: string) => ({ type: ActionTypes.ImBack, title, value: title });
  if (channelId === 'msteams') {
    if (c.choices.length === 0) return { type: 'message', text: chatText(c), attachments };
    // Teams shows suggested actions only in some chats; a card's buttons work in personal, group and channel chats.
    const card = CardFactory.heroCard('', c.text, undefined, c.choices.map((ch) => imBack(ch.title)));
    return { type: 'message', attachments: [...attachments, card] };
  }
  return {
    type: 'message',
    text: chatText(c),
    ...(c.staffName ? { channelData: { staffName: c.staffName } } : {}),
    attachments,
    ...(c.choices.length ? { suggestedActions: { to: [], actions: c.choices.map((ch) => imBack(ch.title)) } } : {}),
  };
}
