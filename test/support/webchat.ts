import { randomBytes } from 'node:crypto';

/** Web Chat as the tests speak it, shared by the HTTP talkers (channels.ts) and the in-memory ones (fast-talk.ts). */

/** A Web Chat message activity asking for its replies in the response (`expectReplies`). */
export function webchatActivity(conversationId: string, text: string) {
  return {
    type: 'message',
    id: randomBytes(8).toString('hex'),
    channelId: 'webchat',
    serviceUrl: 'https://webchat.botframework.com/',
    deliveryMode: 'expectReplies',
    conversation: { id: conversationId },
    from: { id: `user-${conversationId}`, name: 'Pat', role: 'user' },
    recipient: { id: 'intake-bot', name: 'Intake' },
    locale: 'en-US',
    text,
  };
}

export interface ChatActivity {
  type?: string;
  text?: string;
  attachments?: Array<{ content: { body?: Array<{ text?: string; facts?: Array<{ title: string; value: string }> }>; actions?: Array<{ title: string }> } }>;
  suggestedActions?: { actions: Array<{ title: string }> };
}

/**
 * A Web Chat message as a person reads it: the text, which carries the choices as numbered lines. Its suggested
 * actions must be those same choices (the buttons), else the rendering is wrong and the test fails here.
 */
export function webchatText(a: Pick<ChatActivity, 'text' | 'suggestedActions'>): string {
  const text = a.text ?? '';
  const buttons = (a.suggestedActions?.actions ?? []).map((x, i) => `${i + 1}. ${x.title}`);
  if (buttons.length && !text.endsWith(`\n${buttons.join('\n')}`)) throw new Error(`suggested actions ${JSON.stringify(buttons)} are not the numbered lines of ${JSON.stringify(text)}`);
  return text;
}

/** Web Chat replies as text: cards first (as Teams shows a summary above its question), their buttons as [Title], then the text. */
export function webchatReplies(activities: ChatActivity[]): string {
  return activities
    .filter((a) => a.type !== 'event') // events to the page (a sign-in to keep) are not read by the person
    .map((a) =>
      [
        ...(a.attachments ?? []).flatMap((c) => [
          ...(c.content.body ?? []).flatMap((b) => [b.text ?? '', ...(b.facts ?? []).map((x) => `${x.title}: ${x.value}`)]),
          (c.content.actions ?? []).map((x) => `[${x.title}]`).join(' '),
        ]),
        webchatText(a),
      ]
        .filter(Boolean)
        .join('\n'),
    )
    .join('\n');
}
