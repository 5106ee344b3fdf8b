import { z } from 'zod';

export const TaskKind = z.enum(['unknown_teams_tenant', 'call_patient', 'technologist_review', 'contrast_review', 'order_follow_up', 'human_handoff', 'schedule_by_phone', 'prep_readiness', 'authorization', 'office_enrolment']);
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
  /** A handoff's conversation (the SMS conversation id or the chat reference), for the live handoff. */
  conversationKey: z.string().max(300).nullable().default(null),
  /**
   * A live handoff: staff replied, so the person's messages go to this task and the bot stays silent until staff
   * close it or it idles; `backNoticeSent` once the person was told the bot is back.
   */
  live: z.object({ since: z.date(), lastAt: z.date(), by: z.string().max(100), unread: z.number().int().min(0), backNoticeSent: z.boolean() }).nullable().default(null),
  /** A stat or asap order's call: on top of the work queue, due by `dueAt`, re-raised (`escalatedAt`) if still open then. */
  urgent: z.boolean().default(false),
  dueAt: z.date().nullable().default(null),
  escalatedAt: z.date().nullable().default(null),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type Task = z.infer<typeof Task>;
/** A new task as callers write it: the handoff fields may be left out. */
export type TaskInput = z.input<typeof Task>;

/** The one urgent call task of a stat or asap case. */
export const urgentTaskKey = (caseId: string) => `urgent:${caseId}`;
/** The task to renew an authorization that ended before the exam (one per case; closed by a new approval). */
export const authorizationTaskKey = (caseId: string) => `authorization:${caseId}`;

export interface TaskRepository {
  /** false when a task with this dedupe key exists already. */
  insert(task: TaskInput): Promise<boolean>;
  findByKey(dedupeKey: string): Promise<Task | null>;
  /** Brings the open task with this key up to date (new answers for a review already open). */
  updateSummary(dedupeKey: string, summary: string, now: Date): Promise<void>;
  /** Puts the case on a task that has none yet (a handoff from chat, once the person said who they are). */
  attachCase(id: string, caseId: string, now: Date): Promise<void>;
  /** The handoff of this conversation that is (or just was) live: not yet told the person the bot is back. */
  findLive(conversationKey: string): Promise<Task | null>;
  /** Staff replied at `now`: the handoff is live (since `since`, its start when it was live already). */
  setLive(id: string, by: string, since: Date, now: Date): Promise<void>;
  /** The person wrote during a live handoff: one more unread message for staff. */
  touchLive(id: string, now: Date): Promise<void>;
  /** The person was told the bot is back. */
  endLive(id: string, now: Date): Promise<void>;
  /** The urgent task is still open past its due time: re-raised (once), with the words that say so. */
  escalate(dedupeKey: string, summary: string, now: Date): Promise<boolean>;
  /** Marks the open task done by id; false when it was not open. */
  closeById(id: string, now: Date): Promise<boolean>;
  /** Marks the open task with this key done; false when there is none open. */
  close(dedupeKey: string, now: Date): Promise<boolean>;
  findById(id: string): Promise<Task | null>;
  /** Urgent first (re-raised ones on top), then newest first. */
  list(filter: { status?: Task['status']; kind?: TaskKind }, limit: number): Promise<Task[]>;
}
