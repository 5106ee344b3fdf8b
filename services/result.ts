/** Typed results for expected failures: callers switch on a stable `code`, never on message text. */
export type Ok<T> = { ok: true; value: T };
export type Err<C extends string = string> = { ok: false; error: Failure<C> };
export type Result<T, C extends string = string> = Ok<T> | Err<C>;

export interface Failure<C extends string = string> {
  code: C;
  message: string;
  details?: unknown[];
}

export const ok = <T>(value: T): Ok<T> => ({ ok: true, value });
export const err = <C extends string>(code: C, message: string, details?: unknown[]): Err<C> => ({
  ok: false,
  error: details ? { code, message, details } : { code, message },
});
