import { FollowUpJob, type FollowUpScheduler } from '../services/follow-ups/follow-up.service';
import { createDelayedQueue, type FailedJob } from './delayed-queue';

/** Follow-ups as delayed BullMQ jobs; the id is case, kind, stay and number, so queueing one twice keeps one. */
export function createFollowUpQueue(redisUrl: string, prefix: string, now: () => Date = () => new Date()) {
  const q = createDelayedQueue({ name: 'follow-ups', job: FollowUpJob, redisUrl, prefix, now, retryDelayMs: 60_000 });
  const scheduler: FollowUpScheduler = {
    // BullMQ job ids may not contain ':' (its own key separator).
    add: (jobs) => q.addMany(jobs.map(({ job, at }) => ({ jobId: `${job.kind}~${job.caseId}~${job.since.replace(/:/g, '')}~${job.n}`, data: job, at }))),
  };
  return {
    ...scheduler,
    queue: q.queue,
    startWorker: (run: (job: FollowUpJob) => Promise<unknown>, onError: (e: unknown, failed: FailedJob<FollowUpJob>) => void) => q.startWorker(run, onError),
    close: () => q.close(),
  };
}
export type FollowUpQueue = ReturnType<typeof createFollowUpQueue>;
