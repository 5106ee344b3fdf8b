import type { Server } from 'restify';
import { Purpose } from '../../services/consent/consent.schema';
import { ListMessagesInput, PutConsentInput, type MessagingStaffService } from '../../services/messaging/staff-view.service';
import type { Authenticate } from '../http/auth';
import { parse, requireJson, unwrap, type RouteFactory } from '../http/route';

function param(req: { params?: unknown }, name: string): string {
  const v = (req.params as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : '';
}

export function registerMessagingRoutes(server: Server, deps: { route: RouteFactory; staff: MessagingStaffService; authenticate: Authenticate }): void {
  const { route, staff, authenticate } = deps;

  server.get(
    '/api/v1/messages',
    route(async (req) => {
      const principal = await authenticate(req);
      return { status: 200, body: unwrap(await staff.listMessages(parse(ListMessagesInput, req.query ?? {}, 'query'), principal)) };
    }),
  );

  server.get(
    '/api/v1/consents/:phone',
    route(async (req) => {
      const principal = await authenticate(req);
      return { status: 200, body: unwrap(await staff.getConsent(param(req, 'phone'), principal)) };
    }),
  );

  server.put(
    '/api/v1/consents/:phone/:purpose',
    route(async (req) => {
      const principal = await authenticate(req);
      requireJson(req);
      const purpose = parse(Purpose, param(req, 'purpose'), 'purpose');
      const input = parse(PutConsentInput, req.body, 'body');
      return { status: 200, body: unwrap(await staff.putConsent(param(req, 'phone'), purpose, input, principal)) };
    }),
  );
}
