import type { Server } from 'restify';
import { z } from 'zod';
import { CreateStaffInput, type StaffTokenService } from '../../services/staff/staff-token.service';
import type { Principal } from '../../services/staff/staff.roles';
import type { Authenticate } from '../http/auth';
import { HttpError } from '../http/errors';
import { parse, pathParam, requireJson, unwrap, type RouteFactory } from '../http/route';

const ListTokensInput = z.object({ limit: z.coerce.number().int().min(1).max(500).default(200) }).strict();

function adminOnly(p: Principal): void {
  if (p.role !== 'admin') throw new HttpError(403, 'FORBIDDEN', `role '${p.role}' may not manage staff tokens`);
}

/** Admins issue, list and revoke tokens (the CLI does the same); a token is shown once, at creation. */
export function registerStaffTokenRoutes(server: Server, deps: { route: RouteFactory; tokens: StaffTokenService; authenticate: Authenticate }): void {
  const { route, tokens, authenticate } = deps;

  server.get(
    '/api/v1/staff-tokens',
    route(async (req) => {
      adminOnly(await authenticate(req));
      const q = parse(ListTokensInput, req.query ?? {}, 'query');
      return { status: 200, body: { items: await tokens.list(q.limit) } };
    }),
  );

  server.post(
    '/api/v1/staff-tokens',
    route(async (req) => {
      adminOnly(await authenticate(req));
      requireJson(req);
      const input = parse(CreateStaffInput, req.body, 'body');
      const made = unwrap(await tokens.create(input));
      return { status: 201, body: { token: made.token, ...tokens.view(made.record) } };
    }),
  );

  server.del(
    '/api/v1/staff-tokens/:id',
    route(async (req) => {
      adminOnly(await authenticate(req));
      return { status: 200, body: unwrap(await tokens.revoke(pathParam(req, 'id'))) };
    }),
  );
}
