import type { Server } from 'restify';
import { z } from 'zod';
import { CreateStaffInput, type StaffTokenService } from '../../services/staff/staff-token.service';
import { requireAdmin, type Authenticate } from '../http/auth';
import { parse, pathParam, requireJson, unwrap, type RouteFactory } from '../http/route';

const ListTokensInput = z.object({ limit: z.coerce.number().int().min(1).max(500).default(200) }).strict();

/** Admins issue, list and revoke tokens (the CLI does the same); a token is shown once, at creation. */
export function registerStaffTokenRoutes(server: Server, deps: { route: RouteFactory; tokens: StaffTokenService; authenticate: Authenticate }): void {
  const { route, tokens, authenticate } = deps;

  server.get(
    '/api/v1/staff-tokens',
    route(async (req) => {
      requireAdmin(await authenticate(req), 'manage staff tokens');
      const q = parse(ListTokensInput, req.query ?? {}, 'query');
      return { status: 200, body: { items: await tokens.list(q.limit) } };
    }),
  );

  server.post(
    '/api/v1/staff-tokens',
    route(async (req) => {
      requireAdmin(await authenticate(req), 'manage staff tokens');
      requireJson(req);
      const input = parse(CreateStaffInput, req.body, 'body');
      const made = unwrap(await tokens.create(input));
      return { status: 201, body: { token: made.token, ...tokens.view(made.record) } };
    }),
  );

  server.del(
    '/api/v1/staff-tokens/:id',
    route(async (req) => {
      requireAdmin(await authenticate(req), 'manage staff tokens');
      return { status: 200, body: unwrap(await tokens.revoke(pathParam(req, 'id'))) };
    }),
  );
}
