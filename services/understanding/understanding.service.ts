import { combineIntent, type IntentModel } from './intent-model';
import { describe, readMessage } from './rules.engine';
import { redactForLlm } from './redact';
import type { UnderstandContext, Understanding, UnderstandingEngine } from './understanding.schema';

/** Menu numbers, letters and one-word answers are the dialogs' to read, never a classifier's guess. */
function isSentence(text: string): boolean {
  return (text.match(/\p{L}{2,}/gu) ?? []).length >= 2;
}

export interface UnderstandingResult extends Understanding {
  /** Which engine's answer this is; `fallbackReason` says why the LLM's was not used. */
  engine: 'rules' | 'openai';
  fallbackReason: 'timeout' | 'error' | null;
  /** Under the rules engine, whether a rule or the trained model settled the intent. */
  intentBy: 'rules' | 'model' | 'openai';
}

/**
 * One interface over the engines (architecture §7): the LLM, when configured, only extracts intent and fields; on
 * any error, invalid output or the deadline, the rules (with the trained model, when given) answer instead, so a turn
 * never waits on it for long.
 */
export function createUnderstanding(opts: { llm: UnderstandingEngine | null; model?: IntentModel | null; timeoutMs?: number; onFallback?: (reason: 'timeout' | 'error', e: unknown) => void; onModelError?: (e: unknown) => void }) {
  const timeoutMs = opts.timeoutMs ?? 4_000;
  const local = async (text: string, ctx: UnderstandContext, fallbackReason: UnderstandingResult['fallbackReason']): Promise<UnderstandingResult> => {
    const { basis, ...reading } = readMessage(text, ctx);
    // Only where no rule decided is the model asked; if it fails, the rules' default stands.
    const guess = basis === 'default' && opts.model && isSentence(text) ? await opts.model.predict(text).catch((e: unknown) => (opts.onModelError?.(e), null)) : null;
    const settled = combineIntent(text, { intent: reading.intent, basis }, guess);
    const r = settled.intent === reading.intent ? reading : describe(text, ctx, reading.fields, settled.intent);
    return { ...r, engine: 'rules', fallbackReason, intentBy: settled.by };
  };
  return {
    /** `llm: false` for answers the rules read fully (a birth date, a name, a number): they need not leave the building. */
    async understand(text: string, ctx: UnderstandContext, use: { llm?: boolean } = {}): Promise<UnderstandingResult> {
      if (!opts.llm || use.llm === false) return local(text, ctx, null);
      const controller = new AbortController();
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => {
          controller.abort();
          resolve('timeout');
        }, timeoutMs);
      });
      try {
        // Names after a name cue and birth dates stay here: the LLM sees placeholders.
        const r = await Promise.race([opts.llm.understand(redactForLlm(text), ctx, controller.signal), deadline]);
        if (r === 'timeout') {
          opts.onFallback?.('timeout', null);
          return await local(text, ctx, 'timeout');
        }
        return { ...r, engine: 'openai', fallbackReason: null, intentBy: 'openai' };
      } catch (e) {
        opts.onFallback?.('error', e);
        return local(text, ctx, 'error');
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
export type UnderstandingService = ReturnType<typeof createUnderstanding>;
