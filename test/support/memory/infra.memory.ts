import { randomBytes } from 'node:crypto';
import type { ReminderJob, ReminderScheduler } from '../../../services/appointments/appointment-messages';
import type { CampaignQueue, SendJob } from '../../../services/campaigns/campaign.service';
import type { ConversationRef } from '../../../services/conversations/conversation-ref.schema';
import type { OutboundContent } from '../../../services/conversations/outbound-content';
import type { ConversationSender } from '../../../services/conversations/proactive.service';
import type { FollowUpJob, FollowUpScheduler } from '../../../services/follow-ups/follow-up.service';
import type { Locks } from '../../../services/locks';
import type { DeferredSends, SmsTransport, TransportResult } from '../../../services/messaging/gateway';
import { err, ok, type Result } from '../../../services/result';
import { copy } from './util';
import type { WaitlistJob, WaitlistScheduler } from '../../../services/waitlist/waitlist.schema';
import type { SmsTurnsStore } from '../../../bot/sms/sms.turns';

/**
 * Named locks in one process: callers of a name run one at a time, first come first served, and a caller that waits
 * longer than `waitMs` gets LOCK_TIMEOUT, as with the Redis locks (which are not re-entrant either).
 */
export function memoryLocks(waitMs = 5_000): Locks {
  const tails = new Map<string, Promise<void>>();
  return {
    async withLock<T>(name: string, fn: () => Promise<T>): Promise<Result<T, 'LOCK_TIMEOUT'>> {
      const before = tails.get(name) ?? Promise.resolve();
      let release!: () => void;
      const mine = new Promise<void>((r) => (release = r));
      const tail = before.then(() => mine);
      tails.set(name, tail);
      let timer: NodeJS.Timeout | undefined;
      const turn = await Promise.race([before.then(() => true), new Promise<false>((r) => (timer = setTimeout(() => r(false), waitMs)))]);
      clearTimeout(timer);
      if (!turn) {
        // Our place in line is given up once the holder ahead is done, so callers behind us are not stuck.
        void before.then(() => {
          release();
          if (tails.get(name) === tail) tails.delete(name);
        });
        return err('LOCK_TIMEOUT', `'${name}' is busy; try again`);
      }
      try {
        return ok(await fn());
      } finally {
        release();
        if (tails.get(name) === tail) tails.delete(name);
      }
    },
  };
}

/** The few Redis commands SMS turns use, on Maps. Expiry is not kept: a test's run is shorter than any of these TTLs. */
export function memorySmsStore(): SmsTurnsStore {
  const strings = new Map<string, string>();
  const sorted = new Map<string, Map<string, number>>();
  const sets = new Map<string, Set<string>>();
  const zset = (k: string) => sorted.get(k) ?? sorted.set(k, new Map()).get(k)!;
  const set = (k: string) => sets.get(k) ?? sets.set(k, new Set()).get(k)!;
  return {
    exists: (k) => Promise.resolve(strings.has(k) || sorted.has(k) || sets.has(k) ? 1 : 0),
    incr(k) {
      const n = Number(strings.get(k) ?? 0) + 1;
      strings.set(k, String(n));
      return Promise.resolve(n);
    },
    get: (k) => Promise.resolve(strings.get(k) ?? null),
    mget: (...ks) => Promise.resolve(ks.map((k) => strings.get(k) ?? null)),
    set(k: string, v: string, mode?: 'EX' | 'NX') {
      if (mode === 'NX' && strings.has(k)) return Promise.resolve(null);
      strings.set(k, v);
      return Promise.resolve('OK');
    },
    zadd(k, score, member) {
      zset(k).set(member, score);
      return Promise.resolve(1);
    },
    zrange(k, start, stop) {
      const members = [...(sorted.get(k) ?? new Map<string, number>()).entries()].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1)).map(([m]) => m);
      return Promise.resolve(members.slice(start, stop < 0 ? members.length + stop + 1 : stop + 1));
    },
    zrem: (k, member) => Promise.resolve(sorted.get(k)?.delete(member) ? 1 : 0),
    smembers: (k) => Promise.resolve([...(sets.get(k) ?? [])]),
    sadd(k, member) {
      set(k).add(member);
      return Promise.resolve(1);
    },
    expire: () => Promise.resolve(1),
  };
}

/** Delayed jobs as BullMQ keeps them, by job id (adding an id again is a no-op); nothing runs them. */
export class RecordedJobs<J> {
  readonly jobs = new Map<string, { job: J; at: Date }>();

  add(jobId: string, job: J, at: Date): void {
    if (!this.jobs.has(jobId)) this.jobs.set(jobId, { job: copy(job), at });
  }

  list(): Array<{ id: string; job: J; at: Date }> {
    return [...this.jobs.entries()].map(([id, j]) => ({ id, ...j }));
  }
}

/** The five delayed-job queues the conversations add to, recorded under the job ids the BullMQ adapters give them. */
export function recordedQueues() {
  const deferred = new RecordedJobs<{ messageId: string }>();
  const reminders = new RecordedJobs<ReminderJob>();
  const campaigns = new RecordedJobs<{ kind: 'plan'; campaignId: string } | ({ kind: 'send' } & SendJob)>();
  const followUps = new RecordedJobs<FollowUpJob>();
  const waitlist = new RecordedJobs<WaitlistJob>();
  const ports = {
    deferred: { schedule: (messageId, at) => Promise.resolve(deferred.add(`${messageId}-${at.getTime()}`, { messageId }, at)) } satisfies DeferredSends,
    reminders: {
      schedule: (job, at) => Promise.resolve(reminders.add(`${job.appointmentId}-${job.kind}`, job, at)),
      cancelAll(appointmentId) {
        for (const kind of ['prep', 'reminder', 'readiness']) reminders.jobs.delete(`${appointmentId}-${kind}`);
        return Promise.resolve();
      },
    } satisfies ReminderScheduler,
    campaignQueue: {
      enqueueSends(jobs) {
        for (const j of jobs) campaigns.add(`send~${j.recipientId}`, { kind: 'send', ...j.send }, j.at);
        return Promise.resolve();
      },
      enqueuePlan: (campaignId) => Promise.resolve(campaigns.add(`plan~${campaignId}`, { kind: 'plan', campaignId }, new Date())),
    } satisfies CampaignQueue,
    followUpQueue: {
      add(jobs) {
        for (const { job, at } of jobs) followUps.add(`${job.kind}~${job.caseId}~${job.since}~${job.n}`, job, at);
        return Promise.resolve();
      },
    } satisfies FollowUpScheduler,
    waitlistQueue: { add: (jobId, job, at) => Promise.resolve(waitlist.add(jobId, job, at)) } satisfies WaitlistScheduler,
  };
  return { deferred, reminders, campaigns, followUps, waitlist, ports };
}

export interface SentSms {
  to: string;
  body: string;
}

/** An SMS transport that keeps what it was given (as the log transport prints it) and reports each text sent. */
export function recordingTransport(): SmsTransport & { sent: SentSms[] } {
  const sent: SentSms[] = [];
  return {
    name: 'log',
    sent,
    send({ to, body }): Promise<TransportResult> {
      sent.push({ to, body });
      return Promise.resolve({ ok: true, sid: `SM${randomBytes(16).toString('hex')}`, status: 'sent' });
    },
  };
}

/** Proactive chat messages (Teams order requests, staff replies) kept instead of sent to the Bot Connector. */
export function recordingChatSender(): ConversationSender & { sent: Array<{ ref: ConversationRef; content: OutboundContent }> } {
  const sent: Array<{ ref: ConversationRef; content: OutboundContent }> = [];
  return {
    sent,
    send(ref, content) {
      sent.push({ ref: copy(ref), content: copy(content) });
      return Promise.resolve({ activityId: `act-${sent.length}` });
    },
  };
}
