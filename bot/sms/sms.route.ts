import type { Logger } from 'pino';
import type { Request, Server } from 'restify';
import twilio from 'twilio';
import { z } from 'zod';
import { normalizePhone } from '../../services/contact/phone';
import { MessageStatus, type MessageRepository } from '../../services/messaging/message.schema';
import { fromZod, HttpError } from '../http/errors';
import type { RouteFactory } from '../http/route';
import { logOf } from '../server';
import type { SmsTurns } from './sms.turns';

const EMPTY_TWIML = { contentType: 'text/xml', text: '<?xml version="1.0" encoding="UTF-8"?><Response></Response>' };

const Sid = z.string().regex(/^(SM|MM)[0-9a-fA-F]{32}$/, 'must be a Twilio message SID');
const Phone = z.string().transform((v, ctx) => {
  const p = normalizePhone(v);
  if (!p) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must be a phone number' });
    return z.NEVER;
  }
  return p;
});

/** The parameters we use from Twilio's Messaging webhook; Twilio sends more, which are kept out. */
const InboundParams = z.object({
  MessageSid: Sid,
  From: Phone,
  To: z.string().min(1).max(32),
  Body: z.string().max(1600).refine((s) => !s.includes('\u0000'), 'must not contain NUL').default(''),
  NumMedia: z.coerce.number().int().min(0).max(10).default(0),
});

/** An MMS's media as Twilio sends them (MediaUrl0…, MediaContentType0…); values that are not URLs are left out. */
function mediaOf(params: Record<string, string>, count: number): Array<{ url: string; contentType: string }> {
  const out: Array<{ url: string; contentType: string }> = [];
  for (let i = 0; i < count; i++) {
    const url = params[`MediaUrl${i}`];
    if (typeof url !== 'string' || !/^https:\/\/\S{1,990}$/.test(url)) continue;
    const type = params[`MediaContentType${i}`];
    out.push({ url, contentType: typeof type === 'string' && /^[\w.+-]{1,50}\/[\w.+-]{1,49}$/.test(type) ? type : 'application/octet-stream' });
  }
  return out;
}

const StatusParams = z.object({
  MessageSid: Sid,
  MessageStatus: MessageStatus,
  ErrorCode: z.coerce.number().int().optional(),
});

export interface SmsRouteDeps {
  route: RouteFactory;
  turns: SmsTurns;
  messages: MessageRepository;
  /** null in development without TWILIO_AUTH_TOKEN: unsigned requests are accepted with a warning. */
  authToken: string | null;
  publicBaseUrl: string;
  logger: Logger;
  now: () => Date;
  /** Throws a 429 HttpError when this number sent too many texts lately. */
  limit?: (from: string) => Promise<void>;
}

export function registerSmsRoutes(server: Server, deps: SmsRouteDeps): void {
  const { route } = deps;

  /** X-Twilio-Signature over PUBLIC_BASE_URL + path + query and the form parameters; never the Host header. */
  function verify(req: Request): Record<string, string> {
    if (!req.is('application/x-www-form-urlencoded')) {
      throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Twilio webhooks are form-encoded');
    }
    const params = (req.body ?? {}) as Record<string, string>;
    if (deps.authToken === null) {
      logOf(req, deps.logger).warn('unsigned Twilio webhook accepted: TWILIO_AUTH_TOKEN is not set (development only)');
      return params;
    }
    const signature = req.header('x-twilio-signature');
    if (!signature || !twilio.validateRequest(deps.authToken, signature, `${deps.publicBaseUrl}${req.url ?? ''}`, params)) {
      throw new HttpError(403, 'INVALID_SIGNATURE', 'the X-Twilio-Signature header is missing or does not match');
    }
    return params;
  }

  server.post(
    '/api/sms/inbound',
    route(async (req) => {
      const params = verify(req);
      const parsed = InboundParams.safeParse(params);
      if (!parsed.success) throw fromZod(parsed.error, 'body');
      const p = parsed.data;
      await deps.limit?.(p.From);
      const outcome = await deps.turns.receive({ messageSid: p.MessageSid, from: p.From, body: p.Body, media: mediaOf(params, p.NumMedia) });
      if (outcome === 'duplicate') logOf(req, deps.logger).info('duplicate MessageSid ignored');
      return { status: 200, body: null, raw: EMPTY_TWIML };
    }),
  );

  server.post(
    '/api/sms/status',
    route(async (req) => {
      const parsed = StatusParams.safeParse(verify(req));
      if (!parsed.success) throw fromZod(parsed.error, 'body');
      const p = parsed.data;
      const updated = await deps.messages.recordDeliveryStatus(
        p.MessageSid,
        { status: p.MessageStatus, at: deps.now(), errorCode: p.ErrorCode ?? null },
        deps.now(),
      );
      if (!updated) logOf(req, deps.logger).warn('status callback for an unknown message');
      return { status: 200, body: null, raw: EMPTY_TWIML };
    }),
  );
}
