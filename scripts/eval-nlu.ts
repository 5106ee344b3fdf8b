/**
 * `npm run eval:nlu [-- --engine local|openai] [--file F ...] [--misses]`: understanding measured on labelled patient
 * messages (English and Spanish, typos, lay words, mixed language).
 *
 * - The tuning set is the corpus the rules were written against and the model is trained on (corpus/nlu/*.jsonl);
 *   the trained model is scored on it by 5-fold cross-validation, never on messages it was trained on.
 * - The held-out sets (test/fixtures/nlu-heldout*.jsonl) were written by people who had not read the rules; they
 *   are never used to tune, so only counts are printed for them, never their messages.
 * - `local` prints the hand rules alone, the model alone and the two combined (what the service runs);
 *   `openai` runs the same sets through the OpenAI engine (OPENAI_API_KEY, OPENAI_MODEL, OPENAI_BASE_URL).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_SITE_CONFIG, loadSiteConfig } from '../bot/config';
import { createNlpjsIntentModel, loadCorpus } from '../bot/integrations/nlpjs.intent-model';
import { createOpenAiEngine, DEFAULT_OPENAI_MODEL } from '../bot/integrations/openai.engine';
import { LabelledMessage, type IntentModel } from '../services/understanding/intent-model';
import { rulesEngine } from '../services/understanding/rules.engine';
import { Intent, type Understanding } from '../services/understanding/understanding.schema';
import { createUnderstanding } from '../services/understanding/understanding.service';
import { foldAccents } from '../services/text';
import { repoRoot } from './local-infra';

const SCORED = ['modality', 'bodyPart', 'laterality', 'contrast', 'hasOrder', 'providerName', 'language'] as const;
/** Scored only on sets that label them (the first sets did not). */
const NEW_FIELDS = ['topic', 'clinical', 'disclosures', 'secondary'] as const;
/** The details a request needs, scored on the sets that label them (test/fixtures/nlu-details-*.jsonl). */
const DETAILS = ['providerName', 'providerPractice', 'providerPhone', 'payer', 'memberId', 'hasOrder', 'timeWish'] as const;
const site = loadSiteConfig(DEFAULT_SITE_CONFIG, repoRoot());
if (!site.ok) throw new Error(site.error.message);
/** Monday 30 Nov 2026 in Austin, with the example site's payers: what every set is read against. */
export const ctx = { now: new Date('2026-11-30T15:00:00Z'), timeZone: 'America/Chicago', payers: site.value.payers };

export type Reader = (text: string) => Promise<Understanding & { fellBack?: boolean }>;

export function readSet(file: string): LabelledMessage[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      const r = LabelledMessage.safeParse(JSON.parse(l));
      if (!r.success) throw new Error(`${path.basename(file)} line ${i + 1}: ${r.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
      return r.data;
    });
}

interface Counts {
  tp: number;
  fp: number;
  fn: number;
}
const f1 = ({ tp, fp, fn }: Counts) => (tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn));
const tally = (c: Counts, want: unknown, have: unknown) => {
  if (have !== null && have === want) c.tp++;
  else {
    if (have !== null) c.fp++;
    if (want !== null) c.fn++;
  }
};

export interface Report {
  examples: number;
  intentAccuracy: number;
  perIntent: Record<string, { precision: number; recall: number; support: number }>;
  f1: Record<string, number>;
  /** F1 of topic, clinical, disclosures and secondary, over the messages of sets that label them. */
  newFieldF1: Record<string, number>;
  newFieldExamples: number;
  optOutRecall: number;
  falseOptOuts: number;
  /** Expected → got, most frequent first. */
  confusions: Array<{ expected: string; got: string; count: number }>;
  misses: string[];
  fellBack: number;
}

/** Reads each example (by its place too: cross-validation reads each with its fold's model). */
export type ExampleReader = (ex: LabelledMessage, i: number) => ReturnType<Reader>;
export const byText = (read: Reader): ExampleReader => (ex) => read(ex.text);

/** One reader scored over labelled messages. */
export async function score(examples: readonly Example[], read: ExampleReader): Promise<Report> {
  const counts = Object.fromEntries([...SCORED, ...NEW_FIELDS].map((f) => [f, { tp: 0, fp: 0, fn: 0 }])) as Record<string, Counts>;
  const byIntent = Object.fromEntries(Intent.options.map((i) => [i, { tp: 0, fp: 0, fn: 0 }])) as Record<string, Counts>;
  const confusion = new Map<string, number>();
  let correct = 0;
  let optOuts = 0;
  let optOutsCaught = 0;
  let falseOptOuts = 0;
  let fellBack = 0;
  let newFieldExamples = 0;
  const misses: string[] = [];
  for (const [i, ex] of examples.entries()) {
    const got = await read(ex, i);
    if (got.fellBack) fellBack++;
    if (got.intent === ex.intent) {
      correct++;
      byIntent[ex.intent]!.tp++;
    } else {
      byIntent[ex.intent]!.fn++;
      byIntent[got.intent]!.fp++;
      const key = `${ex.intent} → ${got.intent}`;
      confusion.set(key, (confusion.get(key) ?? 0) + 1);
      misses.push(`  ${ex.intent} ← ${got.intent}: ${ex.text}`);
    }
    if (ex.intent === 'opt_out') optOuts++;
    if (ex.intent === 'opt_out' && got.intent === 'opt_out') optOutsCaught++;
    if (ex.intent !== 'opt_out' && got.intent === 'opt_out') falseOptOuts++;
    for (const f of SCORED) tally(counts[f]!, ex.fields[f] ?? null, got.fields[f] ?? null);
    if (!ex.labelsNewFields) continue;
    newFieldExamples++;
    tally(counts.topic!, ex.fields.topic ?? null, got.topic);
    tally(counts.clinical!, ex.fields.clinical === true ? true : null, got.clinical ? true : null);
    tally(counts.secondary!, ex.fields.secondary ?? null, got.secondary);
    const want = new Set(ex.fields.disclosures ?? []);
    const have = new Set(got.disclosures.map((d) => d.kind));
    for (const k of have) {
      if (want.has(k)) counts.disclosures!.tp++;
      else counts.disclosures!.fp++;
    }
    for (const k of want) if (!have.has(k)) counts.disclosures!.fn++;
  }
  const perIntent = Object.fromEntries(
    Intent.options.map((i) => {
      const c = byIntent[i]!;
      return [i, { precision: c.tp + c.fp ? c.tp / (c.tp + c.fp) : 1, recall: c.tp + c.fn ? c.tp / (c.tp + c.fn) : 1, support: c.tp + c.fn }];
    }),
  );
  return {
    examples: examples.length,
    intentAccuracy: correct / examples.length,
    perIntent,
    f1: Object.fromEntries(SCORED.map((f) => [f, f1(counts[f]!)])),
    newFieldF1: Object.fromEntries(NEW_FIELDS.map((f) => [f, f1(counts[f]!)])),
    newFieldExamples,
    optOutRecall: optOuts ? optOutsCaught / optOuts : 1,
    falseOptOuts,
    confusions: [...confusion.entries()].map(([k, count]) => ({ expected: k.split(' → ')[0]!, got: k.split(' → ')[1]!, count })).sort((a, b) => b.count - a.count),
    misses,
    fellBack,
  };
}

// A practice typed in lower case is stored title-cased; "Austin Ortho" and "austin ortho" are the same answer.
const detailValue = (v: unknown): string | null => {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return foldAccents(v).trim();
  if (typeof v === 'object' && 'days' in v) {
    const w = v as { days: number[]; notDays: number[] };
    return JSON.stringify({ ...w, days: [...w.days].sort(), notDays: [...w.notDays].sort() }, Object.keys(v).sort());
  }
  return JSON.stringify(v);
};

/** F1 of the details a request needs (doctor, practice, office phone, payer, member id, order, time constraints). */
export async function scoreDetails(examples: readonly LabelledMessage[], read: ExampleReader): Promise<{ examples: number; f1: Record<string, number> }> {
  const counts = Object.fromEntries(DETAILS.map((f) => [f, { tp: 0, fp: 0, fn: 0 }])) as Record<string, Counts>;
  for (const [i, ex] of examples.entries()) {
    const got = await read(ex, i);
    for (const f of DETAILS) tally(counts[f]!, detailValue(ex.fields[f]), detailValue(got.fields[f]));
  }
  return { examples: examples.length, f1: Object.fromEntries(DETAILS.map((f) => [f, f1(counts[f]!)])) };
}

/** A labelled message, and whether its set labels the newer fields (topic, clinical, disclosures, secondary). */
export type Example = LabelledMessage & { labelsNewFields: boolean };
export function loadSets(files: readonly string[]): Example[] {
  return files.flatMap((file) => {
    const set = readSet(file);
    const labels = set.some((e) => NEW_FIELDS.some((f) => e.fields[f] !== undefined));
    return set.map((e) => ({ ...e, labelsNewFields: labels }));
  });
}

export const tuningFiles = () => jsonlIn(path.join(repoRoot(), 'corpus/nlu'));
export const heldOutFiles = () => jsonlIn(path.join(repoRoot(), 'test/fixtures')).filter((f) => path.basename(f).startsWith('nlu-heldout'));
export const detailFiles = () => jsonlIn(path.join(repoRoot(), 'test/fixtures')).filter((f) => path.basename(f).startsWith('nlu-details'));
const formatDetails = (title: string, r: { examples: number; f1: Record<string, number> }) =>
  `${title}: ${r.examples} labelled messages\n  detail F1: ${Object.entries(r.f1).map(([k, v]) => `${k} ${pct(v)}`).join(', ')}\n`;
function jsonlIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .map((f) => path.join(dir, f));
}

const handRules: Reader = (text) => rulesEngine.understand(text, ctx);
const combined = (model: IntentModel): Reader => {
  const u = createUnderstanding({ llm: null, model });
  return (text) => u.understand(text, ctx);
};
const modelAlone = (model: IntentModel): Reader => async (text) => {
  const r = await rulesEngine.understand(text, ctx);
  return { ...r, intent: (await model.predict(text))?.intent ?? 'other' };
};

/** The model scored on the tuning corpus by k-fold cross-validation: each message read by a model that never saw it. */
export function crossValidated(examples: readonly LabelledMessage[], reader: (m: IntentModel) => Reader, k = 5): ExampleReader {
  const readers = Array.from({ length: k }, (_, fold) => reader(createNlpjsIntentModel(examples.filter((_e, i) => i % k !== fold))));
  return (ex, i) => readers[i % k]!(ex.text);
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function formatReport(title: string, r: Report, showMisses: boolean): string {
  const lines = [
    `${title}: ${r.examples} labelled messages`,
    `  intent accuracy ${pct(r.intentAccuracy)}; opt-out recall ${pct(r.optOutRecall)}, false opt-outs ${r.falseOptOuts}${r.fellBack ? `; ${r.fellBack} answered by the rules after an LLM failure` : ''}`,
    `  per intent (precision / recall, n): ${Object.entries(r.perIntent)
      .filter(([, v]) => v.support > 0)
      .map(([k, v]) => `${k} ${pct(v.precision)} / ${pct(v.recall)} (${v.support})`)
      .join(', ')}`,
    `  field F1: ${Object.entries(r.f1).map(([k, v]) => `${k} ${pct(v)}`).join(', ')}`,
  ];
  if (r.newFieldExamples) lines.push(`  newer fields F1 (${r.newFieldExamples} messages label them): ${Object.entries(r.newFieldF1).map(([k, v]) => `${k} ${pct(v)}`).join(', ')}`);
  lines.push(`  confusions (expected → got): ${r.confusions.slice(0, 8).map((c) => `${c.expected} → ${c.got} ${c.count}`).join(', ') || 'none'}`);
  if (showMisses) lines.push(`  misses (expected ← got):\n${r.misses.join('\n')}`);
  return `${lines.join('\n')}\n`;
}

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env, out: (s: string) => void = (s) => process.stdout.write(s)): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { engine: { type: 'string', default: 'local' }, file: { type: 'string', multiple: true }, misses: { type: 'boolean', default: false } }, strict: true });
  const sets: Array<{ name: string; files: string[]; tuning: boolean }> = values.file?.length
    ? values.file.map((f) => ({ name: path.basename(f), files: [path.resolve(f)], tuning: false }))
    : [
        { name: 'tuning set', files: tuningFiles(), tuning: true },
        { name: 'held-out set', files: heldOutFiles(), tuning: false },
      ];
  if (values.engine === 'openai') {
    if (!env.OPENAI_API_KEY) throw new Error('--engine openai needs OPENAI_API_KEY (and optionally OPENAI_MODEL, OPENAI_BASE_URL)');
    const llm = createOpenAiEngine({ apiKey: env.OPENAI_API_KEY, model: env.OPENAI_MODEL ?? DEFAULT_OPENAI_MODEL, ...(env.OPENAI_BASE_URL ? { baseURL: env.OPENAI_BASE_URL } : {}) });
    const u = createUnderstanding({ llm, timeoutMs: 30_000 });
    const read: Reader = async (text) => {
      const r = await u.understand(text, ctx);
      return { ...r, fellBack: r.fallbackReason !== null };
    };
    const name = env.OPENAI_MODEL ?? DEFAULT_OPENAI_MODEL;
    for (const set of sets) out(formatReport(`OpenAI engine (${name}), ${set.name}`, await score(loadSets(set.files), byText(read)), false));
    if (!values.file?.length && detailFiles().length) out(formatDetails(`OpenAI engine (${name}), held-out details set`, await scoreDetails(loadSets(detailFiles()), byText(read))));
    return;
  }
  if (values.engine !== 'local') throw new Error(`unknown engine "${values.engine}": local or openai`);
  const corpus = loadCorpus(path.join(repoRoot(), 'corpus/nlu'));
  const shipped = createNlpjsIntentModel(corpus);
  for (const set of sets) {
    const examples = loadSets(set.files);
    // On the tuning set the model is cross-validated; on a held-out set it is the shipped model, trained on all of it.
    const reader = (r: (m: IntentModel) => Reader) => (set.tuning ? crossValidated(examples, r) : byText(r(shipped)));
    const showMisses = set.tuning && values.misses === true;
    out(formatReport(`hand rules alone, ${set.name}`, await score(examples, byText(handRules)), showMisses));
    out(formatReport(`trained model alone (NLP.js${set.tuning ? ', 5-fold cross-validation' : ''}), ${set.name}`, await score(examples, reader(modelAlone)), false));
    out(formatReport(`rules and model combined (what the service runs${set.tuning ? ', 5-fold cross-validation' : ''}), ${set.name}`, await score(examples, reader(combined)), showMisses));
  }
  // The details are the rules' alone (the model only settles the intent).
  if (!values.file?.length && detailFiles().length) out(formatDetails('hand rules, held-out details set', await scoreDetails(loadSets(detailFiles()), byText(handRules))));
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`eval failed: ${(e as Error).message}\n`);
    process.exit(1);
  });
}
