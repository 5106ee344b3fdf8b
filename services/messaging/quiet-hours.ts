import { DateTime } from 'luxon';

export interface SendWindow {
  sendFrom: string; // HH:MM local
  sendUntil: string; // HH:MM local
}

function at(local: DateTime, hhmm: string): DateTime {
  const [h, m] = hhmm.split(':').map(Number);
  return local.set({ hour: h!, minute: m!, second: 0, millisecond: 0 });
}

/**
 * When a message we start may go out: `now` if the recipient's local time is inside the window, else the window's
 * next opening (later today, or tomorrow). Pure; DST-safe because the arithmetic is done in the recipient's zone.
 */
export function nextSendTime(now: Date, timeZone: string, window: SendWindow): Date {
  const local = DateTime.fromJSDate(now, { zone: timeZone });
  const open = at(local, window.sendFrom);
  const close = at(local, window.sendUntil);
  if (local >= open && local < close) return now;
  const next = local < open ? open : at(local.plus({ days: 1 }), window.sendFrom);
  return next.toJSDate();
}
