// The parts of NLP.js v4 this service uses (the packages ship no types).
declare module '@nlpjs/core' {
  export interface Container {
    use(plugin: unknown): void;
  }
  export function containerBootstrap(): Promise<Container>;
}
declare module '@nlpjs/lang-en-min' {
  export const LangEn: unknown;
}
declare module '@nlpjs/nlu' {
  import type { Container } from '@nlpjs/core';
  export class NluNeural {
    constructor(settings: { locale: string; log?: boolean }, container: Container);
    train(corpus: Array<{ utterance: string; intent: string }>): Promise<unknown>;
    process(text: string): Promise<{ classifications: Array<{ intent: string; score: number }> }>;
    /** The tokenizer's memo of every text it has read. */
    cache?: { results: Record<string, unknown> };
  }
}
