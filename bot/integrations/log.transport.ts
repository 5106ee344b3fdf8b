import { randomBytes } from 'node:crypto';
import { maskPhone } from '../../services/contact/phone';
import type { SmsTransport } from '../../services/messaging/gateway';

/** How many sends the log transport remembers for `find` (its stand-in for Twilio's message log). */
const REMEMBERED = 10_000;

/**
 * Development transport (no Twilio keys): prints each SMS so a developer sees what the patient would get.
 * Only the last 4 digits of the number are shown. Refused in production (see env.schema.ts).
 * It keeps its recent sends in memory, so a send whose outcome was never recorded (the database went away just
 * after) is found by the recovery sweep as it would be in Twilio's log, instead of staying `sending`.
 */
export function createLogTransport(write: (line: string) => void): SmsTransport {
  const sent: Array<{ to: string; body: string; at: number; sid: string }> = [];
  return {
    name: 'log',
    send({ to, body }) {
      write(`[sms to ${maskPhone(to)}] ${body.replace(/\n/g, '\n    ')}`);
      const sid = `SM${randomBytes(16).toString('hex')}`;
      sent.push({ to, body, at: Date.now(), sid });
      if (sent.length > REMEMBERED) sent.splice(0, sent.length - REMEMBERED);
      return Promise.resolve({ ok: true, sid, status: 'sent' });
    },
    find({ to, body, since }) {
      // Each send answers for one message only; a minute's slack as with Twilio's dateCreated.
      const i = sent.findIndex((s) => s.to === to && s.body === body && s.at >= since.getTime() - 60_000);
      if (i < 0) return Promise.resolve(null);
      const [hit] = sent.splice(i, 1);
      return Promise.resolve({ sid: hit!.sid, status: 'sent' });
    },
  };
}
