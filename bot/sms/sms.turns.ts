import { orderedId } from '../../services/ids';
import type { TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type { KeywordLayer } from '../../services/consent/keyword-layer';
import type { Locks } from '../../services/locks';
import { STATUS_RANK, type Message, type MessageRepository } from '../../services/messaging/message.schema';
import { detectLanguage } from '../../services/messaging/language';
import { exactKeyword, SPANISH_KEYWORDS } from '../../services/consent/keywords';
import type { SmsAdapter } from './sms.adapter';

export interface InboundParams {
  messageSid: string;
  from: string;
  body: string;
  /** An MMS's pictures or files (Twilio's URLs): stored, and the patient told they cannot be read here. */
  media?: Array<{ url: string; contentType: string }>;
}

/** The Redis commands SMS turns use (arrival numbers, the waiting index, the dedupe fast path): ioredis's Redis fits. */
export interface SmsTurnsStore {
  exists(key: string): Promise<number>;
  incr(key: string): Promise<number>;
  get(key: string): Promise<string | null>;
  mget(...keys: string[]): Promise<Array<string | null>>;
  set(key: string, value: string): Promise<unknown>;
  set(key: string, value: string, mode: 'EX', seconds: number): Promise<unknown>;
  set(key: string, value: string, mode: 'NX'): Promise<unknown>;
  zadd(key: string, score: number, member: string): Promise<unknown>;
  zrange(key: string, start: number, stop: number): Promise<string[]>;
  zrem(key: string, member: string): Promise<unknown>;
  smembers(key: string): Promise<string[]>;
  sadd(key: string, member: string): Promise<unknown>;
  expire(key: string, seconds: number): Promise<unknown>;
}

export interface SmsTurnsDeps {
  messages: MessageRepository;
  locks: Locks;
  redis: SmsTurnsStore;
  redisPrefix: string;
  keywordLayer: KeywordLayer;
  adapter: SmsAdapter;
  /** Runs the bot and saves its state (already one turn at a time per number here). */
  turn: (context: TurnContext) => Promise<void>;
  /** Runs one text's whole turn (keywords, dialogs, replies) so it reads the number's consent once. */
  perTurn?: <T>(fn: () => Promise<T>) => Promise<T>;
  /** The language we know this number in (its patients'), for a message that is only a keyword. */
  knownLanguage?: (phoneHash: string) => Promise<'en' | 'es' | null>;
  hashPhone: (e164: string) => string;
  now: () => Date;
  logger: Logger;
}

const DEDUPE_TTL_S = 7 * 24 * 3600;
/** A text older than this is not run late (its dedupe marker has expired too). */
const RECOVER_WITHIN_MS = DEDUPE_TTL_S * 1000;
/** How long a turn waits for an earlier-numbered message of the same phone that is still being stored. */
const GAP_WAIT_MS = 2_000;

/**
 * One SMS turn at a time per phone number, in arrival order (architecture §2): each inbound message gets a
 * per-number sequence number from Redis when it arrives, is stored (the unique MessageSid refuses repeats), and
 * whoever holds the number's lock runs every waiting message in sequence order.
 */
export function createSmsTurns(deps: SmsTurnsDeps) {
  const { messages, redis, redisPrefix: prefix } = deps;

  async function runOne(m: Message): Promise<void> {
    if (!m.phone || !m.phoneHash) throw new Error(`message ${m.id} is not an SMS`);
    // STOP from someone we know in Spanish is confirmed in Spanish (the Spanish keywords carry their own language).
    const bare = exactKeyword(m.body);
    const known = bare && !Object.hasOwn(SPANISH_KEYWORDS, bare.word) ? await deps.knownLanguage?.(m.phoneHash) : null;
    const turn = { phone: m.phone, phoneHash: m.phoneHash, text: m.body, messageSid: m.idempotencyKey.slice(3), language: known ?? m.language, receivedAt: m.createdAt, mediaCount: m.media?.length ?? 0 };
    const run = async () => {
      if ((await deps.keywordLayer(turn)) === 'continue') await deps.adapter.runTurn(turn, deps.turn);
    };
    await (deps.perTurn ? deps.perTurn(run) : run());
    await messages.markHandled(m, deps.now());
    await redis.set(`${prefix}sms:done:${m.phoneHash}`, String(m.seq));
    // Only now is a repeat of this MessageSid nothing to do: before, a retry must find the stored text and run it.
    await redis.set(seenKey(m.idempotencyKey.slice(3)), '1', 'EX', DEDUPE_TTL_S);
  }

  const seenKey = (sid: string) => `${prefix}sms:sid:${sid}`;

  /** A number's arrival counter; rebuilt from the stored texts when Redis lost it, so a new text never runs first. */
  async function nextSeq(phoneHash: string): Promise<number> {
    const key = `${prefix}sms:seq:${phoneHash}`;
    if (!(await redis.exists(key))) await redis.set(key, String(await messages.maxInboundSeq(phoneHash, false)), 'NX');
    return redis.incr(key);
  }

  /** Puts a number's stored, unhandled texts back in its waiting index; how many there were. */
  async function requeueStored(phoneHash: string): Promise<number> {
    const now = deps.now();
    const stored = await messages.listUnhandledInbound({ since: new Date(now.getTime() - RECOVER_WITHIN_MS), before: new Date(now.getTime() + 60_000), phoneHash }, 100);
    for (const m of stored) await redis.zadd(`${prefix}sms:pending:${phoneHash}`, m.seq ?? 0, m.id);
    return stored.length;
  }

  async function drain(phoneHash: string): Promise<void> {
    const locked = await deps.locks.withLock(`sms-turn:${phoneHash}`, async () => {
      const deadline = Date.now() + GAP_WAIT_MS;
      let lookedBack = false;
      const queue = `${prefix}sms:pending:${phoneHash}`;
      for (;;) {
        // Waiting messages of this number, by arrival number: a Redis index over the stored messages, so a turn
        // never scans the messages collection.
        const [firstId] = await redis.zrange(queue, 0, 0);
        if (!firstId) return;
        const first = await messages.findById(firstId);
        if (!first || first.handled) {
          await redis.zrem(queue, firstId);
          continue;
        }
        const done = await redis.get(`${prefix}sms:done:${phoneHash}`);
        // Redis lost the marker (restarted empty): the stored texts say how far this number got.
        let expected = (done === null ? await messages.maxInboundSeq(phoneHash, true) : Number(done)) + 1;
        const skipped = new Set((await redis.smembers(`${prefix}sms:skip:${phoneHash}`)).map(Number));
        while (skipped.has(expected)) expected++;
        if (first.seq !== null && first.seq > expected) {
          // An earlier text may be stored but not queued (Redis failed between the two): queue it, once per drain.
          if (!lookedBack) {
            lookedBack = true;
            if ((await requeueStored(phoneHash)) > 1) continue;
          }
          // Or it got its number and is not stored yet: give it a moment to land.
          if (Date.now() < deadline) {
            await new Promise((r) => setTimeout(r, 25));
            continue;
          }
        }
        await runOne(first);
        await redis.zrem(queue, first.id);
      }
    });
    if (!locked.ok) deps.logger.warn({ code: locked.error.code }, 'sms turn lock busy; the waiting message runs with the next turn');
  }

  // The webhook never waits for a turn (Twilio gives up after 15 s and retries): the stored, queued text is run here
  // in the background, one drain per number in this process; the workers' sweep takes it if this process dies.
  const running = new Map<string, { again: boolean; done: Promise<void> }>();
  function kick(phoneHash: string): void {
    const run = running.get(phoneHash);
    if (run) {
      run.again = true; // the running drain may already have looked at the queue: go round once more
      return;
    }
    const entry = { again: false, done: Promise.resolve() };
    running.set(phoneHash, entry);
    entry.done = (async () => {
      do {
        entry.again = false;
        await drain(phoneHash);
      } while (entry.again);
    })()
      .catch((e: unknown) => deps.logger.error({ err: e }, 'an sms turn failed; the stored text runs again with the next sweep'))
      .finally(() => running.delete(phoneHash));
  }

  return {
    /**
     * Stores and queues an inbound text and returns at once; its turn runs in the background. 'duplicate' when this
     * MessageSid was seen before: nothing is stored, and no turn runs unless the first delivery's never did.
     */
    async receive(p: InboundParams): Promise<'duplicate' | 'accepted'> {
      if (await redis.exists(seenKey(p.messageSid))) return 'duplicate'; // its turn ran; the unique index decides the rest
      const phoneHash = deps.hashPhone(p.from);
      const seq = await nextSeq(phoneHash);
      const now = deps.now();
      const inbound: Message = {
        id: orderedId('m'),
        direction: 'inbound',
        channel: 'sms',
        phoneHash,
        conversationRefId: null,
        activityId: null,
        phone: p.from,
        body: p.body,
        ...(p.media?.length ? { media: p.media } : {}),
        purpose: 'care',
        template: 'inbound',
        idempotencyKey: `in:${p.messageSid}`,
        initiated: false,
        caseId: null,
        campaignId: null,
        language: detectLanguage(p.body),
        timeZone: null,
        status: 'received',
        statusRank: STATUS_RANK.received,
        statusHistory: [{ status: 'received', at: now, errorCode: null }],
        twilioSid: p.messageSid,
        errorCode: null,
        reason: null,
        sendAfter: null,
        attempts: 0,
        seq,
        handled: false,
        createdAt: now,
        updatedAt: now,
      };
      let stored: boolean;
      try {
        stored = await messages.insert(inbound);
      } catch (e) {
        // The database is away: Twilio's retry comes with a new number, so this one must not hold the queue.
        await skipSeq(phoneHash, seq).catch((err: unknown) => deps.logger.warn({ err }, 'could not mark an arrival number unused'));
        throw e;
      }
      if (!stored) {
        await skipSeq(phoneHash, seq);
        const first = await messages.findByKey(inbound.idempotencyKey);
        // The first delivery was stored but its turn never ran (Redis or the process failed in between): run it now.
        if (first && !first.handled) {
          await redis.zadd(`${prefix}sms:pending:${phoneHash}`, first.seq ?? 0, first.id);
          kick(phoneHash);
        }
        return 'duplicate';
      }
      await redis.zadd(`${prefix}sms:pending:${phoneHash}`, seq, inbound.id);
      kick(phoneHash);
      return 'accepted';
    },

    /** Resolves when every turn this process started has ended (shutdown; tests wait on it before they look). */
    async idle(): Promise<void> {
      while (running.size > 0) await Promise.all([...running.values()].map((r) => r.done));
    },

    /**
     * Texts stored but never run (Redis or the process failed after storing; no retry came): run in arrival order
     * per number. Workers call it regularly; a number's lock keeps two sweeps from running a text twice.
     */
    async recoverUnhandled(olderThanMs: number): Promise<number> {
      const now = deps.now();
      const stale = await messages.listUnhandledInbound({ since: new Date(now.getTime() - RECOVER_WITHIN_MS), before: new Date(now.getTime() - olderThanMs) }, 500);
      const numbers = new Set<string>();
      for (const m of stale) {
        if (!m.phoneHash) continue;
        await redis.zadd(`${prefix}sms:pending:${m.phoneHash}`, m.seq ?? 0, m.id);
        numbers.add(m.phoneHash);
      }
      for (const phoneHash of numbers) await drain(phoneHash);
      return stale.length;
    },
  };

  /** A sequence number given to a duplicate never gets a message: turns waiting for it pass over it. */
  async function skipSeq(phoneHash: string, seq: number): Promise<void> {
    const key = `${prefix}sms:skip:${phoneHash}`;
    await redis.sadd(key, String(seq));
    await redis.expire(key, DEDUPE_TTL_S);
  }
}
export type SmsTurns = ReturnType<typeof createSmsTurns>;
