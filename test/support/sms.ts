import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import { PUBLIC_BASE_URL, TWILIO_AUTH_TOKEN } from './test-app';

export const newSid = () => `SM${randomBytes(16).toString('hex')}`;
let phoneCounter = 0;
/** A fresh Austin (512) number per call, so tests never share consent or conversation state. */
export const newPhone = (area = '512') => `+1${area}${String(5_550_000 + ((process.pid * 97 + ++phoneCounter * 7919) % 10_000)).padStart(7, '0')}`;

/** The inbound webhook answers before the turn runs: per test app, how to wait for the turns it started. */
const settlers = new Map<string, () => Promise<void>>();
/** Registers how to wait for a test app's turns; the returned function forgets it (at close). */
export function settleAfterWebhook(base: string, settle: () => Promise<void>): () => void {
  settlers.set(base, settle);
  return () => settlers.delete(base);
}

/**
 * Posts form parameters to our webhook, signed exactly as Twilio signs (the twilio package computes it). An inbound
 * text then waits for the turn it started (as a person waits for the reply) unless `settle` is false.
 */
export async function postTwilio(
  base: string,
  path: string,
  params: Record<string, string>,
  opts: { sign?: 'ok' | 'none'; signParams?: Record<string, string>; token?: string; settle?: boolean } = {},
) {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (opts.sign !== 'none') {
    headers['x-twilio-signature'] = twilio.getExpectedTwilioSignature(opts.token ?? TWILIO_AUTH_TOKEN, `${PUBLIC_BASE_URL}${path}`, opts.signParams ?? params);
  }
  const res = await fetch(`${base}${path}`, { method: 'POST', headers, body: new URLSearchParams(params).toString() });
  const out = { status: res.status, text: await res.text(), contentType: res.headers.get('content-type') };
  if (path.startsWith('/api/sms/inbound') && opts.settle !== false) await settlers.get(base)?.();
  return out;
}

export function inbound(from: string, body: string, sid = newSid()) {
  return { MessageSid: sid, AccountSid: `AC${'0'.repeat(32)}`, From: from, To: '+15125550100', Body: body, NumMedia: '0' };
}
