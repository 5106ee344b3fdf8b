import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import mongoose from 'mongoose';
import { loadSiteConfig } from '../../bot/config';
import { createRepositories } from '../../models';
import { createCampaignQueue } from '../../models/campaign.queue';
import { createCampaigns } from '../../services/campaigns/campaign.service';
import { createConsentService } from '../../services/consent/consent.service';
import { createPhoneHasher } from '../../services/contact/phone';
import { buildOnce, serviceEnv } from '../support/built-service';
import { ROOT, testMongoUri, uniqueDbName } from '../support/test-app';

beforeAll(buildOnce, 120_000);
const env = serviceEnv;
/** Each wait's budget: 2,000 texts at 100/s take 20 s; recovery after a kill about a minute; a loaded machine more. */
const BUDGET_MS = Number(process.env.KILL_TEST_BUDGET_MS ?? 300_000);

/**
 * A campaign to 2,000 people sent by a worker process (`--role=worker`) through the real twilio SDK to a
 * Twilio-compatible server in this test (TWILIO_API_BASE_URL). The worker is SIGKILLed halfway and started again:
 * every recipient ends with exactly one stored text and the "carrier" got exactly one per number.
 */
describe('a campaign worker killed halfway', () => {
  const N = 2_000;
  const hashKey = 'e2e-campaign-hash-key';
  const twilioSid = `AC${'a'.repeat(32)}`;
  const received = new Map<string, number>();
  const log: Array<{ sid: string; to: string; body: string; at: Date }> = [];
  let server: http.Server;
  let baseUrl = '';
  let mongo = '';
  let redisUrl = '';
  let dbName = '';
  let siteFile = '';
  const prefix = `kill${process.pid}x${randomBytes(3).toString('hex')}:`;

  beforeAll(async () => {
    // A Twilio-compatible API: create a message (counted per number) and list messages (for recovery).
    server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (d: Buffer) => (raw += d.toString()));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://x');
        res.setHeader('content-type', 'application/json');
        if (req.method === 'POST' && url.pathname.endsWith('/Messages.json')) {
          const p = new URLSearchParams(raw);
          const to = p.get('To')!;
          received.set(to, (received.get(to) ?? 0) + 1);
          const m = { sid: `SM${randomBytes(16).toString('hex')}`, to, body: p.get('Body')!, at: new Date() };
          log.push(m);
          res.statusCode = 201;
          res.end(JSON.stringify({ sid: m.sid, status: 'queued', to, body: m.body, date_created: m.at.toUTCString() }));
          return;
        }
        if (req.method === 'GET' && url.pathname.endsWith('/Messages.json')) {
          const to = url.searchParams.get('To');
          const messages = log.filter((m) => m.to === to).map((m) => ({ sid: m.sid, to: m.to, body: m.body, status: 'sent', date_created: m.at.toUTCString(), date_sent: m.at.toUTCString() }));
          res.end(JSON.stringify({ messages, next_page_uri: null, page: 0, page_size: 200, uri: url.pathname }));
          return;
        }
        res.statusCode = 404;
        res.end('{}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    baseUrl = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;

    dbName = uniqueDbName('kill');
    const u = new URL(testMongoUri());
    u.pathname = `/${dbName}`;
    mongo = u.toString();
    // Its own key prefix (REDIS_PREFIX) on the shared Redis: another run on this machine never meets its queues.
    redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
    // Texts may go out at any hour here, 100 a second.
    const cfg = JSON.parse(readFileSync(path.join(ROOT, 'config/example-center.json'), 'utf8'));
    cfg.quietHours = { care: { sendFrom: '00:00', sendUntil: '23:59' }, marketing: { sendFrom: '00:00', sendUntil: '23:59' } };
    cfg.sender = { messagesPerSecond: 100 };
    siteFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'cfg-')), 'center.json');
    writeFileSync(siteFile, JSON.stringify(cfg));

    const hash = createPhoneHasher(hashKey);
    const conn = await mongoose.createConnection(mongo, { dbName }).asPromise();
    try {
      const at = new Date(Date.now() - 340 * 86_400_000);
      const ids = Array.from({ length: N }, (_, i) => i);
      const phone = (i: number) => `+1512${3_000_000 + i}`;
      await conn.collection('patients').insertMany(ids.map((i) => ({ _id: `p_k${i}`, givenName: 'Pat', familyName: `Kill${i}`, birthDate: '1970-01-01', phone: phone(i), phoneHash: hash(phone(i)), language: 'en', createdAt: at })) as never[]);
      await conn.collection('cases').insertMany(ids.map((i) => ({ _id: `c_k${i}`, state: 'closed', patientId: `p_k${i}`, order: { code: { modality: 'mammography' } }, updatedAt: at, createdAt: at })) as never[]);
      await conn.collection('consents').insertMany(ids.map((i) => ({ _id: `${hash(phone(i))}:marketing`, phoneHash: hash(phone(i)), purpose: 'marketing', status: 'granted', history: [], updatedAt: at })) as never[]);
    } finally {
      await conn.close();
    }
  }, 60_000);

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    const redis = new Redis(redisUrl);
    try {
      for (let cursor = '0'; ; ) {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        if (keys.length) await redis.del(...keys);
        if ((cursor = next) === '0') break;
      }
    } finally {
      redis.disconnect();
    }
    const conn = await mongoose.createConnection(mongo, { dbName }).asPromise();
    await conn.db?.dropDatabase();
    await conn.close();
  });

  // Each worker's output goes to a file, so a failure can say what the worker said (never discarded).
  const logDir = mkdtempSync(path.join(os.tmpdir(), 'kill-logs-'));
  type Worker = { proc: ChildProcess; log: string; exited: Promise<void> };
  const worker = (n: number): Worker => {
    const log = path.join(logDir, `worker-${n}.log`);
    const out = openSync(log, 'a');
    const proc = spawn('node', ['dist/bot/index.js', '--role=worker'], {
      cwd: ROOT,
      stdio: ['ignore', out, out],
      env: env({
        MONGODB_URI: mongo,
        REDIS_URL: redisUrl,
        REDIS_PREFIX: prefix,
        CENTER_CONFIG: siteFile,
        PHONE_HASH_KEY: hashKey,
        TWILIO_ACCOUNT_SID: twilioSid,
        TWILIO_AUTH_TOKEN: 'e2e-auth-token',
        TWILIO_FROM_NUMBER: '+15125550100',
        TWILIO_API_BASE_URL: baseUrl,
        PUBLIC_BASE_URL: 'https://intake.test',
        SMS_RECOVER_AFTER_SECONDS: '30',
      }),
    });
    closeSync(out);
    const exited = new Promise<void>((r) => proc.once('exit', () => r()));
    return { proc, log, exited };
  };
  const tail = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-20).join('\n') : '(no output)');
  /** Waits for `done`; fails at once when the worker died, and on timeout with `why()` (what was still missing). */
  const until = async (what: string, done: () => boolean | Promise<boolean>, ms: number, w: Worker, why: () => Promise<string>) => {
    const deadline = Date.now() + ms;
    while (!(await done())) {
      if (w.proc.exitCode !== null || w.proc.signalCode !== null) throw new Error(`the worker exited (${w.proc.exitCode ?? w.proc.signalCode}) while waiting for ${what}:\n${tail(w.log)}`);
      if (Date.now() > deadline) throw new Error(`timed out after ${ms / 1000}s waiting for ${what}: ${await why()}\nworker output:\n${tail(w.log)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  const stop = async (w: Worker | null) => {
    if (!w || w.proc.exitCode !== null || w.proc.signalCode !== null) return;
    w.proc.kill('SIGKILL');
    await w.exited;
  };

  test('SIGKILL halfway, then a new worker: every recipient got exactly one text, none got two', async () => {
    // The campaign is created and planned here (as `npm run cli -- campaign launch` does); the worker sends.
    const site = loadSiteConfig(siteFile, ROOT);
    if (!site.ok) throw new Error(site.error.message);
    const queue = createCampaignQueue(redisUrl, prefix, 100);
    const conn = await mongoose.createConnection(mongo, { dbName }).asPromise();
    let w: Worker | null = null;
    try {
      const repos = createRepositories(conn);
      const service = createCampaigns({ campaigns: repos.campaigns, consents: createConsentService({ consents: repos.consents, now: () => new Date() }), patients: repos.patients, queue, site: site.value, now: () => new Date() });
      const principal = { id: 'e2e', name: 'e2e', role: 'marketing' as const, referrerOrgId: null };
      const created = await service.create({ name: 'Kill test recall', audience: { states: ['closed'], modalities: ['mammography'] }, templates: { en: 'Time for your yearly exam. Reply BOOK to pick a time.', es: 'Es hora de su examen anual. Responda AGENDAR.' }, window: { from: '00:00', until: '23:59' }, perSecond: 100 }, principal);
      if (!created.ok) throw new Error(created.error.message);
      const campaignId = created.value.id;
      // Launched as an operator would: `npm run cli -- campaign launch <id>` (the built CLI, same settings).
      const launched = spawnSync('node', ['dist/scripts/cli.js', 'campaign', 'launch', campaignId], { cwd: ROOT, env: env({ MONGODB_URI: mongo, REDIS_URL: redisUrl, REDIS_PREFIX: prefix, CENTER_CONFIG: siteFile, PHONE_HASH_KEY: hashKey }), encoding: 'utf8', timeout: 120_000 });
      expect(launched.stderr).toBe('');
      expect(launched.stdout).toBe(`Campaign ${campaignId} (Kill test recall) is sending: audience ${N}, queued ${N}, skipped 0 without marketing consent, 0 opted out, 0 without a phone.\n`);

      /** What is still missing, for a timeout's message: texts not received, stored statuses, BullMQ's job counts. */
      const why = async () => {
        const statuses = await conn.collection('messages').aggregate<{ _id: string; n: number }>([{ $match: { campaignId } }, { $group: { _id: '$status', n: { $sum: 1 } } }]).toArray();
        const counts = await queue.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'failed', 'completed', 'paused', 'wait');
        const failed = await queue.queue.getFailed(0, 2);
        return `${received.size} of ${N} numbers texted; stored messages by status ${JSON.stringify(statuses)}; jobs ${JSON.stringify(counts)}${failed.length ? `; failed: ${failed.map((j) => j.failedReason).join(' | ')}` : ''}`;
      };

      w = worker(1);
      await until('half the texts', () => received.size >= N / 2, BUDGET_MS, w, why);
      await stop(w);
      const atKill = received.size;
      expect(atKill).toBeLessThan(N);
      w = worker(2);
      await until('every text', () => received.size >= N, BUDGET_MS, w, why);
      // Let the recovery sweep and any stalled job run out, then count.
      const halfSent = () => conn.collection('messages').countDocuments({ campaignId, status: { $in: ['pending', 'sending'] } });
      await until('no text half-sent', async () => (await halfSent()) === 0, BUDGET_MS, w, why);

      const stored = await conn.collection('messages').aggregate<{ _id: string; n: number }>([{ $match: { campaignId } }, { $group: { _id: '$phoneHash', n: { $sum: 1 } } }]).toArray();
      expect(stored).toHaveLength(N);
      expect(stored.every((s) => s.n === 1)).toBe(true);
      expect(received.size).toBe(N);
      expect([...received.values()].every((n) => n === 1)).toBe(true);
    } finally {
      // Released on failure too, so jest ends: the worker, the queue's connections and the database connection.
      await stop(w);
      await queue.close();
      await conn.close();
    }
  }, 3 * BUDGET_MS + 180_000);
});
