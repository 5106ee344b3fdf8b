import type { OutboundContentInput } from '../../services/conversations/outbound-content';

export type Out = OutboundContentInput;

/** A reply that answers the message without moving the step on (a follow-up question such as "which of two dates?"). */
export class Reply {
  constructor(readonly out: Out[]) {}
}

/**
 * One step of a flow, in one place: the question, its help, how an answer is read from a message, and where the
 * answer leads. A flow is a table of steps; the engine runs whichever step the conversation is at.
 */
export interface Step<C, V = unknown> {
  /** The question, asked when the step starts, after help, after a side question and after a miss. */
  prompt(ctx: C): Promise<Out[]> | Out[];
  /** What to say when the person asks for help or gives an answer that does not fit. */
  help(ctx: C): string;
  /** The answer is any sentence (a reason, a doctor): a side question there is never taken as the answer. */
  freeText?: boolean;
  /** The answer in this message; null when the message does not answer this step. */
  read(ctx: C): Promise<V | Reply | null> | V | Reply | null;
  /** What the answer leads to: the next step's question, a result handed to the calling flow, or the end. */
  next(ctx: C, value: V): Promise<Out[]>;
}

/** A step typed by its answer, stored in a table of steps whose answers differ. */
export function step<C, V>(s: Step<C, V>): Step<C> {
  return s;
}

/** The step's answer to this message, or null when the message does not answer it. */
export async function answerStep<C>(s: Step<C>, ctx: C): Promise<Out[] | null> {
  const v = await s.read(ctx);
  if (v === null) return null;
  if (v instanceof Reply) return v.out;
  return s.next(ctx, v);
}
