import { randomUUID } from 'node:crypto';
import { newId } from '../ids';
import { z } from 'zod';
import { text } from '../orders/order.schema';
import { err, ok } from '../result';
import type { Principal, Role } from '../staff/staff.roles';
import type { Message, MessageRepository } from '../messaging/message.schema';
import { Task, type ReplyTo, type TaskInput, type TaskRepository } from '../tasks/task.schema';
import type { ProactiveSender } from './proactive.service';
import type { Idempotency } from '../idempotency/idempotency';

const REPLY: ReadonlySet<Role> = new Set(['admin', 'coordinator', 'scheduler']);
/** The latest messages shown with a task. */
const CONVERSATION_LIMIT = 50;

export const TaskReplyInput = z.object({ text: text(1600), idempotencyKey: z.string().trim().min(8).max(100).optional() }).strict();

/**
 * A person asked for a human: one open handoff task per conversation and day, holding where the reply goes (never
 * the number or the words); staff answer through the API and the reply reaches the person on their channel.
 */
export function createHandoff(deps: { tasks: TaskRepository; messages: MessageRepository; proactive: ProactiveSender; now: () => Date; idempotency?: Idempotency }) {
  const handoff = {
    async request(input: { conversationKey: string; channel: string; replyTo: ReplyTo; why?: string; caseId?: string | null }): Promise<{ task: Task; created: boolean }> {
      const now = deps.now();
      const task: TaskInput = {
        id: newId('t'),
        kind: 'human_handoff',
        status: 'open',
        dedupeKey: `human_handoff:${input.conversationKey}:${now.toISOString().slice(0, 10)}`,
        summary: `Someone on ${input.channel} ${input.why ?? 'asked to talk to a person'}. Read the conversation, then reply with POST /api/v1/tasks/<this id>/reply.`,
        caseId: input.caseId ?? null,
        referrerOrgId: null,
        replyTo: input.replyTo,
        conversationKey: input.conversationKey.slice(0, 300),
        live: null,
        createdAt: now,
        updatedAt: now,
      };
      if (await deps.tasks.insert(task)) return { task: Task.parse(task), created: true };
      const existing = await deps.tasks.findByKey(task.dedupeKey);
      if (!existing) throw new Error('task key reported taken but not found');
      // The same conversation asking again, now with its case known (chat, after the person said who they are).
      if (existing.caseId === null && input.caseId) {
        await deps.tasks.attachCase(existing.id, input.caseId, now);
        return { task: { ...existing, caseId: input.caseId }, created: false };
      }
      return { task: existing, created: false };
    },

    /** The task and the conversation so far (oldest first), for the person taking it. */
    async get(taskId: string, principal: Principal) {
      if (!REPLY.has(principal.role)) return err('FORBIDDEN', `role '${principal.role}' may not read conversations`);
      const task = await deps.tasks.findById(taskId);
      if (!task) return err('TASK_NOT_FOUND', `no task '${taskId}'`);
      let conversation: Message[] = [];
      if (task.replyTo?.kind === 'chat') conversation = await deps.messages.list({ conversationRefId: task.replyTo.conversationRefId }, CONVERSATION_LIMIT);
      else if (task.replyTo?.kind === 'sms') {
        const inbound = await deps.messages.findByKey(task.replyTo.inboundMessageKey);
        if (inbound?.phoneHash) conversation = await deps.messages.list({ phoneHash: inbound.phoneHash }, CONVERSATION_LIMIT);
      }
      return ok({ task, conversation: conversation.reverse() });
    },

    /** A reply under an Idempotency-Key: the same key with other words is refused, a repeat gets the first message. */
    async reply(taskId: string, input: z.infer<typeof TaskReplyInput>, principal: Principal) {
      const key = input.idempotencyKey;
      if (!key || !deps.idempotency) return handoff.replyOnce(taskId, input, principal);
      const r = await deps.idempotency(
        `task-reply:${taskId}`,
        key,
        { text: input.text },
        async () => {
          const sent = await handoff.replyOnce(taskId, input, principal);
          return sent.ok ? ok({ ref: sent.value.message.id, value: sent.value }) : sent;
        },
        async (ref) => {
          const message = await deps.messages.findById(ref);
          return message ? ok({ outcome: 'duplicate' as const, message }) : err('TASK_NOT_FOUND', `the reply this key sent ('${ref}') is gone`);
        },
      );
      return r.ok ? ok(r.value.value) : r;
    },

    async replyOnce(taskId: string, input: z.infer<typeof TaskReplyInput>, principal: Principal) {
      if (!REPLY.has(principal.role)) return err('FORBIDDEN', `role '${principal.role}' may not reply to patients or offices`);
      const task = await deps.tasks.findById(taskId);
      if (!task) return err('TASK_NOT_FOUND', `no task '${taskId}'`);
      if (!task.replyTo) return err('NO_REPLY_CHANNEL', 'this task has no conversation to reply to');
      let to: { conversationId: string } | { phone: string };
      if (task.replyTo.kind === 'chat') to = { conversationId: task.replyTo.conversationRefId };
      else {
        const inbound = await deps.messages.findByKey(task.replyTo.inboundMessageKey);
        if (!inbound?.phone) return err('NO_REPLY_CHANNEL', 'the message this task came from is gone');
        to = { phone: inbound.phone };
      }
      const r = await deps.proactive.send({
        to,
        content: { text: input.text, staffName: principal.name },
        purpose: 'care',
        template: 'staff_message',
        initiated: false,
        idempotencyKey: `task-reply:${task.id}:${input.idempotencyKey ?? randomUUID()}`,
      });
      if (!r.ok) return r;
      if (r.value.message.status === 'failed' || r.value.outcome === 'refused') {
        return err('CHANNEL_FAILED', `the reply could not be delivered (${r.value.message.reason ?? r.value.message.status})`);
      }
      // A person is talking now: the person's next messages go to this task, not the bot.
      if (task.conversationKey && task.status === 'open') {
        const now = deps.now();
        await deps.tasks.setLive(task.id, principal.name, task.live && !task.live.backNoticeSent ? task.live.since : now, now);
      }
      return ok(r.value);
    },

    /** Staff finished the handoff: the task is done and the bot answers the person again (telling them so). */
    async close(taskId: string, principal: Principal) {
      if (!REPLY.has(principal.role)) return err('FORBIDDEN', `role '${principal.role}' may not close handoffs`);
      const task = await deps.tasks.findById(taskId);
      if (!task) return err('TASK_NOT_FOUND', `no task '${taskId}'`);
      const now = deps.now();
      await deps.tasks.closeById(task.id, now);
      return ok({ ...task, status: 'done' as const, updatedAt: now });
    },

    /**
     * For a message from this conversation: `live` while staff are talking (the message is theirs: counted as
     * unread, the bot stays silent); `back` once, when staff closed the task or it idled past `idleMs` (the bot
     * tells the person it is back, then answers); null when no handoff was live.
     */
    async route(conversationKey: string, idleMs: number): Promise<{ state: 'live'; task: Task } | { state: 'back'; task: Task } | null> {
      const task = await deps.tasks.findLive(conversationKey.slice(0, 300));
      if (!task?.live) return null;
      const now = deps.now();
      if (task.status === 'open' && now.getTime() - task.live.lastAt.getTime() < idleMs) {
        await deps.tasks.touchLive(task.id, now);
        return { state: 'live', task };
      }
      await deps.tasks.endLive(task.id, now);
      return { state: 'back', task };
    },
  };
  return handoff;
}
export type HandoffService = ReturnType<typeof createHandoff>;
