import { runCli } from '../../scripts/cli';
import { api, startTestApp, testMongoUri, type TestApp } from '../support/test-app';

let clock = new Date('2026-12-01T15:00:00Z');
let t: TestApp;
let admin: string;

beforeAll(async () => {
  t = await startTestApp({ name: 'tokens', now: () => clock });
  admin = await t.token('admin');
});
afterAll(() => t.close());

test('an admin issues a token by the API; it is listed without its secret, works, and stops at once when revoked', async () => {
  const made = await api(t.base, 'POST', '/api/v1/staff-tokens', { token: admin, body: { name: 'Dana Ruiz', role: 'scheduler', days: 30 } });
  expect(made.status).toBe(201);
  expect(made.body).toMatchObject({ name: 'Dana Ruiz', role: 'scheduler', status: 'active', expiresAt: '2026-12-31T15:00:00.000Z', revokedAt: null });
  expect(made.body.token).toMatch(/^iib_/);
  const dana = made.body.token as string;
  expect((await api(t.base, 'GET', '/api/v1/tasks', { token: dana })).status).toBe(200);

  const listed = await api(t.base, 'GET', '/api/v1/staff-tokens', { token: admin });
  expect(listed.status).toBe(200);
  const row = listed.body.items.find((i: { id: string }) => i.id === made.body.id);
  expect(row).toMatchObject({ name: 'Dana Ruiz', status: 'active' });
  expect(JSON.stringify(listed.body)).not.toMatch(/tokenHash|iib_/);

  // Only an admin manages tokens.
  expect((await api(t.base, 'GET', '/api/v1/staff-tokens', { token: dana })).status).toBe(403);
  expect((await api(t.base, 'POST', '/api/v1/staff-tokens', { token: dana, body: { name: 'Me', role: 'admin' } })).status).toBe(403);

  const revoked = await api(t.base, 'DELETE', `/api/v1/staff-tokens/${made.body.id}`, { token: admin });
  expect(revoked.status).toBe(200);
  expect(revoked.body.status).toBe('revoked');
  const after = await api(t.base, 'GET', '/api/v1/tasks', { token: dana });
  expect(after.status).toBe(401);
  expect((await api(t.base, 'DELETE', '/api/v1/staff-tokens/nope', { token: admin })).status).toBe(404);
  const bad = await api(t.base, 'POST', '/api/v1/staff-tokens', { token: admin, body: { name: 'X', role: 'scheduler', days: 1000 } });
  expect(bad.status).toBe(400);
  expect(bad.body.error.details[0].field).toBe('body.days');
});

test('a token stops working when it expires', async () => {
  const made = await api(t.base, 'POST', '/api/v1/staff-tokens', { token: admin, body: { name: 'Temp', role: 'coordinator', days: 1 } });
  expect((await api(t.base, 'GET', '/api/v1/tasks', { token: made.body.token })).status).toBe(200);
  clock = new Date(clock.getTime() + 86_400_000 + 1000);
  const res = await api(t.base, 'GET', '/api/v1/tasks', { token: made.body.token });
  expect(res.status).toBe(401);
  const listed = await api(t.base, 'GET', '/api/v1/staff-tokens', { token: admin }); // made the same day, for 90 days
  expect(listed.body.items.find((i: { id: string }) => i.id === made.body.id)).toMatchObject({ status: 'expired' });
});

test('the CLI lists and revokes tokens', async () => {
  const out: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
  const env = { ...process.env };
  process.env.MONGODB_URI = testMongoUri().replace(/^(mongodb:\/\/[^/]+)\/?/, `$1/${t.dbName}`);
  try {
    await runCli(['staff', 'create', '--name', 'Front desk', '--role', 'coordinator', '--days', '7']);
    const id = /\(id ([\w-]+)\)/.exec(out.join(''))?.[1];
    const token = out.join('').trim().split('\n').at(-1)!;
    expect(out.join('')).toMatch(/valid until \d{4}-\d{2}-\d{2}/);
    out.length = 0;
    await runCli(['staff', 'list']);
    expect(out.join('')).toMatch(new RegExp(`${id}\\s+coordinator\\s+active\\s+expires \\d{4}-\\d{2}-\\d{2}\\s+Front desk`));
    expect(out.join('')).not.toContain('iib_');
    await runCli(['staff', 'revoke', id!]);
    expect(out.join('')).toContain(`Revoked token ${id}`);
    expect((await api(t.base, 'GET', '/api/v1/tasks', { token })).status).toBe(401);
  } finally {
    write.mockRestore();
    process.env = env;
  }
});
