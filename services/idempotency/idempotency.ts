import { createHash } from 'node:crypto';
import { err, ok, type Result } from '../result';

/** A key's first use is its claim; `ref` names what the first request made once it finished. */
export type Claim = { kind: 'claimed' } | { kind: 'done'; ref: string } | { kind: 'pending' } | { kind: 'conflict' };

export interface IdempotencyStore {
  /** Takes the key for this body, or says who has it (a pending claim older than `staleMs` is taken over). */
  claim(id: string, bodyHash: string, now: Date, staleMs: number): Promise<Claim>;
  complete(id: string, ref: string): Promise<void>;
  release(id: string): Promise<void>;
}

export type IdempotencyFailure = 'IDEMPOTENCY_KEY_REUSED' | 'IDEMPOTENCY_KEY_IN_PROGRESS';

export const hashOf = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex');

/**
 * One rule for every route that takes an Idempotency-Key: the same key and body run once and later calls get what
 * the first made; the same key with another body is refused; a concurrent repeat waits for the first to finish.
 */
export function createIdempotency(deps: { store: IdempotencyStore; now: () => Date; waitMs?: number; staleMs?: number; pollMs?: number }) {
  const waitMs = deps.waitMs ?? 10_000;
  const staleMs = deps.staleMs ?? 60_000;
  const pollMs = deps.pollMs ?? 50;

  return async function once<T, F extends string>(
    scope: string,
    key: string,
    body: unknown,
    run: () => Promise<Result<{ ref: string; value: T }, F>>,
    replay: (ref: string) => Promise<Result<T, F>>,
  ): Promise<Result<{ replayed: boolean; value: T }, F | IdempotencyFailure>> {
    const id = hashOf([scope, key]);
    const bodyHash = hashOf(body);
    const deadline = Date.now() + waitMs;
    for (;;) {
      const claim = await deps.store.claim(id, bodyHash, deps.now(), staleMs);
      if (claim.kind === 'conflict') return err('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used with another body; use a new key');
      if (claim.kind === 'done') {
        const again = await replay(claim.ref);
        return again.ok ? ok({ replayed: true, value: again.value }) : again;
      }
      if (claim.kind === 'claimed') break;
      if (Date.now() >= deadline) return err('IDEMPOTENCY_KEY_IN_PROGRESS', 'a request with this Idempotency-Key is still running; retry shortly');
      await new Promise((r) => setTimeout(r, pollMs));
    }
    let outcome: Awaited<ReturnType<typeof run>>;
    try {
      outcome = await run();
    } catch (e) {
      // Nothing was made (the use case leaves no half-written state): a retry may run it again.
      await deps.store.release(id);
      throw e;
    }
    if (!outcome.ok) {
      await deps.store.release(id);
      return outcome;
    }
    await deps.store.complete(id, outcome.value.ref);
    return ok({ replayed: false, value: outcome.value.value });
  };
}
export type Idempotency = ReturnType<typeof createIdempotency>;
