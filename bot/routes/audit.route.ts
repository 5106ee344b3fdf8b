import type { Server } from 'restify';
import { z } from 'zod';
import type { AuditRepository } from '../../services/audit/audit.schema';
import { requireAdmin, type Authenticate } from '../http/auth';
import { parse, type RouteFactory } from '../http/route';

const ListAuditInput = z
  .object({
    actor: z.string().min(1).max(100).optional(),
    caseId: z.string().min(1).max(64).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();

/** Admins read who did what: by caller or by case, newest first. */
export function registerAuditRoutes(server: Server, deps: { route: RouteFactory; audit: AuditRepository; authenticate: Authenticate }): void {
  server.get(
    '/api/v1/audit-events',
    deps.route(async (req) => {
      requireAdmin(await deps.authenticate(req), 'read the audit log');
      const q = parse(ListAuditInput, req.query ?? {}, 'query');
      const items = await deps.audit.list({ ...(q.actor ? { actorId: q.actor } : {}), ...(q.caseId ? { caseId: q.caseId } : {}) }, q.limit);
      return { status: 200, body: { items } };
    }),
  );
}
