import { z } from 'zod';

export const TaskKind = z.enum(['unknown_teams_tenant', 'call_patient', 'technologist_review', 'contrast_review', 'order_follow_up', 'human_handoff', 'schedule_by_phone', 'prep_readiness']);
export type TaskKind = z.infer<typeof TaskKind>;

/** Work for staff that the bot must not do itself. Details never hold PHI beyond what the role needs. */
/** Where a staff reply to the task goes: the chat conversation, or the number that texted (by its inbound message). */
export const ReplyTo = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('chat'), conversationRefId: z.string() }),
  z.object({ kind: z.literal('sms'), inboundMessageKey: z.string() }),
]);
export type ReplyTo = z.infer<typeof ReplyTo>;

export const Task = z.object({
  id: z.string(),
  kind: TaskKind,
  status: z.enum(['open', 'done']),
  /** One open task per subject: the same key again does not create a second task. */
  dedupeKey: z.string(),
  summary: z.string().max(500),
  caseId: z.string().nullable(),
  referrerOrgId: z.string().nullable(),
  replyTo: ReplyTo.nullable().default(null),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type Task = z.infer<typeof Task>;

export interface TaskRepository {
  /** false when a task with this dedupe key exists already. */
  insert(task: Task): Promise<boolean>;
  findByKey(dedupeKey: string): Promise<Task | null>;
  /** Brings the open task with this key up to date (new answers for a review already open). */
  updateSummary(dedupeKey: string, summary: string, now: Date): Promise<void>;
  /** Marks the open task with this key done; false when there is none open. */
  close(dedupeKey: string, now: Date): Promise<boolean>;
  findById(id: string): Promise<Task | null>;
  list(filter: { status?: Task['status']; kind?: TaskKind }, limit: number): Promise<Task[]>;
}
