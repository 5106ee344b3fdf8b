import { existsSync } from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Case } from '../services/cases/case.schema';
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
import { registerMessagingRoutes } from './routes/messaging.route';
import { createMessagingStaffService } from '../services/messaging/staff-view.service';
import { registerHealthRoutes } from './routes/health.route';
import { createHttpServer } from './server';
import { phoneText } from '../services/messaging/templates';
import { ConversationState, UserState, type TurnContext } from 'botbuilder';
import { createTurnQueue } from '../models/turn-queue';
import { createDirectLineStore } from '../models/directline.store';
import { createProactiveSender } from '../services/conversations/proactive.service';
import { createStaffConversationsService } from '../services/conversations/staff-conversations.service';
import { createHandoff } from '../services/conversations/handoff.service';
import { createOrderStatus } from '../services/cases/order-status.service';
import { createTeamsIdentity } from '../services/referrers/teams-identity.service';
import { registerBotFrameworkRoutes } from './channels/bot-framework.route';
import { IntakeCloudAdapter, type BotFrameworkCredentials } from './channels/cloud-adapter';
import { createConversationSender } from './channels/conversation-sender';
import { createTurnRunner, TurnBusyError } from './channels/turn-runner';
import { DirectLineAdapter } from './directline/directline.adapter';
import { registerDirectLineRoutes } from './directline/directline.route';
import { registerConversationRoutes } from './routes/conversations.route';
import { createDeferredSends } from '../models/deferred-sends.queue';
import { createConsentService } from '../services/consent/consent.service';
import { createKeywordLayer } from '../services/consent/keyword-layer';
import { createCampaigns } from '../services/campaigns/campaign.service';
import { createCampaignQueue } from '../models/campaign.queue';
import { registerCampaignRoutes } from './routes/campaigns.route';
import { createGateway, type SmsTransport } from '../services/messaging/gateway';
import { IntakeBot } from './intake.bot';
import { createUnderstanding } from '../services/understanding/understanding.service';
import type { UnderstandingEngine } from '../services/understanding/understanding.schema';
import { createScheduling } from '../services/scheduling/scheduling.service';
import { createOrderRequests } from '../services/patients/order-request.service';
import { createSelfService } from '../services/patients/self-service.service';
import { createPatientDialog } from '../dialogs/patient/patient.dialog';
import { createOfficeConversation } from '../dialogs/referrer/office.conversation';
import { createReferrerInvites } from '../services/referrers/invite.service';
import { createAppointmentMessages } from '../services/appointments/appointment-messages';
import { createReminderQueue } from '../models/reminders.queue';
import { createFollowUpQueue } from '../models/follow-ups.queue';
import { createWaitlistQueue } from '../models/waitlist.queue';
import { createWaitlist } from '../services/waitlist/waitlist.service';
import { afterCaseWrites, createFollowUps } from '../services/follow-ups/follow-up.service';
import { SmsAdapter } from './sms/sms.adapter';
import { registerSmsRoutes } from './sms/sms.route';
import { createSmsTurns } from './sms/sms.turns';

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
  /** Tests: how long the gateway waits between retries. */
  sleep?: (ms: number) => Promise<void>;
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

/** The composition root's wiring: adapters built once and handed to the services and routes that need them. */
export async function createApp(opts: AppOptions) {
  const now = opts.now ?? (() => new Date());
  const conn = await connectMongo(opts.mongoUri, opts.dbName ?? 'imaging_intake');
  const redis = new Redis(opts.redisUrl, { maxRetriesPerRequest: 2, lazyConnect: false });
  redis.on('error', (e: Error) => opts.logger.warn({ err: e }, 'redis connection error'));

  const repos = createRepositories(conn);
  await repos.ensureIndexes();

  const metrics = createMetrics();
  const prefix = opts.redisPrefix ?? 'iib:';
  const locks = createRedisLocks(redis, { prefix, onReleaseError: (e) => opts.logger.warn({ err: e }, 'lock release failed') });
  const hashPhone = createPhoneHasher(opts.phoneHashKey);
  const consent = createConsentService({ consents: repos.consents, now, locks });
  const deferred = createDeferredSends(opts.redisUrl, prefix, now);
  const gateway = createGateway({
    messages: repos.messages,
    consent,
    transport: opts.sms.transport,
    deferred,
    locks,
    site: opts.site,
    hashPhone,
    now,
    statusCallbackUrl: opts.sms.transport.name === 'twilio' ? `${opts.sms.publicBaseUrl}/api/sms/status` : null,
    ...(opts.sleep ? { sleep: opts.sleep } : {}),
  });
  let recovery: NodeJS.Timeout | null = null;
  if (opts.runWorkers) {
    deferred.startWorker((id) => gateway.dispatch(id), (e) => opts.logger.error({ err: e }, 'deferred SMS job failed'));
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
  }
  const centerPhone = phoneText(opts.site.center.phone);
  const onTurnError = async (context: TurnContext, error: Error) => {
    if (error instanceof TurnBusyError) throw error;
    opts.logger.error({ err: error, channel: context.activity.channelId }, 'bot turn failed');
    const es = context.activity.locale?.startsWith('es');
    await context
      .sendActivity(es ? `Lo sentimos, algo falló de nuestro lado. Intente de nuevo o llame al ${centerPhone}.` : `Sorry, something went wrong on our side. Please try again, or call ${centerPhone}.`)
      .catch((e: unknown) => opts.logger.warn({ err: e }, 'could not send the apology'));
  };
  const cloud = new IntakeCloudAdapter(opts.botFramework ?? { appId: null, appPassword: null, appType: null, tenantId: null });
  cloud.onTurnError = onTurnError;
  const directLineStore = createDirectLineStore(redis, prefix);
  const localChat = opts.localChat ? new DirectLineAdapter(directLineStore) : null;
  if (localChat) localChat.onTurnError = onTurnError;
  const proactive = createProactiveSender({
    refs: repos.conversationRefs,
    messages: repos.messages,
    gateway,
    sender: createConversationSender({ cloud, local: localChat }),
    locks,
    now,
  });
  const handoff = createHandoff({ tasks: repos.tasks, messages: repos.messages, proactive, now });
  const conversationState = new ConversationState(repos.botState);
  const userState = new UserState(repos.botState);
  const understanding = createUnderstanding({
    llm: opts.understandingEngine ?? null,
    ...(opts.understandingTimeoutMs ? { timeoutMs: opts.understandingTimeoutMs } : {}),
    // Only the kind of failure: an error's message could quote the patient's words back.
    onFallback: (why, e) => opts.logger.warn({ fallback: why, errorName: e instanceof Error ? e.name : null, status: (e as { status?: unknown } | null)?.status ?? null }, 'LLM understanding fell back to the rules'),
  });
  const scheduling = createScheduling({ site: opts.site, appointments: repos.appointments, now });
  const reminderQueue = createReminderQueue(opts.redisUrl, prefix, now);
  const campaignQueue = createCampaignQueue(opts.redisUrl, prefix, opts.site.sender.messagesPerSecond, now);
  const campaigns = createCampaigns({ campaigns: repos.campaigns, consents: consent, patients: repos.patients, gateway, queue: campaignQueue, site: opts.site, now });
  if (opts.runWorkers) {
    campaignQueue.startWorker(
      async (job) => {
        if (job.kind === 'send') return campaigns.send(job);
        const r = await campaigns.plan(job.campaignId);
        if (!r.ok) throw new Error(r.error.message);
        return { planned: r.value.planned, skipped: r.value.skipped };
      },
      (e) => opts.logger.error({ err: e }, 'campaign job failed'),
    );
  }
  const noteCampaign = (what: 'replied' | 'opted_out' | 'booked') => async (phoneHash: string, at: Date) => {
    await campaigns.noteRecipient(phoneHash, what, at).catch((e: unknown) => opts.logger.warn({ err: e }, 'campaign stats not updated'));
  };
  const appointmentMessages = createAppointmentMessages({ cases: repos.cases, patients: repos.patients, gateway, scheduler: reminderQueue, tasks: repos.tasks, site: opts.site, now });
  if (opts.runWorkers) {
    reminderQueue.startWorker((job) => appointmentMessages.run(job), (e) => opts.logger.error({ err: e }, 'appointment reminder job failed'));
  }
  // After the case is written: a failure to message must not read as a failed write, so it is logged (jobs retry).
  const afterWrite = (what: string, fn: (c: Case) => Promise<void>) => async (c: Case) => {
    await fn(c).catch((e: unknown) => opts.logger.error({ err: e, caseId: c.id }, `${what} failed after the booking was saved`));
  };
  const orderRequests = createOrderRequests({ referrers: repos.referrers, refs: repos.conversationRefs, proactive, tasks: repos.tasks, site: opts.site, now });
  const followUpQueue = createFollowUpQueue(opts.redisUrl, prefix, now);
  const followUps = createFollowUps({ cases: repos.cases, patients: repos.patients, orderRequests, gateway, tasks: repos.tasks, scheduler: followUpQueue, site: opts.site, now });
  let followUpSweep: NodeJS.Timeout | null = null;
  if (opts.runWorkers) {
    followUpQueue.startWorker((job) => followUps.run(job), (e) => opts.logger.error({ err: e }, 'follow-up job failed'));
    // A case written while Redis was away, or by a process that died before queueing, is caught up here.
    const sweep = () => void followUps.sweep().catch((e: unknown) => opts.logger.error({ err: e }, 'follow-up sweep failed'));
    sweep();
    followUpSweep = setInterval(sweep, 6 * 3600_000);
    followUpSweep.unref();
  }
  // Every use case writes cases through this: whatever moved a case, its follow-ups are queued.
  const caseWrites = afterCaseWrites(repos.cases, async (c) => {
    await followUps.schedule(c).catch((e: unknown) => opts.logger.error({ err: e, caseId: c.id }, 'queueing follow-ups failed; the sweep will queue them'));
  });
  const waitlistQueue = createWaitlistQueue(opts.redisUrl, prefix, now);
  const waitlist = createWaitlist({
    waitlist: repos.waitlist,
    cases: repos.cases,
    patients: repos.patients,
    appointments: repos.appointments,
    scheduling,
    // Bound late: the self-service below tells the waitlist when a time frees up.
    self: { takeHeld: (caseId, held, channel) => selfService.takeHeld(caseId, held, channel) },
    gateway,
    scheduler: waitlistQueue,
    locks,
    site: opts.site,
    now,
    holdMinutes: opts.site.waitlist.holdMinutes,
  });
  let holdSweep: NodeJS.Timeout | null = null;
  if (opts.runWorkers) {
    waitlistQueue.startWorker((job) => waitlist.run(job), (e) => opts.logger.error({ err: e }, 'waitlist job failed'));
    // Holds whose end-of-hold job was lost (Redis restarted empty) are passed on.
    holdSweep = setInterval(() => void waitlist.sweepEnded().catch((e: unknown) => opts.logger.error({ err: e }, 'waitlist hold sweep failed')), 60_000);
    holdSweep.unref();
  }
  /** A moved or cancelled appointment: its reminders go, and its time is offered to the waitlist. */
  const appointmentGone = async (appointmentId: string) => {
    await appointmentMessages.unschedule(appointmentId).catch((e: unknown) => opts.logger.error({ err: e }, 'removing reminders failed; they will find the appointment stale'));
    await waitlist.slotFreed(appointmentId).catch((e: unknown) => opts.logger.error({ err: e }, 'offering a freed time to the waitlist failed'));
  };
  const selfService = createSelfService({
    cases: caseWrites,
    patients: repos.patients,
    scheduling,
    tasks: repos.tasks,
    orderRequests,
    locks,
    site: opts.site,
    now,
    onBooked: afterWrite('queueing reminders', async (c) => {
      await appointmentMessages.scheduleFor(c);
      const patient = await repos.patients.findById(c.patientId);
      if (patient?.phoneHash) await noteCampaign('booked')(patient.phoneHash, now());
    }),
    onAppointmentGone: (appointmentId) => appointmentGone(appointmentId),
    onScreeningCleared: afterWrite('telling the patient the review is cleared', (c) => appointmentMessages.screeningCleared(c)),
  });
  const cases = createCaseService({
    cases: caseWrites,
    patients: repos.patients,
    site: opts.site,
    orgs: repos.referrers,
    locks,
    hashPhone,
    now,
    consent,
    onHeldBooked: afterWrite('confirming a held booking', (c) => appointmentMessages.confirmHeld(c)),
    onReady: afterWrite('inviting the patient to book', (c) => appointmentMessages.inviteToBook(c)),
    onOrderDeclined: afterWrite('telling the patient the order was declined', (c) => appointmentMessages.orderDeclined(c)),
    onAppointmentGone: async (appointmentId, reason) => {
      await scheduling.cancel(appointmentId, reason);
      await appointmentGone(appointmentId);
    },
  });
  const invites = createReferrerInvites({ invites: repos.referrerInvites, orgs: repos.referrers, now });
  const bot = new IntakeBot({
    invites,
    appointmentMessages,
    understanding,
    patientDialog: createPatientDialog({
      self: selfService,
      consent,
      waitlist,
      orderStatus: createOrderStatus({ cases: repos.cases, patients: repos.patients }),
      holdMinutes: opts.site.waitlist.holdMinutes,
      site: opts.site,
      hashPhone,
      now,
    }),
    waitlist,
    office: createOfficeConversation({ cases, site: opts.site }),
    conversationState,
    userState,
    site: opts.site,
    teams: createTeamsIdentity({ orgs: repos.referrers, tasks: repos.tasks, now }),
    handoff,
    hashPhone,
    now,
  });
  // One first-come, first-served queue per conversation, for SMS (per phone hash) and chat turns alike.
  const turnQueue = createTurnQueue(redis, { prefix });
  const runner = createTurnRunner({
    bot,
    states: [conversationState, userState],
    userState,
    queue: turnQueue,
    refs: repos.conversationRefs,
    messages: repos.messages,
    logger: opts.logger,
    metrics,
    now,
  });
  const smsTurns = createSmsTurns({
    messages: repos.messages,
    locks: turnQueue,
    redis,
    redisPrefix: prefix,
    keywordLayer: createKeywordLayer({ consent, gateway, site: opts.site, hashPhone, onInbound: (h, what, at) => noteCampaign(what)(h, at) }),
    adapter: new SmsAdapter(gateway),
    turn: runner.turn,
    // A bare STOP or HELP says nothing of its language: the number's patients' language answers it.
    knownLanguage: async (phoneHash) => {
      const patients = await repos.patients.findByIds(await repos.patients.findIdsByPhoneHash(phoneHash));
      const first = patients[0]?.language;
      return first && patients.every((p) => p.language === first) ? first : null;
    },
    hashPhone,
    now,
    logger: opts.logger,
  });

  const staffTokens = createStaffTokenService({ tokens: repos.staffTokens, orgs: repos.referrers, now });

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
  const authenticate = createAuthenticator(staffTokens);
  registerCaseRoutes(server, { route, cases, selfService, authenticate, metrics });
  registerMessagingRoutes(server, {
    route,
    authenticate,
    staff: createMessagingStaffService({ messages: repos.messages, consents: repos.consents, consent, hashPhone, now }),
  });
  registerBotFrameworkRoutes(server, { route, adapter: cloud, runner });
  registerCampaignRoutes(server, { route, authenticate, campaigns });
  registerConversationRoutes(server, {
    route,
    authenticate,
    staff: createStaffConversationsService({ refs: repos.conversationRefs, tasks: repos.tasks, proactive }),
    handoff,
    invites,
  });
  if (localChat) {
    registerDirectLineRoutes(server, {
      route,
      store: directLineStore,
      adapter: localChat,
      runner,
      webChatBundle: webChatBundlePath(),
      centerName: opts.site.center.name,
    });
  }
  registerSmsRoutes(server, {
    route,
    turns: smsTurns,
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
      if (recovery) clearInterval(recovery);
      if (followUpSweep) clearInterval(followUpSweep);
      if (holdSweep) clearInterval(holdSweep);
      await deferred.close();
      await reminderQueue.close();
      await campaignQueue.close();
      await followUpQueue.close();
      await waitlistQueue.close();
      await conn.close();
      redis.disconnect();
    },
  };
}
export type App = Awaited<ReturnType<typeof createApp>>;
