import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { text } from '../orders/order.schema';
import { err, ok } from '../result';
import type { Principal, Role } from '../staff/staff.roles';
import type { TaskRepository } from '../tasks/task.schema';
import { TaskKind } from '../tasks/task.schema';
import { ChatChannel, type ConversationRefRepository } from './conversation-ref.schema';
import { Choice, Summary } from './outbound-content';
import type { ProactiveSender } from './proactive.service';

const SEND: ReadonlySet<Role> = new Set(['admin', 'coordinator', 'scheduler']);
const READ: ReadonlySet<Role> = new Set(['admin', 'coordinator', 'scheduler', 'technologist']);

export const ListConversationsInput = z
  .object({ channel: ChatChannel.optional(), tenantId: z.string().max(64).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) })
  .strict();

export const StaffMessageInput = z
  .object({
    text: text(1600),
    choices: z.array(Choice).max(10).default([]),
    summary: Summary.nullable().default(null),
    language: z.enum(['en', 'es']).optional(),
    caseId: z.string().max(64).nullable().default(null),
    /** Send the same request again with the same key and nothing is sent twice. */
    idempotencyKey: z.string().trim().min(8).max(100).optional(),
  })
  .strict();

export const ListTasksInput = z
  .object({ status: z.enum(['open', 'done']).default('open'), kind: TaskKind.optional(), limit: z.coerce.number().int().min(1).max(200).default(50) })
  .strict();

/** Staff reach people where they talk to the bot (a handoff reply, a heads-up), and see the tasks the bot raised. */
export function createStaffConversationsService(deps: { refs: ConversationRefRepository; tasks: TaskRepository; proactive: ProactiveSender }) {
  return {
    async list(q: z.infer<typeof ListConversationsInput>, principal: Principal) {
      if (!READ.has(principal.role)) return err('FORBIDDEN', `role '${principal.role}' may not list conversations`);
      const items = await deps.refs.list({ ...(q.channel ? { channel: q.channel } : {}), ...(q.tenantId ? { tenantId: q.tenantId } : {}) }, q.limit);
      return ok({ items: items.map(({ reference, ...r }) => ({ ...r, serviceUrl: reference.serviceUrl })) });
    },

    async send(conversationId: string, input: z.infer<typeof StaffMessageInput>, principal: Principal) {
      if (!SEND.has(principal.role)) return err('FORBIDDEN', `role '${principal.role}' may not message patients or offices`);
      const r = await deps.proactive.send({
        to: { conversationId },
        content: { text: input.text, choices: input.choices, summary: input.summary },
        purpose: 'care',
        template: 'staff_message',
        idempotencyKey: `staff:${principal.id}:${conversationId}:${input.idempotencyKey ?? randomUUID()}`,
        caseId: input.caseId,
        ...(input.language ? { language: input.language } : {}),
      });
      if (!r.ok) return r;
      // A repeat reports what happened to the first attempt: a failure stays a failure, not a quiet 200.
      if (r.value.message.status === 'failed') return err('CHANNEL_FAILED', `the ${r.value.message.channel} channel refused the message (${r.value.message.reason ?? 'unknown'}); send it again with a new key`);
      return ok(r.value);
    },

    async tasks(q: z.infer<typeof ListTasksInput>, principal: Principal) {
      if (!READ.has(principal.role)) return err('FORBIDDEN', `role '${principal.role}' may not read tasks`);
      return ok({ items: await deps.tasks.list({ status: q.status, ...(q.kind ? { kind: q.kind } : {}) }, q.limit) });
    },
  };
}
export type StaffConversationsService = ReturnType<typeof createStaffConversationsService>;
