import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureFerretDb, startFerretDb, type FerretDbInstance } from '../../scripts/local-infra';
import { api, startTestApp, type TestApp } from '../support/test-app';

let ferret: FerretDbInstance;
let t: TestApp;
let dir: string;

beforeAll(async () => {
  const bin = await ensureFerretDb(() => undefined);
  if (!bin) throw new Error('FerretDB binary missing');
  dir = mkdtempSync(path.join(os.tmpdir(), 'readyz-'));
  ferret = await startFerretDb(bin, dir); // a server of its own: this test stops it
  t = await startTestApp({ mongoUri: ferret.url, name: 'readyz' });
}, 60_000);
afterAll(async () => {
  await t.close();
  await ferret.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function waitForReadyz(status: number, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  let last: Awaited<ReturnType<typeof api>> | undefined;
  while (Date.now() < deadline) {
    last = await api(t.base, 'GET', '/readyz');
    if (last.status === status) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`readyz stayed ${last?.status}: ${JSON.stringify(last?.body)}`);
}

test('/healthz and /readyz answer 200 while everything runs, and /metrics counts requests', async () => {
  expect((await api(t.base, 'GET', '/healthz')).status).toBe(200);
  const ready = await api(t.base, 'GET', '/readyz');
  expect(ready).toMatchObject({ status: 200, body: { status: 'ready', checks: { mongodb: 'up', redis: 'up' } } });
  const metrics = await api(t.base, 'GET', '/metrics');
  expect(metrics.headers.get('content-type')).toContain('text/plain');
  expect(metrics.body).toMatch(/http_requests_total\{method="GET",route="\/readyz",status="200"\} \d+/);
  expect(metrics.body).toContain('http_request_duration_seconds_bucket');
});

test('stopping the database turns /readyz to 503 naming MongoDB; starting it again returns 200 without a restart', async () => {
  await ferret.stop();
  const down = await waitForReadyz(503);
  expect(down.body.error).toMatchObject({ code: 'DEPENDENCY_DOWN', message: 'not ready: MongoDB is down' });
  expect(down.body.error.details).toEqual([
    { dependency: 'mongodb', status: 'down' },
    { dependency: 'redis', status: 'up' },
  ]);
  // The API says so too, in the same error shape.
  const admin = await api(t.base, 'GET', '/api/v1/cases', { token: 'iib_x' });
  expect(admin).toMatchObject({ status: 503, body: { error: { code: 'DEPENDENCY_DOWN' } } });

  await ferret.start();
  const up = await waitForReadyz(200);
  expect(up.body.checks).toEqual({ mongodb: 'up', redis: 'up' });
  const token = await t.token('admin');
  expect((await api(t.base, 'GET', '/api/v1/cases', { token })).status).toBe(200);
}, 60_000);
