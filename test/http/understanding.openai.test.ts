import nock from 'nock';
import { createOpenAiEngine } from '../../bot/integrations/openai.engine';
import { createUnderstanding } from '../../services/understanding/understanding.service';
import type { UnderstandingEngine } from '../../services/understanding/understanding.schema';
import { createPhoneHasher } from '../../services/contact/phone';
import { smsTalker } from '../support/channels';
import { startTestApp, type TestApp } from '../support/test-app';

// The real openai SDK, its HTTP answered by nock.
const BASE = 'https://openai.test/v1';
const ctx = { now: new Date('2026-11-30T15:00:00Z'), timeZone: 'America/Chicago' };
const UTTERANCE = 'need an mri of my lower back, dr patel sent an order';
const NO_EXTRAS = { topic: null, clinical: false, disclosures: [], secondary: null };

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1/); // our own app, in the turn tests below
});
afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore(); // nock's HTTP interception is process-wide: leave none behind for the next test file
});
afterEach(() => nock.cleanAll());

const engine = () => createOpenAiEngine({ apiKey: 'sk-test', baseURL: BASE, model: 'gpt-test' });

/** The next chat completion answers `content`; what was sent is in `.body` afterwards. */
function answerWith(content: unknown): { body: any } {
  const sent: { body: any } = { body: null };
  nock(BASE)
    .post('/chat/completions', (body) => {
      sent.body = body;
      return true;
    })
    .reply(200, completion(content));
  return sent;
}

function completion(content: unknown) {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1,
    model: 'gpt-test',
    choices: [{ index: 0, finish_reason: 'stop', logprobs: null, message: { role: 'assistant', refusal: null, content: JSON.stringify(content) } }],
  };
}

test('structured output fills modality, body part, hasOrder and provider (and the request asked for that schema)', async () => {
  const sent = answerWith({
      intent: 'request_exam',
      fields: { modality: 'mri', bodyPart: 'lumbar spine', laterality: null, contrast: null, hasOrder: true, providerName: 'Dr. Patel', providerPractice: null, providerPhone: null, payer: null, memberId: null, preferredTimes: [], timeWish: null, language: 'en' },
      ...NO_EXTRAS,
  });
  const r = await createUnderstanding({ llm: engine() }).understand(UTTERANCE, ctx);
  expect(r).toMatchObject({ engine: 'openai', fallbackReason: null, intent: 'request_exam' });
  expect(r.fields).toMatchObject({ modality: 'mri', bodyPart: 'lumbar spine', hasOrder: true, providerName: 'Dr. Patel' });
  expect(sent.body.model).toBe('gpt-test');
  expect(sent.body.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'understanding', strict: true } });
  expect(sent.body.messages.at(-1)).toEqual({ role: 'user', content: UTTERANCE });
  // The schema asks for the newer fields too, every one required (strict structured output).
  const schema = sent.body.response_format.json_schema.schema;
  expect(schema.required).toEqual(expect.arrayContaining(['intent', 'fields', 'topic', 'clinical', 'disclosures', 'secondary']));
  expect(schema.properties.disclosures.items.properties.kind.enum).toEqual(['contrast_reaction', 'implant_device', 'pregnancy', 'kidney']);
  expect(schema.properties.fields.required).toEqual(expect.arrayContaining(['providerPractice', 'providerPhone', 'payer', 'memberId', 'timeWish']));
});

test("the site's payers go with the instructions, and the engine's practice, payer, id and time constraints are used", async () => {
  const sent = answerWith({
      intent: 'request_exam',
      fields: { modality: 'mri', bodyPart: 'knee', laterality: null, contrast: null, hasOrder: true, providerName: 'Dr. Patel', providerPractice: 'Northside Family', providerPhone: '+15125550188', payer: 'Aetna', memberId: 'W123456789', preferredTimes: [], timeWish: { days: [], notDays: [2], after: 1020, before: null, from: null }, language: 'en' },
      ...NO_EXTRAS,
  });
  const text = 'knee mri, dr patel at northside family 512-555-0188 sent it, aetna W123456789, after 5 not tuesday';
  const r = await createUnderstanding({ llm: engine() }).understand(text, { ...ctx, payers: [{ name: 'Aetna', aliases: [] }, { name: 'Texas Medicaid', aliases: ['Medicaid'] }] });
  expect(sent.body.messages[0].content).toContain("The site's payers: Aetna; Texas Medicaid.");
  expect(r).toMatchObject({ engine: 'openai', fields: { providerPractice: 'Northside Family', payer: 'Aetna', memberId: 'W123456789', timeWish: { notDays: [2], after: 1020 } } });
});

test('a name after a name cue and a birth date never reach the LLM', async () => {
  let sent = '';
  nock(BASE)
    .post('/chat/completions', (body: { messages: Array<{ content: string }> }) => {
      sent = body.messages.at(-1)?.content ?? '';
      return true;
    })
    .reply(200, completion({ intent: 'request_exam', fields: { modality: 'mri', bodyPart: null, laterality: null, contrast: null, hasOrder: null, providerName: null, providerPractice: null, providerPhone: null, payer: null, memberId: null, preferredTimes: [], timeWish: null, language: 'en' }, ...NO_EXTRAS }));
  const r = await createUnderstanding({ llm: engine() }).understand('hi my name is Maria Lopez, dob 03/04/1980, i need an mri', ctx);
  expect(r.engine).toBe('openai');
  expect(sent).toBe('hi my name is [name], [date], i need an mri');
  expect(sent).not.toMatch(/maria|lopez|1980/i);
});

test('an answer that breaks the schema is not used: the rules answer', async () => {
  nock(BASE).post('/chat/completions').reply(200, completion({ intent: 'book_a_spaceship', fields: {} }));
  const r = await createUnderstanding({ llm: engine() }).understand(UTTERANCE, ctx);
  expect(r).toMatchObject({ engine: 'rules', fallbackReason: 'error', intent: 'request_exam' });
});

test('OpenAI answering 500 → the rules answer at once, with the same fields', async () => {
  nock(BASE).post('/chat/completions').reply(500, { error: { message: 'boom' } });
  const started = Date.now();
  const r = await createUnderstanding({ llm: engine() }).understand(UTTERANCE, ctx);
  expect(Date.now() - started).toBeLessThan(5_000);
  expect(r).toMatchObject({ engine: 'rules', fallbackReason: 'error', intent: 'request_exam' });
  expect(r.fields).toMatchObject({ modality: 'mri', bodyPart: 'lumbar spine', hasOrder: true, providerName: 'Dr. Patel' });
});

test('OpenAI not answering within the 4 s budget → the rules answer, within 5 s', async () => {
  nock(BASE).post('/chat/completions').delay(8_000).reply(200, completion({}));
  const started = Date.now();
  const r = await createUnderstanding({ llm: engine() }).understand(UTTERANCE, ctx);
  const took = Date.now() - started;
  expect(took).toBeGreaterThanOrEqual(3_900);
  expect(took).toBeLessThan(5_000);
  expect(r).toMatchObject({ engine: 'rules', fallbackReason: 'timeout', intent: 'request_exam' });
}, 15_000);

describe('in an SMS turn, with OPENAI_API_KEY set (the app built with the OpenAI engine)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ name: 'llm', now: () => ctx.now, understandingEngine: engine() });
  });
  afterAll(() => t.close());

  const answersOf = async (phone: string) => {
    const key = `sms/conversations/sms_${createPhoneHasher('test-hash-key')(phone)}/`;
    return ((await t.app.repos.botState.read([key]))[key])?.intake?.patient?.answers;
  };

  test('the structured answer fills the flow: modality, body part, order and doctor are not asked again', async () => {
    // Words the rules do not know ("magnet scan"): only the model's answer can fill the exam.
    nock(BASE)
      .post('/chat/completions')
      .reply(200, completion({ intent: 'request_exam', fields: { modality: 'mri', bodyPart: 'lumbar spine', laterality: null, contrast: null, hasOrder: true, providerName: 'Dr. Patel', providerPractice: null, providerPhone: null, payer: null, memberId: null, preferredTimes: [], timeWish: null, language: 'en' }, ...NO_EXTRAS }));
    const p = smsTalker(t);
    expect(await p.say('i need one of those magnet scans for my lower back, my doc patel wrote it up')).toBe('I can help you request an exam.\nWhat is your full name (first and last)?');
    expect(await answersOf(p.phone)).toMatchObject({ modality: 'mri', bodyPart: 'lumbar spine', hasOrder: true, provider: 'Dr. Patel' });
    // A name and a birth date never go to the model: no request is made (nock would refuse it and the log would say so).
    const fallbacks = () => t.logs.filter((l) => l.includes('fell back to the rules')).length;
    const before = fallbacks();
    expect(await p.say('Ana Lopez')).toBe('What is your date of birth? (MM/DD/YYYY)');
    expect(await p.say('04/02/1980')).toMatch(/^I don't see that order yet/);
    expect(fallbacks()).toBe(before);
  });

  test('OpenAI answering 500: the turn completes through the rules, at once', async () => {
    nock(BASE).post('/chat/completions').reply(500, { error: { message: 'boom' } });
    const p = smsTalker(t);
    const started = Date.now();
    expect(await p.say(UTTERANCE)).toBe('I can help you request an exam.\nWhat is your full name (first and last)?');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await answersOf(p.phone)).toMatchObject({ modality: 'mri', bodyPart: 'lumbar spine', hasOrder: true, provider: 'Dr. Patel' });
    expect(t.logs.some((l) => l.includes('LLM understanding fell back to the rules') && l.includes('"fallback":"error"') && l.includes('"status":500'))).toBe(true);
  });

  // The deadline itself (4 s) is proven with fake timers below; here, that the turn answers without the model's reply.
  test('OpenAI not answering: the turn completes through the rules, before the model would have answered', async () => {
    nock(BASE).post('/chat/completions').delay(30_000).reply(200, completion({}));
    const p = smsTalker(t);
    const started = Date.now();
    expect(await p.say(UTTERANCE)).toBe('I can help you request an exam.\nWhat is your full name (first and last)?');
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(t.logs.some((l) => l.includes('"fallback":"timeout"'))).toBe(true);
  }, 45_000);
});

test('the LLM gets 4 s: at the deadline the rules answer (fake clock, no waiting)', async () => {
  jest.useFakeTimers();
  try {
    const never: UnderstandingEngine = { name: 'openai', understand: () => new Promise(() => undefined) };
    let settled: { engine: string; fallbackReason: string | null } | null = null;
    void createUnderstanding({ llm: never }).understand(UTTERANCE, ctx).then((r) => (settled = r));
    await jest.advanceTimersByTimeAsync(3_999);
    expect(settled).toBeNull();
    await jest.advanceTimersByTimeAsync(1);
    expect(settled).toMatchObject({ engine: 'rules', fallbackReason: 'timeout' });
  } finally {
    jest.useRealTimers();
  }
});
