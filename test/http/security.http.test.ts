import net from 'node:net';
import { createPhoneHasher } from '../../services/contact/phone';
import { inbound, newPhone, postTwilio } from '../support/sms';
import { api, completeOrder, startTestApp, type TestApp } from '../support/test-app';

const hash = createPhoneHasher('test-hash-key');
let t: TestApp;
let admin: string;

beforeAll(async () => {
  t = await startTestApp({ name: 'security', rateLimits: { apiPerTokenPerMinute: 40, smsPerNumberPerMinute: 5 } });
  admin = await t.token('admin');
});
afterAll(() => t.close());

describe('security headers', () => {
  test('every response: no sniffing, no framing, no caching; HSTS behind HTTPS; the chat page has a CSP with a nonce', async () => {
    for (const path of ['/healthz', '/api/v1/cases', '/nowhere']) {
      const res = await fetch(`${t.base}${path}`);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
      // PUBLIC_BASE_URL is https:// here: browsers are told to stay on HTTPS.
      expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    }
    const page = await fetch(`${t.base}/chat`);
    const csp = page.headers.get('content-security-policy') ?? '';
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("frame-ancestors 'none'");
    expect(await page.text()).toContain(`<script nonce="${nonce}">`);
    expect(page.headers.get('content-security-policy')).not.toContain("'unsafe-eval'");
  });

  test('no HSTS when the service is reached over plain HTTP', async () => {
    const { createHttpServer } = await import('../../bot/server');
    const { createLogger } = await import('../../bot/logger');
    const { createMetrics } = await import('../../bot/metrics');
    const server = createHttpServer(createLogger('error'), createMetrics(), { https: false });
    server.get('/x', (_req, res, next) => {
      res.send(200, { ok: true });
      next();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const res = await fetch(`${server.url.replace('[::]', '127.0.0.1')}/x`);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('strict-transport-security')).toBeNull();
    } finally {
      server.close();
    }
  });
});

/** The limits count per clock minute: start a burst early in one, so it cannot straddle two. */
async function earlyInAMinute(): Promise<void> {
  const sec = new Date().getSeconds();
  if (sec > 50) await new Promise((r) => setTimeout(r, (61 - sec) * 1000));
}

/** Sends raw bytes and resolves with the status line, or 'no answer' when the server sends nothing in `ms`. */
function raw(base: string, request: string, ms: number): Promise<string> {
  const u = new URL(base);
  return new Promise((resolve) => {
    const socket = net.connect(Number(u.port), u.hostname, () => socket.write(request));
    let got = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve('no answer');
    }, ms);
    socket.on('data', (d: Buffer) => {
      got += d.toString();
      if (got.includes('\r\n')) {
        clearTimeout(timer);
        socket.destroy();
        resolve(got.split('\r\n')[0]!);
      }
    });
    socket.on('error', (e) => resolve(`socket error: ${e.message}`));
  });
}

describe('bodies', () => {
  test('a declared Content-Length over the limit is refused at once (413), whatever actually arrives', async () => {
    const head = `POST /api/sms/inbound HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${10 * 1024 * 1024}\r\n\r\nBody=hi`;
    expect(await raw(t.base, head, 3_000)).toBe('HTTP/1.1 413 Payload Too Large');
  });
});

describe('/metrics in production', () => {
  test('closed without METRICS_TOKEN; with one, only a request carrying it is answered', async () => {
    const closed = await startTestApp({ name: 'metrics_closed', metricsAccess: { open: false, token: null } });
    const guarded = await startTestApp({ name: 'metrics_token', metricsAccess: { open: false, token: 'scrape-secret-0123456789' } });
    try {
      const none = await api(closed.base, 'GET', '/metrics');
      expect(none.status).toBe(404);
      expect(JSON.stringify(none.body)).not.toContain('http_requests_total');
      expect((await api(guarded.base, 'GET', '/metrics')).status).toBe(401);
      expect((await api(guarded.base, 'GET', '/metrics', { headers: { authorization: 'Bearer wrong-secret-0123456789' } })).status).toBe(401);
      const ok = await api(guarded.base, 'GET', '/metrics', { headers: { authorization: 'Bearer scrape-secret-0123456789' } });
      expect(ok.status).toBe(200);
      expect(ok.body).toContain('http_requests_total');
    } finally {
      await closed.close();
      await guarded.close();
    }
  });
});

describe('rate limits', () => {
  test('the staff API answers 429 with Retry-After past the per-token limit; other tokens are not slowed', async () => {
    const busy = await t.token('coordinator');
    await earlyInAMinute();
    const answers = await Promise.all(Array.from({ length: 50 }, () => api(t.base, 'GET', '/api/v1/tasks', { token: busy })));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(40);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
    const limited = answers.find((a) => a.status === 429)!;
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await api(t.base, 'GET', '/api/v1/tasks', { token: await t.token('coordinator') })).status).toBe(200);
  });

  test('SMS webhooks past the per-number limit get 429 and store nothing; another number is answered', async () => {
    const flood = newPhone();
    await earlyInAMinute();
    const answers = [];
    for (let i = 0; i < 8; i++) answers.push((await postTwilio(t.base, '/api/sms/inbound', inbound(flood, `spam ${i}`))).status);
    expect(answers).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    const stored = (await t.app.repos.messages.list({ phoneHash: hash(flood) }, 100)).filter((m) => m.direction === 'inbound');
    expect(stored).toHaveLength(5);
    expect((await postTwilio(t.base, '/api/sms/inbound', inbound(newPhone(), 'hi'))).status).toBe(200);
  });
});

describe('audit', () => {
  test('every staff API call is an audit event naming who, role, what, which case or patient and the outcome, with no PHI', async () => {
    const coordinator = await t.token('coordinator');
    const marketing = await t.token('marketing');
    const phone = '+15550004141';
    const made = await api(t.base, 'POST', '/api/v1/cases', { token: coordinator, body: { ...completeOrder(), patient: { ...completeOrder().patient, phone } } });
    expect(made.status).toBe(201);
    await api(t.base, 'GET', `/api/v1/cases/${made.body.id}`, { token: marketing }); // refused
    await api(t.base, 'GET', `/api/v1/consents/${encodeURIComponent(phone)}`, { token: marketing });
    await api(t.base, 'GET', '/api/v1/tasks', { token: 'iib_not-a-token' });

    const byCase = await api(t.base, 'GET', `/api/v1/audit-events?caseId=${made.body.id}`, { token: admin });
    expect(byCase.status).toBe(200);
    expect(byCase.body.items.map((e: { action: string; role: string; outcome: string; status: number }) => [e.action, e.role, e.outcome, e.status])).toEqual([
      ['GET /api/v1/cases/:id', 'marketing', 'denied', 403],
      ['POST /api/v1/cases', 'coordinator', 'ok', 201],
    ]);
    // Stored just after each answer left: the last one may need a moment.
    let all = await api(t.base, 'GET', '/api/v1/audit-events?limit=20', { token: admin });
    for (let i = 0; i < 40 && !all.body.items.some((e: { outcome: string }) => e.outcome === 'unauthenticated'); i++) {
      await new Promise((r) => setTimeout(r, 50));
      all = await api(t.base, 'GET', '/api/v1/audit-events?limit=20', { token: admin });
    }
    const consent = all.body.items.find((e: { action: string }) => e.action === 'GET /api/v1/consents/:phone');
    expect(consent).toMatchObject({ role: 'marketing', outcome: 'ok', patientRef: hash(phone) });
    expect(all.body.items.find((e: { outcome: string }) => e.outcome === 'unauthenticated')).toMatchObject({ actorId: null, action: 'GET /api/v1/tasks' });

    // The log has one audit line per call, and none of them carries the phone number or the patient's name.
    const lines = t.logs.filter((l) => l.includes('"msg":"audit"'));
    expect(lines.some((l) => l.includes('"action":"POST /api/v1/cases"') && l.includes(`"caseId":"${made.body.id}"`))).toBe(true);
    expect(lines.join('\n')).not.toMatch(/5550004141|Lopez|Ana\b/);
    expect((await api(t.base, 'GET', '/api/v1/audit-events', { token: coordinator })).status).toBe(403);
  });
});
