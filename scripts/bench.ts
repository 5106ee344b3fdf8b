/**
 * `npm run bench`: throughput and latency of the real stack (FerretDB + Redis on this machine), each scenario
 * next to a baseline measured in the same run, so figures compare across machines as ratios.
 * Bounded: a fixed number of requests per scenario, loopback only.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import twilio from 'twilio';
import { createPhoneHasher } from '../services/contact/phone';
import { createApp } from '../bot/app';
import { DEFAULT_SITE_CONFIG, loadSiteConfig } from '../bot/config';
import { createLogTransport } from '../bot/integrations/log.transport';
import { createLogger } from '../bot/logger';
import { ensureFerretDb, indexSqliteIds, repoRoot, resolveRedis, startFerretDb } from './local-infra';

const BENCH_TOKEN = 'bench-auth-token';
const PUBLIC_BASE = 'https://bench.invalid';
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 400);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const SMS_TURNS = Number(process.env.BENCH_SMS_TURNS ?? 500);
const SMS_CONVERSATIONS = 50;
const CHAT_TURNS = Number(process.env.BENCH_CHAT_TURNS ?? 300);
const CAMPAIGN_RECIPIENTS = Number(process.env.BENCH_CAMPAIGN_RECIPIENTS ?? 100_000);
/** Stored messages (of other numbers) before the turns run: the hot path must not slow down as data grows. */
const PREFILL_MESSAGES = Number(process.env.BENCH_PREFILL_MESSAGES ?? 0);

interface Row {
  scenario: string;
  requests: number;
  concurrency: number;
  perSecond: number;
  p50ms: number;
  p95ms: number;
  p99ms: number;
  /** Throughput relative to the baseline named next to it, measured in the same run. */
  ratio: number;
  baseline: string;
  /** Commands per request, from the driver's command monitoring and Redis's INFO commandstats. */
  mongoPerRequest?: number;
  redisPerRequest?: number;
}

/** Mongo commands by "name collection", for the per-scenario breakdown. */
const mongoByKind = new Map<string, number>();
/** The rows' command breakdowns (per request), printed after the table so a regression names its command. */
const breakdowns: Array<{ scenario: string; mongo: Record<string, number>; redis: Record<string, number> }> = [];

/** Who waits for the next text the log transport prints to a number ("[sms to ********1000] …": its last four digits). */
const replyWaiters = new Map<string, () => void>();
function replied(line: string): void {
  const last4 = /^\[sms to \**(\d{4})\]/.exec(line)?.[1];
  const waiter = last4 ? replyWaiters.get(last4) : undefined;
  if (last4 && waiter) {
    replyWaiters.delete(last4);
    waiter();
  }
}
function replyTo(phone: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no reply to ${phone.slice(-4)} within 120 s`)), 120_000);
    replyWaiters.set(phone.slice(-4), () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function percentiles(samples: number[]): { p50ms: number; p95ms: number; p99ms: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const pct = (p: number) => Number(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!.toFixed(1));
  return { p50ms: pct(0.5), p95ms: pct(0.95), p99ms: pct(0.99) };
}

type RedisInfo = { info(section: string): Promise<string> };

/** Every command Redis has run since it started, by command (all clients: the bench is the only one). */
async function redisCalls(redis: RedisInfo): Promise<Map<string, number>> {
  return new Map([...(await redis.info('commandstats')).matchAll(/cmdstat_([\w|]+):calls=(\d+)/g)].map((m) => [m[1]!, Number(m[2])]));
}

const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
/** after − before per key, divided by n, keys with nothing left out. */
function perRequest(after: Map<string, number>, before: Map<string, number>, n: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of after) if (v - (before.get(k) ?? 0) > 0) out[k] = +((v - (before.get(k) ?? 0)) / n).toFixed(2);
  return out;
}

/** A measured row with the MongoDB and Redis commands it cost per request (and which, in `breakdowns`). */
async function counted(redis: RedisInfo, run: () => Promise<Row>): Promise<Row> {
  const [mongo0, redis0] = [new Map(mongoByKind), await redisCalls(redis)];
  const row = await run();
  const redis1 = await redisCalls(redis);
  redis1.set('info', (redis1.get('info') ?? 1) - 1); // less the INFO that read it
  breakdowns.push({ scenario: row.scenario, mongo: perRequest(mongoByKind, mongo0, row.requests), redis: perRequest(redis1, redis0, row.requests) });
  return { ...row, mongoPerRequest: +((total(mongoByKind) - total(mongo0)) / row.requests).toFixed(1), redisPerRequest: +((total(redis1) - total(redis0)) / row.requests).toFixed(1) };
}

async function measure(
  name: string,
  call: (i: number, worker: number) => Promise<number>,
  opts: { baseline?: Row; concurrency?: number; requests?: number; expectStatus?: number } = {},
): Promise<Row> {
  const concurrency = opts.concurrency ?? CONCURRENCY;
  const requests = opts.requests ?? REQUESTS;
  const latencies: number[] = [];
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (next < requests) {
        const i = next++;
        const t0 = process.hrtime.bigint();
        const status = await call(i, worker);
        if (opts.expectStatus ? status !== opts.expectStatus : status >= 400) throw new Error(`${name}: request ${i} answered ${status}`);
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const perSecond = requests / seconds;
  return {
    scenario: name,
    requests,
    concurrency,
    perSecond: Math.round(perSecond * 10) / 10,
    ...percentiles(latencies),
    ratio: Number((perSecond / (opts.baseline?.perSecond ?? perSecond)).toFixed(3)),
    baseline: opts.baseline?.scenario ?? '(itself)',
  };
}

/**
 * Campaign planning for CAMPAIGN_RECIPIENTS people (audience query → consent lookups → recipients stored → send jobs
 * queued), with the process's peak memory while it runs. Baseline: reading the same audience's cases alone (the
 * query planning cannot avoid), in the same run.
 */
async function benchCampaignPlanning(app: Awaited<ReturnType<typeof createApp>>, mongoUri: string) {
  const n = CAMPAIGN_RECIPIENTS;
  const conn = await mongoose.createConnection(mongoUri, { dbName: 'bench' }).asPromise();
  const hash = createPhoneHasher('bench');
  try {
    const at = new Date(Date.now() - 340 * 86_400_000);
    for (let from = 0; from < n; from += 5_000) {
      const ids = Array.from({ length: Math.min(5_000, n - from) }, (_, k) => from + k);
      const phone = (i: number) => `+1${['213', '312', '212'][i % 3]}${2_000_000 + i}`;
      await conn.collection('patients').insertMany(ids.map((i) => ({ _id: `p_b${i}`, givenName: 'Pat', familyName: `Bench${i}`, birthDate: '1970-01-01', phone: phone(i), phoneHash: hash(phone(i)), language: i % 3 ? 'en' : 'es', createdAt: at })) as never[]);
      await conn.collection('cases').insertMany(ids.map((i) => ({ _id: `c_b${i}`, state: 'closed', patientId: `p_b${i}`, order: { code: { modality: 'mammography' } }, updatedAt: at, createdAt: at })) as never[]);
      // 65% consented to marketing, 30% never answered, 5% opted out (as the campaign test).
      await conn.collection('consents').insertMany(
        ids.flatMap((i) => {
          const h = hash(phone(i));
          const status = i % 20 === 0 ? 'revoked' : [1, 2, 3].includes(i % 10) ? null : 'granted';
          return status ? [{ _id: `${h}:marketing`, phoneHash: h, purpose: 'marketing', status, history: [], updatedAt: at }] : [];
        }) as never[],
      );
    }
    const audience = { states: ['closed' as const], modalities: ['mammography' as const], changedDaysAgo: { min: 330, max: 365 } };
    const match = { state: 'closed', 'order.code.modality': 'mammography' };
    let t0 = process.hrtime.bigint();
    let read = 0;
    for await (const c of conn.collection('cases').find(match, { projection: { patientId: 1 }, batchSize: 5_000 })) if (c['patientId']) read++;
    const readSeconds = Number(process.hrtime.bigint() - t0) / 1e9;

    const admin = { id: 'bench', name: 'bench', role: 'admin' as const, referrerOrgId: null };
    const created = await app.services.campaigns.create({ name: 'Bench recall', audience, templates: { en: 'Time for your yearly exam. Reply BOOK.', es: 'Es hora de su examen anual. Responda AGENDAR.' }, window: { from: '09:00', until: '18:00' }, perSecond: 100 }, admin);
    if (!created.ok) throw new Error(created.error.message);
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    let peakHeap = process.memoryUsage().heapUsed;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    }, 20);
    t0 = process.hrtime.bigint();
    const planned = await app.services.campaigns.plan(created.value.id);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    clearInterval(sampler);
    if (!planned.ok) throw new Error(planned.error.message);
    const stats = await app.services.campaigns.stats(created.value.id);
    if (stats.audience !== n) throw new Error(`planning recorded ${stats.audience} recipients, not ${n}`);
    await app.campaignQueue.queue.obliterate({ force: true });
    const mb = (b: number) => Math.round(b / 1_048_576);
    return [
      { scenario: `read the audience's ${n} cases (baseline)`, recipients: read, seconds: +readSeconds.toFixed(1), perSecond: Math.round(read / readSeconds), ratio: 1, peakRssMB: null, peakHeapMB: null },
      {
        scenario: `plan a campaign: ${n} recipients (${planned.value.planned} queued, ${planned.value.skipped} skipped)`,
        recipients: n,
        seconds: +seconds.toFixed(1),
        perSecond: Math.round(n / seconds),
        ratio: +(n / seconds / (read / readSeconds)).toFixed(3),
        peakRssMB: mb(peakRss),
        peakHeapMB: mb(peakHeap),
        rssGrowthMB: mb(peakRss - rssBefore),
      },
    ];
  } finally {
    await conn.close();
  }
}

/** Messages of 2,000 other numbers as a season of texting leaves them (an inbound and its reply, delivered), in bulk. */
async function prefillMessages(mongoUri: string, n: number): Promise<void> {
  const conn = await mongoose.createConnection(mongoUri, { dbName: 'bench' }).asPromise();
  const hash = createPhoneHasher('bench');
  try {
    const at = new Date(Date.now() - 30 * 86_400_000);
    for (let from = 0; from < n; from += 5_000) {
      const rows = Array.from({ length: Math.min(5_000, n - from) }, (_, k) => {
        const i = from + k;
        const phone = `+1737${String(2_000_000 + (i % 2_000))}`;
        const inbound = i % 2 === 0;
        const sid = `SM${i.toString(16).padStart(32, '0')}`;
        return {
          _id: `m_prefill${i}`, direction: inbound ? 'inbound' : 'outbound', channel: 'sms', phoneHash: hash(phone), phone, conversationRefId: null, activityId: null,
          body: inbound ? 'what time is my appointment tomorrow?' : 'Your MRI is Tuesday at 9:30 AM at Northside Imaging. Reply C to confirm, R to reschedule.',
          purpose: 'care', template: inbound ? 'inbound' : 'reply', idempotencyKey: inbound ? `in:${sid}` : `reply:${sid}:0`, initiated: false, caseId: null, campaignId: null,
          language: 'en', timeZone: null, status: inbound ? 'received' : 'delivered', statusRank: inbound ? 0 : 6,
          statusHistory: [{ status: inbound ? 'received' : 'delivered', at, errorCode: null }], twilioSid: sid, errorCode: null, reason: null, sendAfter: null,
          attempts: inbound ? 0 : 1, seq: inbound ? Math.floor(i / 4_000) + 1 : null, handled: true, createdAt: at, updatedAt: at,
        };
      });
      await conn.collection('messages').insertMany(rows as never[]);
    }
  } finally {
    await conn.close();
  }
}

async function main(): Promise<void> {
  const root = repoRoot();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-'));
  const log = (l: string) => process.stdout.write(`${l}\n`);
  const bin = await ensureFerretDb(log);
  if (!bin) throw new Error('FerretDB is needed for the benchmark (install Go)');
  const ferret = await startFerretDb(bin, path.join(dir, 'ferretdb'));
  const redis = await resolveRedis({ ...(process.env.REDIS_URL ? { url: process.env.REDIS_URL } : {}), dataDir: dir, log });
  const site = loadSiteConfig(DEFAULT_SITE_CONFIG, root);
  if (!site.ok) throw new Error(site.error.message);
  const app = await createApp({
    mongoUri: ferret.url,
    dbName: 'bench',
    redisUrl: redis.url,
    redisPrefix: `bench${process.pid}:`,
    site: site.value,
    phoneHashKey: 'bench',
    logger: createLogger('error', process.stderr),
    runWorkers: false,
    onMongoCommand: (c) => {
      const kind = `${c.name} ${c.collection ?? ''}`.trim();
      mongoByKind.set(kind, (mongoByKind.get(kind) ?? 0) + 1);
    },
    sms: { transport: createLogTransport((line) => replied(line)), authToken: BENCH_TOKEN, publicBaseUrl: PUBLIC_BASE },
    // One token and a few numbers send thousands of requests here: the figures price the service, not the limiter.
    rateLimits: { apiPerTokenPerMinute: Number.MAX_SAFE_INTEGER, smsPerNumberPerMinute: Number.MAX_SAFE_INTEGER },
  });
  try {
    const port = await app.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${port}`;
    const rows: Row[] = [];
    const bodies = ['hello', '1', 'hola', '3', 'what are your hours', '2'];
    if (PREFILL_MESSAGES > 0) {
      await prefillMessages(ferret.url, PREFILL_MESSAGES);
      await indexSqliteIds(ferret.dataDir); // now, not at the indexer's next round
      log(`prefilled ${PREFILL_MESSAGES} messages`);
    }

    // BENCH_ONLY=campaign: the campaign planning figures alone; BENCH_ONLY=sms: the SMS turns alone.
    if (process.env.BENCH_ONLY !== 'campaign') {
      // SMS first, on fresh collections: signed inbound webhooks from 50 conversations at once. Baseline: the same
      // server and path answering empty TwiML with no turn (a MessageSid it has seen), so the ratio prices the turn.
      const sms = (phone: string, body: string, sid: string) => {
        const params = { MessageSid: sid, AccountSid: `AC${'0'.repeat(32)}`, From: phone, To: '+15125550100', Body: body };
        return fetch(`${base}/api/sms/inbound`, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'x-twilio-signature': twilio.getExpectedTwilioSignature(BENCH_TOKEN, `${PUBLIC_BASE}/api/sms/inbound`, params),
          },
          body: new URLSearchParams(params).toString(),
        }).then((r) => r.status);
      };
      const seenSid = `SM${'f'.repeat(32)}`;
      await sms('+15125559999', 'hello', seenSid);
      const smsBaseline = await measure('SMS webhook, seen MessageSid: empty TwiML, no turn (baseline)', () => sms('+15125559999', 'hello', seenSid), {
        concurrency: SMS_CONVERSATIONS,
        requests: SMS_TURNS,
      });
      rows.push(smsBaseline);
      const phones = Array.from({ length: SMS_CONVERSATIONS }, (_, k) => `+1512555${String(1000 + k)}`);
      // Each conversation texts, gets the webhook's answer, then waits for the reply at the transport before its next
      // text, as a person does: the row's latency is text → reply; the webhook's own answer time is the next row.
      const answers: number[] = [];
      const turns = await counted(app.redis, () =>
        measure(
          'SMS turn: signed webhook → menu reply at the transport',
          async (i, worker) => {
            const reply = replyTo(phones[worker]!);
            const t0 = process.hrtime.bigint();
            const status = await sms(phones[worker]!, bodies[i % bodies.length]!, `SM${randomBytes(16).toString('hex')}`);
            answers.push(Number(process.hrtime.bigint() - t0) / 1e6);
            await reply;
            return status;
          },
          { baseline: smsBaseline, concurrency: SMS_CONVERSATIONS, requests: SMS_TURNS },
        ),
      );
      rows.push(turns, { ...percentiles(answers), scenario: 'SMS webhook answer of those turns (stored, queued, empty TwiML)', requests: turns.requests, concurrency: turns.concurrency, perSecond: turns.perSecond, ratio: turns.ratio, baseline: smsBaseline.scenario });

    }
    if (!process.env.BENCH_ONLY) {
      // Web Chat turns through CloudAdapter (expectReplies: the replies come back in the response), 50 conversations at
      // once. Baseline: the same route refusing an activity at validation (400, no turn).
      const activity = (conversation: string, text: string) =>
        fetch(`${base}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            type: 'message', channelId: 'webchat', serviceUrl: 'https://webchat.botframework.com/', deliveryMode: 'expectReplies',
            conversation: { id: conversation }, from: { id: `u-${conversation}` }, recipient: { id: 'intake-bot' }, text,
          }),
        }).then((r) => r.status);
      const chatBaseline = await measure(
        'POST /api/messages, refused at validation: no turn (baseline)',
        () => fetch(`${base}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":"message"}' }).then((r) => r.status),
        { concurrency: SMS_CONVERSATIONS, requests: CHAT_TURNS, expectStatus: 400 },
      );
      rows.push(chatBaseline);
      rows.push(
        await counted(app.redis, () =>
          measure('POST /api/messages, webchat turn (queue, state, reference, menu reply)', (i, worker) => activity(`bench-${worker}`, bodies[i % bodies.length]!), {
            baseline: chatBaseline,
            concurrency: SMS_CONVERSATIONS,
            requests: CHAT_TURNS,
          }),
        ),
      );

      const made = await app.services.staffTokens.create({ name: 'bench', role: 'admin' });
      if (!made.ok) throw new Error(made.error.message);
      const headers = { authorization: `Bearer ${made.value.token}`, 'content-type': 'application/json' };
      const order = (i: number) =>
        JSON.stringify({
          source: 'fax',
          patient: { givenName: 'Bench', familyName: `Patient${i}`, birthDate: '1980-01-01', phone: `+1555${String(1000000 + i).slice(-7)}` },
          order: {
            modality: 'xray', bodyPart: 'chest', priority: 'routine', reasonCodes: ['R05.9'],
            requester: { name: 'Dr. Bench', npi: '1234567893', phone: '+15557654321' }, insurance: { selfPay: true },
          },
        });
      const ids: string[] = [];
      const healthz = await measure('GET /healthz (baseline)', async () => (await fetch(`${base}/healthz`)).status);
      rows.push(healthz);
      const vsHealthz = { baseline: healthz };
      rows.push(
        await measure('POST /api/v1/cases (create + route)', async (i) => {
          const res = await fetch(`${base}/api/v1/cases`, { method: 'POST', headers, body: order(i) });
          ids[i] = ((await res.json()) as { id: string }).id;
          return res.status;
        }, vsHealthz),
      );
      rows.push(await measure('GET /api/v1/cases/:id', async (i) => (await fetch(`${base}/api/v1/cases/${ids[i]}`, { headers })).status, vsHealthz));
      rows.push(
        await measure('POST /api/v1/cases/:id/events (lock + conditional update)', async (i) =>
          (await fetch(`${base}/api/v1/cases/${ids[i]}/events`, { method: 'POST', headers, body: '{"event":"book"}' })).status, vsHealthz),
      );
      rows.push(await measure('GET /api/v1/cases?state=scheduled&limit=50', async () =>
        (await fetch(`${base}/api/v1/cases?state=scheduled&limit=50`, { headers })).status, vsHealthz));

      // A whole patient booking on Web Chat, 10 patients at once: order lookup, identity, screening, three times, a
      // pick (again after "just taken") and the booking with its prep. Baseline: the Web Chat menu turn above, so the
      // ratio reads as "bookings per menu turn".
      const BOOKINGS = 40;
      const letters = (i: number) => String.fromCharCode(97 + (i % 26), 97 + Math.floor(i / 26)); // names are letters
      const bookers = Array.from({ length: BOOKINGS }, (_, i) => ({ phone: `+1555${String(2000000 + i).slice(-7)}`, family: `Booker${letters(i)}` }));
      for (const b of bookers) {
        const res = await fetch(`${base}/api/v1/cases`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ ...JSON.parse(order(0)), patient: { givenName: 'Bench', familyName: b.family, birthDate: '1980-01-01', phone: b.phone } }),
        });
        if (res.status !== 201) throw new Error(`booking bench setup: POST /api/v1/cases answered ${res.status}`);
      }
      const say = async (conversation: string, text: string): Promise<string> => {
        const res = await fetch(`${base}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            type: 'message', channelId: 'webchat', serviceUrl: 'https://webchat.botframework.com/', deliveryMode: 'expectReplies',
            conversation: { id: conversation }, from: { id: `u-${conversation}` }, recipient: { id: 'intake-bot' }, text,
          }),
        });
        const body = (await res.json()) as { activities?: Array<{ text?: string }> };
        return (body.activities ?? []).map((a) => a.text ?? '').join('\n');
      };
      const chatTurn = rows.find((r) => r.scenario.startsWith('POST /api/messages, webchat turn'))!;
      rows.push(
        await measure(
          'Web Chat patient booking: 6+ turns from "I have an order" to booked with prep',
          async (i) => {
            const b = bookers[i]!;
            const conv = `booking-${i}`;
            for (const line of ['I need to book my x-ray, my doctor sent the order', `Bench ${b.family}`, '01/01/1980', b.phone, 'no']) await say(conv, line);
            // Ten patients want the earliest times at once: a pick that was just taken is answered with new times.
            for (let attempt = 0; attempt < 20; attempt++) if ((await say(conv, String((i % 3) + 1))).startsWith("You're booked")) return 200;
            return 409;
          },
          { baseline: chatTurn, concurrency: 10, requests: BOOKINGS },
        ),
      );

    }
    console.table(rows); // eslint-disable-line no-console -- the table is this program's output
    for (const b of breakdowns) log(`${b.scenario}\n  MongoDB per request: ${JSON.stringify(b.mongo)}\n  Redis per request: ${JSON.stringify(b.redis)}`);
    const planning = process.env.BENCH_ONLY === 'sms' ? [] : await benchCampaignPlanning(app, ferret.url);
    console.table(planning); // eslint-disable-line no-console -- the table is this program's output
    const out = path.join(root, 'bench-results');
    mkdirSync(out, { recursive: true });
    const file = path.join(out, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), node: process.version, cpus: os.cpus().length, rows, breakdowns, planning }, null, 2));
    log(`results: ${path.relative(root, file)}`);
  } finally {
    await app.close();
    await ferret.stop();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${(e as Error).message}\n`);
  process.exit(1);
});
