import type { Server } from 'restify';
import { Purpose } from '../../services/consent/consent.schema';
import { ListMessagesInput, PutConsentInput, type MessagingStaffService } from '../../services/messaging/staff-view.service';
import type { Authenticate } from '../http/auth';
import { parse, requireJson, unwrap, pathParam, type RouteFactory } from '../http/route';

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
      return { status: 200, body: unwrap(await staff.getConsent(pathParam(req, 'phone'), principal)) };
    }),
  );

  server.put(
    '/api/v1/consents/:phone/:purpose',
    route(async (req) => {
      const principal = await authenticate(req);
      requireJson(req);
      const purpose = parse(Purpose, pathParam(req, 'purpose'), 'purpose');
      const input = parse(PutConsentInput, req.body, 'body');
      return { status: 200, body: unwrap(await staff.putConsent(pathParam(req, 'phone'), purpose, input, principal)) };
    }),
  );
}
