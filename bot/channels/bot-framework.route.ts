import type { Activity } from 'botbuilder';
import type { IntakeCloudAdapter } from './cloud-adapter';
import type { Server } from 'restify';
import { z } from 'zod';
import { HttpError } from '../http/errors';
import { parse, requireJson, type RouteFactory } from '../http/route';
import { TurnBusyError, type TurnRunner } from './turn-runner';

/** What we need of an incoming activity before authentication looks at it; the rest passes through untouched. */
const IncomingActivity = z
  .object({
    type: z.string().min(1).max(64),
    channelId: z.string().min(1).max(64),
    serviceUrl: z.string().url().max(1000),
    conversation: z.object({ id: z.string().min(1).max(1000) }).passthrough(),
    from: z.object({ id: z.string().min(1).max(512) }).passthrough(),
    recipient: z.object({ id: z.string().min(1).max(512) }).passthrough(),
    text: z.string().max(20_000).refine((s) => !s.includes('\u0000'), 'must not contain NUL').optional(),
  })
  .passthrough();

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

export interface BotFrameworkRouteDeps {
  route: RouteFactory;
  adapter: IntakeCloudAdapter;
  runner: TurnRunner;
}

/**
 * `POST /api/messages`: Teams and Azure Direct Line through CloudAdapter. The JWT is checked whenever MicrosoftAppId is
 * set; `deliveryMode: expectReplies` gets its replies in the response body, else they go to the activity's serviceUrl.
 */
export function registerBotFrameworkRoutes(server: Server, deps: BotFrameworkRouteDeps): void {
  server.post(
    '/api/messages',
    deps.route(async (req) => {
      // Without an app id nothing is authenticated, and a stored serviceUrl is where later messages go: so only this
      // machine may post (local development, the tests).
      if (!deps.adapter.credentials.appId && !LOOPBACK.has(req.socket.remoteAddress ?? '')) {
        throw new HttpError(401, 'UNAUTHORIZED', 'set MicrosoftAppId to accept Bot Framework activities from other hosts');
      }
      requireJson(req);
      const activity = parse(IncomingActivity, req.body, 'body') as unknown as Activity;
      try {
        const r = await deps.adapter.handle(req.header('authorization') ?? '', activity, (context) => deps.runner.serialized(context));
        return { status: r?.status ?? 200, body: r?.body ?? {} };
      } catch (e) {
        if ((e as { statusCode?: unknown }).statusCode === 401) {
          throw new HttpError(401, 'UNAUTHORIZED', 'a valid Bot Framework token is required (Authorization: Bearer <JWT>)');
        }
        if (e instanceof TurnBusyError) throw new HttpError(503, 'CONVERSATION_BUSY', e.message);
        throw e;
      }
    }),
  );
}
