/**
 * `npm run eval:nlu`: the rules engine over the labelled set in test/fixtures/nlu-eval.jsonl (patient messages in
 * English and Spanish, with typos, lay words and mixed language) and the held-out set in test/fixtures/nlu-heldout.jsonl.
 * Prints intent accuracy, opt-out recall and false opt-outs, and per-field F1, for each set apart.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { rulesEngine } from '../services/understanding/rules.engine';
import { Fields, Intent } from '../services/understanding/understanding.schema';
import { repoRoot } from './local-infra';

const Example = z.object({ text: z.string().min(1), intent: Intent, fields: Fields.omit({ preferredTimes: true }).partial() });
const SCORED = ['modality', 'bodyPart', 'laterality', 'contrast', 'hasOrder', 'providerName', 'language'] as const;
const ctx = { now: new Date('2026-11-30T15:00:00Z'), timeZone: 'America/Chicago' };

export async function evaluate(file: string) {
  const examples = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      const r = Example.safeParse(JSON.parse(l));
      if (!r.success) throw new Error(`line ${i + 1}: ${r.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
      return r.data;
    });
  let correct = 0;
  let optOuts = 0;
  let optOutsCaught = 0;
  let falseOptOuts = 0;
  const misses: string[] = [];
  const counts = Object.fromEntries(SCORED.map((f) => [f, { tp: 0, fp: 0, fn: 0 }])) as Record<(typeof SCORED)[number], { tp: number; fp: number; fn: number }>;
  for (const ex of examples) {
    const got = await rulesEngine.understand(ex.text, ctx);
    if (got.intent === ex.intent) correct++;
    else misses.push(`  ${ex.intent} ← ${got.intent}: ${ex.text}`);
    if (ex.intent === 'opt_out') optOuts++;
    if (ex.intent === 'opt_out' && got.intent === 'opt_out') optOutsCaught++;
    if (ex.intent !== 'opt_out' && got.intent === 'opt_out') falseOptOuts++;
    for (const f of SCORED) {
      const want = ex.fields[f] ?? null;
      const have = got.fields[f] ?? null;
      if (have !== null && have === want) counts[f].tp++;
      else {
        if (have !== null) counts[f].fp++;
        if (want !== null) counts[f].fn++;
      }
    }
  }
  const f1 = Object.fromEntries(
    SCORED.map((f) => {
      const { tp, fp, fn } = counts[f];
      return [f, tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn)];
    }),
  );
  return { examples: examples.length, intentAccuracy: correct / examples.length, f1, misses, optOutRecall: optOuts ? optOutsCaught / optOuts : 1, falseOptOuts };
}

async function main(): Promise<void> {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  // The tuning set is what the rules were written against; the held-out set (written by someone who had not read the
  // rules) is never used to tune, so its misses are not printed.
  for (const [name, file] of [['tuning set', 'nlu-eval.jsonl'], ['held-out set', 'nlu-heldout.jsonl']] as const) {
    const r = await evaluate(path.join(repoRoot(), 'test/fixtures', file));
    process.stdout.write(`rules engine, ${name}: ${r.examples} labelled messages\n`);
    process.stdout.write(`  intent accuracy: ${pct(r.intentAccuracy)}; opt-out recall ${pct(r.optOutRecall)}, false opt-outs ${r.falseOptOuts}\n`);
    process.stdout.write(`  field F1: ${Object.entries(r.f1).map(([k, v]) => `${k} ${pct(v)}`).join(', ')}\n`);
    if (name === 'tuning set' && process.argv.includes('--misses')) process.stdout.write(`  misses (expected ← got):\n${r.misses.join('\n')}\n`);
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`eval failed: ${(e as Error).message}\n`);
    process.exit(1);
  });
}
