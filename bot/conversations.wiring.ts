import { ConversationState, UserState, type Storage } from 'botbuilder';
import type { Logger } from 'pino';
import type { AppointmentRepository } from '../services/scheduling/appointment.schema';
import type { CampaignRepository } from '../services/campaigns/campaign.schema';
import type { Case } from '../services/cases/case.schema';
import type { CaseRepository, PatientRepository } from '../services/cases/case.ports';
import type { ConsentRepository } from '../services/consent/consent.schema';
import type { ConversationRefRepository } from '../services/conversations/conversation-ref.schema';
import type { Locks } from '../services/locks';
import type { MessageRepository } from '../services/messaging/message.schema';
import type { ReferrerRepository } from '../services/referrers/referrer.schema';
import type { TaskRepository } from '../services/tasks/task.schema';
import type { WaitlistRepository, WaitlistScheduler } from '../services/waitlist/waitlist.schema';
import type { SiteConfig } from '../services/config/site.schema';
import type { UnderstandingEngine } from '../services/understanding/understanding.schema';
import type { IntentModel } from '../services/understanding/intent-model';
import { createAppointmentMessages, type ReminderScheduler } from '../services/appointments/appointment-messages';
import { createCampaigns, type CampaignQueue, type CampaignTextMarks } from '../services/campaigns/campaign.service';
import { createCaseService } from '../services/cases/case.service';
import { createOrderStatus } from '../services/cases/order-status.service';
import { createConsentService } from '../services/consent/consent.service';
import { createKeywordLayer } from '../services/consent/keyword-layer';
import { createHandoff } from '../services/conversations/handoff.service';
import { createProactiveSender, type ConversationSender } from '../services/conversations/proactive.service';
import { afterCaseWrites, createFollowUps, type FollowUpScheduler } from '../services/follow-ups/follow-up.service';
import { createGateway, type DeferredSends, type SmsTransport } from '../services/messaging/gateway';
import { createOrderRequests } from '../services/patients/order-request.service';
import { createSelfService } from '../services/patients/self-service.service';
import { createReferrerInvites, type ReferrerInviteRepository } from '../services/referrers/invite.service';
import { createTeamsIdentity } from '../services/referrers/teams-identity.service';
import { createScheduling } from '../services/scheduling/scheduling.service';
import { createUnderstanding } from '../services/understanding/understanding.service';
import { createWaitlist } from '../services/waitlist/waitlist.service';
import { createPatientDialog } from '../dialogs/patient/patient.dialog';
import { createOfficeConversation } from '../dialogs/referrer/office.conversation';
import { createTurnRunner } from './channels/turn-runner';
import { IntakeBot } from './intake.bot';
import type { Metrics } from './metrics';
import { SmsAdapter } from './sms/sms.adapter';
import { createSmsTurns, type SmsTurnsStore } from './sms/sms.turns';
import { noticeWords } from '../dialogs/notices.texts';
import { corpusModel } from './integrations/nlpjs.intent-model';
import { shippedDiagnosisCodes } from './integrations/icd10.table';
import type { DiagnosisCodes } from '../services/orders/diagnosis-codes';
import { conversationRefId } from './channels/turn-runner';
import { createOfficeNotices, type OfficeNoticeRepository } from '../services/referrers/office-notices';
import { createOfficeSessions, type OfficeSessionRepository } from '../services/referrers/office-session';
import { createIdempotency, type IdempotencyStore } from '../services/idempotency/idempotency';

/** Every store the conversations read and write (MongoDB in the app, in memory in the fast tests). */
export interface ConversationRepositories {
  cases: CaseRepository;
  patients: PatientRepository;
  consents: ConsentRepository;
  messages: MessageRepository;
  referrers: ReferrerRepository;
  conversationRefs: ConversationRefRepository;
  tasks: TaskRepository;
  appointments: AppointmentRepository;
  referrerInvites: ReferrerInviteRepository;
  campaigns: CampaignRepository;
  waitlist: WaitlistRepository;
  officeNotices: OfficeNoticeRepository;
  officeSessions: OfficeSessionRepository;
  botState: Storage;
  /** Idempotency-Key claims (the staff API's). */
  idempotency?: IdempotencyStore;
}

/** The ports the conversation stack needs: stores, locks, the delayed-job queues, the SMS transport and the chat sender. */
export interface ConversationPorts {
  repos: ConversationRepositories;
  /** Mutual exclusion for a case, a send, a hold. */
  locks: Locks;
  /** One turn at a time per conversation, first come first served. */
  turnQueue: Locks;
  /** One drain at a time per phone number (the texts' own arrival numbers give the order): a plain lock that lasts. */
  smsTurnLocks: Locks;
  smsStore: SmsTurnsStore;
  /** Prefix of the SMS turns' keys in `smsStore`. */
  redisPrefix: string;
  deferred: DeferredSends;
  reminders: ReminderScheduler;
  campaignQueue: CampaignQueue;
  followUpQueue: FollowUpScheduler;
  waitlistQueue: WaitlistScheduler;
  transport: SmsTransport;
  /** Continues a stored Teams or Web Chat conversation. */
  chatSender: ConversationSender;
}

export interface ConversationOptions {
  site: SiteConfig;
  hashPhone: (e164: string) => string;
  logger: Logger;
  metrics: Metrics;
  now: () => Date;
  /** Twilio's status callback URL; null for the log transport. */
  statusCallbackUrl: string | null;
  understandingEngine?: UnderstandingEngine | null;
  /** The intent classifier trained on corpus/nlu (the default); null for the hand rules alone. */
  intentModel?: IntentModel | null;
  /** The ICD-10-CM table orders are checked against (default: the shipped one in data/icd10cm). */
  diagnosisCodes?: DiagnosisCodes;
  understandingTimeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * The use cases, the bot and its turn runners on the given ports: the composition root (createApp) and the fast
 * in-memory tests build the same stack from this one function.
 */
/**
 * Campaign marks in Redis: one key per texted number, and one saying the marks are whole. Only `trust` sets that one:
 * a send after Redis lost its data must not vouch for the marks lost with it.
 */
function campaignMarks(redis: SmsTurnsStore, prefix: string): CampaignTextMarks {
  const kept = `${prefix}campaign:marked`;
  return {
    async mark(phoneHash, ttlSeconds) {
      await redis.set(`${prefix}campaign:texted:${phoneHash}`, '1', 'EX', ttlSeconds);
    },
    async of(phoneHash) {
      const [texted, marked] = await redis.mget(`${prefix}campaign:texted:${phoneHash}`, kept);
      return texted ? 'marked' : marked ? 'unmarked' : 'unknown';
    },
    async trust() {
      await redis.set(kept, '1');
    },
  };
}

export function wireConversations(ports: ConversationPorts, opts: ConversationOptions) {
  const { repos, locks } = ports;
  const { now, hashPhone } = opts;
  const consent = createConsentService({ consents: repos.consents, now, locks });
  const gateway = createGateway({
    messages: repos.messages,
    consent,
    transport: ports.transport,
    deferred: ports.deferred,
    locks,
    site: opts.site,
    hashPhone,
    now,
    statusCallbackUrl: opts.statusCallbackUrl,
    ...(opts.sleep ? { sleep: opts.sleep } : {}),
  });
  const proactive = createProactiveSender({
    refs: repos.conversationRefs,
    messages: repos.messages,
    gateway,
    sender: ports.chatSender,
    locks,
    now,
  });
  const idempotency = repos.idempotency ? createIdempotency({ store: repos.idempotency, now }) : undefined;
  const handoff = createHandoff({ tasks: repos.tasks, messages: repos.messages, proactive, now, idempotency });
  const conversationState = new ConversationState(repos.botState);
  const userState = new UserState(repos.botState);
  const understanding = createUnderstanding({
    llm: opts.understandingEngine ?? null,
    model: opts.intentModel === undefined ? corpusModel() : opts.intentModel,
    onModelError: (e) => opts.logger.error({ errorName: e instanceof Error ? e.name : null }, 'the intent model failed: the rules answered'),
    ...(opts.understandingTimeoutMs ? { timeoutMs: opts.understandingTimeoutMs } : {}),
    // Only the kind of failure: an error's message could quote the patient's words back.
    onFallback: (why, e) => opts.logger.warn({ fallback: why, errorName: e instanceof Error ? e.name : null, status: (e as { status?: unknown } | null)?.status ?? null }, 'LLM understanding fell back to the rules'),
  });
  const scheduling = createScheduling({ site: opts.site, appointments: repos.appointments, now });
  // The words services send on their own, from the dialogs' catalogue.
  const words = noticeWords(opts.site);
  const campaigns = createCampaigns({ campaigns: repos.campaigns, consents: consent, patients: repos.patients, gateway, words, queue: ports.campaignQueue, marks: campaignMarks(ports.smsStore, ports.redisPrefix), site: opts.site, now });
  const noteCampaign = (what: 'replied' | 'opted_out' | 'booked') => async (phoneHash: string, at: Date) => {
    await campaigns.noteRecipient(phoneHash, what, at).catch((e: unknown) => opts.logger.warn({ err: e }, 'campaign stats not updated'));
  };
  const appointmentMessages = createAppointmentMessages({ cases: repos.cases, patients: repos.patients, gateway, scheduler: ports.reminders, tasks: repos.tasks, site: opts.site, words, now });
  // After the case is written: a failure to message must not read as a failed write, so it is logged (jobs retry).
  const afterWrite = <A extends unknown[]>(what: string, fn: (c: Case, ...rest: A) => Promise<void>) => async (c: Case, ...rest: A) => {
    await fn(c, ...rest).catch((e: unknown) => opts.logger.error({ err: e, caseId: c.id }, `${what} failed after the booking was saved`));
  };
  const orderRequests = createOrderRequests({ referrers: repos.referrers, refs: repos.conversationRefs, proactive, tasks: repos.tasks, site: opts.site, now });
  const officeNotices = createOfficeNotices({ cases: repos.cases, patients: repos.patients, referrers: repos.referrers, refs: repos.conversationRefs, proactive, notices: repos.officeNotices, site: opts.site, now });
  const staffTeams = opts.site.staffTeams;
  // Urgent work is posted to the staff's Teams channel when one is configured; a failed post is logged (the task stands).
  const alertStaff = staffTeams
    ? async (key: string, text: string) => {
        const r = await proactive
          .send({ to: { conversationId: conversationRefId('msteams', staffTeams.conversationId) }, content: { text }, purpose: 'care', template: 'staff_alert', idempotencyKey: `staff-alert:${key}`, caseId: null })
          .catch((e: unknown) => ({ ok: false as const, error: { code: e instanceof Error ? e.name : 'error' } }));
        if (!r.ok || r.value.outcome === 'failed') opts.logger.warn({ code: r.ok ? r.value.outcome : r.error.code }, 'posting to the staff Teams channel failed');
      }
    : undefined;
  const followUps = createFollowUps({ cases: repos.cases, patients: repos.patients, orderRequests, officeNotices, gateway, tasks: repos.tasks, scheduler: ports.followUpQueue, site: opts.site, words, now, officeHoursOf: async (orgId) => (await repos.referrers.findById(orgId))?.officeHours ?? null, ...(alertStaff ? { alertStaff } : {}) });
  // Every use case writes cases through this: whatever moved a case, its follow-ups are queued.
  const caseWrites = afterCaseWrites(repos.cases, async (c, written) => {
    await followUps.schedule(c, written).catch((e: unknown) => opts.logger.error({ err: e, caseId: c.id }, 'queueing follow-ups failed; the sweep will queue them'));
    await appointmentMessages.authorizationChanged(c, written).catch((e: unknown) => opts.logger.error({ err: e, caseId: c.id }, 'telling the patient about their authorization failed'));
  });
  const waitlist = createWaitlist({
    waitlist: repos.waitlist,
    cases: repos.cases,
    patients: repos.patients,
    appointments: repos.appointments,
    scheduling,
    // Bound late: the self-service below tells the waitlist when a time frees up.
    self: { takeHeld: (caseId, held, channel) => selfService.takeHeld(caseId, held, channel) },
    gateway,
    scheduler: ports.waitlistQueue,
    locks,
    site: opts.site,
    words,
    now,
    holdMinutes: opts.site.waitlist.holdMinutes,
  });
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
  const diagnosisCodes = opts.diagnosisCodes ?? shippedDiagnosisCodes();
  const cases = createCaseService({
    codes: diagnosisCodes,
    idempotency,
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
    onReachesNewNumber: afterWrite('inviting the corrected number to book', (c, phoneHash: string) => appointmentMessages.inviteToBook(c, phoneHash)),
    onOrderDeclined: afterWrite('telling the patient the order was declined', (c) => appointmentMessages.orderDeclined(c)),
    onAppointmentGone: async (appointmentId, reason) => {
      await scheduling.cancel(appointmentId, reason);
      await appointmentGone(appointmentId);
    },
  });
  const teams = createTeamsIdentity({ orgs: repos.referrers, tasks: repos.tasks, refs: repos.conversationRefs, proactive, now });
  const invites = createReferrerInvites({ invites: repos.referrerInvites, orgs: repos.referrers, now });
  const bot = new IntakeBot({
    invites,
    officeSessions: createOfficeSessions({ sessions: repos.officeSessions, orgs: repos.referrers, days: opts.site.webChatSignInDays, now }),
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
    office: createOfficeConversation({ cases, site: opts.site, codes: diagnosisCodes, notices: officeNotices, enrolment: teams }),
    conversationState,
    userState,
    site: opts.site,
    teams,
    handoff,
    hashPhone,
    now,
  });
  const runner = createTurnRunner({
    bot,
    states: [conversationState, userState],
    userState,
    queue: ports.turnQueue,
    refs: repos.conversationRefs,
    messages: repos.messages,
    logger: opts.logger,
    metrics: opts.metrics,
    now,
  });
  const smsTurns = createSmsTurns({
    messages: repos.messages,
    locks: ports.smsTurnLocks,
    redis: ports.smsStore,
    redisPrefix: ports.redisPrefix,
    keywordLayer: createKeywordLayer({ consent, gateway, words, hashPhone, onInbound: (h, what, at) => noteCampaign(what)(h, at) }),
    adapter: new SmsAdapter(gateway),
    turn: runner.turn,
    perTurn: (fn) => consent.perTurn(fn),
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
  return { teams, consent, gateway, proactive, handoff, understanding, scheduling, campaigns, appointmentMessages, orderRequests, followUps, waitlist, selfService, cases, invites, bot, runner, smsTurns, conversationState, userState };
}
export type Conversations = ReturnType<typeof wireConversations>;
