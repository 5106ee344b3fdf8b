import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { z } from 'zod';
import type { DeferredSends } from '../services/messaging/gateway';

const QUEUE = 'sms-deferred';
const Job = z.object({ messageId: z.string().min(1) });

/**
 * Messages waiting for the recipient's send window, as BullMQ delayed jobs: they survive restarts in Redis, and
 * the job id (message and due time) keeps one message from being queued twice for the same time.
 */
export function createDeferredSends(redisUrl: string, prefix: string, now: () => Date = () => new Date()) {
  // BullMQ needs its own connections with unlimited retries (blocking commands).
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(QUEUE, { connection, prefix: `${prefix}bull` });
  let worker: Worker | null = null;
  // Workers block on their own connection; closed here, since BullMQ leaves a connection it was given open.
  let workerConnection: Redis | null = null;

  const port: DeferredSends = {
    async schedule(messageId, at) {
      await queue.add(
        'send',
        { messageId },
        {
          jobId: `${messageId}-${at.getTime()}`,
          delay: Math.max(0, at.getTime() - now().getTime()),
          attempts: 5,
          backoff: { type: 'exponential', delay: 5_000 },
          removeOnComplete: 1_000,
          removeOnFail: 10_000,
        },
      );
    },
  };

  return {
    ...port,
    queue,
    /** Runs due jobs through `dispatch`, which re-checks consent, quiet hours and caps at send time. */
    startWorker(dispatch: (messageId: string) => Promise<unknown>, onError: (e: unknown) => void) {
      worker = new Worker(
        QUEUE,
        async (job) => {
          await dispatch(Job.parse(job.data).messageId);
        },
        { connection: (workerConnection = new Redis(redisUrl, { maxRetriesPerRequest: null })), prefix: `${prefix}bull`, concurrency: 4 },
      );
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
export type DeferredSendsQueue = ReturnType<typeof createDeferredSends>;
