import type { Request, Response, Next } from 'restify';
import type { Logger } from 'pino';
import { logOf } from '../server';
import type { z } from 'zod';
import type { Result } from '../../services/result';
import { dependencyDown, fromFailure, fromZod, HttpError } from './errors';

export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** Sent as-is with this content type instead of JSON (TwiML). */
  raw?: { contentType: string; text: string | Buffer };
}

/**
 * Adapts an async handler to restify: expected failures arrive as HttpError, anything else is a 500 whose
 * cause is logged once here (the error message may quote input, so the logger scrubs it).
 */
export function createRoute(logger: Logger) {
  return (handler: (req: Request) => Promise<Reply>) => (req: Request, res: Response, next: Next): void => {
    handler(req)
      .then(
      (reply) => {
        // setHeader replaces: restify's header() would add a second value to one set for every response.
        for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
        if (reply.raw) {
          res.setHeader('Content-Type', reply.raw.contentType);
          res.writeHead(reply.status);
          res.end(reply.raw.text);
        } else {
          res.send(reply.status, reply.body);
        }
        next();
      },
      (e: unknown) => {
        const httpError = e instanceof HttpError ? e : dependencyDown(e);
        if (!httpError) logOf(req, logger).error({ err: e }, 'unhandled error in route');
        else if (httpError.status === 503) logOf(req, logger).warn({ err: e }, 'dependency down');
        const out = httpError ?? new HttpError(500, 'INTERNAL', 'internal error; nothing was changed by this request');
        for (const [k, v] of Object.entries(out.headers ?? {})) res.setHeader(k, v);
        res.send(out.status, out.toBody());
        next(false);
      },
    )
    .catch((e: unknown) => {
      // A failure while answering (headers already sent, a serializer): log it, answer if still possible.
      logOf(req, logger).error({ err: e }, 'error while sending the response');
      if (!res.headersSent) res.send(500, new HttpError(500, 'INTERNAL', 'internal error').toBody());
    });
  };
}
export type RouteFactory = ReturnType<typeof createRoute>;

export function requireJson(req: Request): void {
  if (!req.is('json')) {
    throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'send the body as JSON with Content-Type: application/json');
  }
}

/** Validates one part of a request (body, query, a path parameter); a failure is a 400 naming each field. */
export function parse<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, value: unknown, where: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw fromZod(r.error, where);
  return r.data;
}

/** A use case's typed failure becomes its HTTP error. */
export function unwrap<T>(r: Result<T>): T {
  if (!r.ok) throw fromFailure(r.error);
  return r.value;
}

/** A path parameter as text ('' when absent): restify's params are untyped. */
export function pathParam(req: { params?: unknown }, name: string): string {
  const v = (req.params as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : '';
}
