import nock from 'nock';
import { createOpenAiEngine } from '../../bot/integrations/openai.engine';
import { createUnderstanding } from '../../services/understanding/understanding.service';

// The real openai SDK, its HTTP answered by nock.
const BASE = 'https://openai.test/v1';
const ctx = { now: new Date('2026-11-30T15:00:00Z'), timeZone: 'America/Chicago' };
const UTTERANCE = 'need an mri of my lower back, dr patel sent an order';

beforeAll(() => {
  nock.disableNetConnect();
});
afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore(); // nock's HTTP interception is process-wide: leave none behind for the next test file
});
afterEach(() => nock.cleanAll());

const engine = () => createOpenAiEngine({ apiKey: 'sk-test', baseURL: BASE, model: 'gpt-test' });

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
  let request: any = null;
  nock(BASE)
    .post('/chat/completions', (body) => {
      request = body;
      return true;
    })
    .reply(200, completion({
      intent: 'request_exam',
      fields: { modality: 'mri', bodyPart: 'lumbar spine', laterality: null, contrast: null, hasOrder: true, providerName: 'Dr. Patel', preferredTimes: [], language: 'en' },
    }));
  const r = await createUnderstanding({ llm: engine() }).understand(UTTERANCE, ctx);
  expect(r).toMatchObject({ engine: 'openai', fallbackReason: null, intent: 'request_exam' });
  expect(r.fields).toMatchObject({ modality: 'mri', bodyPart: 'lumbar spine', hasOrder: true, providerName: 'Dr. Patel' });
  expect(request.model).toBe('gpt-test');
  expect(request.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'understanding', strict: true } });
  expect(request.messages.at(-1)).toEqual({ role: 'user', content: UTTERANCE });
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
