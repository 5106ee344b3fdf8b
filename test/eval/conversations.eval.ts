/**
 * `npm run eval:conversations`: every scripted patient conversation (test/fixtures/conversations) against the real app,
 * each on a fresh database. Prints, for the tuning set and the held-out set apart, the share that ends right and the
 * share that ever got "didn't catch that" or the menu by mistake. EVAL_SET=tune|heldout narrows it, EVAL_FILE=tune-3,tune-4 only
 * those files, EVAL_ONLY=<id> runs one script and prints its transcript, EVAL_MIN_TUNE / EVAL_MIN_HELDOUT fail the run below a share.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadScripts } from './conversation-script';
import { runScript, type ScriptResult } from './conversation-runner';
import { ROOT, startTestApp } from '../support/test-app';

const NOW = new Date('2026-11-30T16:00:00Z'); // Monday 10:00 in Austin
const SETS = (['tune', 'heldout'] as const).filter((x) => !process.env.EVAL_SET || process.env.EVAL_SET === x);
const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(1)}%` : 'n/a');

jest.setTimeout(3 * 3600_000);

test('scripted patient conversations', async () => {
  const report: Record<string, { total: number; right: number; misunderstood: number; menu: number; failures: ScriptResult[] }> = {};
  for (const set of SETS) {
    // A set is every file named after it: tune.jsonl, tune-2.jsonl, … (each written apart, by someone who had not read the prompts).
    const dir = path.join(ROOT, 'test', 'fixtures', 'conversations');
    const files = readdirSync(dir).filter((f) => f === `${set}.jsonl` || (f.startsWith(`${set}-`) && f.endsWith('.jsonl')))
      .filter((f) => !process.env.EVAL_FILE || process.env.EVAL_FILE.split(',').some((x) => f === `${x}.jsonl`))
      .sort();
    const scripts = files.flatMap((f) => loadScripts(path.join(dir, f))).filter((s) => !process.env.EVAL_ONLY || s.id === process.env.EVAL_ONLY);
    const ids = new Set<string>();
    for (const s of scripts) {
      if (ids.has(s.id)) throw new Error(`${set}: script id ${s.id} is used twice`);
      ids.add(s.id);
    }
    const results: ScriptResult[] = [];
    for (const s of scripts) {
      const t = await startTestApp({ name: `eval-${set}`, now: () => NOW });
      try {
        results.push(await runScript(t, s));
      } catch (e) {
        results.push({ id: s.id, ok: false, misunderstood: false, menuByMistake: false, problems: [`crashed: ${(e as Error).message}`], transcript: [] });
      } finally {
        await t.close();
      }
      if (process.env.EVAL_ONLY) process.stdout.write(`${results.at(-1)!.transcript.join('\n')}\n`);
    }
    report[set] = {
      total: results.length,
      right: results.filter((r) => r.ok).length,
      misunderstood: results.filter((r) => r.misunderstood).length,
      menu: results.filter((r) => r.menuByMistake).length,
      failures: results.filter((r) => !r.ok || r.misunderstood || r.menuByMistake),
    };
  }
  const lines = Object.entries(report).map(
    ([set, r]) => `${set.padEnd(8)} ${String(r.total).padStart(4)} scripts  ended right ${pct(r.right, r.total).padStart(6)}  "didn't catch that" ${pct(r.misunderstood, r.total).padStart(6)}  menu by mistake ${pct(r.menu, r.total).padStart(6)}`,
  );
  // The held-out set's misses are not printed: it is never used for tuning (the figures are its whole report).
  const details = Object.entries(report).filter(([set]) => set !== 'heldout' || process.env.EVAL_ONLY).flatMap(([set, r]) => r.failures.map((f) => `${set} ${f.id}: ${[...f.problems, ...(f.misunderstood ? ['got "didn\'t catch that"'] : []), ...(f.menuByMistake ? ['got the menu by mistake'] : [])].join('; ')}`));
  const out = path.join(ROOT, '.data', 'eval');
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'conversations.json'), JSON.stringify(report.tune ?? {}, null, 2));
  process.stdout.write(`\nConversation evaluation (${new Date().toISOString()})\n${lines.join('\n')}\n\n${details.join('\n')}\n\nTranscripts of the tuning set's misses: .data/eval/conversations.json\n`);
  const min = (set: string, env: string | undefined) => {
    const r = report[set];
    if (r && env) expect(r.right / r.total).toBeGreaterThanOrEqual(Number(env));
  };
  min('tune', process.env.EVAL_MIN_TUNE);
  min('heldout', process.env.EVAL_MIN_HELDOUT);
});
