/**
 * The fast dialog layer (architecture.md §5): the real IntakeBot and patient dialogs, wired by the same
 * wireConversations as the app, on in-memory ports. SMS turns run through the real SMS turn queue, keyword layer,
 * SmsAdapter and outbound gateway; Web Chat turns through botbuilder's TestAdapter with `expectReplies`, as
 * CloudAdapter answers them. No database, Redis, HTTP server or BullMQ: a conversation takes milliseconds.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { TestAdapter, type Activity, type TurnContext } from 'botbuilder';
import { wireConversations } from '../../bot/conversations.wiring';
import { createLogger } from '../../bot/logger';
import { createMetrics, type Metrics } from '../../bot/metrics';
import { CreateCaseInput, ListCasesInput, type CaseView } from '../../services/cases/case.service';
import type { SiteConfig } from '../../services/config/site.schema';
import { createPhoneHasher } from '../../services/contact/phone';
import type { Principal } from '../../services/staff/staff.roles';
import type { Talker } from './channels';
import { completeOrder, exampleSite } from './fixtures';
import { memoryPorts } from './memory';
import { webchatActivity, webchatReplies, type ChatActivity } from './webchat';

export type { Talker };

/** One step of a script: what the person says (or a function of the talker, for its phone) and the reply expected. */
export type Line = [says: string | ((p: Talker) => string), expects: RegExp | string];

/** The staff member the harness puts orders on file as (what POST /api/v1/cases does with a coordinator's token). */
const COORDINATOR: Principal = { id: 'st_fast_coordinator', name: 'Fast Coordinator', role: 'coordinator', referrerOrgId: null };

// One registry for every harness in the process: prom-client's default collectors are not meant to be made per test.
let sharedMetrics: Metrics | null = null;

export interface FastHarnessOptions {
  /** The clock: a fixed start (then moved with `advance` / `later`), or a function the test controls. */
  now?: Date | (() => Date);
  site?: SiteConfig;
}

export async function fastHarness(opts: FastHarnessOptions = {}) {
  let clock = opts.now instanceof Date ? opts.now : new Date();
  const now = typeof opts.now === 'function' ? opts.now : () => clock;
  const site = opts.site ?? exampleSite();
  const hashPhone = createPhoneHasher('test-hash-key');
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(chunk.toString());
      cb();
    },
  });
  const memory = memoryPorts();
  const w = wireConversations(memory.ports, { site, hashPhone, logger: createLogger('info', sink), metrics: (sharedMetrics ??= createMetrics()), now, statusCallbackUrl: null });
  let phones = 0;
  // 512-555-2001 and up: clear of the center's and the example doctors' numbers (0100-0199).
  const freshPhone = () => `+1512555${2000 + ++phones}`;

  /** A patient texting from `phone`: each message is a Twilio webhook's turn; the reply is every text sent to the number meanwhile. */
  function sms(phone = freshPhone()): Talker {
    return {
      channel: 'sms',
      phone,
      async say(text) {
        const before = memory.transport.sent.length;
        await w.smsTurns.receive({ messageSid: `SM${randomBytes(16).toString('hex')}`, from: phone, body: text });
        await w.smsTurns.idle(); // the turn runs after receive() returns, as behind the webhook
        return memory.transport.sent
          .slice(before)
          .filter((s) => s.to === phone)
          .map((s) => s.body)
          .join('\n');
      },
    };
  }

  /** Someone on Web Chat (giving `phone` when asked for a number): the replies as the HTTP test's Web Chat talker reads them. */
  function webchat(phone = freshPhone()): Talker & { conversationId: string } {
    const conversationId = `wc-${randomBytes(6).toString('hex')}`;
    const adapter = new TestAdapter();
    return {
      channel: 'webchat',
      phone,
      conversationId,
      async say(text) {
        let replies: Partial<Activity>[] = [];
        const activity = { ...webchatActivity(conversationId, text), timestamp: now() } as Partial<Activity>;
        await adapter.processActivity(activity, async (context: TurnContext) => {
          await w.runner.serialized(context);
          // expectReplies: the replies are buffered on the context, which is what CloudAdapter answers the POST with.
          replies = context.bufferedReplyActivities;
        });
        return webchatReplies(replies as ChatActivity[]);
      },
    };
  }

  /** A case created as POST /api/v1/cases creates it (the body checked by the same schema), by a coordinator. */
  async function createCase(body: unknown): Promise<CaseView> {
    const r = await w.cases.create(CreateCaseInput.parse(body), COORDINATOR, 'api');
    if (!r.ok) throw new Error(`case not created: ${r.error.code}`);
    return r.value.case;
  }

  return {
    sms,
    webchat,
    /** The wired use cases (the same objects createApp uses). */
    services: w,
    /** The in-memory stores behind the ports. */
    stores: memory.stores,
    /** Delayed jobs the conversations queued (reminders, follow-ups, waitlist, deferred texts), by job id. */
    queues: memory.queues,
    /** Every SMS the gateway sent, in order. */
    smsSent: memory.transport.sent,
    /** Proactive chat messages (Teams order requests, staff replies). */
    chatSent: memory.chatSender.sent,
    hashPhone,
    now,
    /** Moves the harness's clock (when it owns it). */
    advance(ms: number) {
      clock = new Date(clock.getTime() + ms);
    },
    /** Runs `fn` with the clock `ms` later, then puts it back. */
    async later<T>(ms: number, fn: () => Promise<T>): Promise<T> {
      const was = clock;
      clock = new Date(was.getTime() + ms);
      try {
        return await fn();
      } finally {
        clock = was;
      }
    },
    createCase,
    /** A complete order already at the center for this phone (English, self-pay unless `order` says otherwise). */
    orderAtCenter(phone: string, over: { order?: Record<string, unknown>; patient?: Record<string, unknown> } = {}) {
      const o = completeOrder();
      return createCase({ ...o, patient: { ...o.patient, phone, language: 'en', ...over.patient }, order: { ...o.order, insurance: { selfPay: true }, ...over.order } });
    },
    /** The cases of this number as GET /api/v1/cases?phone= lists them: newest first, each with its patient. */
    async casesOf(phone: string): Promise<CaseView[]> {
      const r = await w.cases.list(ListCasesInput.parse({ phone, limit: 200 }), COORDINATOR);
      if (!r.ok) throw new Error(`cases not listed: ${r.error.code}`);
      return r.value.items;
    },
    /** Consent per purpose of a number. */
    consentOf: (phone: string) => w.consent.statuses(hashPhone(phone)),
    /** Log lines at error level or above (their message and error type only: no PHI is printed by a failing test). */
    errors(): string[] {
      return logs
        .map((l) => JSON.parse(l) as { level: number; msg?: string; err?: { type?: string; message?: string } })
        .filter((l) => l.level >= 50)
        .map((l) => `${l.msg ?? ''}${l.err ? ` (${l.err.type ?? 'Error'}: ${l.err.message ?? ''})` : ''}`);
    },
  };
}
export type FastHarness = Awaited<ReturnType<typeof fastHarness>>;

/** Runs a script on a talker: each reply must equal the expected string or match the expected pattern. */
export async function talk(p: Talker, lines: Line[]): Promise<string[]> {
  const out: string[] = [];
  for (const [says, expects] of lines) {
    const said = typeof says === 'function' ? says(p) : says;
    const got = await p.say(said);
    expect({ said, got }).toEqual({ said, got: typeof expects === 'string' ? expects : expect.stringMatching(expects) });
    out.push(got);
  }
  return out;
}

/** Runs lines with no expectation on the replies (answers whose replies a later step checks). */
export async function sayAll(p: Talker, lines: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const line of lines) out.push(await p.say(line));
  return out;
}
