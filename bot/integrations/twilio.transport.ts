import twilio from 'twilio';
import type { MessageStatus } from '../../services/messaging/message.schema';
import type { SmsTransport, TransportResult } from '../../services/messaging/gateway';

export interface TwilioTransportOptions {
  accountSid: string;
  authToken: string;
  from?: string;
  messagingServiceSid?: string;
  /** TWILIO_API_BASE_URL: a Twilio-compatible REST server instead of https://api.twilio.com. */
  apiBaseUrl?: string;
  /** HTTP keep-alive to Twilio (default on). */
  keepAlive?: boolean;
  /** How long one request to Twilio may take (default 10 s): a reply inside a turn must not wait the SDK's 30 s. */
  timeoutMs?: number;
}

const KNOWN: ReadonlySet<string> = new Set(['accepted', 'queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'read']);

/** Sends with the twilio SDK. Retries are the gateway's (the SDK's own autoRetry is off, so nothing is sent twice). */
export function createTwilioTransport(opts: TwilioTransportOptions): SmsTransport {
  const client = twilio(opts.accountSid, opts.authToken, { autoRetry: false, keepAlive: opts.keepAlive ?? true, timeout: opts.timeoutMs ?? 10_000 });
  if (opts.apiBaseUrl) {
    client.api.baseUrl = opts.apiBaseUrl.replace(/\/$/, '');
    // The SDK rewrites host names for Twilio regions (x.y → x.y.x.y for a two-label host): keep ours as given.
    (client as unknown as { getHostname: (host: string) => string }).getHostname = (host) => host;
  }
  return {
    name: 'twilio',
    async find({ to, body, since }) {
      // Twilio filters by the day sent; the exact text (and no earlier than we stored it) picks ours.
      const day = new Date(Date.UTC(since.getUTCFullYear(), since.getUTCMonth(), since.getUTCDate()));
      const sent = await client.messages.list({ to, dateSentAfter: day, limit: 200 });
      const ours = sent.find((m) => m.body === body && (!m.dateCreated || m.dateCreated.getTime() >= since.getTime() - 60_000));
      return ours ? { sid: ours.sid, status: KNOWN.has(ours.status) ? (ours.status as MessageStatus) : 'queued' } : null;
    },
    async send({ to, body, statusCallback }): Promise<TransportResult> {
      try {
        const sent = await client.messages.create({
          to,
          body,
          ...(opts.messagingServiceSid ? { messagingServiceSid: opts.messagingServiceSid } : { from: opts.from! }),
          ...(statusCallback ? { statusCallback } : {}),
        });
        const status = KNOWN.has(sent.status) ? (sent.status as MessageStatus) : 'queued';
        return { ok: true, sid: sent.sid, status };
      } catch (e) {
        const ex = e as { status?: number; code?: number; message?: string };
        if (typeof ex.status === 'number') {
          return { ok: false, httpStatus: ex.status, code: typeof ex.code === 'number' ? ex.code : null, message: ex.message ?? 'Twilio error' };
        }
        throw e; // no HTTP answer: Twilio may or may not have the message, so never retry blindly
      }
    },
  };
}
