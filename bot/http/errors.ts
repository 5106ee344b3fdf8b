import type { ZodError } from 'zod';
import type { Failure } from '../../services/result';

/** The one JSON error shape (interfaces.md): { error: { code, message, details? } }. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'HttpError';
  }

  toBody() {
    return { error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) } };
  }
}

const STATUS_BY_CODE: Record<string, number> = {
  INVALID_INPUT: 400,
  REASON_REQUIRED: 400,
  UNKNOWN_REFERRER: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  CASE_NOT_FOUND: 404,
  ILLEGAL_TRANSITION: 409,
  HUMAN_TRACK_ONLY: 409,
  SCREENING_NOT_IN_REVIEW: 409,
  VERSION_CONFLICT: 409,
  CASE_BUSY: 503,
  UNKNOWN_CONVERSATION: 404,
  TASK_NOT_FOUND: 404,
  REFERRER_NOT_FOUND: 404,
  USER_NOT_FOUND: 404,
  CAMPAIGN_NOT_FOUND: 404,
  TOKEN_NOT_FOUND: 404,
  NO_REPLY_CHANNEL: 409,
  PURPOSE_NOT_ALLOWED: 409,
  IDEMPOTENCY_KEY_REUSED: 409,
  IDEMPOTENCY_KEY_IN_PROGRESS: 409,
  BUSY: 503,
  CHANNEL_FAILED: 502,
};

export function fromFailure(f: Failure): HttpError {
  return new HttpError(STATUS_BY_CODE[f.code] ?? 500, f.code, f.message, f.details);
}

export function fromZod(e: ZodError, where: string): HttpError {
  const details = e.issues.map((i) => ({ field: [where, ...i.path].join('.'), message: i.message }));
  return new HttpError(400, 'INVALID_INPUT', details.map((d) => `${d.field}: ${d.message}`).join('; '), details);
}

/** restify's own errors (routing, body parsing) mapped to our stable codes. */
export function codeForRestifyError(name: string, status: number): string {
  switch (name) {
    case 'ResourceNotFoundError':
      return 'NOT_FOUND';
    case 'MethodNotAllowedError':
      return 'METHOD_NOT_ALLOWED';
    case 'InvalidContentError':
      return 'INVALID_JSON';
    case 'PayloadTooLargeError':
    case 'RequestEntityTooLargeError':
      return 'PAYLOAD_TOO_LARGE';
    case 'UnsupportedMediaTypeError':
      return 'UNSUPPORTED_MEDIA_TYPE';
    default:
      return status >= 500 ? 'INTERNAL' : 'BAD_REQUEST';
  }
}

/** Driver errors that mean a dependency is unreachable (not a bug): answered 503 so clients retry later. */
export function dependencyDown(e: unknown): HttpError | null {
  const name = e instanceof Error ? e.name : '';
  if (/^Mongo(ServerSelection|Network|NotConnected|Topology|PoolCleared)/.test(name)) {
    return new HttpError(503, 'DEPENDENCY_DOWN', 'MongoDB is not reachable; nothing was changed, try again shortly');
  }
  if (name === 'MaxRetriesPerRequestError' || (e instanceof Error && /Connection is closed|Stream isn't writeable/.test(e.message))) {
    return new HttpError(503, 'DEPENDENCY_DOWN', 'Redis is not reachable; nothing was changed, try again shortly');
  }
  return null;
}
