import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { createApp, type App } from '../../bot/app';
import type { MetricsAccess } from '../../bot/routes/health.route';
import type { MongoCommand } from '../../models/db';
import { exampleSite } from './fixtures';
import { createLogger } from '../../bot/logger';
import type { SiteConfig } from '../../services/config/site.schema';
import type { Role } from '../../services/staff/staff.roles';
import type { SmsTransport } from '../../services/messaging/gateway';
import { createLogTransport } from '../../bot/integrations/log.transport';
import { settleAfterWebhook } from './sms';
import type { UnderstandingEngine } from '../../services/understanding/understanding.schema';

export { ROOT, exampleSite, completeOrder } from './fixtures';

export function testMongoUri(): string {
  const uri = process.env.TEST_MONGODB_URI;
  if (!uri) throw new Error('TEST_MONGODB_URI is not set: run the tests through jest (global setup starts the server)');
  return uri;
}

export function uniqueDbName(prefix: string): string {
  return `t_${prefix}_${randomBytes(4).toString('hex')}`;
}

export const PUBLIC_BASE_URL = 'https://intake.test';
export const TWILIO_AUTH_TOKEN = 'test-auth-token-0123456789abcdef';

export interface TestApp {
  app: App;
  /** The app's database on the shared test server. */
  dbName: string;
  base: string;
  /** Every log line the app wrote, raw. */
  logs: string[];
  /** What the log SMS transport printed (when the test did not bring its own transport). */
  smsOut: string[];
  token(role: Role, opts?: { referrerOrgId?: string }): Promise<string>;
  close(): Promise<void>;
}

/** The real app on a free port, on a fresh database of the shared test server, with its log output captured. */
export async function startTestApp(
  opts: {
    mongoUri?: string;
    /** Its own Redis (fault tests kill it); the shared test Redis otherwise. */
    redisUrl?: string;
    recoverTurnsAfterMs?: number;
    recoverSmsAfterMs?: number;
    onMongoCommand?: (c: MongoCommand) => void;
    rateLimits?: { apiPerTokenPerMinute?: number; smsPerNumberPerMinute?: number };
    metricsAccess?: MetricsAccess;
    now?: () => Date;
    name?: string;
    transport?: SmsTransport;
    authToken?: string | null;
    runWorkers?: boolean;
    microsoftAppId?: string;
    /** Serve /chat and the built-in Direct Line (default true: as outside production). */
    localChat?: boolean;
    sleep?: (ms: number) => Promise<void>;
    understandingEngine?: UnderstandingEngine;
    site?: SiteConfig;
  } = {},
): Promise<TestApp> {
  const logs: string[] = [];
  const smsOut: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(chunk.toString());
      cb();
    },
  });
  const dbName = uniqueDbName(opts.name ?? 'app');
  const app = await createApp({
    mongoUri: opts.mongoUri ?? testMongoUri(),
    dbName,
    redisUrl: opts.redisUrl ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    ...(opts.recoverTurnsAfterMs ? { recoverTurnsAfterMs: opts.recoverTurnsAfterMs } : {}),
    ...(opts.recoverSmsAfterMs ? { recoverSmsAfterMs: opts.recoverSmsAfterMs } : {}),
    ...(opts.onMongoCommand ? { onMongoCommand: opts.onMongoCommand } : {}),
    ...(opts.rateLimits ? { rateLimits: opts.rateLimits } : {}),
    ...(opts.metricsAccess ? { metricsAccess: opts.metricsAccess } : {}),
    redisPrefix: `${uniqueDbName('r')}:`,
    site: opts.site ?? exampleSite(),
    phoneHashKey: 'test-hash-key',
    logger: createLogger('debug', sink),
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.sleep ? { sleep: opts.sleep } : {}),
    ...(opts.understandingEngine ? { understandingEngine: opts.understandingEngine } : {}),
    runWorkers: opts.runWorkers ?? false,
    botFramework: { appId: opts.microsoftAppId ?? null, appPassword: opts.microsoftAppId ? 'test-app-password' : null, appType: null, tenantId: null },
    localChat: opts.localChat ?? true,
    sms: {
      transport: opts.transport ?? createLogTransport((l) => smsOut.push(l)),
      authToken: opts.authToken === undefined ? TWILIO_AUTH_TOKEN : opts.authToken,
      publicBaseUrl: PUBLIC_BASE_URL,
    },
  });
  const port = await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${port}`;
  const forgetSettler = settleAfterWebhook(base, () => app.smsIdle());
  let n = 0;
  return {
    app,
    dbName,
    base,
    logs,
    smsOut,
    async token(role, o = {}) {
      const r = await app.services.staffTokens.create({ name: `${role} ${++n}`, role, referrerOrgId: o.referrerOrgId ?? null });
      if (!r.ok) throw new Error(r.error.message);
      return r.value.token;
    },
    async close() {
      forgetSettler();
      await app.smsIdle();
      await app.dropDatabase();
      await app.close();
    },
  };
}

export async function api(
  base: string,
  method: string,
  urlPath: string,
  opts: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.token) headers['authorization'] = `Bearer ${opts.token}`;
  let payload: string | undefined;
  if (opts.raw !== undefined) payload = opts.raw;
  else if (opts.body !== undefined) payload = JSON.stringify(opts.body);
  if (payload !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${urlPath}`, { method, headers, ...(payload !== undefined ? { body: payload } : {}) });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = text; // not JSON (e.g. /metrics): keep the text for the assertion
  }
  return { status: res.status, body, headers: res.headers };
}
