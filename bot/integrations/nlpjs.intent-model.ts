import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { containerBootstrap } from '@nlpjs/core';
import { LangEn } from '@nlpjs/lang-en-min';
import { NluNeural } from '@nlpjs/nlu';
import { repoRoot } from '../../scripts/local-infra';
import { foldAccents } from '../../services/text';
import { LabelledMessage, type IntentModel } from '../../services/understanding/intent-model';
import { Intent } from '../../services/understanding/understanding.schema';

/** The labelled tuning corpus: every `*.jsonl` in the folder, each line validated; a bad line stops start-up. */
export function loadCorpus(dir: string): LabelledMessage[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .flatMap((f) =>
      readFileSync(path.join(dir, f), 'utf8')
        .split('\n')
        .map((line, i) => ({ line, i }))
        .filter(({ line }) => line.trim())
        .map(({ line, i }) => {
          const r = LabelledMessage.safeParse(JSON.parse(line));
          if (!r.success) throw new Error(`${f} line ${i + 1}: ${r.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
          return r.data;
        }),
    );
}

/**
 * NLP.js's neural intent classifier, trained in-process on the corpus when created (under a second for ~1,300
 * messages; nothing is downloaded). One model, English tokenisation for both languages: it scored as well on
 * cross-validation as one model per language.
 */
export function createNlpjsIntentModel(examples: readonly Pick<LabelledMessage, 'text' | 'intent'>[]): IntentModel {
  const ready = (async () => {
    const container = await containerBootstrap();
    container.use(LangEn);
    const nlu = new NluNeural({ locale: 'en', log: false }, container);
    await nlu.train(examples.map((e) => ({ utterance: foldAccents(e.text), intent: e.intent })));
    return nlu;
  })();
  return {
    async predict(text) {
      const nlu = await ready;
      const r = await nlu.process(foldAccents(text));
      // The tokenizer memoises every text it reads: patients' words must not pile up in memory.
      if (nlu.cache) nlu.cache.results = {};
      const top = r.classifications[0];
      const intent = Intent.safeParse(top?.intent);
      return top && intent.success ? { intent: intent.data, score: top.score } : null;
    },
  };
}

let shipped: IntentModel | null = null;
/** The model of the corpus shipped in corpus/nlu, trained once per process. */
export function corpusModel(): IntentModel {
  return (shipped ??= createNlpjsIntentModel(loadCorpus(path.join(repoRoot(), 'corpus/nlu'))));
}
