import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { api, ROOT, startTestApp, type TestApp } from '../support/test-app';

// Debian's Chromium (apt-get install chromium), never a downloaded one: .ci/run installs it when it is missing.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OUT = path.join(ROOT, 'test-output');

let t: TestApp;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
/** A message bubble's text as Web Chat renders it (a paragraph in the transcript). */
const bubble = (text: string | RegExp) => page.getByRole('paragraph').filter({ hasText: text });

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: run apt-get install chromium (or set CHROMIUM_PATH)`);
  t = await startTestApp({ name: 'browser' });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage({ locale: 'en-US', viewport: { width: 900, height: 800 } });
  page.on('pageerror', (e) => pageErrors.push(e.message));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

test('Web Chat at /chat: type hi, see the menu, click a suggested action, see the next prompt, then receive a proactive message', async () => {
  await page.goto(`${t.base}/chat`);
  const input = page.locator('[data-id="webchat-sendbox-input"]');
  await input.waitFor({ timeout: 20_000 });
  await input.fill('hi');
  await input.press('Enter');

  await bubble('Hi, this is Bluebonnet Imaging. How can we help?').waitFor({ timeout: 15_000 });
  const patient = page.getByRole('toolbar', { name: 'Suggested actions' }).getByRole('button', { name: "I'm a patient" });
  await patient.waitFor();
  await patient.click();
  // Web Chat renders the reply as Markdown, with typographic apostrophes.
  await bubble(/^What exam do you need\?/).waitFor({ timeout: 15_000 });

  // The page's conversation, as the service stored it, and a message staff send to it.
  const refs = await t.app.repos.conversationRefs.list({ channel: 'webchat' }, 10);
  expect(refs).toHaveLength(1);
  const token = await t.token('coordinator');
  const sent = await api(t.base, 'POST', `/api/v1/conversations/${refs[0]!.id}/messages`, {
    token,
    body: { text: 'A coordinator here: we have an opening tomorrow at 9:00.' },
  });
  expect(sent.status).toBe(201);
  await bubble('A coordinator here: we have an opening tomorrow at 9:00.').waitFor({ timeout: 15_000 });

  mkdirSync(OUT, { recursive: true });
  await page.screenshot({ path: path.join(OUT, 'webchat.png'), fullPage: true });
  expect(existsSync(path.join(OUT, 'webchat.png'))).toBe(true);
  expect(pageErrors).toEqual([]);
}, 90_000);
