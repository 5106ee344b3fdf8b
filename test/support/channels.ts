import { randomBytes } from 'node:crypto';
import { inbound, newPhone, postTwilio } from './sms';
import { api, type TestApp } from './test-app';
import { webchatActivity, webchatReplies, webchatText, type ChatActivity } from './webchat';

export { webchatActivity };

/** One person talking to the bot on one channel: send a line, get back everything the bot said, as text. */
export interface Talker {
  channel: 'sms' | 'webchat';
  /** The SMS number (also given on Web Chat when the bot asks for one). */
  phone: string;
  say(text: string): Promise<string>;
  /** Web Chat: the conversation id (its stored messages are keyed by it). */
  conversationId?: string;
}

export function smsTalker(t: TestApp, phone = newPhone()): Talker {
  return {
    channel: 'sms',
    phone,
    async say(text) {
      const before = t.smsOut.length;
      const res = await postTwilio(t.base, '/api/sms/inbound', inbound(phone, text));
      if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
      // The log transport prints "[sms to ****1234] body" with continuation lines indented; keep only the bodies.
      // Only this number's (other talkers may be texting at the same time): the log shows its last four digits.
      const mine = `${phone.slice(-4)}] `;
      return t.smsOut
        .slice(before)
        .filter((l) => l.startsWith('[sms to ') && l.includes(mine))
        .map((l) => l.replace(/^\[sms to [^\]]*\] /, '').replace(/\n {4}/g, '\n'))
        .join('\n');
    },
  };
}

/** Web Chat through the Bot Framework endpoint with expectReplies: the text with its numbered choices. */
export function webchatTalker(t: TestApp, phone = newPhone()): Talker {
  const conversationId = `wc-${randomBytes(6).toString('hex')}`;
  return {
    channel: 'webchat',
    phone,
    conversationId,
    async say(text) {
      const res = await api(t.base, 'POST', '/api/messages', { body: webchatActivity(conversationId, text) });
      if (res.status !== 200) throw new Error(`/api/messages answered ${res.status}`);
      return webchatReplies(res.body.activities as ChatActivity[]);
    },
  };
}

/** A Teams user (tenant and Azure AD object id) in a personal chat with the bot; cards and their buttons read as text. */
/**
 * A person on Teams. `enrolled` (the default): an approved person of the tenant's organization, as an office admin or
 * center staff would have let in (added before their first message); false: someone writing for the first time.
 */
export function teamsTalker(t: TestApp, opts: { tenant: string; aad?: string; name?: string; channel?: boolean; enrolled?: boolean; officeAdmin?: boolean }): Talker & { conversationId: string; aad: string; submit(value: Record<string, string>): Promise<string>; sendFile(name: string, url: string, text?: string): Promise<string> } {
  const conversationId = `a:${randomBytes(8).toString('hex')}`;
  const aad = opts.aad ?? `aad-${randomBytes(6).toString('hex')}`;
  let enrol = opts.enrolled !== false;
  const talker = {
    channel: 'webchat' as const,
    phone: '',
    conversationId,
    aad,
    /** An Adaptive Card's Action.Submit: the values, no text. */
    submit: (value: Record<string, string>) => talker.post('', value),
    /** A file sent in the chat, as Teams sends one (a download link in its content). */
    sendFile: (name: string, downloadUrl: string, text = '') => talker.post(text, undefined, [{ contentType: 'application/vnd.microsoft.teams.file.download.info', name, content: { downloadUrl, fileType: 'pdf' } }]),
    say: (text: string) => talker.post(text),
    async post(text: string, value?: Record<string, string>, attachments?: unknown[]): Promise<string> {
      const org = enrol ? await t.app.repos.referrers.findByTenant(opts.tenant) : null;
      if (org) {
        await t.app.repos.referrers.addUser(org.id, { id: `u_${aad.replace(/\W/g, '').slice(-16)}`, name: opts.name ?? 'Maya Patel', email: null, aadObjectId: aad, status: 'active', officeAdmin: opts.officeAdmin ?? false });
        enrol = false;
      }
      const res = await api(t.base, 'POST', '/api/messages', {
        body: {
          type: 'message',
          id: randomBytes(8).toString('hex'),
          channelId: 'msteams',
          serviceUrl: 'https://smba.trafficmanager.net/amer/',
          deliveryMode: 'expectReplies',
          conversation: { id: conversationId, conversationType: opts.channel ? 'channel' : 'personal', ...(opts.channel ? { isGroup: true } : {}), tenantId: opts.tenant },
          from: { id: `29:${aad}`, name: opts.name ?? 'Maya Patel', aadObjectId: aad },
          recipient: { id: '28:intake-bot-id', name: 'Intake' },
          channelData: { tenant: { id: opts.tenant } },
          locale: 'en-US',
          ...(value ? { value } : { text }),
          ...(attachments ? { attachments } : {}),
        },
      });
      if (res.status !== 200) throw new Error(`/api/messages answered ${res.status}`);
      type Card = { contentType: string; content: { text?: string; buttons?: Array<{ title: string }>; body?: Array<{ text?: string; facts?: Array<{ title: string; value: string }> }> } };
      return (res.body.activities as Array<{ text?: string; attachments?: Card[] }>)
        .map((a) =>
          [
            a.text ?? '',
            ...(a.attachments ?? []).flatMap((c) => [
              ...(c.content.body ?? []).flatMap((b) => [b.text ?? '', ...(b.facts ?? []).map((x) => `${x.title}: ${x.value}`)]),
              c.content.text ?? '',
              ...(c.content.buttons ?? []).map((b, i) => `${i + 1}. ${b.title}`),
            ]),
          ]
            .filter(Boolean)
            .join('\n'),
        )
        .join('\n');
    },
  };
  return talker;
}

/** Web Chat on the built-in Direct Line (as the /chat page talks): replies read from the transcript after each post. */
export async function directLineTalker(t: TestApp, phone = newPhone()): Promise<Talker & { conversationId: string }> {
  const gen = (await api(t.base, 'POST', '/v3/directline/tokens/generate')).body as { token: string; conversationId: string };
  const headers = { authorization: `Bearer ${gen.token}` };
  const read = async () => {
    const r = await api(t.base, 'GET', `/v3/directline/conversations/${gen.conversationId}/activities`, { headers });
    return r.body.activities as Array<{ text?: string; from: { role?: string }; suggestedActions?: { actions: Array<{ title: string }> } }>;
  };
  return {
    channel: 'webchat',
    phone,
    conversationId: gen.conversationId,
    async say(text) {
      // Only the replies to this message: anything that arrived before it (a staff message) is not one.
      const watermark = (await read()).length;
      const res = await api(t.base, 'POST', `/v3/directline/conversations/${gen.conversationId}/activities`, { headers, body: { type: 'message', text, from: { id: 'user', role: 'user' } } });
      if (res.status !== 200) throw new Error(`Direct Line answered ${res.status}`);
      const all = await read();
      const mine = all.slice(watermark).filter((a) => a.from.role === 'bot');
      return mine.map(webchatText).filter(Boolean).join('\n');
    },
  };
}

/** One line of a scripted chat: what the person says and the reply wanted (exactly, or matching). */
export type Line = [string, RegExp | string];

/** Says each line in turn and checks each reply, naming the line that failed; the replies, in order. */
export async function runLines(p: { say(text: string): Promise<string> }, lines: Line[]): Promise<string[]> {
  const out: string[] = [];
  for (const [say, want] of lines) {
    const got = await p.say(say);
    if (typeof want === 'string') expect({ said: say, got }).toEqual({ said: say, got: want });
    else expect({ said: say, got }).toEqual({ said: say, got: expect.stringMatching(want) });
    out.push(got);
  }
  return out;
}
