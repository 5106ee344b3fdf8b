import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { createDelayedQueue, jobLogFields, type FailedJob } from '../../models/delayed-queue';

const Job = z.object({ kind: z.literal('order_reminder'), caseId: z.string(), phoneHash: z.string(), phone: z.string().optional() });

test("a failed job's log fields name its queue, job id and case, never a phone or its hash", async () => {
  const q = createDelayedQueue({ name: 'joblogs', job: Job, redisUrl: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', prefix: `t${randomBytes(4).toString('hex')}:`, now: () => new Date(), retryDelayMs: 60_000 });
  try {
    const failed = new Promise<FailedJob<z.infer<typeof Job>>>((resolve) => {
      q.startWorker(
        () => Promise.reject(new Error('the database is away')),
        (_e, f) => resolve(f),
      );
    });
    await q.add('case~c_0123', { kind: 'order_reminder', caseId: 'c_0123', phoneHash: 'h'.repeat(64), phone: '+15125550123' }, new Date());
    const fields = jobLogFields(await failed);
    expect(fields).toEqual({ queue: 'joblogs', jobId: 'case~c_0123', final: false, caseId: 'c_0123', kind: 'order_reminder' });
    expect(JSON.stringify(fields)).not.toMatch(/5125550123|hhhh/);
  } finally {
    await q.close();
  }
});
