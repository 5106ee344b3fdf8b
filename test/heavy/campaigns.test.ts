import mongoose from 'mongoose';
import { createPhoneHasher } from '../../services/contact/phone';
import { smsTalker } from '../support/channels';
import { api, exampleSite, startTestApp, testMongoUri, type TestApp } from '../support/test-app';

// Sunday 29 Nov 2026, 02:30 UTC: 18:30 in Los Angeles (marketing texts may go out), 20:30 in Chicago and 21:30 in
// New York (after 20:00: they wait for the morning).
const NOW = new Date('2026-11-30T02:30:00Z');
const DAY = 86_400_000;
const WAIT_MS = Number(process.env.CAMPAIGN_WAIT_MS ?? 240_000);
const N = 10_000;
let clock = NOW;
const hash = createPhoneHasher('test-hash-key');
let t: TestApp;

/**
 * Recipient i: its zone by area code (1 in 25 in Los Angeles, in the window; the rest in Chicago and New York, in
 * quiet hours) and its consent (5% opted out, 30% never said yes to marketing).
 */
const areaOf = (i: number) => (i % 25 === 0 ? '213' : i % 2 ? '312' : '212');
const phoneOf = (i: number) => `+1${areaOf(i)}${2_000_000 + i}`;
const consentOf = (i: number): 'opted_out' | 'none' | 'granted' => (i % 20 === 0 ? 'opted_out' : [1, 2, 3].includes(i % 10) ? 'none' : 'granted');

beforeAll(async () => {
  t = await startTestApp({ name: 'campaigns', now: () => clock, runWorkers: true, site: { ...exampleSite(), sender: { messagesPerSecond: 1000 } } });
  // 10,000 synthetic people with a closed screening mammogram about 11 months ago, written in bulk.
  const conn = await mongoose.createConnection(testMongoUri(), { dbName: t.dbName }).asPromise();
  try {
    for (let from = 0; from < N; from += 1_000) {
      const ids = Array.from({ length: 1_000 }, (_, k) => from + k);
      const at = new Date(NOW.getTime() - 340 * DAY);
      await conn.collection('patients').insertMany(
        ids.map((i) => ({ _id: `p_syn_${i}`, givenName: 'Pat', familyName: `Synthetic${i}`, birthDate: '1970-01-01', phone: phoneOf(i), phoneHash: hash(phoneOf(i)), language: i % 3 === 0 ? 'es' : 'en', createdAt: at })) as never[],
      );
      await conn.collection('cases').insertMany(
        ids.map((i) => ({ _id: `c_syn_${i}`, state: 'closed', track: 'standard', version: 5, source: 'fax', patientId: `p_syn_${i}`, referrerOrgId: null, order: { intent: 'order', priority: 'routine', code: { modality: 'mammography', contrast: null }, bodySite: { text: 'breast', laterality: 'bilateral' }, reasonCode: ['Z12.31'], reasonText: null, requester: null, insurance: null, note: [] }, missing: [], appointment: null, screening: null, history: [], createdAt: at, updatedAt: at })) as never[],
      );
      const consents = ids.flatMap((i) => {
        const c = consentOf(i);
        const h = hash(phoneOf(i));
        const row = (purpose: string, status: string) => ({ _id: `${h}:${purpose}`, phoneHash: h, purpose, status, history: [{ status, source: 'staff', evidence: 'synthetic', receivedAt: at, effectiveAt: at }], updatedAt: at });
        return c === 'opted_out' ? [row('care', 'revoked'), row('marketing', 'revoked')] : c === 'granted' ? [row('care', 'granted'), row('marketing', 'granted')] : [row('care', 'granted')];
      });
      await conn.collection('consents').insertMany(consents as never[]);
    }
  } finally {
    await conn.close();
  }
}, 120_000);
afterAll(() => t.close());

const campaign = {
  name: 'Annual mammogram recall',
  audience: { states: ['closed', 'delivered'], modalities: ['mammography'], changedDaysAgo: { min: 330, max: 365 } },
  templates: {
    en: "It's been about a year since your last mammogram. Reply BOOK to pick a time.",
    es: 'Ya pasó casi un año desde su última mamografía. Responda AGENDAR para elegir la hora.',
  },
  window: { from: '00:00', until: '23:59' },
  perSecond: 1000,
};

async function until<T>(what: string, read: () => Promise<T>, done: (v: T) => boolean, ms = WAIT_MS): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 2_000));
  }
}

test('a campaign over 10,000 people: nothing to those without consent or opted out, quiet hours wait, and the stats add up', async () => {
  const marketing = await t.token('marketing');
  expect((await api(t.base, 'POST', '/api/v1/campaigns', { token: await t.token('scheduler'), body: campaign })).status).toBe(403);
  const bad = await api(t.base, 'POST', '/api/v1/campaigns', { token: marketing, body: { ...campaign, templates: { ...campaign.templates, en: 'Your results are ready, reply BOOK.' } } });
  expect(bad.status).toBe(400);
  expect(JSON.stringify(bad.body.error.details)).toContain('never mention results');
  const created = await api(t.base, 'POST', '/api/v1/campaigns', { token: marketing, body: campaign });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  expect(created.body).toMatchObject({ status: 'draft', perSecond: 1000 });

  const launched = await api(t.base, 'POST', `/api/v1/campaigns/${id}/launch`, { token: marketing });
  expect(launched.status).toBe(202);
  expect(launched.body.status).toBe('planning');
  // A second launch changes nothing.
  expect((await api(t.base, 'POST', `/api/v1/campaigns/${id}/launch`, { token: marketing })).status).toBe(202);

  const stats = async () => (await api(t.base, 'GET', `/api/v1/campaigns/${id}`, { token: marketing })).body;
  const done = await until('the due sends', stats, (c) => c.status === 'sending' && c.stats.queued === 0);
  const s = done.stats;

  const expected = { optedOut: 0, none: 0, nowLA: 0, laterEast: 0 };
  for (let i = 0; i < N; i++) {
    const c = consentOf(i);
    if (c === 'opted_out') expected.optedOut++;
    else if (c === 'none') expected.none++;
    else if (areaOf(i) === '213') expected.nowLA++;
    else expected.laterEast++;
  }
  expect(s.audience).toBe(N);
  expect(s.skipped).toEqual({ no_marketing_consent: expected.none, opted_out: expected.optedOut, no_phone: 0, refused_at_send: 0 });
  expect(s.sent).toBe(expected.nowLA);
  expect(s.deferred).toBe(expected.laterEast);
  expect(s.failed).toBe(0);
  expect(s.skipped.no_marketing_consent + s.skipped.opted_out + s.skipped.no_phone + s.skipped.refused_at_send + s.queued + s.deferred + s.sent + s.failed).toBe(s.audience);

  // What the SMS transport was handed: only consenting numbers in their window, each once.
  const to = t.smsOut.map((l) => /^\[sms to \*+(\d{4})\]/.exec(l)?.[1]).filter(Boolean);
  expect(to).toHaveLength(expected.nowLA);
  expect(new Set(to).size).toBe(to.length);
  expect(to.every((last4) => areaOf(Number(last4)) === '213' && consentOf(Number(last4)) === 'granted')).toBe(true);
  const stored = (await mongoose.createConnection(testMongoUri(), { dbName: t.dbName }).asPromise().then(async (conn) => {
    try {
      return await conn.collection('messages').find({ campaignId: id }, { projection: { phoneHash: 1, status: 1, body: 1, language: 1 } }).toArray();
    } finally {
      await conn.close();
    }
  })) as Array<{ phoneHash: string; status: string; body: string; language: string }>;
  const eligible = new Map(Array.from({ length: N }, (_, i) => [hash(phoneOf(i)), i]));
  const perPhone = new Map<string, number>();
  for (const m of stored) perPhone.set(m.phoneHash, (perPhone.get(m.phoneHash) ?? 0) + 1);
  expect(Math.max(...perPhone.values())).toBe(1);
  for (const h of perPhone.keys()) expect(consentOf(eligible.get(h)!)).toBe('granted');
  expect(stored.filter((m) => m.status === 'sent')).toHaveLength(expected.nowLA);
  const es = stored.find((m) => m.language === 'es')!;
  expect(es.body).toBe('Bluebonnet Imaging: Ya pasó casi un año desde su última mamografía. Responda AGENDAR para elegir la hora. Responda STOP para no recibir más.');
  // The quiet-hours recipients wait (not dropped): each has its job for 08:00 in its own zone.
  const waiting = (i: number) => t.app.campaignQueue.queue.getJob(`send~${id}~${hash(phoneOf(i))}`);
  const first = (area: string) => Array.from({ length: N }, (_, i) => i).find((i) => areaOf(i) === area && consentOf(i) === 'granted')!;
  const chicago = (await waiting(first('312')))!;
  expect(new Date(NOW.getTime() + chicago.opts.delay!).toISOString()).toBe('2026-11-30T14:00:00.000Z');
  const newYork = (await waiting(first('212')))!;
  expect(new Date(NOW.getTime() + newYork.opts.delay!).toISOString()).toBe('2026-11-30T13:00:00.000Z');

  // Replies count for the campaign; a STOP takes effect at once, also for a text already planned.
  const sentTo = Array.from({ length: N }, (_, i) => i).filter((i) => areaOf(i) === '213' && consentOf(i) === 'granted');
  expect(await smsTalker(t, phoneOf(sentTo[0]!)).say('STOP')).toMatch(/you are unsubscribed|ya no recibirá/);
  await smsTalker(t, phoneOf(sentTo[1]!)).say('BOOK');
  const waitingOne = first('312');
  await smsTalker(t, phoneOf(waitingOne)).say('stop texting me');
  const before = t.smsOut.length;
  clock = new Date('2026-11-30T14:00:00Z'); // 08:00 in Chicago: its text is due, and the worker would run this job now
  try {
    const job = (await waiting(waitingOne))!;
    expect(await t.app.services.campaigns.send(job.data)).toBe('sent');
    const after = (await stats()).stats;
    expect(after.skipped.refused_at_send).toBe(1);
    expect(after.optedOut).toBe(1);
    expect(after.replied).toBe(1);
    // Nothing went to the number that said stop (the two lines are the opt-out confirmation and nothing else).
    expect(t.smsOut.slice(before).join('\n')).not.toContain(phoneOf(waitingOne).slice(-4) + '] Bluebonnet Imaging: It');
  } finally {
    clock = NOW;
  }
}, 300_000);
