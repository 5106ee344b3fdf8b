import { timeZoneForPhone } from '../../services/contact/area-codes';
import { nextSendTime } from '../../services/messaging/quiet-hours';

const MARKETING = { sendFrom: '08:00', sendUntil: '20:00' };
const CARE = { sendFrom: '08:00', sendUntil: '21:00' };

describe('quiet hours in the recipient\'s local time', () => {
  // 2026-11-28 is standard time everywhere in the US: New York UTC-5, Chicago UTC-6, Los Angeles UTC-8.
  test.each([
    ['America/New_York', '2026-11-29T02:30:00Z', '2026-11-29T13:00:00Z'],
    ['America/Chicago', '2026-11-29T03:30:00Z', '2026-11-29T14:00:00Z'],
    ['America/Los_Angeles', '2026-11-29T05:30:00Z', '2026-11-29T16:00:00Z'],
  ])('a marketing message due at 21:30 local in %s waits for 08:00 local next morning', (zone, due, expected) => {
    expect(nextSendTime(new Date(due), zone, MARKETING).toISOString()).toBe(new Date(expected).toISOString());
  });

  test.each([
    ['America/New_York', '2026-11-29T01:30:00Z'],
    ['America/Chicago', '2026-11-29T02:30:00Z'],
    ['America/Los_Angeles', '2026-11-29T04:30:00Z'],
  ])('a care message at 20:30 local in %s goes out at once', (zone, due) => {
    expect(nextSendTime(new Date(due), zone, CARE).toISOString()).toBe(new Date(due).toISOString());
  });

  test('before the window opens it waits for the same morning', () => {
    // 06:10 in Chicago → 08:00 the same day
    expect(nextSendTime(new Date('2026-11-28T12:10:00Z'), 'America/Chicago', CARE).toISOString()).toBe('2026-11-28T14:00:00.000Z');
  });

  test('across a DST change the wait ends at 08:00 local, not at a fixed offset', () => {
    // 2026-03-08 US DST starts; 22:00 New York on 03-07 (UTC-5) → 08:00 on 03-08 (UTC-4)
    expect(nextSendTime(new Date('2026-03-08T03:00:00Z'), 'America/New_York', CARE).toISOString()).toBe('2026-03-08T12:00:00.000Z');
  });
});

describe('area code time zones', () => {
  test.each([
    ['+12125550100', 'America/New_York'],
    ['+15125550100', 'America/Chicago'],
    ['+13035550100', 'America/Denver'],
    ['+16025550100', 'America/Phoenix'],
    ['+14155550100', 'America/Los_Angeles'],
    ['+19155550100', 'America/Denver'],
  ])('%s → %s', (phone, zone) => expect(timeZoneForPhone(phone)).toBe(zone));
  test('unknown and foreign numbers give null', () => {
    expect(timeZoneForPhone('+15555550100')).toBeNull();
    expect(timeZoneForPhone('+34612345678')).toBeNull();
  });
});
