/**
 * `npm run bench`: request throughput of the staff API on the real stack (FerretDB + Redis on this machine),
 * each figure also given as a ratio to GET /healthz measured in the same run, so machines compare fairly.
 * Bounded: a fixed number of requests per scenario, loopback only.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createApp } from '../bot/app';
import { DEFAULT_SITE_CONFIG, loadSiteConfig } from '../bot/config';
import { createLogTransport } from '../bot/integrations/log.transport';
import { createLogger } from '../bot/logger';
import { ensureFerretDb, repoRoot, resolveRedis, startFerretDb } from './local-infra';

const BENCH_TOKEN = 'bench-auth-token';
const PUBLIC_BASE = 'https://bench.invalid';
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 400);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

interface Row {
  scenario: string;
  requests: number;
  concurrency: number;
  perSecond: number;
  p50ms: number;
  p95ms: number;
  ratioToHealthz: number;
}

async function measure(name: string, call: (i: number) => Promise<number>, baseline?: number): Promise<Row> {
  const latencies: number[] = [];
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < REQUESTS) {
        const i = next++;
        const t0 = process.hrtime.bigint();
        const status = await call(i);
        if (status >= 400) throw new Error(`${name}: request ${i} answered ${status}`);
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  const perSecond = REQUESTS / seconds;
  const pct = (p: number) => Number(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]!.toFixed(1));
  return {
    scenario: name,
    requests: REQUESTS,
    concurrency: CONCURRENCY,
    perSecond: Math.round(perSecond),
    p50ms: pct(0.5),
    p95ms: pct(0.95),
    ratioToHealthz: Number((perSecond / (baseline ?? perSecond)).toFixed(3)),
  };
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
    logger: createLogger('warn', new Writable({ write: (_c, _e, cb) => cb() })),
    runWorkers: false,
    sms: { transport: createLogTransport(() => undefined), authToken: BENCH_TOKEN, publicBaseUrl: PUBLIC_BASE },
  });
  try {
    const port = await app.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${port}`;
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

    const rows: Row[] = [];
    const healthz = await measure('GET /healthz (baseline)', async () => (await fetch(`${base}/healthz`)).status);
    rows.push(healthz);
    const baseline = healthz.perSecond;
    rows.push(
      await measure('POST /api/v1/cases (create + route)', async (i) => {
        const res = await fetch(`${base}/api/v1/cases`, { method: 'POST', headers, body: order(i) });
        ids[i] = ((await res.json()) as { id: string }).id;
        return res.status;
      }, baseline),
    );
    rows.push(await measure('GET /api/v1/cases/:id', async (i) => (await fetch(`${base}/api/v1/cases/${ids[i]}`, { headers })).status, baseline));
    rows.push(
      await measure('POST /api/v1/cases/:id/events (lock + conditional update)', async (i) =>
        (await fetch(`${base}/api/v1/cases/${ids[i]}/events`, { method: 'POST', headers, body: '{"event":"book"}' })).status, baseline),
    );
    rows.push(await measure('GET /api/v1/cases?state=scheduled&limit=50', async () =>
      (await fetch(`${base}/api/v1/cases?state=scheduled&limit=50`, { headers })).status, baseline));

    console.table(rows); // eslint-disable-line no-console -- the table is this program's output
    const out = path.join(root, 'bench-results');
    mkdirSync(out, { recursive: true });
    const file = path.join(out, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), node: process.version, cpus: os.cpus().length, rows }, null, 2));
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
