import { z } from 'zod';
import type { CampaignQueue } from '../services/campaigns/campaign.service';
import { createDelayedQueue, type FailedJob } from './delayed-queue';

const Send = z.object({ kind: z.literal('send'), recipientId: z.string().min(1), campaignId: z.string().min(1), patientId: z.string().min(1), phoneHash: z.string().min(1), language: z.enum(['en', 'es']) });
const Job = z.discriminatedUnion('kind', [z.object({ kind: z.literal('plan'), campaignId: z.string().min(1) }), Send]);
export type CampaignJob = z.infer<typeof Job>;

/**
 * Campaign planning and sends as BullMQ jobs: a send's job id is its recipient (campaign + number), so planning twice
 * queues one send; jobs wait in Redis through restarts, a worker that dies mid-job leaves it to be taken again
 * (stalled), failures retry with backoff, and the limiter holds every worker together to the sender's rate.
 */
export function createCampaignQueue(redisUrl: string, prefix: string, perSecond: number, now: () => Date = () => new Date()) {
  const q = createDelayedQueue({ name: 'campaigns', job: Job, redisUrl, prefix, now, retryDelayMs: 5_000, perSecond, concurrency: 8 });
  // BullMQ job ids may not contain ':' (its own key separator).
  const jobId = (id: string) => id.replace(/:/g, '~');
  const port: CampaignQueue = {
    enqueueSends: (jobs) => q.addMany(jobs.map((j) => ({ jobId: `send~${jobId(j.recipientId)}`, data: { kind: 'send' as const, ...j.send }, at: j.at }))),
    enqueuePlan: (campaignId) => q.add(`plan~${jobId(campaignId)}`, { kind: 'plan', campaignId }, now()),
  };
  return {
    ...port,
    queue: q.queue,
    startWorker: (run: (job: CampaignJob) => Promise<unknown>, onError: (e: unknown, failed: FailedJob<unknown>) => void) => q.startWorker(run, onError),
    close: () => q.close(),
  };
}
export type CampaignSendQueue = ReturnType<typeof createCampaignQueue>;
