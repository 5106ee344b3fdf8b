import { z } from 'zod';
import type { DeferredSends } from '../services/messaging/gateway';
import { createDelayedQueue, type FailedJob } from './delayed-queue';

/**
 * Messages waiting for the recipient's send window, as delayed jobs: the job id (message and due time) keeps one
 * message from being queued twice for the same time.
 */
export function createDeferredSends(redisUrl: string, prefix: string, now: () => Date = () => new Date()) {
  const q = createDelayedQueue({ name: 'sms-deferred', job: z.object({ messageId: z.string().min(1) }), redisUrl, prefix, now, retryDelayMs: 5_000 });
  const port: DeferredSends = {
    schedule: (messageId, at) => q.add(`${messageId}-${at.getTime()}`, { messageId }, at),
  };
  return {
    ...port,
    queue: q.queue,
    /** Runs due jobs through `dispatch`, which re-checks consent, quiet hours and caps at send time. */
    startWorker: (dispatch: (messageId: string) => Promise<unknown>, onError: (e: unknown, failed: FailedJob<unknown>) => void) => q.startWorker((job) => dispatch(job.messageId), onError),
    close: () => q.close(),
  };
}
export type DeferredSendsQueue = ReturnType<typeof createDeferredSends>;
