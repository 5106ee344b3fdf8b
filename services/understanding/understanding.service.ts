import { rulesEngine } from './rules.engine';
import type { UnderstandContext, Understanding, UnderstandingEngine } from './understanding.schema';

export interface UnderstandingResult extends Understanding {
  /** Which engine's answer this is; `fallbackReason` says why the LLM's was not used. */
  engine: 'rules' | 'openai';
  fallbackReason: 'timeout' | 'error' | null;
}

/**
 * One interface over the two engines (architecture §7): the LLM, when configured, only extracts intent and fields;
 * on any error, invalid output or the deadline, the rules answer instead, so a turn never waits on it for long.
 */
export function createUnderstanding(opts: { llm: UnderstandingEngine | null; timeoutMs?: number; onFallback?: (reason: 'timeout' | 'error', e: unknown) => void }) {
  const timeoutMs = opts.timeoutMs ?? 4_000;
  return {
    /** `llm: false` for answers the rules read fully (a birth date, a name, a number): they need not leave the building. */
    async understand(text: string, ctx: UnderstandContext, use: { llm?: boolean } = {}): Promise<UnderstandingResult> {
      const rules = async (fallbackReason: UnderstandingResult['fallbackReason']) => ({ ...(await rulesEngine.understand(text, ctx)), engine: 'rules' as const, fallbackReason });
      if (!opts.llm || use.llm === false) return rules(null);
      const controller = new AbortController();
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => {
          controller.abort();
          resolve('timeout');
        }, timeoutMs);
      });
      try {
        const r = await Promise.race([opts.llm.understand(text, ctx, controller.signal), deadline]);
        if (r === 'timeout') {
          opts.onFallback?.('timeout', null);
          return await rules('timeout');
        }
        return { ...r, engine: 'openai', fallbackReason: null };
      } catch (e) {
        opts.onFallback?.('error', e);
        return rules('error');
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
export type UnderstandingService = ReturnType<typeof createUnderstanding>;
