import { createPhoneHasher } from '../../services/contact/phone';
import { OPT_OUT_WORDS } from '../../services/consent/keywords';
import { inbound, newPhone, newSid, postTwilio } from '../support/sms';
import { api, completeOrder, startTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
const hash = createPhoneHasher('test-hash-key');

beforeAll(async () => {
  t = await startTestApp({ name: 'sms' });
});
afterAll(() => t.close());

const messagesOf = (phone: string) => t.app.repos.messages.list({ phoneHash: hash(phone) }, 100);
const outboundOf = async (phone: string) => (await messagesOf(phone)).filter((m) => m.direction === 'outbound').reverse();

describe('signed webhooks', () => {
  test('a request signed as Twilio signs it → 200 empty TwiML, the message stored, the menu sent as an outbound message', async () => {
    const phone = newPhone();
    const res = await postTwilio(t.base, '/api/sms/inbound', inbound(phone, 'Hello'));
    expect(res.status).toBe(200);
    expect(res.contentType).toContain('text/xml');
    expect(res.text).toBe('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
    const all = await messagesOf(phone);
    expect(all.filter((m) => m.direction === 'inbound')).toHaveLength(1);
    const out = await outboundOf(phone);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ template: 'reply', purpose: 'care', status: 'sent', phone });
    expect(out[0]!.body).toContain('1. ');
    expect(out[0]!.body).toContain('3. Talk to a person');
    expect(t.smsOut.some((l) => l.includes('Bluebonnet Imaging. How can we help?'))).toBe(true);
  });

  test('one parameter changed after signing → 403 and nothing stored; no signature → 403', async () => {
    const phone = newPhone();
    const params = inbound(phone, 'Hello');
    const tampered = await postTwilio(t.base, '/api/sms/inbound', { ...params, Body: 'Hello!' }, { signParams: params });
    expect(tampered.status).toBe(403);
    expect(JSON.parse(tampered.text).error.code).toBe('INVALID_SIGNATURE');
    const unsigned = await postTwilio(t.base, '/api/sms/inbound', params, { sign: 'none' });
    expect(unsigned.status).toBe(403);
    const wrongKey = await postTwilio(t.base, '/api/sms/inbound', params, { token: 'someone-else' });
    expect(wrongKey.status).toBe(403);
    expect(await messagesOf(phone)).toEqual([]);
  });

  test('malformed Twilio parameters → 400 naming them', async () => {
    const res = await postTwilio(t.base, '/api/sms/inbound', { MessageSid: 'nope', From: 'x', To: '+15125550100', Body: 'hi' });
    expect(res.status).toBe(400);
    const fields = JSON.parse(res.text).error.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['body.MessageSid', 'body.From']));
  });
});

describe('one turn per message, in order', () => {
  test('the same MessageSid posted 5 times concurrently → one inbound message, one turn, one reply', async () => {
    const phone = newPhone();
    const params = inbound(phone, 'Hi there');
    const results = await Promise.all(Array.from({ length: 5 }, () => postTwilio(t.base, '/api/sms/inbound', params)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const all = await messagesOf(phone);
    expect(all.filter((m) => m.direction === 'inbound')).toHaveLength(1);
    expect(all.filter((m) => m.direction === 'outbound')).toHaveLength(1);
  });

  test('two messages from one phone posted concurrently → both handled in arrival order, state kept between them', async () => {
    const phone = newPhone();
    const first = postTwilio(t.base, '/api/sms/inbound', inbound(phone, 'Hola, necesito ayuda'));
    await new Promise((r) => setTimeout(r, 5)); // arrives just after, while the first turn may still run
    const second = postTwilio(t.base, '/api/sms/inbound', inbound(phone, '3'));
    expect((await Promise.all([first, second])).map((r) => r.status)).toEqual([200, 200]);
    const out = await outboundOf(phone);
    expect(out).toHaveLength(2);
    expect(out[0]!.body).toContain('¿Cómo le ayudamos?'); // menu, in Spanish
    expect(out[1]!.body).toContain('Le pedí a nuestro equipo que le responda por aquí'); // the choice, answered in the language kept in state
    const inb = (await messagesOf(phone)).filter((m) => m.direction === 'inbound');
    expect(inb.every((m) => m.handled)).toBe(true);
    // Dialog state is keyed by the number's keyed hash, and holds no number either.
    const keys = [`sms/conversations/sms_${hash(phone)}/`, `sms/users/sms_${hash(phone)}/`];
    const state = await t.app.repos.botState.read(keys);
    expect(Object.keys(state).sort()).toEqual([...keys].sort());
    expect(state[keys[1]!]).toMatchObject({ profile: { language: 'es' } });
    expect(JSON.stringify(state)).not.toContain(phone.slice(2));
  });
});

describe('a picture-only MMS (Twilio sends Body empty with NumMedia=1)', () => {
  test('is stored once with its media, answered with how to send documents, and a retry changes nothing', async () => {
    const phone = newPhone();
    const sid = `MM${'ab'.repeat(16)}`;
    const mms = { ...inbound(phone, '', sid), NumMedia: '1', MediaUrl0: 'https://api.twilio.com/2010-04-01/Accounts/AC0/Messages/MM0/Media/ME0', MediaContentType0: 'image/jpeg' };
    expect((await postTwilio(t.base, '/api/sms/inbound', mms)).status).toBe(200);
    expect((await postTwilio(t.base, '/api/sms/inbound', mms)).status).toBe(200); // Twilio's retry
    const all = await messagesOf(phone);
    const stored = all.filter((m) => m.direction === 'inbound');
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ body: '', media: [{ url: mms.MediaUrl0, contentType: 'image/jpeg' }], twilioSid: sid });
    const replies = await outboundOf(phone);
    expect(replies.map((m) => m.body)).toEqual([expect.stringMatching(/^Thanks, we got your picture, but we can't read photos or files by text\. To send us an order or another document, ask your doctor's office to send it to us, or call \(512\) 555-0100\./)]);
  });
});

describe('opt-out, opt-in and help', () => {
  const decorated = OPT_OUT_WORDS.flatMap((w) => [w.toUpperCase(), ` ${w}. `]);

  test.each(decorated)('%p → every purpose revoked, exactly one confirmation, then every send refused at the gateway', async (word) => {
    const phone = newPhone();
    await postTwilio(t.base, '/api/sms/inbound', inbound(phone, 'hello')); // care consent from texting in
    await postTwilio(t.base, '/api/sms/inbound', inbound(phone, word));
    await postTwilio(t.base, '/api/sms/inbound', inbound(phone, word)); // a second STOP gets no second confirmation
    const statuses = await t.app.services.consent.statuses(hash(phone));
    expect(statuses).toEqual({ care: 'revoked', marketing: 'revoked' });
    const confirmations = (await outboundOf(phone)).filter((m) => m.template === 'opt_out_confirmation');
    expect(confirmations).toHaveLength(1);
    expect(confirmations[0]!.body).toMatch(/unsubscribed.*START/);

    for (const [purpose, template] of [['care', 'reply'], ['marketing', 'campaign']] as const) {
      const r = await t.app.services.gateway.send({ to: phone, body: 'x', purpose, template, idempotencyKey: newSid(), initiated: false, language: 'en' });
      expect(r.outcome).toBe('refused');
      expect(r.message).toMatchObject({ status: 'refused', reason: `no_consent:${purpose}:revoked`, twilioSid: null });
    }
    // The conversation is silent too while opted out: a normal message gets no reply.
    const before = (await outboundOf(phone)).length;
    await postTwilio(t.base, '/api/sms/inbound', inbound(phone, 'hello?'));
    expect((await outboundOf(phone)).length).toBe(before);
  });

  test('START brings consent back with a confirmation; HELP is answered while opted out', async () => {
    const phone = newPhone();
    await postTwilio(t.base, '/api/sms/inbound', inbound(phone, 'hi'));
    await postTwilio(t.base, '/api/sms/inbound', inbound(phone, 'STOP'));
    await postTwilio(t.base, '/api/sms/inbound', inbound(phone, 'help'));
    let out = await outboundOf(phone);
    const help = out.find((m) => m.template === 'help');
    expect(help?.status).toBe('sent');
    expect(help?.body).toContain('Bluebonnet Imaging');
    expect(help?.body).toContain('(512) 555-0100');
    expect(help?.body).toContain('Msg & data rates may apply');
    expect(help?.body).toContain('STOP');

    await postTwilio(t.base, '/api/sms/inbound', inbound(phone, 'Start'));
    expect((await t.app.services.consent.statuses(hash(phone))).care).toBe('granted');
    out = await outboundOf(phone);
    expect(out.at(-1)).toMatchObject({ template: 'opt_in_confirmation', status: 'sent' });
  });

  test.each(['ALTO', 'Basta', 'PARAR'])('%p in Spanish: every purpose revoked, one confirmation in Spanish; AYUDA answered in Spanish; COMENZAR re-subscribes in Spanish', async (word) => {
    const phone = newPhone();
    await postTwilio(t.base, '/api/sms/inbound', inbound(phone, 'hola'));
    await postTwilio(t.base, '/api/sms/inbound', inbound(phone, word));
    expect(await t.app.services.consent.statuses(hash(phone))).toEqual({ care: 'revoked', marketing: 'revoked' });
    let out = await outboundOf(phone);
    expect(out.filter((m) => m.template === 'opt_out_confirmation').map((m) => m.body)).toEqual(['Bluebonnet Imaging: ya no recibirá mensajes nuestros. Responda START o COMENZAR para volver a suscribirse. Preguntas: (512) 555-0100.']);
    await postTwilio(t.base, '/api/sms/inbound', inbound(phone, 'AYUDA'));
    out = await outboundOf(phone);
    expect(out.at(-1)).toMatchObject({ template: 'help', body: expect.stringMatching(/^Bluebonnet Imaging: citas de imágenes, preparación y recordatorios\./) });
    // While opted out an ordinary "hola" stays unanswered; COMENZAR brings consent back, confirmed in Spanish.
    const before = out.length;
    await postTwilio(t.base, '/api/sms/inbound', inbound(phone, 'hola'));
    expect((await outboundOf(phone)).length).toBe(before);
    await postTwilio(t.base, '/api/sms/inbound', inbound(phone, 'COMENZAR'));
    expect((await t.app.services.consent.statuses(hash(phone))).care).toBe('granted');
    expect((await outboundOf(phone)).at(-1)).toMatchObject({ template: 'opt_in_confirmation', body: expect.stringMatching(/volvió a suscribirse/) });
  });

  test('STOP from a patient we know in Spanish is confirmed in Spanish; from one we know in English, in English', async () => {
    const es = newPhone();
    const en = newPhone();
    const o = completeOrder();
    const token = await t.token('coordinator');
    for (const [phone, language] of [[es, 'es'], [en, 'en']] as const) {
      expect((await api(t.base, 'POST', '/api/v1/cases', { token, body: { ...o, patient: { ...o.patient, phone, language } } })).status).toBe(201);
      await postTwilio(t.base, '/api/sms/inbound', inbound(phone, 'STOP'));
      expect(await t.app.services.consent.statuses(hash(phone))).toEqual({ care: 'revoked', marketing: 'revoked' });
    }
    expect((await outboundOf(es)).filter((m) => m.template === 'opt_out_confirmation').map((m) => m.body)).toEqual(['Bluebonnet Imaging: ya no recibirá mensajes nuestros. Responda START o COMENZAR para volver a suscribirse. Preguntas: (512) 555-0100.']);
    expect((await outboundOf(en)).filter((m) => m.template === 'opt_out_confirmation').map((m) => m.body)).toEqual([expect.stringMatching(/^Bluebonnet Imaging: you are unsubscribed/)]);
  });

  test('a free-text revocation in Spanish revokes like STOP; an ordinary sentence with "stop" does not', async () => {
    const a = newPhone();
    await postTwilio(t.base, '/api/sms/inbound', inbound(a, 'Can I stop by earlier?'));
    expect((await t.app.services.consent.statuses(hash(a))).care).toBe('granted');
    await postTwilio(t.base, '/api/sms/inbound', inbound(a, 'no más mensajes por favor'));
    expect(await t.app.services.consent.statuses(hash(a))).toEqual({ care: 'revoked', marketing: 'revoked' });
    const history = (await t.app.repos.consents.get(hash(a))).care!.history;
    expect(history.at(-1)).toMatchObject({ status: 'revoked', source: 'sms_free_text', evidence: 'no más mensajes por favor' });
  });
});

describe('status callbacks', () => {
  test('out of order (delivered, then sent) → the stored status stays delivered; both are in the history', async () => {
    const phone = newPhone();
    await postTwilio(t.base, '/api/sms/inbound', inbound(phone, 'hi'));
    const [reply] = await outboundOf(phone);
    const sid = reply!.twilioSid!;
    expect((await postTwilio(t.base, '/api/sms/status', { MessageSid: sid, MessageStatus: 'delivered' })).status).toBe(200);
    expect((await postTwilio(t.base, '/api/sms/status', { MessageSid: sid, MessageStatus: 'sent' })).status).toBe(200);
    const m = await t.app.repos.messages.findById(reply!.id);
    expect(m?.status).toBe('delivered');
    expect(m?.statusHistory.map((h) => h.status).slice(-2)).toEqual(['delivered', 'sent']);
    const unsigned = await postTwilio(t.base, '/api/sms/status', { MessageSid: sid, MessageStatus: 'failed' }, { sign: 'none' });
    expect(unsigned.status).toBe(403);
    expect((await t.app.repos.messages.findById(reply!.id))?.status).toBe('delivered');
  });
});

describe('staff views of messages and consent', () => {
  test('messages by phone with their status history; consent with its history; staff-recorded consent needs evidence', async () => {
    const admin = await t.token('admin');
    const marketing = await t.token('marketing');
    const phone = newPhone();
    await postTwilio(t.base, '/api/sms/inbound', inbound(phone, 'hello'));
    const q = encodeURIComponent(phone);

    const msgs = await fetch(`${t.base}/api/v1/messages?phone=${q}`, { headers: { authorization: `Bearer ${admin}` } });
    const body = (await msgs.json()) as { items: { direction: string; purpose: string; status: string; statusHistory: unknown[] }[] };
    expect(msgs.status).toBe(200);
    expect(body.items.map((m) => m.direction).sort()).toEqual(['inbound', 'outbound']);
    expect(body.items.find((m) => m.direction === 'outbound')).toMatchObject({ purpose: 'care', status: 'sent' });
    expect((await fetch(`${t.base}/api/v1/messages?phone=${q}`, { headers: { authorization: `Bearer ${marketing}` } })).status).toBe(403);

    const c = await fetch(`${t.base}/api/v1/consents/${q}`, { headers: { authorization: `Bearer ${marketing}` } });
    expect(await c.json()).toMatchObject({ phone, purposes: { care: { status: 'granted', history: [{ source: 'sms_inbound' }] }, marketing: { status: 'unknown', history: [] } } });

    const put = (b: unknown) =>
      fetch(`${t.base}/api/v1/consents/${q}/marketing`, { method: 'PUT', headers: { authorization: `Bearer ${marketing}`, 'content-type': 'application/json' }, body: JSON.stringify(b) });
    const missing = await put({ status: 'granted' });
    expect(missing.status).toBe(400);
    const granted = await put({ status: 'granted', evidence: 'screening-recall web form v3', source: 'web_form' });
    expect(granted.status).toBe(200);
    expect(await granted.json()).toMatchObject({ purposes: { marketing: { status: 'granted', history: [{ source: 'web_form' }] } } });
    expect(await t.app.services.consent.statuses(hash(phone))).toEqual({ care: 'granted', marketing: 'granted' });
  });

  test('marketing sees consent statuses without the evidence and may not change care consent', async () => {
    const marketing = await t.token('marketing');
    const admin = await t.token('admin');
    const phone = newPhone();
    await postTwilio(t.base, '/api/sms/inbound', inbound(phone, 'hello'));
    await postTwilio(t.base, '/api/sms/inbound', inbound(phone, 'please stop texting me, my biopsy came back positive and I am switching clinics'));
    const q = encodeURIComponent(phone);
    const read = async (token: string) => (await fetch(`${t.base}/api/v1/consents/${q}`, { headers: { authorization: `Bearer ${token}` } })).json() as Promise<any>;
    const asMarketing = await read(marketing);
    expect(asMarketing.purposes.care.status).toBe('revoked');
    expect(asMarketing.purposes.care.history.at(-1)).toEqual({ status: 'revoked', source: expect.any(String), receivedAt: expect.any(String), effectiveAt: expect.any(String) });
    expect(JSON.stringify(asMarketing)).not.toMatch(/biopsy|evidence|staff:|c_[a-f0-9]{24}/);
    // Staff who care for the patient still see the words that made the change.
    expect(JSON.stringify(await read(admin))).toContain('biopsy');

    const care = await fetch(`${t.base}/api/v1/consents/${q}/care`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${marketing}`, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'granted', evidence: 'called and agreed' }),
    });
    expect(care.status).toBe(403);
    expect(await t.app.services.consent.statuses(hash(phone))).toMatchObject({ care: 'revoked' });
  });
});

describe('the webhook never waits for the turn', () => {
  test('a text gets 200 empty TwiML while its reply is still being sent; the reply follows, once, and the text is marked handled', async () => {
    // A transport that holds every send until the test lets it go, as a slow Twilio would.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const sent: string[] = [];
    const slow = await startTestApp({
      name: 'sms_async',
      transport: {
        name: 'log',
        async send(msg) {
          await held;
          sent.push(msg.body);
          return { ok: true, sid: newSid(), status: 'sent' };
        },
      },
    });
    try {
      const phone = newPhone();
      const res = await postTwilio(slow.base, '/api/sms/inbound', inbound(phone, 'hello'), { settle: false });
      expect(res.status).toBe(200);
      expect(res.text).toContain('<Response></Response>');
      const stored = await slow.app.repos.messages.list({ phoneHash: hash(phone) }, 10);
      expect(stored.filter((m) => m.direction === 'inbound')).toHaveLength(1);
      expect(sent).toEqual([]); // answered before the reply went out
      release();
      await slow.app.smsIdle();
      expect(sent).toHaveLength(1);
      expect(sent[0]).toContain('How can we help?');
      const after = await slow.app.repos.messages.list({ phoneHash: hash(phone) }, 10);
      expect(after.find((m) => m.direction === 'inbound')!.handled).toBe(true);
      expect(after.filter((m) => m.direction === 'outbound')).toHaveLength(1);
    } finally {
      release();
      await slow.close();
    }
  });
});
