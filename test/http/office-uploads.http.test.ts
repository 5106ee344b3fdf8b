import { api, completeOrder, PUBLIC_BASE_URL, startTestApp, type TestApp } from '../support/test-app';
import { newPhone } from '../support/sms';

// Issue 15 §2: an office signed in on Web Chat sends the documentation a payer asked for as a file.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ name: 'uploads' });
  await t.app.repos.referrers.insert({ id: 'org_files', name: 'Bee Cave Family Practice', tenantId: null, phone: null, fax: null, users: [], createdAt: new Date() });
});
afterAll(() => t.close());

type Conv = { id: string; token: string };
async function start(): Promise<Conv> {
  const gen = await api(t.base, 'POST', '/v3/directline/tokens/generate');
  return { id: gen.body.conversationId as string, token: gen.body.token as string };
}
let seen = 0;
/** Posts a message and answers the bot's replies to it (from the conversation's activity list). */
async function say(c: Conv, text: string): Promise<string> {
  const r = await api(t.base, 'POST', `/v3/directline/conversations/${c.id}/activities`, { headers: { authorization: `Bearer ${c.token}` }, body: { type: 'message', text } });
  expect(r.status).toBe(200);
  return replies(c);
}
async function replies(c: Conv): Promise<string> {
  const all = (await api(t.base, 'GET', `/v3/directline/conversations/${c.id}/activities`, { headers: { authorization: `Bearer ${c.token}` } })).body.activities as Array<{ type: string; text?: string; from: { role: string } }>;
  const fresh = all.slice(seen);
  seen = all.length;
  return fresh.filter((a) => a.from.role === 'bot' && a.type === 'message').map((a) => a.text ?? '').join('\n');
}
/** Web Chat's upload (DirectLineJS): the activity as one part, each file as a part named "file". */
function upload(c: Conv, files: Array<{ name: string; type: string; bytes: Buffer }>, text?: string) {
  const form = new FormData();
  form.append('activity', new Blob([JSON.stringify({ type: 'message', ...(text ? { text } : {}), from: { id: 'u', role: 'user' }, attachments: files.map((f) => ({ name: f.name, contentType: f.type })) })], { type: 'application/vnd.microsoft.activity' }));
  for (const f of files) form.append('file', new Blob([f.bytes], { type: f.type }), f.name);
  return fetch(`${t.base}/v3/directline/conversations/${c.id}/upload?userId=u`, { method: 'POST', body: form, headers: { authorization: `Bearer ${c.token}` } });
}
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(20_000, 0x41), Buffer.from('\n%%EOF\n')]);

test('a payer documentation request: the office signs in on Web Chat, sends the notes as a PDF, and the case moves on; staff can open the file', async () => {
  const admin = await t.token('admin');
  const o = completeOrder();
  const created = await api(t.base, 'POST', '/api/v1/cases', { token: admin, body: { ...o, referrerOrgId: 'org_files', patient: { ...o.patient, phone: newPhone(), language: 'en' } } });
  expect(created.body.state).toBe('pending_authorization');
  const asked = await api(t.base, 'POST', `/api/v1/cases/${created.body.id}/events`, { token: admin, body: { event: 'request_documentation', reason: 'UHC needs the last 6 weeks of office notes' } });
  expect(asked.body.state).toBe('awaiting_documentation');
  const n = (created.body.id as string).slice(-6).toUpperCase();

  const code = (await api(t.base, 'POST', '/api/v1/referrers/org_files/invites', { token: admin, body: { name: 'Ivy Chen' } })).body.code as string;
  const c = await start();
  seen = 0;
  await say(c, 'hi');
  await say(c, '2');
  expect(await say(c, code)).toMatch(/^Signed in for Bee Cave Family Practice as Ivy Chen\./);
  expect(await say(c, `complete ${n}`)).toMatch(new RegExp(`^Order ${n} is missing: requested: UHC needs the last 6 weeks of office notes\\.\\n[\\s\\S]*Clinical notes`));

  // Not a file we take: refused with the reason, nothing kept.
  const exe = await upload(c, [{ name: 'setup.exe', type: 'application/x-msdownload', bytes: Buffer.from('MZ') }]);
  expect(exe.status).toBe(415);
  expect(((await exe.json()) as { error: { code: string } }).error.code).toBe('UNSUPPORTED_FILE_TYPE');
  const big = await upload(c, [{ name: 'scan.pdf', type: 'application/pdf', bytes: Buffer.alloc(5 * 1024 * 1024 + 1, 1) }]);
  expect(big.status).toBe(413);

  const sent = await upload(c, [{ name: 'office-notes-oct-nov.pdf', type: 'application/pdf', bytes: PDF }]);
  expect(sent.status).toBe(200);
  expect(await replies(c)).toMatch(/Send these to complete the order\?/);
  expect(await say(c, '1')).toMatch(/received|authorization/i);
  const moved = (await t.app.repos.cases.findById(created.body.id))!;
  expect(moved).toMatchObject({ state: 'pending_authorization', missing: [] });
  const note = moved.order.note.at(-1)!.text;
  const url = new RegExp(`^Attachment: office-notes-oct-nov\\.pdf \\(application/pdf\\) ${PUBLIC_BASE_URL.replace(/\./g, '\\.')}/api/v1/documents/(d_\\w+)$`).exec(note);
  expect(url).not.toBeNull();

  // Staff download the same bytes; an office token or marketing may not.
  const path = `/api/v1/documents/${url![1]}`;
  const res = await fetch(`${t.base}${path}`, { headers: { authorization: `Bearer ${await t.token('coordinator')}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/pdf');
  expect(res.headers.get('content-disposition')).toBe(`attachment; filename="office-notes-oct-nov.pdf"; filename*=UTF-8''office-notes-oct-nov.pdf`);
  expect(Buffer.from(await res.arrayBuffer()).equals(PDF)).toBe(true);
  for (const token of [await t.token('marketing'), await t.token('referrer', { referrerOrgId: 'org_files' })]) {
    expect((await fetch(`${t.base}${path}`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(403);
  }
});

test('a patient (not signed in as an office) cannot upload; a multipart body anywhere else is still refused', async () => {
  const c = await start();
  seen = 0;
  await say(c, 'hi');
  const r = await upload(c, [{ name: 'id-card.png', type: 'image/png', bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47]) }]);
  expect(r.status).toBe(403);
  expect(((await r.json()) as { error: { code: string } }).error.code).toBe('UPLOADS_OFFICE_ONLY');
  const form = new FormData();
  form.append('file', new Blob(['x']), 'x.txt');
  expect((await fetch(`${t.base}/v3/directline/conversations/${c.id}/activities`, { method: 'POST', body: form, headers: { authorization: `Bearer ${c.token}` } })).status).toBe(415);
});
