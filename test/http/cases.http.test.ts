import { api, completeOrder, startTestApp, type TestApp } from '../support/test-app';
import { createPhoneHasher } from '../../services/contact/phone';

let t: TestApp;
let admin: string;

beforeAll(async () => {
  t = await startTestApp({ name: 'cases' });
  admin = await t.token('admin');
});
afterAll(() => t.close());

async function createCase(body: unknown = completeOrder(), token = admin) {
  const res = await api(t.base, 'POST', '/api/v1/cases', { token, body });
  expect(res.status).toBe(201);
  return res.body;
}

describe('POST /api/v1/cases', () => {
  test('a complete MRI order for a payer that needs authorization lands in pending_authorization', async () => {
    const res = await api(t.base, 'POST', '/api/v1/cases', { token: admin, body: completeOrder() });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/api/v1/cases/${res.body.id}`);
    expect(res.body).toMatchObject({
      state: 'pending_authorization',
      track: 'standard',
      version: 1,
      missing: [],
      order: { intent: 'order', status: 'on-hold', priority: 'routine', code: { modality: 'mri', contrast: 'without' }, reasonCode: ['M54.50'] },
      patient: { givenName: 'Ana', familyName: 'Lopez', language: 'es' },
    });
    expect(res.body.history.map((h: { event: string; to: string }) => `${h.event}->${h.to}`)).toEqual([
      'create->received',
      'require_authorization->pending_authorization',
    ]);
    expect(res.body.history[1].actor).toMatch(/^staff:/);

    // Stored, not just answered: a fresh read shows the same case.
    const read = await api(t.base, 'GET', `/api/v1/cases/${res.body.id}`, { token: admin });
    expect(read.status).toBe(200);
    expect(read.body.state).toBe('pending_authorization');
    expect(read.body.allowedEvents).toEqual(['request_documentation', 'approve_authorization', 'deny_authorization', 'cancel']);
  });

  test('an order missing items is created in awaiting_documentation naming exactly what is missing', async () => {
    const body = completeOrder();
    const order = { ...body.order, reasonCodes: [], reasonText: undefined, contrast: undefined } as Record<string, unknown>;
    delete order.reasonText;
    delete order.contrast;
    const c = await createCase({ ...body, order });
    expect(c.state).toBe('awaiting_documentation');
    expect(c.missing).toEqual(['contrast', 'diagnosis code or reason']);
    expect(c.history[1]).toMatchObject({ event: 'request_documentation', reason: 'missing: contrast, diagnosis code or reason' });
  });

  test('an X-ray needing no authorization goes straight to ready_to_schedule; stat goes to the human track', async () => {
    const body = completeOrder();
    const c = await createCase({ ...body, order: { ...body.order, modality: 'xray', bodyPart: 'chest', contrast: null, priority: 'stat' } });
    expect(c).toMatchObject({ state: 'ready_to_schedule', track: 'human', order: { status: 'active' } });
  });

  test('malformed fields are refused with 400 naming each one, and nothing is created', async () => {
    const before = await api(t.base, 'GET', '/api/v1/cases?limit=200', { token: admin });
    const body = completeOrder();
    const res = await api(t.base, 'POST', '/api/v1/cases', {
      token: admin,
      body: {
        ...body,
        patient: { ...body.patient, birthDate: '1980-02-30' },
        order: { ...body.order, reasonCodes: ['54.50'], requester: { ...body.order.requester, npi: '1234567890' } },
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_INPUT');
    const fields = res.body.error.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['body.patient.birthDate', 'body.order.reasonCodes.0', 'body.order.requester.npi']));
    const after = await api(t.base, 'GET', '/api/v1/cases?limit=200', { token: admin });
    expect(after.body.items.length).toBe(before.body.items.length);
  });

  test('a retried POST with the same Idempotency-Key returns the first case and creates no second one', async () => {
    const headers = { 'idempotency-key': 'fax-2026-11-28-0001' };
    const first = await api(t.base, 'POST', '/api/v1/cases', { token: admin, body: completeOrder(), headers });
    const again = await api(t.base, 'POST', '/api/v1/cases', { token: admin, body: completeOrder(), headers });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    const list = await api(t.base, 'GET', `/api/v1/cases?phone=${encodeURIComponent('+15551234567')}&limit=200`, { token: admin });
    expect(list.body.items.filter((c: { id: string }) => c.id === first.body.id)).toHaveLength(1);
  });

  test('the same Idempotency-Key with another body is refused with 409 and changes nothing', async () => {
    const headers = { 'idempotency-key': 'fax-2026-11-28-0002' };
    const first = await api(t.base, 'POST', '/api/v1/cases', { token: admin, body: completeOrder(), headers });
    expect(first.status).toBe(201);
    const body = completeOrder();
    const other = { ...body, order: { ...body.order, bodyPart: 'cervical spine' } };
    const reused = await api(t.base, 'POST', '/api/v1/cases', { token: admin, body: other, headers });
    expect(reused.status).toBe(409);
    expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const read = await api(t.base, 'GET', `/api/v1/cases/${first.body.id}`, { token: admin });
    expect(read.body.order.bodySite.text).toBe('lumbar spine');
    // The first body with its key still answers the first case.
    const again = await api(t.base, 'POST', '/api/v1/cases', { token: admin, body: completeOrder(), headers });
    expect([again.status, again.body.id]).toEqual([200, first.body.id]);
  });

  test('20 concurrent posts with one key make one case and one patient record', async () => {
    const phone = '+15550002020';
    const body = completeOrder();
    // No birth date: the patient is not found by identity, so only the key can keep it to one record.
    const patient: Record<string, unknown> = { ...body.patient, familyName: 'Concurrent', phone };
    delete patient.birthDate;
    const headers = { 'idempotency-key': 'fax-2026-11-28-0020' };
    const answers = await Promise.all(Array.from({ length: 20 }, () => api(t.base, 'POST', '/api/v1/cases', { token: admin, body: { ...body, patient }, headers })));
    expect(answers.map((a) => a.status).sort((x, y) => x - y)).toEqual([...Array(19).fill(200), 201]);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    const listed = await api(t.base, 'GET', `/api/v1/cases?phone=${encodeURIComponent(phone)}&limit=200`, { token: admin });
    expect(listed.body.items).toHaveLength(1);
    expect(await t.app.repos.patients.findIdsByPhoneHash(createPhoneHasher('test-hash-key')(phone))).toHaveLength(1);
  });

  test('a case for an unknown referring organization is refused and not created', async () => {
    const res = await api(t.base, 'POST', '/api/v1/cases', { token: admin, body: { ...completeOrder(), referrerOrgId: 'org_nobody' } });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'UNKNOWN_REFERRER', message: "no referring organization with id 'org_nobody'" });
    const listed = await api(t.base, 'GET', '/api/v1/cases?referrer=org_nobody', { token: admin });
    expect(listed.body.items).toEqual([]);
  });

  test('the same patient (phone, birth date, family name) is one record, even when created in parallel', async () => {
    const body = completeOrder();
    const twin = { ...body, patient: { ...body.patient, familyName: 'Parallel', phone: '+15550001111' } };
    const [a, b, c] = await Promise.all([createCase(twin), createCase(twin), createCase(twin)]);
    expect(new Set([a.patientId, b.patientId, c.patientId]).size).toBe(1);
    const sibling = await createCase({ ...twin, patient: { ...twin.patient, givenName: 'Luis', birthDate: '2010-06-01' } });
    expect(sibling.patientId).not.toBe(a.patientId); // same phone, another person
  });
});

describe('errors through HTTP', () => {
  test('no token or a bad token → 401', async () => {
    for (const token of [undefined, 'iib_notarealtoken']) {
      const res = await api(t.base, 'GET', '/api/v1/cases', token ? { token } : {});
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHORIZED');
    }
  });

  test('an unknown case → 404 with a stable code', async () => {
    for (const id of ['c_000000000000000000000000', 'nonsense']) {
      const res = await api(t.base, 'GET', `/api/v1/cases/${id}`, { token: admin });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('CASE_NOT_FOUND');
    }
    const ev = await api(t.base, 'POST', '/api/v1/cases/c_000000000000000000000000/events', { token: admin, body: { event: 'cancel', reason: 'x' } });
    expect(ev.status).toBe(404);
  });

  test('an illegal event → 409 ILLEGAL_TRANSITION and the case is unchanged', async () => {
    const c = await createCase();
    const res = await api(t.base, 'POST', `/api/v1/cases/${c.id}/events`, { token: admin, body: { event: 'check_in' } });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'ILLEGAL_TRANSITION', message: "event 'check_in' is not allowed from state 'pending_authorization'" });
    const read = await api(t.base, 'GET', `/api/v1/cases/${c.id}`, { token: admin });
    expect(read.body).toMatchObject({ state: 'pending_authorization', version: c.version });
    expect(read.body.history).toHaveLength(c.history.length);
  });

  test('a stale expectedVersion → 409 VERSION_CONFLICT', async () => {
    const c = await createCase();
    const res = await api(t.base, 'POST', `/api/v1/cases/${c.id}/events`, {
      token: admin,
      body: { event: 'approve_authorization', expectedVersion: c.version - 1 },
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('VERSION_CONFLICT');
  });

  test('a marketing token applying a transition → 403, and it may not read cases either', async () => {
    const marketing = await t.token('marketing');
    const c = await createCase();
    const res = await api(t.base, 'POST', `/api/v1/cases/${c.id}/events`, { token: marketing, body: { event: 'approve_authorization' } });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
    expect((await api(t.base, 'GET', `/api/v1/cases/${c.id}`, { token: marketing })).status).toBe(403);
    expect((await api(t.base, 'GET', `/api/v1/cases/${c.id}`, { token: admin })).body.version).toBe(c.version);
  });

  test('a ris token may check in, complete, report and deliver, but not approve authorization', async () => {
    const ris = await t.token('ris');
    const c = await createCase();
    const approve = await api(t.base, 'POST', `/api/v1/cases/${c.id}/events`, { token: ris, body: { event: 'approve_authorization' } });
    expect(approve.status).toBe(403);
    let version = c.version;
    for (const [event, by] of [
      ['approve_authorization', admin],
      ['book', admin],
      ['check_in', ris],
      ['complete_imaging', ris],
      ['finalize_report', ris],
      ['deliver_report', ris],
    ] as const) {
      const res = await api(t.base, 'POST', `/api/v1/cases/${c.id}/events`, { token: by, body: { event, expectedVersion: version } });
      expect(res.status).toBe(200);
      version = res.body.version;
    }
    const read = await api(t.base, 'GET', `/api/v1/cases/${c.id}`, { token: ris });
    expect(read.body).toMatchObject({ state: 'delivered', version: c.version + 6, order: { status: 'completed' } });
    expect(read.body.history.slice(-4).map((h: { actor: string }) => h.actor)).toEqual(['ris', 'ris', 'ris', 'ris']);
  });

  test('malformed JSON → 400 naming the problem', async () => {
    const res = await api(t.base, 'POST', '/api/v1/cases', { token: admin, raw: '{"source": "fax", ' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_JSON');
    expect(res.body.error.message).toMatch(/not valid JSON \(.+\)/);
  });

  test('an unknown event name → 400 naming the field', async () => {
    const c = await createCase();
    const res = await api(t.base, 'POST', `/api/v1/cases/${c.id}/events`, { token: admin, body: { event: 'teleport' } });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].field).toBe('body.event');
  });

  test('a body over 64 KiB → 413', async () => {
    const body = completeOrder();
    const res = await api(t.base, 'POST', '/api/v1/cases', {
      token: admin,
      body: { ...body, order: { ...body.order, note: 'x'.repeat(70 * 1024) } },
    });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  test('multipart and compressed bodies → 415, before anything is parsed', async () => {
    const multipart = await api(t.base, 'POST', '/api/v1/cases', {
      token: admin,
      raw: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n',
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
    });
    expect(multipart.status).toBe(415);
    const gzip = await api(t.base, 'POST', '/api/v1/cases', { token: admin, raw: '{}', headers: { 'content-encoding': 'gzip' } });
    expect(gzip.status).toBe(415);
    expect(gzip.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  test('a NUL character in a text field → 400 naming the field', async () => {
    const res = await api(t.base, 'POST', '/api/v1/cases', { token: admin, body: { ...completeOrder(), order: { ...completeOrder().order, reasonText: 'pain\u0000' } } });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].field).toBe('body.order.reasonText');
  });

  test('a body that is not JSON → 415', async () => {
    const res = await api(t.base, 'POST', '/api/v1/cases', { token: admin, raw: 'source=fax', headers: { 'content-type': 'text/plain' } });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  test('cancel without a reason → 400 REASON_REQUIRED; with one it lands and keeps the reason', async () => {
    const c = await createCase();
    const bare = await api(t.base, 'POST', `/api/v1/cases/${c.id}/events`, { token: admin, body: { event: 'cancel' } });
    expect(bare.status).toBe(400);
    expect(bare.body.error.code).toBe('REASON_REQUIRED');
    const ok = await api(t.base, 'POST', `/api/v1/cases/${c.id}/events`, {
      token: admin,
      body: { event: 'cancel', reason: 'patient chose another center', data: { calledBy: 'front desk' } },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.history.at(-1)).toMatchObject({ event: 'cancel', to: 'cancelled', reason: 'patient chose another center', data: { calledBy: 'front desk' } });
  });
});

describe('referrer tokens', () => {
  const orgs = async () => {
    const a = `org_${Date.now()}x`;
    const b = `org_${Date.now()}y`;
    for (const id of [a, b]) await t.app.repos.referrers.insert({ id, name: id, tenantId: null, phone: null, fax: null, users: [], createdAt: new Date() });
    return { a, b };
  };

  test("create only as their organization with source 'referrer_api'; staff may not claim that source", async () => {
    const { a, b } = await orgs();
    const refA = await t.token('referrer', { referrerOrgId: a });
    const fax = await api(t.base, 'POST', '/api/v1/cases', { token: refA, body: completeOrder() });
    expect(fax.status).toBe(403);
    expect(fax.body.error.message).toBe("a referrer token creates cases with source 'referrer_api'");
    const asB = await api(t.base, 'POST', '/api/v1/cases', { token: refA, body: { ...completeOrder(), source: 'referrer_api', referrerOrgId: b } });
    expect(asB.status).toBe(403);
    const staff = await api(t.base, 'POST', '/api/v1/cases', { token: admin, body: { ...completeOrder(), source: 'referrer_api' } });
    expect(staff.status).toBe(403);
    const own = await api(t.base, 'POST', '/api/v1/cases', { token: refA, body: { ...completeOrder(), source: 'referrer_api' } });
    expect(own.status).toBe(201);
    expect(own.body).toMatchObject({ source: 'referrer_api', referrerOrgId: a });
    const listed = await api(t.base, 'GET', `/api/v1/cases?referrer=${b}`, { token: admin });
    expect(listed.body.items).toEqual([]);
  });

  test("a case for another organization's patient never shows what that organization stored", async () => {
    const { a, b } = await orgs();
    const phone = '+15550003131';
    const patient = { givenName: 'Marisol', familyName: 'Quintero', birthDate: '1971-09-09', phone, language: 'en' };
    const refB = await t.token('referrer', { referrerOrgId: b });
    const theirs = await api(t.base, 'POST', '/api/v1/cases', { token: refB, body: { ...completeOrder(), source: 'referrer_api', patient } });
    expect(theirs.status).toBe(201);
    // Organization A knows the phone, birth date and family name, and guesses any given name.
    const refA = await t.token('referrer', { referrerOrgId: a });
    const mine = await api(t.base, 'POST', '/api/v1/cases', { token: refA, body: { ...completeOrder(), source: 'referrer_api', patient: { ...patient, givenName: 'X' } } });
    expect(mine.status).toBe(201);
    expect(mine.body.patient.givenName).toBe('X');
    expect(JSON.stringify(mine.body)).not.toContain('Marisol');
    expect(mine.body.patientId).not.toBe(theirs.body.patientId);
    const read = await api(t.base, 'GET', `/api/v1/cases/${mine.body.id}`, { token: refA });
    expect(JSON.stringify(read.body)).not.toContain('Marisol');
    expect((await api(t.base, 'GET', `/api/v1/cases/${theirs.body.id}`, { token: refA })).status).toBe(404);
  });
});

describe('GET /api/v1/cases', () => {
  test('filters by state and track, pages with next, and scopes referrer tokens to their organization', async () => {
    const orgA = `org_${Date.now()}a`;
    const orgB = `org_${Date.now()}b`;
    for (const id of [orgA, orgB]) {
      await t.app.repos.referrers.insert({ id, name: id, tenantId: null, phone: null, fax: null, users: [], createdAt: new Date() });
    }
    const refA = await t.token('referrer', { referrerOrgId: orgA });
    const mine = await createCase({ ...completeOrder(), source: 'referrer_api' }, refA);
    expect(mine.referrerOrgId).toBe(orgA);
    expect(mine.history[0].actor).toMatch(/^referrer:/);
    await createCase({ ...completeOrder(), referrerOrgId: orgB });

    const asA = await api(t.base, 'GET', '/api/v1/cases?limit=200', { token: refA });
    expect(asA.body.items.map((c: { id: string }) => c.id)).toEqual([mine.id]);
    const foreign = await api(t.base, 'GET', `/api/v1/cases?referrer=${orgB}`, { token: refA });
    expect(foreign.body.items).toEqual([]);

    const pending = await api(t.base, 'GET', '/api/v1/cases?state=pending_authorization&limit=200', { token: admin });
    expect(pending.body.items.length).toBeGreaterThan(1);
    expect(pending.body.items.every((c: { state: string }) => c.state === 'pending_authorization')).toBe(true);

    const page1 = await api(t.base, 'GET', '/api/v1/cases?limit=2', { token: admin });
    expect(page1.body.items).toHaveLength(2);
    const page2 = await api(t.base, 'GET', `/api/v1/cases?limit=2&page=${page1.body.next}`, { token: admin });
    expect(page2.body.items.length).toBeGreaterThan(0);
    const ids1 = page1.body.items.map((c: { id: string }) => c.id);
    for (const c of page2.body.items) expect(ids1).not.toContain(c.id);

    const badCursor = await api(t.base, 'GET', '/api/v1/cases?page=bm90LWEtY3Vyc29y', { token: admin });
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.error.details[0].field).toBe('query.page');
    const badPhone = await api(t.base, 'GET', '/api/v1/cases?phone=call-me', { token: admin });
    expect(badPhone.body.error.details).toEqual([{ field: 'query.phone', message: expect.any(String) }]);

    const bad = await api(t.base, 'GET', '/api/v1/cases?state=floating', { token: admin });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('query.state');
  });
});

describe('concurrency on the real server', () => {
  test('20 parallel requests applying the same event → exactly one 200, nineteen 409, one history entry, version +1', async () => {
    const c = await createCase();
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        api(t.base, 'POST', `/api/v1/cases/${c.id}/events`, { token: admin, body: { event: 'approve_authorization' } }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    const read = await api(t.base, 'GET', `/api/v1/cases/${c.id}`, { token: admin });
    expect(read.body.version).toBe(c.version + 1);
    expect(read.body.history).toHaveLength(c.history.length + 1);
    expect(read.body.history.filter((h: { event: string }) => h.event === 'approve_authorization')).toHaveLength(1);
  });
});

describe('PATCH /api/v1/cases/:id (staff correct a case)', () => {
  test('an order without the patient phone: staff add it → the checklist runs again, the case moves on, the history says who, what and why', async () => {
    const body = completeOrder();
    const noPhone: Record<string, unknown> = { ...body.patient };
    delete noPhone.phone;
    const c = await createCase({ ...body, patient: noPhone, order: { ...body.order, modality: 'xray', bodyPart: 'chest', contrast: null } });
    expect(c).toMatchObject({ state: 'awaiting_documentation', missing: ['phone number'] });
    const coordinator = await t.token('coordinator');
    const res = await api(t.base, 'PATCH', `/api/v1/cases/${c.id}`, { token: coordinator, body: { reason: 'the office called with the mobile', patient: { phone: '(512) 555-0142' } } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: 'ready_to_schedule', missing: [], patient: { givenName: 'Ana', familyName: 'Lopez', phone: '+15125550142' } });
    expect(res.body.history.slice(-3)).toEqual([
      expect.objectContaining({ event: 'correct', from: 'awaiting_documentation', to: 'awaiting_documentation', actor: expect.stringMatching(/^staff:/), reason: 'corrected patient.phone: the office called with the mobile' }),
      expect.objectContaining({ event: 'documentation_received', to: 'received' }),
      expect.objectContaining({ to: 'ready_to_schedule' }),
    ]);
    // Stored: a fresh read agrees; the invitation to book goes to the corrected number.
    expect((await api(t.base, 'GET', `/api/v1/cases/${c.id}`, { token: admin })).body).toMatchObject({ state: 'ready_to_schedule', patient: { phone: '+15125550142' } });
  });

  test('a wrong mobile corrected on a case already inviting the patient: the corrected number is invited too, once, however often the correction is sent', async () => {
    const body = completeOrder();
    const c = await createCase({ ...body, patient: { ...body.patient, phone: '+15125550177' }, order: { ...body.order, modality: 'xray', bodyPart: 'chest', contrast: null } });
    expect(c.state).toBe('ready_to_schedule');
    const invites = async () => (await t.app.repos.messages.list({ caseId: c.id }, 20)).filter((m) => m.idempotencyKey.startsWith(`invite-to-book:${c.id}`)).map((m) => m.phone);
    expect(await invites()).toEqual(['+15125550177']);
    const coordinator = await t.token('coordinator');
    const fix = () => api(t.base, 'PATCH', `/api/v1/cases/${c.id}`, { token: coordinator, body: { reason: 'the patient called: the number on the fax was wrong', patient: { phone: '(512) 555-0178' } } });
    expect((await fix()).body).toMatchObject({ state: 'ready_to_schedule', patient: { phone: '+15125550178' } });
    expect((await fix()).status).toBe(200);
    expect((await invites()).sort()).toEqual(['+15125550177', '+15125550178']);
  });

  test('an order field corrected on a complete case keeps its state; the stored order and the history change', async () => {
    const c = await createCase();
    const res = await api(t.base, 'PATCH', `/api/v1/cases/${c.id}`, { token: admin, body: { reason: 'wrong side on the fax', expectedVersion: c.version, order: { bodyPart: 'knee', laterality: 'left' } } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: 'pending_authorization', version: c.version + 1, order: { bodySite: { text: 'knee', laterality: 'left' }, reasonCode: ['M54.50'] } });
    expect(res.body.history.at(-1)).toMatchObject({ event: 'correct', reason: 'corrected order.bodyPart, order.laterality: wrong side on the fax' });
  });

  test('bad input, a stale version, no reason, nothing to correct or the wrong role: refused, and the case is unchanged', async () => {
    const c = await createCase();
    const patch = (body: unknown, token = admin) => api(t.base, 'PATCH', `/api/v1/cases/${c.id}`, { token, body });
    const bad = await patch({ reason: 'typo', patient: { phone: '12' }, order: { requester: { npi: '5125550199' } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['body.order.requester.npi', 'body.patient.phone']);
    expect((await patch({ patient: { phone: '+15125550142' } })).status).toBe(400);
    expect((await patch({ reason: 'nothing' })).body.error.message).toMatch(/nothing to correct/);
    expect((await patch({ reason: 'late', expectedVersion: 0, patient: { givenName: 'Anna' } })).status).toBe(409);
    expect((await patch({ reason: 'mine', patient: { givenName: 'Anna' } }, await t.token('technologist'))).status).toBe(403);
    expect((await api(t.base, 'PATCH', '/api/v1/cases/c_000000000000000000000000', { token: admin, body: { reason: 'x', patient: { givenName: 'Anna' } } })).status).toBe(404);
    const after = (await api(t.base, 'GET', `/api/v1/cases/${c.id}`, { token: admin })).body;
    expect(after).toMatchObject({ version: c.version, patient: { givenName: 'Ana' } });
    expect(after.history.map((h: { event: string }) => h.event)).not.toContain('correct');
  });
});

test('POST /api/v1/cases: a category diagnosis code (M54.5, a header since FY2022) is refused naming the billable ones; nothing is created', async () => {
  const body = completeOrder();
  const phone = '+15125550177';
  const res = await api(t.base, 'POST', '/api/v1/cases', { token: admin, body: { ...body, patient: { ...body.patient, phone }, order: { ...body.order, reasonCodes: ['M54.5'] } } });
  expect(res.status).toBe(400);
  expect(res.body.error).toMatchObject({ code: 'INVALID_INPUT', details: [{ field: 'order.reasonCodes.0', message: 'M54.5 is a category, not a billable code: use a more specific one, e.g. M54.50, M54.51, M54.59' }] });
  expect((await api(t.base, 'GET', `/api/v1/cases?phone=${encodeURIComponent(phone)}`, { token: admin })).body.items).toEqual([]);
});
