import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPhoneHasher } from '../../services/contact/phone';
import { ensureFerretDb, freePort, startFerretDb, throwawayPostgres, type FerretDbInstance } from '../../scripts/local-infra';
import { inbound, newPhone, newSid, postTwilio } from '../support/sms';
import { api, startTestApp, type TestApp } from '../support/test-app';

// Real faults on real servers of this test's own: a Redis it kills and a FerretDB on PostgreSQL whose messages
// table it locks, so the kill lands exactly between storing a text and queueing its turn.
const hash = createPhoneHasher('test-hash-key');
const log = () => undefined;
let dir: string;
let redisPort: number;
let redis: ChildProcess | null = null;
let pg: ReturnType<typeof throwawayPostgres>;
let ferret: FerretDbInstance;
let t: TestApp;

function startRedis(persist: boolean): Promise<void> {
  if (!persist) rmSync(path.join(dir, 'redis'), { recursive: true, force: true });
  spawnSync('mkdir', ['-p', path.join(dir, 'redis')]);
  redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', persist ? 'yes' : 'no', '--dir', path.join(dir, 'redis')], { stdio: 'ignore' });
  return waitFor(() => spawnSync('redis-cli', ['-p', String(redisPort), 'ping'], { encoding: 'utf8' }).stdout.trim() === 'PONG', 'redis-server to answer');
}

async function killRedis(): Promise<void> {
  const r = redis!;
  redis = null;
  const gone = new Promise((res) => r.once('exit', res));
  r.kill('SIGKILL');
  await gone;
}

async function waitFor(check: () => boolean | Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Holds an exclusive lock on the messages table until `release()`: the next insert waits on it. */
async function lockMessages(): Promise<{ release(): Promise<void> }> {
  const table = spawnSync('psql', [pg!.pgUrl, '-qAtc', `SELECT format('%I.%I', table_schema, table_name) FROM information_schema.tables WHERE table_schema = '${t.dbName}' AND table_name LIKE 'messages%'`], { encoding: 'utf8' }).stdout.trim();
  if (!table) throw new Error('no messages table in PostgreSQL');
  const psql = spawn('psql', [pg!.pgUrl, '-qAt'], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  psql.stdout.on('data', (d: Buffer) => (out += d.toString()));
  psql.stdin.write(`BEGIN; LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE; SELECT 'locked';\n`);
  await waitFor(() => out.includes('locked'), 'the table lock');
  return {
    async release() {
      const done = new Promise((res) => psql.once('exit', res));
      psql.stdin.end('COMMIT;\n');
      await done;
    },
  };
}

/** The errors behind the app's 503s (driver error names and messages, no PHI), counted: why a webhook was refused. */
function dependencyErrors(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of t.logs) {
    if (!line.includes('dependency down')) continue;
    const err = (JSON.parse(line) as { err?: { type?: string; message?: string } }).err;
    const key = `${err?.type} ${String(err?.message).slice(0, 120)}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

const inboundOf = async (phone: string) => (await t.app.repos.messages.list({ phoneHash: hash(phone) }, 100)).filter((m) => m.direction === 'inbound').reverse();
const outboundOf = async (phone: string) => (await t.app.repos.messages.list({ phoneHash: hash(phone) }, 100)).filter((m) => m.direction === 'outbound').reverse();

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'lost-turns-'));
  redisPort = await freePort();
  await startRedis(true);
  pg = throwawayPostgres(log);
  if (!pg) throw new Error('this test needs PostgreSQL (psql) to lock a table');
  const bin = await ensureFerretDb(log);
  if (!bin) throw new Error('FerretDB is not built: npm run setup');
  ferret = await startFerretDb(bin, path.join(dir, 'ferret'), undefined, { postgresUrl: pg.pgUrl });
  t = await startTestApp({ name: 'lost', mongoUri: ferret.url, redisUrl: `redis://127.0.0.1:${redisPort}`, runWorkers: true, recoverTurnsAfterMs: 1_000, recoverSmsAfterMs: 1_000 });
}, 60_000);

afterAll(async () => {
  await t?.close().catch(() => undefined);
  if (redis) await killRedis();
  await ferret?.stop();
  await pg?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A text whose storing is held by the table lock while Redis is killed: stored, never queued, answered 503. */
async function storedButNotQueued(phone: string, body: string, sid: string, restart: 'from its file' | 'empty') {
  const lock = await lockMessages();
  const pending = postTwilio(t.base, '/api/sms/inbound', inbound(phone, body, sid));
  await new Promise((r) => setTimeout(r, 400)); // the request now waits on the lock, its arrival number taken
  await killRedis();
  await lock.release();
  const res = await pending;
  expect(res.status).toBe(503);
  const stored = (await inboundOf(phone)).find((m) => m.twilioSid === sid);
  expect(stored).toMatchObject({ handled: false });
  await startRedis(restart === 'from its file');
}

test("Redis dies between storing a text and queueing it; restarted from its file, Twilio's retry runs the turn once", async () => {
  const phone = newPhone();
  expect((await postTwilio(t.base, '/api/sms/inbound', inbound(phone, 'hi'))).status).toBe(200);
  const before = (await outboundOf(phone)).length;
  const sid = newSid();
  await storedButNotQueued(phone, 'talk to a person', sid, 'from its file');

  await waitFor(async () => (await postTwilio(t.base, '/api/sms/inbound', inbound(phone, 'talk to a person', sid))).status === 200, 'the retry to be taken');
  await waitFor(async () => (await inboundOf(phone)).every((m) => m.handled), 'the text to get its turn');
  const replies = (await outboundOf(phone)).slice(before);
  expect(replies.map((m) => m.body)).toEqual([expect.stringMatching(/^I've asked our team to reply to you here/)]);
  expect((await t.app.repos.tasks.list({ kind: 'human_handoff' }, 100)).length).toBeGreaterThan(0);
  // A second retry is only a duplicate.
  expect((await postTwilio(t.base, '/api/sms/inbound', inbound(phone, 'talk to a person', sid))).status).toBe(200);
  expect((await outboundOf(phone)).slice(before)).toHaveLength(1);
}, 90_000);

test('Redis restarted empty and no retry: the sweep runs the stored text, and a newer text runs after it', async () => {
  const phone = newPhone();
  expect((await postTwilio(t.base, '/api/sms/inbound', inbound(phone, 'hi'))).status).toBe(200);
  const before = (await outboundOf(phone)).length;
  await storedButNotQueued(phone, 'talk to a person', newSid(), 'empty');
  // The patient's next text arrives before any sweep: it must not run before the one stored first.
  expect((await postTwilio(t.base, '/api/sms/inbound', inbound(phone, 'thank you'))).status).toBe(200);
  await waitFor(async () => (await inboundOf(phone)).every((m) => m.handled), 'both texts to get their turns');
  const texts = await inboundOf(phone);
  expect(texts.map((m) => m.body)).toEqual(['hi', 'talk to a person', 'thank you']);
  const replies = (await outboundOf(phone)).slice(before).map((m) => m.body);
  expect(replies[0]).toMatch(/^I've asked our team to reply to you here/);

  // And a text stored with no retry and no later text is found by the workers' sweep alone.
  const quiet = newPhone();
  expect((await postTwilio(t.base, '/api/sms/inbound', inbound(quiet, 'hi'))).status).toBe(200);
  const quietBefore = (await outboundOf(quiet)).length;
  await storedButNotQueued(quiet, 'talk to a person', newSid(), 'empty');
  await waitFor(async () => (await inboundOf(quiet)).every((m) => m.handled), 'the sweep to run the text', 30_000);
  expect((await outboundOf(quiet)).slice(quietBefore).map((m) => m.body)).toEqual([expect.stringMatching(/^I've asked our team to reply to you here/)]);
}, 120_000);

test('the database down when a text arrives: 503, and the retry is stored and answered once', async () => {
  const phone = newPhone();
  expect((await postTwilio(t.base, '/api/sms/inbound', inbound(phone, 'hi'))).status).toBe(200);
  const before = (await outboundOf(phone)).length;
  const sid = newSid();
  await ferret.stop();
  const down = await postTwilio(t.base, '/api/sms/inbound', inbound(phone, 'talk to a person', sid));
  expect(down.status).toBe(503);
  const notReady = await api(t.base, 'GET', '/readyz');
  expect(notReady.status).toBe(503);
  expect(notReady.body.error.details).toEqual([{ dependency: 'mongodb', status: 'down' }, { dependency: 'redis', status: 'up' }]);
  await ferret.start();
  await waitFor(async () => (await api(t.base, 'GET', '/readyz')).status === 200, '/readyz to be 200 again', 30_000);
  await waitFor(async () => (await postTwilio(t.base, '/api/sms/inbound', inbound(phone, 'talk to a person', sid))).status === 200, 'the retry to be taken', 30_000);
  await waitFor(async () => (await inboundOf(phone)).length === 2 && (await inboundOf(phone)).every((m) => m.handled), 'the text to get its turn');
  expect((await outboundOf(phone)).slice(before).map((m) => m.body)).toEqual([expect.stringMatching(/^I've asked our team to reply to you here/)]);
}, 90_000);

test('/readyz: a database whose pool is taken by waiting writes is busy, not down', async () => {
  const lock = await lockMessages();
  // Eight texts whose stores wait on the lock: the app's pool (4 connections) is all taken, the rest queue.
  const waiting = Array.from({ length: 8 }, () => postTwilio(t.base, '/api/sms/inbound', inbound(newPhone(), 'hi')));
  await new Promise((r) => setTimeout(r, 500));
  try {
    const ready = await api(t.base, 'GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({ mongodb: 'up', redis: 'up' });
  } finally {
    await lock.release();
  }
  expect((await Promise.all(waiting)).map((r) => r.status)).toEqual(Array(8).fill(200));
}, 60_000);

test('500 signed webhooks with Twilio-style retries through a Redis kill (restarted from its file), a database stop and a Redis kill (restarted empty): every text stored once, run once in the order sent, every reply sent once', async () => {
  const NUMBERS = 50;
  const PER_NUMBER = 10;
  const phones = Array.from({ length: NUMBERS }, () => newPhone());
  const sent = new Map<string, string[]>(phones.map((p) => [p, []]));
  const outBefore = t.smsOut.length;
  let accepted = 0;
  let retries = 0;
  let inFlight = 0;
  let hung = 0;
  const statuses: Record<number, number> = {};
  const codes: Record<string, number> = {};
  const readyz: number[] = [];
  let stopped = false; // the test is over (failed): senders stop, so jest ends

  // Twilio retries a webhook that did not answer 200, with the same MessageSid.
  async function deliver(phone: string, body: string): Promise<void> {
    const sid = newSid();
    sent.get(phone)!.push(sid);
    for (let attempt = 0; ; attempt++) {
      if (stopped) throw new Error('stopped');
      inFlight++;
      const status = await Promise.race([
        postTwilio(t.base, '/api/sms/inbound', inbound(phone, body, sid)).then((r) => {
          if (r.status !== 200) {
            const key = /"message":"([^"]+)"/.exec(r.text)?.[1] ?? String(r.status);
            codes[key] = (codes[key] ?? 0) + 1;
          }
          return r.status;
        }, () => 0),
        new Promise<number>((r) => setTimeout(() => r(-1), 20_000).unref()), // never holds jest open
      ]);
      inFlight--;
      if (status === -1) hung++;
      if (status !== 200) statuses[status] = (statuses[status] ?? 0) + 1;
      if (status === 200) break;
      if (attempt > 200) throw new Error(`a webhook was never taken (last status ${status})`);
      retries++;
      await new Promise((r) => setTimeout(r, 250));
    }
    accepted++;
  }
  const senders = phones.map(async (phone) => {
    for (let i = 0; i < PER_NUMBER; i++) await deliver(phone, i === 0 ? 'hi' : `question ${i}: what are your hours?`);
  });

  async function outage(after: number, stop: () => Promise<void>, start: () => Promise<void>) {
    await waitFor(() => accepted >= after, `${after} texts taken`, 120_000).catch((e: Error) => {
      throw new Error(`${e.message}: ${accepted} taken, ${retries} retries, ${inFlight} in flight, ${hung} hung, statuses ${JSON.stringify(statuses)} ${JSON.stringify(codes)}, errors ${JSON.stringify(dependencyErrors())}`);
    });
    await stop();
    await waitFor(async () => (await api(t.base, 'GET', '/readyz')).status === 503, '/readyz to say 503', 20_000);
    readyz.push(503);
    await new Promise((r) => setTimeout(r, 1_000));
    await start();
    await waitFor(async () => (await api(t.base, 'GET', '/readyz')).status === 200, '/readyz to be 200 again', 30_000);
    readyz.push(200);
  }
  const faults = (async () => {
    await outage(100, killRedis, () => startRedis(true));
    await outage(250, () => ferret.stop(), () => ferret.start());
    await outage(400, killRedis, () => startRedis(false));
  })();
  try {
    await Promise.all([...senders, faults]);
  } finally {
    stopped = true;
    await Promise.allSettled(senders);
  }
  expect(readyz).toEqual([503, 200, 503, 200, 503, 200]);
  expect(retries).toBeGreaterThan(0); // the faults did land on requests

  await waitFor(async () => {
    for (const p of phones) if (!(await inboundOf(p)).every((m) => m.handled)) return false;
    return true;
  }, 'every text to get its turn', 60_000);
  // A reply handed to the transport just before the database went away is found in its log by the recovery sweep.
  await waitFor(async () => {
    for (const p of phones) if (!(await outboundOf(p)).every((m) => m.status === 'sent')) return false;
    return true;
  }, 'every reply to be recorded as sent', 30_000);
  let replies = 0;
  for (const phone of phones) {
    const stored = await inboundOf(phone);
    // Stored once each, all of them.
    expect(stored.map((m) => m.twilioSid).sort()).toEqual([...sent.get(phone)!].sort());
    // Run in the order sent: each text's turn ended before the next one's (handled order = sent order).
    const byHandled = [...stored].sort((x, y) => x.updatedAt.getTime() - y.updatedAt.getTime() || (x.id < y.id ? -1 : 1));
    expect(byHandled.map((m) => m.twilioSid)).toEqual(sent.get(phone));
    // Each text answered, each reply stored once (the key is the text's MessageSid) and handed to the transport once.
    const out = await outboundOf(phone);
    for (const sid of sent.get(phone)!) expect(out.filter((m) => m.idempotencyKey.startsWith(`reply:${sid}:`)).length).toBeGreaterThan(0);
    expect(out.filter((m) => m.status !== 'sent').map((m) => `${m.status} ${m.reason}`)).toEqual([]);
    replies += out.length;
  }
  expect(t.smsOut.length - outBefore).toBe(replies);
}, 300_000);
