import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { connectMongo, pingMongo } from '../models/db';
import { createRepositories } from '../models';
import { createRedisLocks } from '../models/redis-lock';
import { createCaseService } from '../services/cases/case.service';
import type { SiteConfig } from '../services/config/site.schema';
import { createPhoneHasher } from '../services/contact/phone';
import { createStaffTokenService } from '../services/staff/staff-token.service';
import { createAuthenticator } from './http/auth';
import { createRoute } from './http/route';
import { createMetrics } from './metrics';
import { registerCaseRoutes } from './routes/cases.route';
import { registerHealthRoutes } from './routes/health.route';
import { createHttpServer } from './server';

export interface AppOptions {
  mongoUri: string;
  /** Database name when the URI names none. */
  dbName?: string;
  redisUrl: string;
  /** Prefix for every Redis key this app writes (tests use their own). */
  redisPrefix?: string;
  site: SiteConfig;
  phoneHashKey: string;
  logger: Logger;
  now?: () => Date;
}

async function pingRedis(redis: Redis, timeoutMs = 1_000): Promise<boolean> {
  if (redis.status !== 'ready') return false;
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      redis.ping().then((r) => r === 'PONG', () => false),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** The composition root's wiring: adapters built once and handed to the services and routes that need them. */
export async function createApp(opts: AppOptions) {
  const now = opts.now ?? (() => new Date());
  const conn = await connectMongo(opts.mongoUri, opts.dbName ?? 'imaging_intake');
  const redis = new Redis(opts.redisUrl, { maxRetriesPerRequest: 2, lazyConnect: false });
  redis.on('error', (e: Error) => opts.logger.warn({ err: e }, 'redis connection error'));

  const repos = createRepositories(conn);
  await repos.ensureIndexes();

  const staffTokens = createStaffTokenService({ tokens: repos.staffTokens, orgs: repos.referrers, now });
  const cases = createCaseService({
    cases: repos.cases,
    patients: repos.patients,
    site: opts.site,
    orgs: repos.referrers,
    locks: createRedisLocks(redis, { prefix: opts.redisPrefix ?? 'iib:' }),
    hashPhone: createPhoneHasher(opts.phoneHashKey),
    now,
  });

  const metrics = createMetrics();
  const server = createHttpServer(opts.logger, metrics);
  const route = createRoute(opts.logger);
  registerHealthRoutes(server, {
    route,
    metrics,
    probes: [
      { name: 'mongodb', label: 'MongoDB', check: () => pingMongo(conn) },
      { name: 'redis', label: 'Redis', check: () => pingRedis(redis) },
    ],
  });
  registerCaseRoutes(server, { route, cases, authenticate: createAuthenticator(staffTokens), metrics });

  return {
    server,
    repos,
    services: { cases, staffTokens },
    metrics,
    async listen(port: number, host = '0.0.0.0'): Promise<number> {
      await new Promise<void>((resolve, reject) => {
        server.server.once('error', reject);
        server.listen(port, host, () => {
          server.server.off('error', reject);
          resolve();
        });
      });
      return (server.server.address() as AddressInfo).port;
    },
    /** Tests only: remove this app's database. */
    async dropDatabase(): Promise<void> {
      await conn.db?.dropDatabase();
    },
    /** Stop accepting, let in-flight requests finish, then close the connections. */
    async close(): Promise<void> {
      if (server.server.listening) {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
        });
      }
      await conn.close();
      redis.disconnect();
    },
  };
}
export type App = Awaited<ReturnType<typeof createApp>>;
