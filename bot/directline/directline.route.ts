import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Activity } from 'botbuilder';
import type { Request, Server } from 'restify';
import { z } from 'zod';
import { DIRECT_LINE_TTL_S, type DirectLineConversation, type DirectLineStore } from '../../models/directline.store';
import { HttpError } from '../http/errors';
import { parse, requireJson, pathParam, type RouteFactory } from '../http/route';
import { TurnBusyError, type TurnRunner } from '../channels/turn-runner';
import { BOT_ACCOUNT, LOCAL_DIRECT_LINE_URL, type DirectLineAdapter } from './directline.adapter';
import { chatPage } from './chat.page';
import { pageCsp } from '../http/security';
import { parseMultipart, readBody } from './multipart';
import { UPLOAD_MAX_BYTES, UPLOAD_TYPES } from '../../services/documents/document.schema';

export interface DirectLineRouteDeps {
  route: RouteFactory;
  store: DirectLineStore;
  adapter: DirectLineAdapter;
  runner: TurnRunner;
  /** Microsoft's Web Chat bundle (botframework-webchat/dist/webchat.js); null when the package is not installed. */
  webChatBundle: string | null;
  centerName: string;
  /** Files sent in the chat (signed-in offices only): kept, and linked from the message as attachments. */
  uploads?: {
    allowed(conversationId: string): Promise<boolean>;
    keep(file: { conversationId: string; name: string; contentType: string; data: Buffer }): Promise<{ url: string }>;
  };
}

/** What Web Chat posts; identity, conversation and ids are ours to set, never the client's. */
const PostedActivity = z
  .object({
    type: z.enum(['message', 'event', 'typing']),
    text: z.string().max(4_000).refine((s) => !s.includes('\u0000'), 'must not contain NUL').optional(),
    name: z.string().max(100).optional(),
    value: z.unknown().optional(),
    locale: z.string().max(16).optional(),
    textFormat: z.string().max(16).optional(),
    channelData: z.record(z.unknown()).optional(),
    attachments: z.array(z.record(z.unknown())).max(10).optional(),
    from: z.object({ name: z.string().max(100).optional() }).passthrough().optional(),
  })
  .refine((a) => a.type !== 'message' || (a.text ?? '').trim() !== '' || (a.attachments?.length ?? 0) > 0, { message: 'a message needs text or an attachment', path: ['text'] });

const Watermark = z.object({ watermark: z.coerce.number().int().min(0).max(10_000_000).default(0) });

function bearer(req: Request): string {
  const m = /^Bearer\s+(\S+)$/i.exec(req.header('authorization') ?? '');
  if (!m?.[1]) throw new HttpError(401, 'UNAUTHORIZED', 'send the conversation token as Authorization: Bearer <token>');
  return m[1];
}

/**
 * A Direct Line 3.0 subset on this server (interfaces.md), for local Web Chat: create a conversation, post an
 * activity (the turn runs before the answer, so its replies are ready for the next poll), poll with a watermark.
 * Development only: production uses Azure Bot Service's Direct Line against /api/messages.
 */
export function registerDirectLineRoutes(server: Server, deps: DirectLineRouteDeps): void {
  const { route, store } = deps;
  let bundle: Promise<string> | null = null;

  async function conversationFor(req: Request, id?: string): Promise<DirectLineConversation & { token: string }> {
    const token = bearer(req);
    const conv = await store.byToken(token);
    if (!conv) throw new HttpError(403, 'FORBIDDEN', 'the token is unknown or expired; open a new conversation');
    if (id !== undefined && conv.id !== id) throw new HttpError(403, 'FORBIDDEN', 'the token belongs to another conversation');
    return { ...conv, token };
  }

  const started = (c: DirectLineConversation & { token: string }) => ({
    conversationId: c.id,
    token: c.token,
    expires_in: DIRECT_LINE_TTL_S,
    // Not in Direct Line's answer: the user id the page shows its own messages under.
    userId: c.userId,
  });

  server.post(
    '/v3/directline/tokens/generate',
    route(async () => {
      const c = await store.create();
      return { status: 200, body: started(c) };
    }),
  );
  server.post(
    '/v3/directline/tokens/refresh',
    route(async (req) => {
      const c = await conversationFor(req);
      await store.refresh(c.token);
      return { status: 200, body: started(c) };
    }),
  );
  server.post(
    '/v3/directline/conversations',
    route(async (req) => {
      // With a token from tokens/generate: that conversation. Without one: a new conversation and its token.
      if (!req.header('authorization')) {
        const c = await store.create();
        return { status: 201, body: started(c) };
      }
      return { status: 201, body: started(await conversationFor(req)) };
    }),
  );
  server.get(
    '/v3/directline/conversations/:id',
    route(async (req) => ({ status: 200, body: started(await conversationFor(req, pathParam(req, 'id'))) })),
  );
  server.get(
    '/v3/directline/conversations/:id/activities',
    route(async (req) => {
      const c = await conversationFor(req, pathParam(req, 'id'));
      const { watermark } = parse(Watermark, req.query ?? {}, 'query');
      const r = await store.after(c.id, watermark);
      return { status: 200, body: { activities: r.activities, watermark: String(r.watermark) } };
    }),
  );
  // Web Chat's upload: the activity and its files in one multipart body (Direct Line 3.0's /upload).
  server.post(
    '/v3/directline/conversations/:id/upload',
    route(async (req) => {
      const c = await conversationFor(req, pathParam(req, 'id'));
      if (!deps.uploads || !(await deps.uploads.allowed(c.id))) throw new HttpError(403, 'UPLOADS_OFFICE_ONLY', 'files can be sent here only by a signed-in doctor’s office; patients, please bring documents to your visit');
      if (!req.is('multipart/form-data')) throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'send the upload as multipart/form-data');
      const parts = parseMultipart(await readBody(req, 10 * UPLOAD_MAX_BYTES + 64 * 1024, 30_000), req.header('content-type'));
      const activityPart = parts.find((p) => p.name === 'activity');
      let posted: z.infer<typeof PostedActivity> = { type: 'message' };
      if (activityPart) {
        let json: unknown;
        try {
          json = JSON.parse(activityPart.data.toString('utf8'));
        } catch {
          throw new HttpError(400, 'INVALID_INPUT', 'the activity part is not JSON');
        }
        posted = parse(PostedActivity.innerType().partial({ type: true }), json, 'activity') as z.infer<typeof PostedActivity>;
      }
      const files = parts.filter((p) => p !== activityPart && p.data.length > 0);
      if (files.length === 0) throw new HttpError(400, 'INVALID_INPUT', 'the upload has no file');
      const attachments: Array<Record<string, unknown>> = [];
      for (const f of files) {
        const type = f.contentType ?? 'application/octet-stream';
        if (!UPLOAD_TYPES.has(type)) throw new HttpError(415, 'UNSUPPORTED_FILE_TYPE', `${f.filename ?? 'the file'}: send a PDF, a picture (PNG, JPEG, TIFF) or text`);
        if (f.data.length > UPLOAD_MAX_BYTES) throw new HttpError(413, 'PAYLOAD_TOO_LARGE', `${f.filename ?? 'the file'} is over ${UPLOAD_MAX_BYTES / 1024 / 1024} MB: fax it instead`);
        // A file name as shown and sent back in a header: printable, no quotes or path separators.
        const name = [...(f.filename ?? 'file')].filter((ch) => ch >= ' ' && !'"\\/'.includes(ch)).join('').slice(0, 200) || 'file';
        const kept = await deps.uploads.keep({ conversationId: c.id, name, contentType: type, data: f.data });
        attachments.push({ contentType: type, name, contentUrl: kept.url });
      }
      return { status: 200, body: { id: await runPosted(c, { ...posted, type: 'message', attachments }) } };
    }),
  );

  /** One posted activity as a turn: echoed into the transcript in its turn, run, its id answered. */
  async function runPosted(c: DirectLineConversation, posted: z.infer<typeof PostedActivity>): Promise<string> {
    const user = { id: c.userId, name: posted.from?.name ?? 'you', role: 'user' };
    const echo = { ...posted, from: user, channelId: 'webchat', conversation: { id: c.id }, timestamp: new Date().toISOString() };
    if (posted.type === 'typing') return (await store.append(c.id, [echo]))[0]!;
    const activity: Partial<Activity> = {
      ...(posted as Partial<Activity>),
      channelId: 'webchat',
      serviceUrl: LOCAL_DIRECT_LINE_URL,
      conversation: { id: c.id, isGroup: false, conversationType: 'personal', name: 'webchat' },
      from: user,
      recipient: BOT_ACCOUNT,
      timestamp: new Date(),
    };
    let id = '';
    try {
      // The user's message enters the transcript in its turn, so a refused turn leaves no unanswered echo behind.
      await deps.adapter.runTurn(activity, (context) =>
        deps.runner.serialized(context, async () => {
          id = (await store.append(c.id, [echo]))[0]!;
          context.activity.id = id;
        }),
      );
    } catch (e) {
      if (e instanceof TurnBusyError) throw new HttpError(503, 'CONVERSATION_BUSY', e.message);
      throw e;
    }
    return id;
  }

  server.post(
    '/v3/directline/conversations/:id/activities',
    route(async (req) => {
      requireJson(req);
      const c = await conversationFor(req, pathParam(req, 'id'));
      const posted = parse(PostedActivity, req.body, 'body');
      return { status: 200, body: { id: await runPosted(c, posted) } };
    }),
  );
  server.get(
    '/chat',
    route(() => {
      const nonce = randomBytes(16).toString('base64');
      return Promise.resolve({
        status: 200,
        body: null,
        headers: { 'Content-Security-Policy': pageCsp(nonce) },
        raw: { contentType: 'text/html; charset=utf-8', text: chatPage(deps.centerName, deps.webChatBundle !== null, nonce) },
      });
    }),
  );
  server.get(
    '/chat/webchat.js',
    route(async () => {
      if (!deps.webChatBundle) throw new HttpError(404, 'NOT_FOUND', 'botframework-webchat is not installed: run npm install');
      return {
        status: 200,
        body: null,
        headers: { 'Cache-Control': 'public, max-age=3600' },
        raw: { contentType: 'application/javascript; charset=utf-8', text: await (bundle ??= readFile(deps.webChatBundle, 'utf8')) },
      };
    }),
  );
}
