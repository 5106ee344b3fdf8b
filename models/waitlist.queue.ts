import { WaitlistJob, type WaitlistScheduler } from '../services/waitlist/waitlist.schema';
import { createDelayedQueue, type FailedJob } from './delayed-queue';

/** Waitlist offers waiting for the send window, and the ends of holds, as delayed BullMQ jobs (ids keep each once). */
export function createWaitlistQueue(redisUrl: string, prefix: string, now: () => Date = () => new Date()) {
  const q = createDelayedQueue({ name: 'waitlist', job: WaitlistJob, redisUrl, prefix, now, retryDelayMs: 10_000 });
  const scheduler: WaitlistScheduler = {
    // BullMQ job ids may not contain ':' (its own key separator).
    add: (jobId, job, at) => q.add(jobId.replace(/:/g, ''), job, at),
  };
  return {
    ...scheduler,
    queue: q.queue,
    startWorker: (run: (job: WaitlistJob) => Promise<unknown>, onError: (e: unknown, failed: FailedJob<unknown>) => void) => q.startWorker(run, onError),
    close: () => q.close(),
  };
}
export type WaitlistQueue = ReturnType<typeof createWaitlistQueue>;
