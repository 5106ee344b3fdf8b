import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import nock from 'nock';
import { main } from '../../scripts/eval-nlu';

// `npm run eval:nlu -- --engine openai` through the real openai SDK, its HTTP answered by nock with recorded answers.
const BASE = 'https://openai.test/v1';
const NONE = { modality: null, bodyPart: null, laterality: null, contrast: null, hasOrder: null, providerName: null, providerPractice: null, providerPhone: null, payer: null, memberId: null, preferredTimes: [], timeWish: null, language: 'en' };
const ANSWERS: Record<string, unknown> = {
  'i need to push my ultrasound back a week': { intent: 'reschedule', fields: { ...NONE, modality: 'ultrasound' }, topic: null, clinical: false, disclosures: [], secondary: null },
  'did the insurance approve my ct yet?': { intent: 'request_exam', fields: { ...NONE, modality: 'ct' }, topic: null, clinical: false, disclosures: [], secondary: null },
  'please stop texting me': { intent: 'opt_out', fields: NONE, topic: null, clinical: false, disclosures: [], secondary: null },
};

beforeAll(() => nock.disableNetConnect());
afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});

test('--engine openai sends each message as a structured-output request and scores the answers like the rules', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nlu-'));
  const file = path.join(dir, 'set.jsonl');
  writeFileSync(
    file,
    [
      { text: 'i need to push my ultrasound back a week', intent: 'reschedule', fields: { modality: 'ultrasound', language: 'en' } },
      { text: 'did the insurance approve my ct yet?', intent: 'order_status', fields: { modality: 'ct', language: 'en' } },
      { text: 'please stop texting me', intent: 'opt_out', fields: { language: 'en' } },
    ]
      .map((l) => JSON.stringify(l))
      .join('\n'),
  );
  const requests: any[] = [];
  nock(BASE)
    .post('/chat/completions', (body) => {
      requests.push(body);
      return true;
    })
    .times(3)
    .reply(200, (_uri, body: any) => ({
      id: 'c',
      object: 'chat.completion',
      created: 1,
      model: 'gpt-test',
      choices: [{ index: 0, finish_reason: 'stop', logprobs: null, message: { role: 'assistant', refusal: null, content: JSON.stringify(ANSWERS[body.messages.at(-1).content]) } }],
    }));
  let out = '';
  await main(['--engine', 'openai', '--file', file], { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: BASE, OPENAI_MODEL: 'gpt-test' }, (s) => (out += s));

  expect(requests).toHaveLength(3);
  for (const r of requests) {
    expect(r.model).toBe('gpt-test');
    expect(r.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'understanding', strict: true } });
    expect(Object.keys(r.response_format.json_schema.schema.properties)).toEqual(['intent', 'fields', 'topic', 'clinical', 'disclosures', 'secondary']);
  }
  expect(requests.map((r) => r.messages.at(-1).content).sort()).toEqual(Object.keys(ANSWERS).sort());
  expect(out).toContain('OpenAI engine (gpt-test), set.jsonl: 3 labelled messages');
  expect(out).toContain('intent accuracy 66.7%; opt-out recall 100.0%, false opt-outs 0');
  expect(out).toContain('order_status → request_exam 1');
  expect(nock.isDone()).toBe(true);
});

test('--engine openai without a key says what is missing', async () => {
  await expect(main(['--engine', 'openai'], {}, () => undefined)).rejects.toThrow('--engine openai needs OPENAI_API_KEY');
});
