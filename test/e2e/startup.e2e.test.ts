import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { buildOnce, serviceEnv } from '../support/built-service';
import { ROOT, testMongoUri, uniqueDbName } from '../support/test-app';

/** The built service as `node dist/bot/index.js` runs it: configuration refusals, start-up, and SIGTERM. */
beforeAll(buildOnce, 120_000);
const env = serviceEnv;

function runToExit(extra: Record<string, string>) {
  return spawnSync('node', ['dist/bot/index.js'], { cwd: ROOT, env: env(extra), encoding: 'utf8', timeout: 30_000 });
}

test('PORT=abc npm start stops start-up with a message naming PORT', () => {
  const r = spawnSync('npm', ['start', '--silent'], { cwd: ROOT, env: env({ PORT: 'abc' }), encoding: 'utf8', timeout: 60_000 });
  expect(r.status).not.toBe(0);
  expect(r.stderr).toContain('PORT: must be a whole number');
});

test('a site config with a scanner missing its modality is refused naming that field', () => {
  const cfg = JSON.parse(readFileSync(path.join(ROOT, 'config/example-center.json'), 'utf8'));
  delete cfg.scanners[0].modality;
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'cfg-')), 'center.json');
  writeFileSync(file, JSON.stringify(cfg));
  const r = runToExit({ CENTER_CONFIG: file });
  expect(r.status).not.toBe(0);
  expect(r.stderr).toContain('scanners[0].modality: Required');
});

test('production without MONGODB_URI or PHONE_HASH_KEY is refused', () => {
  const r = runToExit({ NODE_ENV: 'production' });
  expect(r.status).not.toBe(0);
  expect(r.stderr).toMatch(/PHONE_HASH_KEY[\s\S]*MONGODB_URI|MONGODB_URI[\s\S]*PHONE_HASH_KEY/);
});

test('production without MicrosoftAppId is refused with a message naming it', () => {
  const r = runToExit({
    NODE_ENV: 'production',
    MONGODB_URI: 'mongodb://127.0.0.1:1/x',
    REDIS_URL: 'redis://127.0.0.1:1',
    PUBLIC_BASE_URL: 'https://intake.example.org',
    PHONE_HASH_KEY: 'a-production-secret-of-32-bytes-or-more',
    TWILIO_AUTH_TOKEN: 'f'.repeat(32),
  });
  expect(r.status).not.toBe(0);
  expect(r.stderr).toContain('MicrosoftAppId: must be set when NODE_ENV=production');
  expect(r.stderr).not.toMatch(/PHONE_HASH_KEY|MONGODB_URI|TWILIO_AUTH_TOKEN|PUBLIC_BASE_URL|REDIS_URL/);
});

test('NODE_ENV=prod (not a known value) is refused naming NODE_ENV, never run as development', () => {
  const r = runToExit({ NODE_ENV: 'prod' });
  expect(r.status).not.toBe(0);
  expect(r.stderr).toContain('NODE_ENV: must be development, test or production');
});

test('a port in use stops start-up with a message naming the port, no stack', async () => {
  const taken = net.createServer();
  await new Promise<void>((resolve) => taken.listen(0, '0.0.0.0', resolve));
  const port = (taken.address() as net.AddressInfo).port;
  const u = new URL(testMongoUri());
  u.pathname = `/${uniqueDbName('e2e-port')}`;
  try {
    const r = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const c = spawn('node', ['dist/bot/index.js', '--role=all'], { cwd: ROOT, env: env({ PORT: String(port), MONGODB_URI: u.toString(), REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379' }) });
      let stderr = '';
      c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const kill = setTimeout(() => c.kill('SIGKILL'), 30_000);
      c.on('exit', (status) => {
        clearTimeout(kill);
        resolve({ status, stderr });
      });
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(`port ${port} is already in use`);
    expect(r.stderr).not.toMatch(/EADDRINUSE|\n\s+at /);
  } finally {
    await new Promise((resolve) => taken.close(resolve));
  }
}, 40_000);

describe('a running service', () => {
  let child: ChildProcessWithoutNullStreams;
  let stdout = '';
  let port = 0;

  beforeAll(async () => {
    const u = new URL(testMongoUri());
    u.pathname = `/${uniqueDbName('e2e')}`;
    const mongo = u.toString();
    child = spawn('node', ['dist/bot/index.js', '--role=all'], {
      cwd: ROOT,
      env: env({ PORT: '0', MONGODB_URI: mongo, REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379' }),
    });
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stdout += d.toString()));
    const deadline = Date.now() + 30_000;
    while (!/Listening on port (\d+)/.test(stdout)) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`service did not start:\n${stdout}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    port = Number(/Listening on port (\d+)/.exec(stdout)![1]);
  }, 40_000);

  afterAll(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });

  test('prints which database and Redis it uses, and answers /readyz', async () => {
    expect(stdout).toMatch(/Database: MongoDB at MONGODB_URI \(mongodb:\/\/127\.0\.0\.1:\d+\/t_e2e_/);
    expect(stdout).toMatch(/Redis: +Redis at REDIS_URL|Redis: +Redis already running/);
    const res = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(res.status).toBe(200);
  });

  test('prints the chat address; /chat and the built-in Direct Line answer', async () => {
    expect(stdout).toMatch(/chat +http:\/\/localhost:\d+\/chat/);
    expect((await fetch(`http://127.0.0.1:${port}/chat`)).status).toBe(200);
    const conv = await fetch(`http://127.0.0.1:${port}/v3/directline/tokens/generate`, { method: 'POST' });
    expect(conv.status).toBe(200);
    const { conversationId, token } = (await conv.json()) as { conversationId: string; token: string };
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const url = `http://127.0.0.1:${port}/v3/directline/conversations/${conversationId}/activities`;
    expect((await fetch(url, { method: 'POST', headers, body: JSON.stringify({ type: 'message', text: 'hola' }) })).status).toBe(200);
    const got = (await (await fetch(url, { headers })).json()) as { activities: Array<{ text: string }> };
    expect(got.activities.map((a) => a.text)).toEqual(['hola', 'Hola, le escribe Bluebonnet Imaging. ¿Cómo le ayudamos?\n1. Soy paciente\n2. Llamo de un consultorio médico\n3. Hablar con una persona']);
  });

  test('with no Twilio keys, a text posted to the webhook gets the menu, printed by the log transport', async () => {
    // A fresh MessageSid: the service shares this machine's Redis, where an earlier run's SID counts as seen.
    const body = new URLSearchParams({ MessageSid: `SM${randomBytes(16).toString('hex')}`, From: '+15125550142', To: '+15125550100', Body: 'hello' });
    const res = await fetch(`http://127.0.0.1:${port}/api/sms/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<Response></Response>');
    // The child's stdout is a pipe: give the printed line a moment to arrive.
    for (let i = 0; i < 40 && !stdout.includes('[sms to '); i++) await new Promise((r) => setTimeout(r, 50));
    expect(stdout).toContain('[sms to ********0142] Hi, this is Bluebonnet Imaging. How can we help?');
    expect(stdout).toContain("1. I'm a patient");
    expect(stdout).not.toContain('+15125550142'); // the log transport masks the number
  });

  test('SIGTERM finishes the request in flight, refuses new connections, and exits 0', async () => {
    // A request whose body is still arriving when SIGTERM lands.
    const socket = net.connect(port, '127.0.0.1');
    await new Promise<void>((r) => socket.once('connect', () => r()));
    const body = '{"event":"cancel","reason":"test"}';
    socket.write(
      `POST /api/v1/cases/c_000000000000000000000000/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
        `Authorization: Bearer iib_unknown\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body.slice(0, 10)}`,
    );
    let response = '';
    socket.on('data', (d: Buffer) => (response += d.toString()));
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    await new Promise((r) => setTimeout(r, 200));

    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));

    // New connections are refused while the old request is still open.
    const refused = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(false);
      });
      s.once('error', () => resolve(true));
    });
    expect(refused).toBe(true);
    expect(child.exitCode).toBeNull(); // still finishing

    socket.write(body.slice(10));
    await closed;
    expect(response).toMatch(/^HTTP\/1\.1 401 /); // the in-flight request got its real answer
    expect(await exited).toBe(0);
    expect(stdout).toContain('SIGTERM received');
  }, 30_000);
});


test('--role=worker answers /healthz and /readyz on its own port, serves no API there, and stops on SIGTERM', async () => {
  const u = new URL(testMongoUri());
  u.pathname = `/${uniqueDbName('e2e-worker')}`;
  const child = spawn('node', ['dist/bot/index.js', '--role=worker'], {
    cwd: ROOT,
    env: env({ WORKER_HEALTH_PORT: '0', MONGODB_URI: u.toString(), REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', REDIS_PREFIX: `e2e${randomBytes(3).toString('hex')}:` }),
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  try {
    const deadline = Date.now() + 30_000;
    while (!/Worker health on port (\d+)/.test(out)) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`worker did not start:\n${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const port = Number(/Worker health on port (\d+)/.exec(out)![1]);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { mongodb: 'up', redis: 'up' } });
    expect((await fetch(`http://127.0.0.1:${port}/api/v1/cases`)).status).toBe(404);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}, 60_000);
