import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { z } from 'zod';

/**
 * A BullMQ queue of delayed jobs (they survive restarts in Redis): the job id makes a repeated add a no-op, and the
 * worker validates each job's data before running it.
 */
export interface FailedJob<D> {
  queue: string;
  jobId: string | null;
  /** null when the stored job no longer reads as this queue's job. */
  data: D | null;
  final: boolean;
}

/** What a job's log line may name: its queue and id, and the records it is about (never a phone or its hash). */
export function jobLogFields(f: FailedJob<unknown>): Record<string, string | boolean | null> {
  const d = (f.data ?? {}) as Record<string, unknown>;
  const ids: Record<string, string> = {};
  for (const k of ['caseId', 'campaignId', 'appointmentId', 'messageId', 'offerId', 'kind']) {
    const v = d[k];
    if (typeof v === 'string') ids[k] = v;
  }
  return { queue: f.queue, jobId: f.jobId, final: f.final, ...ids };
}

export function createDelayedQueue<D>(opts: {
  name: string;
  job: z.ZodType<D>;
  redisUrl: string;
  prefix: string;
  now: () => Date;
  retryDelayMs: number;
  /** At most this many jobs start per second, across every worker of the queue (BullMQ's limiter). */
  perSecond?: number;
  concurrency?: number;
}) {
  // BullMQ needs its own connections with unlimited retries (blocking commands).
  const connection = new Redis(opts.redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(opts.name, { connection, prefix: `${opts.prefix}bull` });
  let worker: Worker | null = null;
  // Workers block on their own connection; closed here, since BullMQ leaves a connection it was given open.
  let workerConnection: Redis | null = null;

  const jobOpts = (jobId: string, at: Date) => ({
    jobId,
    delay: Math.max(0, at.getTime() - opts.now().getTime()),
    attempts: 5,
    backoff: { type: 'exponential' as const, delay: opts.retryDelayMs },
    removeOnComplete: 1_000,
    removeOnFail: 10_000,
  });

  return {
    queue,
    async add(jobId: string, data: D, at: Date): Promise<void> {
      await queue.add(opts.name, opts.job.parse(data), jobOpts(jobId, at));
    },
    /** Many jobs in one round trip; ids already queued are left alone. */
    async addMany(jobs: Array<{ jobId: string; data: D; at: Date }>): Promise<void> {
      if (jobs.length) await queue.addBulk(jobs.map((j) => ({ name: opts.name, data: opts.job.parse(j.data), opts: jobOpts(j.jobId, j.at) })));
    },
    /** Removes a waiting or delayed job; a job already running finishes (its own checks decide whether it sends). */
    async remove(jobId: string): Promise<void> {
      const job = await queue.getJob(jobId);
      if (job && !(await job.isActive())) await job.remove();
    },
    /** `onError` gets the failed job's id and data, and whether that was its last try (BullMQ gives up after 5). */
    startWorker(run: (data: D) => Promise<unknown>, onError: (e: unknown, failed: FailedJob<D>) => void): Worker {
      workerConnection = new Redis(opts.redisUrl, { maxRetriesPerRequest: null });
      worker = new Worker(opts.name, async (job) => run(opts.job.parse(job.data)), {
        connection: workerConnection,
        prefix: `${opts.prefix}bull`,
        concurrency: opts.concurrency ?? 4,
        ...(opts.perSecond ? { limiter: { max: opts.perSecond, duration: 1_000 } } : {}),
      });
      worker.on('failed', (job, e) => {
        const data = job ? opts.job.safeParse(job.data) : null;
        onError(e, { queue: opts.name, jobId: job?.id ?? null, data: data?.success ? data.data : null, final: job ? job.attemptsMade >= (job.opts.attempts ?? 1) : false });
      });
      return worker;
    },
    async close(): Promise<void> {
      await worker?.close();
      await queue.close();
      connection.disconnect();
      workerConnection?.disconnect();
    },
  };
}
