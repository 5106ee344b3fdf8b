import { randomBytes } from 'node:crypto';
import { maskPhone } from '../../services/contact/phone';
import type { SmsTransport } from '../../services/messaging/gateway';

/**
 * Development transport (no Twilio keys): prints each SMS so a developer sees what the patient would get.
 * Only the last 4 digits of the number are shown. Refused in production (see env.schema.ts).
 */
export function createLogTransport(write: (line: string) => void): SmsTransport {
  return {
    name: 'log',
    send({ to, body }) {
      write(`[sms to ${maskPhone(to)}] ${body.replace(/\n/g, '\n    ')}`);
      return Promise.resolve({ ok: true, sid: `SM${randomBytes(16).toString('hex')}`, status: 'sent' });
    },
  };
}
