import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { api, ROOT, startTestApp, type TestApp } from '../support/test-app';
import { DirectLineAdapter } from '../../bot/directline/directline.adapter';
import { renderContent } from '../../bot/render/channel-render';
import { createDirectLineStore } from '../../models/directline.store';
import { OutboundContent } from '../../services/conversations/outbound-content';

// Debian's Chromium (apt-get install chromium), never a downloaded one: .ci/run installs it when it is missing.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OUT = path.join(ROOT, 'test-output');

let t: TestApp;
let browser: Browser;
const pageErrors: string[] = [];

/** A message bubble's text as Web Chat renders it (a paragraph in the transcript). */
const bubble = (page: Page, text: string | RegExp) => page.getByRole('paragraph').filter({ hasText: text });
/** A numbered choice kept in a message's text (Web Chat renders the lines as a Markdown list). */
const listedChoice = (page: Page, text: string | RegExp) => page.locator('#webchat li').filter({ hasText: text });
const botBubbles = (page: Page) => page.locator('#webchat .webchat__bubble:not(.webchat__bubble--from-user)');
/** An Adaptive Card's button (Adaptive Cards renders a push button per action). */
const cardButton = (page: Page, name: string) => page.locator(`#webchat button.ac-pushButton[aria-label="${name}"]`);
const sendBox = (page: Page) => page.locator('[data-id="webchat-sendbox-input"]');

/** Waits until the check holds (playwright-core has no web-first assertions): a page that polls needs a moment. */
async function until(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
/** The office sign-in the page keeps in the browser's storage (run in the page: the browser's own localStorage). */
const keptSignIn = (page: Page) => page.evaluate<string | null>('window.localStorage.getItem("intake.officeSession")');
const text = async (page: Page, selector: string) => (await page.locator(selector).textContent()) ?? '';

async function openChat(locale: string): Promise<Page> {
  const page = await browser.newPage({ locale, viewport: { width: 900, height: 800 } });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${t.base}/chat`);
  await sendBox(page).waitFor({ timeout: 20_000 });
  return page;
}

/** The Direct Line conversation the page opened, as the service stored its reference after the first message. */
async function webchatRefs() {
  return t.app.repos.conversationRefs.list({ channel: 'webchat' }, 10);
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: run apt-get install chromium (or set CHROMIUM_PATH)`);
  t = await startTestApp({ name: 'browser' });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

test('Web Chat at /chat: greeted on open, a click on the menu, past choices still readable, a staff message, booking card buttons that send C, Spanish words when the bot speaks Spanish', async () => {
  const page = await openChat('en-US');
  expect(await text(page, '#tagline')).toMatch(/^Imaging requests, prep and appointments/);

  // Greeted with the menu before typing anything (Web Chat renders Markdown, with typographic apostrophes).
  await bubble(page, /^Hi, this is Bluebonnet Imaging\. I can help you request an imaging exam/).waitFor({ timeout: 15_000 });
  expect(await listedChoice(page, /^I.m a patient$/).count()).toBe(1);
  expect(await page.getByText(/reply with a number|reply 1/i).count()).toBe(0); // no SMS wording next to the buttons

  const toolbar = page.getByRole('toolbar', { name: 'Suggested actions' });
  const patient = toolbar.getByRole('button', { name: "I'm a patient" });
  await patient.waitFor();
  await patient.click();
  await bubble(page, /^What exam do you need\?/).waitFor({ timeout: 15_000 });
  // The buttons went with the pick; the greeting still reads with its three choices.
  await until('the menu buttons to go', async () => (await toolbar.getByRole('button', { name: "I'm a patient" }).count()) === 0);
  expect(await listedChoice(page, /^I.m a patient$/).isVisible()).toBe(true);
  expect(await listedChoice(page, /^Talk to a person$/).isVisible()).toBe(true);

  // The page's conversation, as the service stored it, and a message staff send to it.
  const refs = await webchatRefs();
  expect(refs).toHaveLength(1);
  const ref = refs[0]!;
  const token = await t.token('coordinator');
  const sent = await api(t.base, 'POST', `/api/v1/conversations/${ref.id}/messages`, {
    token,
    body: { text: 'A coordinator here: we have an opening tomorrow at 9:00.' },
  });
  expect(sent.status).toBe(201);
  await bubble(page, 'A coordinator here: we have an opening tomorrow at 9:00.').waitFor({ timeout: 15_000 });

  // The booking as a card with Confirm, Reschedule and Cancel; a click sends "C" as the message text.
  const card = await api(t.base, 'POST', `/api/v1/conversations/${ref.id}/messages`, {
    token,
    body: {
      text: 'Your appointment is booked.',
      summary: {
        title: 'Your appointment',
        facts: [
          { label: 'When', value: 'Tue Dec 1, 9:00 AM' },
          { label: 'Where', value: 'Bluebonnet Imaging, 1200 Congress Ave' },
          { label: 'Exam', value: 'MRI lumbar spine without contrast' },
        ],
        actions: [
          { value: 'C', title: 'Confirm' },
          { value: 'R', title: 'Reschedule' },
          { value: 'X', title: 'Cancel' },
        ],
      },
    },
  });
  expect(card.status).toBe(201);
  const confirm = cardButton(page, 'Confirm');
  await confirm.waitFor({ timeout: 15_000 });
  expect(await cardButton(page, 'Reschedule').isVisible()).toBe(true);
  expect(await cardButton(page, 'Cancel').isVisible()).toBe(true);
  const before = await botBubbles(page).count();
  const posted = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/activities') && (r.postDataJSON() as { type?: string }).type === 'message');
  await confirm.click();
  expect((await posted).postDataJSON()).toMatchObject({ type: 'message', text: 'C' });
  // Whatever the bot says to C here (no appointment of theirs is known yet), it answers.
  await until('a reply to C', async () => (await botBubbles(page).count()) > before);
  const inbound = (await t.app.repos.messages.list({ conversationRefId: ref.id }, 50)).filter((m) => m.direction === 'inbound').map((m) => m.body);
  expect(inbound).toContain('C');
  expect(await cardButton(page, 'Confirm').isVisible()).toBe(true); // the card and its buttons stay in the transcript

  // A bot message in Spanish (its locale, as every rendered activity carries): the page's own words follow.
  expect(await page.getByRole('button', { name: 'Send' }).isVisible()).toBe(true);
  const key = (await t.app.redis.keys(`*dl:conv:${ref.reference.conversation.id}`))[0]!;
  const local = new DirectLineAdapter(createDirectLineStore(t.app.redis, key.slice(0, key.indexOf('dl:conv:'))));
  await local.continueConversation(ref.reference as never, async (context) => {
    Reflect.deleteProperty(context.activity, 'id');
    await context.sendActivity(renderContent('webchat', OutboundContent.parse({ text: 'Con gusto le ayudo en español.' }), 'es'));
  });
  await bubble(page, 'Con gusto le ayudo en español.').waitFor({ timeout: 15_000 });
  await until('the Spanish header', async () => /^Solicitudes de estudios de imagen, preparación y citas/.test(await text(page, '#tagline')), 5_000);
  await until('the Spanish placeholder', async () => (await sendBox(page).getAttribute('placeholder')) === 'Escriba su mensaje', 5_000);
  expect(await page.getByRole('button', { name: 'Enviar' }).isVisible()).toBe(true);
  expect(await page.locator('html').getAttribute('lang')).toBe('es');

  mkdirSync(OUT, { recursive: true });
  await page.screenshot({ path: path.join(OUT, 'webchat.png'), fullPage: true });
  expect(existsSync(path.join(OUT, 'webchat.png'))).toBe(true);
  expect(pageErrors).toEqual([]);
  await page.close();
}, 120_000);

test('a Spanish browser: the page in Spanish and the greeting and menu in Spanish, on open', async () => {
  const page = await openChat('es-US');
  await bubble(page, /^Hola, le escribe Bluebonnet Imaging\. Puedo ayudarle/).waitFor({ timeout: 15_000 });
  expect(await text(page, '#tagline')).toMatch(/^Solicitudes de estudios de imagen/);
  expect(await text(page, '#status')).toBe('');
  expect(await sendBox(page).getAttribute('placeholder')).toBe('Escriba su mensaje');
  expect(await page.getByRole('button', { name: 'Enviar' }).isVisible()).toBe(true);
  expect(await page.locator('html').getAttribute('lang')).toBe('es');
  expect(await listedChoice(page, /^Soy paciente$/).count()).toBe(1);
  mkdirSync(OUT, { recursive: true });
  await page.screenshot({ path: path.join(OUT, 'webchat-es.png') });
  await page.getByRole('toolbar', { name: 'Acciones sugeridas' }).getByRole('button', { name: 'Hablar con una persona' }).click();
  await bubble(page, /^Le pedí a nuestro equipo que le responda por aquí/).waitFor({ timeout: 15_000 });
  expect(pageErrors).toEqual([]);
  await page.close();
}, 90_000);

test('an office sign-in stays on the device: a reload is signed in again; SIGN OUT forgets it', async () => {
  await t.app.repos.referrers.insert({ id: 'org_browser', name: 'Oak Ridge Clinic', tenantId: null, phone: null, fax: null, users: [], createdAt: new Date() });
  const code = (await api(t.base, 'POST', '/api/v1/referrers/org_browser/invites', { token: await t.token('admin'), body: { name: 'Nora Diaz' } })).body.code as string;
  const page = await openChat('en-US');
  const say = async (words: string) => {
    await sendBox(page).fill(words);
    await sendBox(page).press('Enter');
  };
  await bubble(page, /^Hi, this is Bluebonnet Imaging\./).waitFor({ timeout: 15_000 });
  await say('2');
  await bubble(page, /code/i).first().waitFor({ timeout: 15_000 });
  await say(code);
  await bubble(page, /^Signed in for Oak Ridge Clinic as Nora Diaz\. This device stays signed in until/).waitFor({ timeout: 15_000 });
  await until('the page to keep the sign-in', async () => (await keptSignIn(page)) !== null);

  // Signed in, the office may attach a file: the notes a payer asked for, with Web Chat's own upload button.
  const admin = await t.token('admin');
  const o = { source: 'fax', referrerOrgId: 'org_browser', patient: { givenName: 'Ana', familyName: 'Lopez', birthDate: '1980-04-02', phone: '+15125550177', language: 'en' }, order: { modality: 'mri', bodyPart: 'lumbar spine', laterality: null, contrast: 'without', priority: 'routine', reasonCodes: ['M54.50'], reasonText: 'low back pain', requester: { name: 'Dr. Maya Patel', npi: '1234567893', phone: '+15557654321' }, insurance: { payer: 'Aetna', memberId: 'W123456789' } } };
  const created = (await api(t.base, 'POST', '/api/v1/cases', { token: admin, body: o })).body as { id: string };
  await api(t.base, 'POST', `/api/v1/cases/${created.id}/events`, { token: admin, body: { event: 'request_documentation', reason: 'Aetna needs the PT notes' } });
  const n = created.id.slice(-6).toUpperCase();
  await say(`complete ${n}`);
  await bubble(page, /Clinical notes/).first().waitFor({ timeout: 15_000 });
  await page.locator('#webchat input[type="file"]').setInputFiles({ name: 'pt-notes.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\nnotes\n%%EOF\n') });
  await page.getByRole('button', { name: 'Send', exact: true }).click(); // Web Chat attaches first, sends on Send
  await bubble(page, /Send these to complete the order\?/).waitFor({ timeout: 15_000 });
  const note = async () => (await t.app.repos.cases.findById(created.id))!.order.note.map((x) => x.text).join('\n');
  await say('1');
  await until('the notes on the case', async () => /Attachment: pt-notes\.pdf \(application\/pdf\) https:\/\/intake\.test\/api\/v1\/documents\/d_/.test(await note()));

  await page.reload();
  await sendBox(page).waitFor({ timeout: 20_000 });
  await bubble(page, /^Welcome back: signed in for Oak Ridge Clinic as Nora Diaz/).waitFor({ timeout: 15_000 });
  expect(await bubble(page, /^Hi, this is Bluebonnet Imaging\./).count()).toBe(0);
  await say('sign out');
  await bubble(page, /^Signed out: this device no longer shows your office/).waitFor({ timeout: 15_000 });
  await until('the page to forget the sign-in', async () => (await keptSignIn(page)) === null);

  await page.reload();
  await sendBox(page).waitFor({ timeout: 20_000 });
  await bubble(page, /^Hi, this is Bluebonnet Imaging\./).waitFor({ timeout: 15_000 });
  expect(await page.locator('#webchat input[type="file"]').count()).toBe(0); // no paper clip for patients
  expect(pageErrors).toEqual([]);
  await page.close();
}, 120_000);
