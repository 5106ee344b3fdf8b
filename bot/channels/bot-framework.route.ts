import type { Activity } from 'botbuilder';
import type { IntakeCloudAdapter } from './cloud-adapter';
import type { Server } from 'restify';
import { z } from 'zod';
import { HttpError } from '../http/errors';
import { parse, requireJson, type RouteFactory } from '../http/route';
import { TurnBusyError, type TurnRunner } from './turn-runner';

/** An optional text field: kept when it is a bounded string, dropped otherwise (never an object in a query). */
const optText = (max: number) => z.string().max(max).optional().catch(undefined);
/** An optional list: the items that fit `item` are kept, the rest dropped; anything but a short list reads as absent. */
const optList = (item: z.ZodTypeAny, max: number) =>
  z
    .array(z.unknown())
    .max(max)
    .transform((xs) => xs.flatMap((x) => { const r = item.safeParse(x); return r.success ? [r.data as unknown] : []; }))
    .optional()
    .catch(undefined);
const entity = z.object({ type: z.string().max(64) }).passthrough();
const attachment = z.object({ contentType: optText(200), contentUrl: optText(2_000), name: optText(300) }).passthrough();

/**
 * What we need of an incoming activity before authentication looks at it. The ids a turn stands on must be strings
 * (400 otherwise); every other field the bot reads is a bounded string or dropped, so an object, a number or 5,000
 * characters in a tenant id, a name or a locale reads as absent; the rest passes through untouched.
 */
const IncomingActivity = z
  .object({
    type: z.string().min(1).max(64),
    id: optText(200),
    channelId: z.string().min(1).max(64),
    serviceUrl: z.string().url().max(1000),
    deliveryMode: optText(32),
    locale: optText(20),
    name: optText(200),
    replyToId: optText(200),
    conversation: z.object({ id: z.string().min(1).max(1000), tenantId: optText(100), conversationType: optText(40), name: optText(300) }).passthrough(),
    from: z.object({ id: z.string().min(1).max(512), name: optText(300), aadObjectId: optText(100), role: optText(40) }).passthrough(),
    recipient: z.object({ id: z.string().min(1).max(512), name: optText(300) }).passthrough(),
    text: z.string().max(20_000).refine((s) => !s.includes('\u0000'), 'must not contain NUL').optional(),
    entities: optList(entity, 50),
    attachments: optList(attachment, 20),
    channelData: z.record(z.unknown()).optional().catch(undefined),
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
        // botbuilder answers an invoke no handler took with 501: it is the caller's request we do not serve, a 4xx.
        if (r?.status === 501) {
          const name = typeof activity.name === 'string' ? activity.name.slice(0, 100) : '';
          throw new HttpError(400, 'UNSUPPORTED_INVOKE', `this bot does not handle the invoke '${name}'`);
        }
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
