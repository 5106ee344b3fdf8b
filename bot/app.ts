import type { Server } from 'restify';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { connectMongo, createMongoProbe, healthWithin, reviveStuckMonitor, type Health, type MongoCommand } from '../models/db';
import { jobLogFields, type FailedJob } from '../models/delayed-queue';
import { createRepositories } from '../models';
import { createRedisLocks } from '../models/redis-lock';
import type { SiteConfig } from '../services/config/site.schema';
import { createPhoneHasher } from '../services/contact/phone';
import { createStaffTokenService } from '../services/staff/staff-token.service';
import { createAuthenticator } from './http/auth';
import { auditStaffApi } from './http/audit';
import { createRateLimiter } from './http/rate-limit';
import { registerAuditRoutes } from './routes/audit.route';
import { createRoute } from './http/route';
import { createMetrics } from './metrics';
import { registerCaseRoutes } from './routes/cases.route';
import { registerMessagingRoutes } from './routes/messaging.route';
import { registerStaffTokenRoutes } from './routes/staff-tokens.route';
import { createMessagingStaffService } from '../services/messaging/staff-view.service';
import { registerHealthRoutes, type MetricsAccess } from './routes/health.route';
import { createHttpServer } from './server';
import { phoneText } from '../services/messaging/templates';
import type { TurnContext } from 'botbuilder';
import { createTurnQueue } from '../models/turn-queue';
import { createDirectLineStore } from '../models/directline.store';
import { createStaffConversationsService } from '../services/conversations/staff-conversations.service';
import { registerBotFrameworkRoutes } from './channels/bot-framework.route';
import { IntakeCloudAdapter, type BotFrameworkCredentials } from './channels/cloud-adapter';
import { createConversationSender } from './channels/conversation-sender';
import { DirectLineAdapter } from './directline/directline.adapter';
import { registerDirectLineRoutes } from './directline/directline.route';
import { registerDocumentRoutes } from './routes/documents.route';
import { newId } from '../services/ids';
import { registerConversationRoutes } from './routes/conversations.route';
import { TurnBusyError } from './channels/turn-runner';
import type { SmsTransport } from '../services/messaging/gateway';
import { wireConversations } from './conversations.wiring';
import { createDeferredSends } from '../models/deferred-sends.queue';
import { createCampaignQueue } from '../models/campaign.queue';
import { registerCampaignRoutes } from './routes/campaigns.route';
import type { UnderstandingEngine } from '../services/understanding/understanding.schema';
import { createReminderQueue } from '../models/reminders.queue';
import { createFollowUpQueue } from '../models/follow-ups.queue';
import { createWaitlistQueue } from '../models/waitlist.queue';
import { registerSmsRoutes } from './sms/sms.route';
import { intakeText } from '../dialogs/intake.texts';

export const DEFAULT_RATE_LIMITS = { apiPerTokenPerMinute: 600, smsPerNumberPerMinute: 30 };

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
  sms: {
    transport: SmsTransport;
    /** null only outside production: webhooks are then accepted unsigned, with a warning. */
    authToken: string | null;
    publicBaseUrl: string;
  };
  /** Bot Framework authentication (the Microsoft* variables); all null in local development. */
  botFramework?: BotFrameworkCredentials;
  /** Serve /chat and the built-in Direct Line (never in production). */
  localChat?: boolean;
  /** The LLM engine for understanding (OpenAI), or null for the rules alone. */
  understandingEngine?: UnderstandingEngine | null;
  /** Tests: the LLM's deadline (default 4 s). */
  understandingTimeoutMs?: number;
  /** Run the queue workers in this process (role worker or all). */
  runWorkers: boolean;
  /** Workers: how old a half-sent text must be before it is recovered (default 2 minutes). */
  recoverSmsAfterMs?: number;
  /** Who may read /metrics (default: everyone, as outside production). */
  metricsAccess?: MetricsAccess;
  /** Requests per minute: staff API per token, SMS webhooks per sending number (defaults in DEFAULT_RATE_LIMITS). */
  rateLimits?: Partial<typeof DEFAULT_RATE_LIMITS>;
  /** How old a stored text whose turn never ran must be before the workers' sweep runs it (default 30 s). */
  recoverTurnsAfterMs?: number;
  /** Tests: how long the gateway waits between retries. */
  sleep?: (ms: number) => Promise<void>;
  /** Bench and tests: every MongoDB command the app sends (the driver's command monitoring). */
  onMongoCommand?: (c: MongoCommand) => void;
}

function pingRedis(redis: Redis, timeoutMs = 2_000): Promise<Health> {
  if (redis.status !== 'ready') return Promise.resolve('down');
  return healthWithin(redis.ping().then((r): Health => (r === 'PONG' ? 'up' : 'down'), (): Health => 'down'), timeoutMs);
}

/** Microsoft's Web Chat bundle from node_modules (a development dependency), or null when it is not installed. */
function webChatBundlePath(): string | null {
  try {
    // The package's exports map hides dist/; its main entry (lib/index.js) sits next to it.
    const file = path.join(path.dirname(require.resolve('botframework-webchat')), '..', 'dist', 'webchat.js');
    return existsSync(file) ? file : null;
  } catch {
    return null; // the /chat page then says how to install it
  }
}

/** Listens, turning a port in use into a sentence that names the setting (no stack). */
function listenOn(server: Server, port: number, host: string, setting: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    // restify re-emits the HTTP server's errors on itself: both are heard, so a port in use is a clean refusal.
    const off = () => [server, server.server].forEach((e) => e.removeListener('error', failed));
    const failed = (e: NodeJS.ErrnoException) => {
      off();
      reject(e.code === 'EADDRINUSE' ? new Error(`port ${port} is already in use; stop what listens there or set ${setting} to another port`) : e);
    };
    [server, server.server].forEach((e) => e.once('error', failed));
    server.listen(port, host, () => {
      off();
      resolve((server.server.address() as AddressInfo).port);
    });
  });
}

/** The composition root's wiring: adapters built once and handed to the services and routes that need them. */
export async function createApp(opts: AppOptions) {
  const now = opts.now ?? (() => new Date());
  const conn = await connectMongo(opts.mongoUri, opts.dbName ?? 'imaging_intake', opts.onMongoCommand ? { onCommand: opts.onMongoCommand } : {});
  const monitor = reviveStuckMonitor(conn, {
    onRevive: (e) => (e ? opts.logger.warn({ err: e }, 'reconnecting to MongoDB failed; trying again') : opts.logger.warn('MongoDB monitor stuck; reconnecting the client')),
  });
  const redis = new Redis(opts.redisUrl, { maxRetriesPerRequest: 2, lazyConnect: false });
  redis.on('error', (e: Error) => opts.logger.warn({ err: e }, 'redis connection error'));

  const repos = createRepositories(conn);
  await repos.ensureIndexes();

  const metrics = createMetrics();
  const prefix = opts.redisPrefix ?? 'iib:';
  const locks = createRedisLocks(redis, { prefix, onReleaseError: (e) => opts.logger.warn({ err: e }, 'lock release failed') });
  const hashPhone = createPhoneHasher(opts.phoneHashKey);
  const deferred = createDeferredSends(opts.redisUrl, prefix, now);
  const reminderQueue = createReminderQueue(opts.redisUrl, prefix, now);
  const campaignQueue = createCampaignQueue(opts.redisUrl, prefix, opts.site.sender.messagesPerSecond, now);
  const followUpQueue = createFollowUpQueue(opts.redisUrl, prefix, now);
  const waitlistQueue = createWaitlistQueue(opts.redisUrl, prefix, now);
  const centerPhone = phoneText(opts.site.center.phone);
  const onTurnError = async (context: TurnContext, error: Error) => {
    if (error instanceof TurnBusyError) throw error;
    opts.logger.error({ err: error, channel: context.activity.channelId }, 'bot turn failed');
    const lang = context.activity.locale?.startsWith('es') ? 'es' : 'en';
    await context
      .sendActivity(intakeText('turn_failed', lang, { phone: centerPhone }))
      .catch((e: unknown) => opts.logger.warn({ err: e }, 'could not send the apology'));
  };
  const cloud = new IntakeCloudAdapter(opts.botFramework ?? { appId: null, appPassword: null, appType: null, tenantId: null });
  cloud.onTurnError = onTurnError;
  const directLineStore = createDirectLineStore(redis, prefix);
  const localChat = opts.localChat ? new DirectLineAdapter(directLineStore) : null;
  if (localChat) localChat.onTurnError = onTurnError;
  // One first-come, first-served queue per chat conversation; SMS turns take their order from the texts' numbers.
  const turnQueue = createTurnQueue(redis, { prefix });
  const smsTurnLocks = createRedisLocks(redis, { prefix, ttlMs: 15_000, waitMs: 30_000, renew: true, onReleaseError: (e) => opts.logger.warn({ err: e }, 'lock release failed') });
  const { teams, consent, gateway, proactive, handoff, scheduling, campaigns, appointmentMessages, followUps, waitlist, selfService, cases, invites, runner, smsTurns } = wireConversations(
    {
      repos,
      locks,
      turnQueue,
      smsTurnLocks,
      smsStore: redis,
      redisPrefix: prefix,
      deferred,
      reminders: reminderQueue,
      campaignQueue,
      followUpQueue,
      waitlistQueue,
      transport: opts.sms.transport,
      chatSender: createConversationSender({ cloud, local: localChat }),
    },
    {
      site: opts.site,
      hashPhone,
      logger: opts.logger,
      metrics,
      now,
      statusCallbackUrl: opts.sms.transport.name === 'twilio' ? `${opts.sms.publicBaseUrl}/api/sms/status` : null,
      understandingEngine: opts.understandingEngine ?? null,
      ...(opts.understandingTimeoutMs ? { understandingTimeoutMs: opts.understandingTimeoutMs } : {}),
      ...(opts.sleep ? { sleep: opts.sleep } : {}),
    },
  );
  let recovery: NodeJS.Timeout | null = null;
  let followUpSweep: NodeJS.Timeout | null = null;
  let holdSweep: NodeJS.Timeout | null = null;
  let turnSweep: NodeJS.Timeout | null = null;
  if (opts.runWorkers) {
    // Every failed job's line names its queue, job id and the case, campaign or message it was for.
    const jobFailed = (what: string) => (e: unknown, failed: FailedJob<unknown>) => opts.logger.error({ err: e, ...jobLogFields(failed) }, `${what} job failed`);
    deferred.startWorker((id) => gateway.dispatch(id), jobFailed('deferred SMS'));
    const staleMs = opts.recoverSmsAfterMs ?? 120_000;
    const recover = () =>
      gateway.recoverInterrupted(staleMs).then(
        (r) => (r.dispatched + r.found + r.resent + r.unknown > 0 ? opts.logger.warn(r, 'recovered texts a process left half-sent') : undefined),
        (e: unknown) => opts.logger.error({ err: e }, 'recovering half-sent texts failed'),
      );
    // At start (a worker that died left its texts) and then regularly; several workers may run it: dispatch is locked.
    void recover();
    recovery = setInterval(() => void recover(), Math.min(60_000, staleMs));
    recovery.unref();
    campaignQueue.startWorker(
      async (job) => {
        if (job.kind === 'send') return campaigns.send(job);
        const r = await campaigns.plan(job.campaignId);
        if (!r.ok) throw new Error(r.error.message);
        return { planned: r.value.planned, skipped: r.value.skipped };
      },
      jobFailed('campaign'),
    );
    reminderQueue.startWorker((job) => appointmentMessages.run(job), jobFailed('appointment reminder'));
    followUpQueue.startWorker(
      (job) => followUps.run(job),
      (e, failed) => {
        jobFailed('follow-up')(e, failed);
        // Its last try: a person takes it over, so no order or documentation silently stops being chased.
        const job = failed.data;
        if (failed.final && job) void followUps.failed(job, e).catch((err: unknown) => opts.logger.error({ err, ...jobLogFields(failed) }, 'opening the task for a failed follow-up failed'));
      },
    );
    // A case written while Redis was away, or by a process that died before queueing, is caught up here.
    const sweep = () => void followUps.sweep().catch((e: unknown) => opts.logger.error({ err: e }, 'follow-up sweep failed'));
    sweep();
    followUpSweep = setInterval(sweep, 6 * 3600_000);
    followUpSweep.unref();
    waitlistQueue.startWorker((job) => waitlist.run(job), jobFailed('waitlist'));
    // Texts stored whose turn never ran (Redis or a process failed right after storing, and no retry came).
    const turnsAfterMs = opts.recoverTurnsAfterMs ?? 30_000;
    const recoverTurns = () =>
      smsTurns.recoverUnhandled(turnsAfterMs).then(
        (n) => (n > 0 ? opts.logger.warn({ texts: n }, 'ran texts whose turn had not run') : undefined),
        (e: unknown) => opts.logger.error({ err: e }, 'recovering unrun texts failed'),
      );
    turnSweep = setInterval(() => void recoverTurns(), turnsAfterMs);
    turnSweep.unref();
    // Holds whose end-of-hold job was lost (Redis restarted empty) are passed on.
    holdSweep = setInterval(() => void waitlist.sweepEnded().catch((e: unknown) => opts.logger.error({ err: e }, 'waitlist hold sweep failed')), 60_000);
    holdSweep.unref();
  }

  const staffTokens = createStaffTokenService({ tokens: repos.staffTokens, orgs: repos.referrers, now });

  const server = createHttpServer(opts.logger, metrics, { https: opts.sms.publicBaseUrl.startsWith('https://') });
  const route = createRoute(opts.logger);
  const mongoProbe = createMongoProbe(opts.mongoUri, { onError: (e) => opts.logger.warn({ err: e }, 'closing the readiness probe client failed') });
  const health = {
    route,
    metrics,
    ...(opts.metricsAccess ? { metricsAccess: opts.metricsAccess } : {}),
    probes: [
      // The app's own client counts too: a probe that reaches the server proves nothing while it cannot.
      { name: 'mongodb', label: 'MongoDB', check: () => (monitor.reviving() ? Promise.resolve<Health>('down') : mongoProbe.check()) },
      { name: 'redis', label: 'Redis', check: () => pingRedis(redis) },
    ],
  };
  registerHealthRoutes(server, health);
  // Workers serve no API; their load balancer or orchestrator still needs to see them live and ready (made on use).
  let healthServer: Server | null = null;
  const healthOnly = (): Server => {
    if (!healthServer) {
      healthServer = createHttpServer(opts.logger, metrics, { https: false });
      registerHealthRoutes(healthServer, health);
    }
    return healthServer;
  };
  const limiter = createRateLimiter({ store: redis, prefix, logger: opts.logger });
  const limits = { ...DEFAULT_RATE_LIMITS, ...opts.rateLimits };
  const authenticate = createAuthenticator(staffTokens, { limiter, perToken: { limit: limits.apiPerTokenPerMinute, windowMs: 60_000 } });
  auditStaffApi(server, { audit: repos.audit, hashPhone, logger: opts.logger, now });
  registerAuditRoutes(server, { route, audit: repos.audit, authenticate });
  registerCaseRoutes(server, { route, cases, selfService, authenticate, metrics });
  registerStaffTokenRoutes(server, { route, tokens: staffTokens, authenticate });
  registerMessagingRoutes(server, {
    route,
    authenticate,
    staff: createMessagingStaffService({ messages: repos.messages, consents: repos.consents, consent, hashPhone, now }),
  });
  registerBotFrameworkRoutes(server, { route, adapter: cloud, runner });
  registerDocumentRoutes(server, { route, authenticate, documents: repos.documents });
  registerCampaignRoutes(server, { route, authenticate, campaigns });
  registerConversationRoutes(server, {
    route,
    authenticate,
    staff: createStaffConversationsService({ refs: repos.conversationRefs, tasks: repos.tasks, proactive }),
    handoff,
    invites,
    teams,
  });
  if (localChat) {
    registerDirectLineRoutes(server, {
      route,
      store: directLineStore,
      adapter: localChat,
      runner,
      webChatBundle: webChatBundlePath(),
      centerName: opts.site.center.name,
      uploads: {
        // Only a conversation signed in as an office: patients bring documents to the visit.
        allowed: async (conversationId) => {
          const key = `webchat/conversations/${conversationId}/`;
          const state = (await repos.botState.read([key]))[key] as { intake?: { officeSignIn?: unknown } } | undefined;
          return typeof state?.intake?.officeSignIn === 'object' && state.intake.officeSignIn !== null;
        },
        keep: async (file) => {
          const id = newId('d');
          await repos.documents.insert({ id, ...file, size: file.data.length, createdAt: now() });
          return { url: `${opts.sms.publicBaseUrl}/api/v1/documents/${id}` };
        },
      },
    });
  }
  registerSmsRoutes(server, {
    route,
    turns: smsTurns,
    // A flood from one number (a loop between two bots, an attack) stops at the limit; a person never reaches it.
    limit: (from: string) => limiter('sms', hashPhone(from), { limit: limits.smsPerNumberPerMinute, windowMs: 60_000 }),
    messages: repos.messages,
    authToken: opts.sms.authToken,
    publicBaseUrl: opts.sms.publicBaseUrl,
    logger: opts.logger,
    now,
  });

  return {
    server,
    repos,
    services: { cases, staffTokens, gateway, consent, proactive, scheduling, selfService, campaigns },
    deferred,
    reminderQueue,
    campaignQueue,
    followUpQueue,
    followUps,
    waitlist,
    waitlistQueue,
    appointmentMessages,
    redis,
    metrics,
    listen: (port: number, host = '0.0.0.0') => listenOn(server, port, host, 'PORT'),
    /** A worker's own port: /healthz, /readyz and /metrics only. */
    listenHealth: (port: number, host = '0.0.0.0') => listenOn(healthOnly(), port, host, 'WORKER_HEALTH_PORT'),
    /** Resolves when the SMS turns this process started in the background have ended (tests wait on it). */
    smsIdle: () => smsTurns.idle(),
    /** Tests only: remove this app's database. */
    async dropDatabase(): Promise<void> {
      await conn.db?.dropDatabase();
    },
    /** Stop accepting, let in-flight requests finish, then close the connections. */
    async close(): Promise<void> {
      for (const srv of [server, healthServer]) {
        if (srv?.server.listening) {
          await new Promise<void>((resolve) => {
            srv.close(() => resolve());
          });
        }
      }
      if (recovery) clearInterval(recovery);
      if (followUpSweep) clearInterval(followUpSweep);
      if (holdSweep) clearInterval(holdSweep);
      if (turnSweep) clearInterval(turnSweep);
      await smsTurns.idle(); // a text already acknowledged gets its reply before the connections close
      await deferred.close();
      await reminderQueue.close();
      await campaignQueue.close();
      await followUpQueue.close();
      await waitlistQueue.close();
      await mongoProbe.close();
      monitor.stop();
      await conn.close();
      redis.disconnect();
    },
  };
}
export type App = Awaited<ReturnType<typeof createApp>>;
