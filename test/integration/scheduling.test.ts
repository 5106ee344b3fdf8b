import type { Connection } from 'mongoose';
import { DateTime } from 'luxon';
import { connectMongo } from '../../models/db';
import { createRepositories, type Repositories } from '../../models';
import { createScheduling } from '../../services/scheduling/scheduling.service';
import { fastingHours, prepFor, slotMinutes } from '../../services/scheduling/study';
import { prepMessage, readinessStopAt } from '../../services/scheduling/prep';
import { noticeWords } from '../../dialogs/notices.texts';
import { exampleSite, testMongoUri, uniqueDbName } from '../support/test-app';

const site = exampleSite();
// Monday 30 Nov 2026, 07:30 in Austin: the first slots are 2 h out, from 09:30.
const NOW = new Date('2026-11-30T13:30:00Z');
const local = (d: Date) => DateTime.fromJSDate(d, { zone: 'America/Chicago' }).toFormat("ccc yyyy-MM-dd HH:mm");
const MRI_LSPINE = { modality: 'mri' as const, bodyPart: 'lumbar spine', contrast: 'without' as const };

let conn: Connection;
let repos: Repositories;

beforeEach(async () => {
  conn = await connectMongo(testMongoUri(), uniqueDbName('sched'));
  repos = createRepositories(conn);
  await repos.ensureIndexes();
});
afterEach(async () => {
  await conn.db?.dropDatabase();
  await conn.close();
});

const scheduling = () => createScheduling({ site, appointments: repos.appointments, now: () => NOW });

describe('study rules from the site config', () => {
  test('slot length by modality, contrast and body part', () => {
    expect(slotMinutes(site, MRI_LSPINE)).toBe(45);
    expect(slotMinutes(site, { ...MRI_LSPINE, contrast: 'with' })).toBe(60);
    expect(slotMinutes(site, { modality: 'ct', bodyPart: 'chest', contrast: 'with' })).toBe(30);
    expect(slotMinutes(site, { modality: 'ultrasound', bodyPart: 'abdomen', contrast: null })).toBe(45);
    expect(slotMinutes(site, { modality: 'xray', bodyPart: 'knee', contrast: null })).toBe(15);
  });

  test('prep entries and fasting', () => {
    expect(prepFor(site, { modality: 'ct', bodyPart: 'abdomen and pelvis', contrast: 'with' }).map((p) => p.id)).toEqual(['all', 'ct-contrast', 'ct-abdomen-oral']);
    expect(fastingHours(site, { modality: 'ultrasound', bodyPart: 'abdomen', contrast: null })).toBe(8);
    expect(fastingHours(site, MRI_LSPINE)).toBe(0);
  });
});

describe('offering slots', () => {
  test('the three earliest start times, two hours out at the soonest, one per time across both MRI scanners', async () => {
    const slots = await scheduling().offer(MRI_LSPINE);
    expect(slots.map((s) => `${local(s.start)} ${s.scannerId}`)).toEqual(['Mon 2026-11-30 10:00 mri-1', 'Mon 2026-11-30 10:45 mri-1', 'Mon 2026-11-30 11:30 mri-1']);
    expect(slots.every((s) => s.end.getTime() - s.start.getTime() === 45 * 60_000)).toBe(true);
  });

  test('a fasting study (abdominal ultrasound, 8 h) is offered morning starts only', async () => {
    const slots = await scheduling().offer({ modality: 'ultrasound', bodyPart: 'abdomen', contrast: null }, { count: 8 });
    expect(slots).toHaveLength(8);
    for (const s of slots) expect(DateTime.fromJSDate(s.start, { zone: 'America/Chicago' }).hour).toBeLessThan(12);
  });

  test('the preferred date comes first when it has room; Sunday has none', async () => {
    const thursday = await scheduling().offer(MRI_LSPINE, { preferredDates: ['2026-12-03'] });
    expect(thursday.map((s) => local(s.start))).toEqual(['Thu 2026-12-03 07:00', 'Thu 2026-12-03 07:45', 'Thu 2026-12-03 08:30']);
    const sunday = await scheduling().offer(MRI_LSPINE, { preferredDates: ['2026-12-06'] });
    expect(local(sunday[0]!.start)).toBe('Mon 2026-11-30 10:00');
  });

  test('a booked slot is not offered again on that scanner; cancelling frees it', async () => {
    const s = scheduling();
    const xray = { modality: 'xray' as const, bodyPart: 'chest', contrast: null };
    const [first] = await s.offer(xray);
    const booked = await s.book({ caseId: 'c_1', study: xray, slot: first! });
    expect(booked.ok).toBe(true);
    expect((await s.offer(xray)).map((x) => local(x.start))).not.toContain(local(first!.start));
    if (booked.ok) expect((await s.cancel(booked.value.id, 'patient asked')).ok).toBe(true);
    expect(local((await s.offer(xray))[0]!.start)).toBe(local(first!.start));
    expect(await repos.appointments.findById(booked.ok ? booked.value.id : '')).toMatchObject({ status: 'cancelled', cancelReason: 'patient asked' });
  });

  test('a time outside the scanner’s hours or in the past is refused', async () => {
    const s = scheduling();
    const r1 = await s.book({ caseId: 'c_1', study: MRI_LSPINE, slot: { scannerId: 'mri-1', start: new Date('2026-12-01T03:00:00Z') } });
    expect(!r1.ok && r1.error.code).toBe('SLOT_INVALID');
    const r2 = await s.book({ caseId: 'c_1', study: MRI_LSPINE, slot: { scannerId: 'ct-1', start: new Date('2026-12-01T16:00:00Z') } });
    expect(!r2.ok && r2.error.code).toBe('SLOT_INVALID');
  });
});

describe('booking is exactly once', () => {
  test('50 patients booking the same slot at once: exactly one booking; the others are offered other times', async () => {
    const s = scheduling();
    const [slot] = await s.offer(MRI_LSPINE);
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => s.book({ caseId: `c_${i}`, study: MRI_LSPINE, slot: slot! })));
    const won = results.filter((r) => r.ok);
    expect(won).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.error.code === 'SLOT_TAKEN')).toHaveLength(49);
    const again = await s.offer(MRI_LSPINE);
    // The other MRI scanner still has that time, so it may be offered there, never on the booked scanner.
    expect(again.some((x) => x.scannerId === slot!.scannerId && x.start.getTime() === slot!.start.getTime())).toBe(false);
    expect(await repos.appointments.bookedBetween(['mri-1', 'mri-2'], NOW, new Date('2026-12-31T00:00:00Z'))).toHaveLength(1);
  });

  test('overlapping bookings of different lengths: the second is refused and keeps no scanner time', async () => {
    const s = scheduling();
    const withContrast = { ...MRI_LSPINE, contrast: 'with' as const }; // 60 min
    const at1000 = new Date('2026-12-01T16:00:00Z'); // Tue 10:00 local
    expect((await s.book({ caseId: 'c_a', study: withContrast, slot: { scannerId: 'mri-1', start: at1000 } })).ok).toBe(true);
    const overlap = await s.book({ caseId: 'c_b', study: MRI_LSPINE, slot: { scannerId: 'mri-1', start: new Date('2026-12-01T16:45:00Z') } });
    expect(!overlap.ok && overlap.error.code).toBe('SLOT_TAKEN');
    // 11:00 is free again right after the refused attempt: it left no claimed cells behind.
    expect((await s.book({ caseId: 'c_c', study: MRI_LSPINE, slot: { scannerId: 'mri-1', start: new Date('2026-12-01T17:00:00Z') } })).ok).toBe(true);
  });
});

describe('prep and the readiness check', () => {
  test('prep texts for the study, general first, in English and Spanish', () => {
    const ct = { modality: 'ct' as const, bodyPart: 'chest', contrast: 'with' as const };
    // One arrival time at the end: the longest any entry asks (15 minutes here).
    expect(prepMessage(site, ct, 'en')).toBe(`${site.prep[0]!.text.en} ${site.prep.find((p) => p.id === 'ct-contrast')!.text.en} Please arrive 15 minutes early.`);
    expect(prepMessage(site, ct, 'es')).toContain('No coma alimentos sólidos durante 4 horas');
  });

  test('a fasting study gets a readiness question naming the time to stop eating; an MRI without prep gets none', () => {
    const us = { modality: 'ultrasound' as const, bodyPart: 'abdomen', contrast: null };
    const at9 = new Date('2026-12-01T15:00:00Z'); // Tue 09:00 in Austin; 8 h fasting → stop at 1:00 AM
    const stop = readinessStopAt(site, us, at9)!;
    expect(stop.toISOString()).toBe('2026-12-01T07:00:00.000Z');
    const words = noticeWords(site);
    expect(words({ kind: 'readiness_check', stopEatingAt: stop }, 'en')).toBe(`${site.center.name}: For your exam tomorrow you need to stop eating at 1:00 AM. Will you be able to? Reply YES, NO or NOT SURE.`);
    expect(words({ kind: 'readiness_check', stopEatingAt: stop }, 'es')).toContain('debe dejar de comer a la 1:00.');
    expect(readinessStopAt(site, MRI_LSPINE, at9)).toBeNull();
  });
});
