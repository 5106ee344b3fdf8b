import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { z } from 'zod';
import type { ReminderJob, ReminderScheduler } from '../services/appointments/appointment-messages';

const QUEUE = 'appointment-reminders';
const Job = z.object({ caseId: z.string().min(1), appointmentId: z.string().min(1), kind: z.enum(['prep', 'reminder', 'readiness']) });

/**
 * Appointment reminders as BullMQ delayed jobs (they survive restarts in Redis). The job id is the appointment and
 * the kind, so booking twice or retrying queues one reminder; a rescheduled appointment has a new id, and the old
 * one's reminders find it stale when they run.
 */
export function createReminderQueue(redisUrl: string, prefix: string, now: () => Date = () => new Date()) {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(QUEUE, { connection, prefix: `${prefix}bull` });
  let worker: Worker | null = null;
  // Workers block on their own connection; closed here, since BullMQ leaves a connection it was given open.
  let workerConnection: Redis | null = null;

  const scheduler: ReminderScheduler = {
    async schedule(job: ReminderJob, at: Date) {
      await queue.add('remind', Job.parse(job), {
        jobId: `${job.appointmentId}-${job.kind}`,
        delay: Math.max(0, at.getTime() - now().getTime()),
        attempts: 5,
        backoff: { type: 'exponential', delay: 30_000 },
        removeOnComplete: 1_000,
        removeOnFail: 10_000,
      });
    },
  };

  return {
    ...scheduler,
    queue,
    startWorker(run: (job: ReminderJob) => Promise<unknown>, onError: (e: unknown) => void) {
      worker = new Worker(QUEUE, async (job) => run(Job.parse(job.data)), {
        connection: (workerConnection = new Redis(redisUrl, { maxRetriesPerRequest: null })),
        prefix: `${prefix}bull`,
        concurrency: 4,
      });
      worker.on('failed', (_job, e) => onError(e));
      return worker;
    },
    async close() {
      await worker?.close();
      await queue.close();
      connection.disconnect();
      workerConnection?.disconnect();
    },
  };
}
export type ReminderQueue = ReturnType<typeof createReminderQueue>;
