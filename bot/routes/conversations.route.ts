import type { Request, Server } from 'restify';
import {
  ListConversationsInput,
  ListTasksInput,
  StaffMessageInput,
  type StaffConversationsService,
} from '../../services/conversations/staff-conversations.service';
import { TaskReplyInput, type HandoffService } from '../../services/conversations/handoff.service';
import { CreateInviteInput, type ReferrerInvites } from '../../services/referrers/invite.service';
import { ApproveUserInput, type TeamsIdentityService } from '../../services/referrers/teams-identity.service';
import type { Authenticate } from '../http/auth';
import { parse, requireJson, unwrap, pathParam, type RouteFactory } from '../http/route';

/** The body, with an `Idempotency-Key` header taken as its idempotencyKey. */
function bodyWithKey(req: Request): unknown {
  const key = req.header('idempotency-key');
  return { ...(req.body as object), ...(key ? { idempotencyKey: key } : {}) };
}

export function registerConversationRoutes(
  server: Server,
  deps: { route: RouteFactory; staff: StaffConversationsService; handoff: HandoffService; invites: ReferrerInvites; teams: Pick<TeamsIdentityService, 'approve'>; authenticate: Authenticate },
): void {
  const { route, staff, authenticate } = deps;

  server.get(
    '/api/v1/conversations',
    route(async (req) => {
      const principal = await authenticate(req);
      return { status: 200, body: unwrap(await staff.list(parse(ListConversationsInput, req.query ?? {}, 'query'), principal)) };
    }),
  );

  server.post(
    '/api/v1/conversations/:id/messages',
    route(async (req) => {
      const principal = await authenticate(req);
      requireJson(req);
      const input = parse(StaffMessageInput, bodyWithKey(req), 'body');
      const r = unwrap(await staff.send(pathParam(req, 'id'), input, principal));
      // 201 sent now; 200 a repeat of a sent message; 202 a repeat while the first attempt is still going out.
      const status = r.outcome !== 'duplicate' ? 201 : r.message.status === 'pending' || r.message.status === 'sending' ? 202 : 200;
      return { status, body: { outcome: r.outcome, message: r.message } };
    }),
  );

  server.get(
    '/api/v1/tasks',
    route(async (req) => {
      const principal = await authenticate(req);
      return { status: 200, body: unwrap(await staff.tasks(parse(ListTasksInput, req.query ?? {}, 'query'), principal)) };
    }),
  );

  server.get(
    '/api/v1/tasks/:id',
    route(async (req) => {
      const principal = await authenticate(req);
      return { status: 200, body: unwrap(await deps.handoff.get(pathParam(req, 'id'), principal)) };
    }),
  );

  server.post(
    '/api/v1/tasks/:id/reply',
    route(async (req) => {
      const principal = await authenticate(req);
      requireJson(req);
      const input = parse(TaskReplyInput, bodyWithKey(req), 'body');
      const r = unwrap(await deps.handoff.reply(pathParam(req, 'id'), input, principal));
      return { status: r.outcome === 'duplicate' ? 200 : 201, body: { outcome: r.outcome, message: r.message } };
    }),
  );

  // Staff finished a handoff: the bot answers the person again (and tells them so on their next message).
  server.post(
    '/api/v1/tasks/:id/close',
    route(async (req) => {
      const principal = await authenticate(req);
      return { status: 200, body: unwrap(await deps.handoff.close(pathParam(req, 'id'), principal)) };
    }),
  );

  // A Teams user of a referring office is let in (admin, coordinator), optionally as the office's admin.
  server.post(
    '/api/v1/referrers/:id/users/:userId/approve',
    route(async (req) => {
      const principal = await authenticate(req);
      const input = parse(ApproveUserInput, req.body ?? {}, 'body');
      return { status: 200, body: unwrap(await deps.teams.approve(pathParam(req, 'id'), pathParam(req, 'userId'), input, principal)) };
    }),
  );

  // A one-time web chat sign-in code for a person of a referring office (admin, coordinator).
  server.post(
    '/api/v1/referrers/:id/invites',
    route(async (req) => {
      const principal = await authenticate(req);
      requireJson(req);
      const input = parse(CreateInviteInput, req.body, 'body');
      return { status: 201, body: unwrap(await deps.invites.issue(pathParam(req, 'id'), input, principal)) };
    }),
  );
}
