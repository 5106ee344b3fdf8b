import path from 'node:path';
import { createNlpjsIntentModel, loadCorpus } from '../../bot/integrations/nlpjs.intent-model';
import { byText, crossValidated, ctx as evalCtx, detailFiles, heldOutFiles, loadSets, score, scoreDetails, tuningFiles, type Reader } from '../../scripts/eval-nlu';
import { createUnderstanding } from '../../services/understanding/understanding.service';
import { rulesEngine } from '../../services/understanding/rules.engine';
import type { IntentModel } from '../../services/understanding/intent-model';
import { ROOT } from '../support/test-app';

const ctx = { now: new Date('2026-11-30T15:00:00Z'), timeZone: 'America/Chicago' };
const combined = (model: IntentModel): Reader => {
  const u = createUnderstanding({ llm: null, model });
  return (text) => u.understand(text, ctx);
};
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

test('the tuning corpus: the hand rules, and the rules with the model by 5-fold cross-validation (never scored on what it learnt)', async () => {
  const examples = loadSets(tuningFiles());
  const rules = await score(examples, byText((t) => rulesEngine.understand(t, ctx)));
  const both = await score(examples, crossValidated(examples, combined));
  // eslint-disable-next-line no-console -- the score is part of the test's output
  console.log(`NLU tuning: ${examples.length} messages, rules ${pct(rules.intentAccuracy)}, rules + model (cv) ${pct(both.intentAccuracy)}`);
  expect(examples.length).toBeGreaterThanOrEqual(1_680);
  expect(rules.intentAccuracy).toBeGreaterThanOrEqual(0.87);
  expect(both.intentAccuracy).toBeGreaterThanOrEqual(0.95);
  expect(both.intentAccuracy).toBeGreaterThan(rules.intentAccuracy);
  for (const f of ['modality', 'laterality', 'contrast', 'providerName', 'language'] as const) expect(rules.f1[f]).toBeGreaterThanOrEqual(0.85);
});

// The held-out sets are never tuned on (their messages are never printed): this keeps what they measure from sliding
// back. Floors just under the figures of 2026-12-04 (rules + model 88.6% of 675; hand rules alone 77.8%).
test('the held-out sets: the shipped rules + model at least 88% intent, 96% opt-out recall, and the first set with no false opt-out', async () => {
  const model = createNlpjsIntentModel(loadCorpus(path.join(ROOT, 'corpus/nlu')));
  const files = heldOutFiles();
  expect(files.map((f) => path.basename(f))).toEqual(['nlu-heldout-2.jsonl', 'nlu-heldout.jsonl']);
  const all = await score(loadSets(files), byText(combined(model)));
  const first = await score(loadSets([path.join(ROOT, 'test/fixtures/nlu-heldout.jsonl')]), byText(combined(model)));
  const rules = await score(loadSets(files), byText((t) => rulesEngine.understand(t, ctx)));
  // eslint-disable-next-line no-console -- the score is part of the test's output
  console.log(`NLU held out: ${all.examples} messages, rules + model ${pct(all.intentAccuracy)} (rules alone ${pct(rules.intentAccuracy)}), opt-out recall ${pct(all.optOutRecall)}, false opt-outs ${all.falseOptOuts}`);
  expect(all.examples).toBeGreaterThanOrEqual(600);
  expect(all.intentAccuracy).toBeGreaterThanOrEqual(0.88);
  expect(all.intentAccuracy).toBeGreaterThan(rules.intentAccuracy + 0.1);
  expect(all.optOutRecall).toBeGreaterThanOrEqual(0.96);
  expect(first.falseOptOuts).toBe(0);
  // Target 0 (issue 14): one message of the second set is read as an opt-out by the keyword rules; not yet fixed.
  expect(all.falseOptOuts).toBeLessThanOrEqual(1);
}, 60_000);

test('the held-out details set: the doctor, practice, office phone, payer, member id, order and time constraints read by the rules hold their first unseen figures', async () => {
  const files = detailFiles();
  expect(files.map((f) => path.basename(f))).toEqual(['nlu-details-heldout.jsonl']);
  const r = await scoreDetails(loadSets(files), byText((text) => rulesEngine.understand(text, evalCtx)));
  process.stdout.write(`held-out details (${r.examples}): ${Object.entries(r.f1).map(([k, v]) => `${k} ${pct(v)}`).join(', ')}\n`);
  expect(r.examples).toBeGreaterThanOrEqual(200);
  // The first run on this set (2026-12-02), never tuned on: provider 92.1, practice 69.0, phone 76.9, payer 98.5, id 96.5, order 83.8, time 74.8.
  const floors = { providerName: 0.9, providerPractice: 0.67, providerPhone: 0.74, payer: 0.96, memberId: 0.94, hasOrder: 0.81, timeWish: 0.72 };
  const below = Object.entries(floors).filter(([f, floor]) => (r.f1[f] ?? 0) < floor);
  expect(below).toEqual([]);
});
