import { z } from 'zod';
import type { ReminderJob, ReminderScheduler } from '../services/appointments/appointment-messages';
import { createDelayedQueue, type FailedJob } from './delayed-queue';

const Job = z.object({ caseId: z.string().min(1), appointmentId: z.string().min(1), kind: z.enum(['prep', 'reminder', 'readiness']) });

/**
 * Appointment reminders as delayed jobs. The job id is the appointment and the kind, so booking twice or retrying
 * queues one reminder; a rescheduled appointment has a new id, and the old one's reminders find it stale when they run.
 */
export function createReminderQueue(redisUrl: string, prefix: string, now: () => Date = () => new Date()) {
  const q = createDelayedQueue({ name: 'appointment-reminders', job: Job, redisUrl, prefix, now, retryDelayMs: 30_000 });
  const scheduler: ReminderScheduler = {
    schedule: (job: ReminderJob, at: Date) => q.add(`${job.appointmentId}-${job.kind}`, job, at),
    async cancelAll(appointmentId: string) {
      for (const kind of Job.shape.kind.options) await q.remove(`${appointmentId}-${kind}`);
    },
  };
  return {
    ...scheduler,
    queue: q.queue,
    startWorker: (run: (job: ReminderJob) => Promise<unknown>, onError: (e: unknown, failed: FailedJob<unknown>) => void) => q.startWorker(run, onError),
    close: () => q.close(),
  };
}
export type ReminderQueue = ReturnType<typeof createReminderQueue>;
