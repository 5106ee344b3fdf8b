import './quiet-deprecations';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import restify, { type Request, type Server } from 'restify';
import { codeForRestifyError, HttpError } from './http/errors';
import { securityHeaders } from './http/security';
import type { Metrics } from './metrics';

export const BODY_LIMIT_BYTES = 64 * 1024;
/** Headers and body must have arrived this long after the request began. */
const REQUEST_TIMEOUT_MS = 30_000;

class UnsupportedBody extends Error {
  readonly statusCode = 415;
  readonly body = { message: 'send the body as JSON or form data, uncompressed' };
  constructor() {
    super('send the body as JSON or form data, uncompressed');
    this.name = 'UnsupportedMediaTypeError';
  }
}

const loggers = new WeakMap<Request, Logger>();

/** Web Chat's file upload: the one route that takes multipart (read in memory by the route, with its own limit and time). */
const isUpload = (req: Request) => req.method === 'POST' && /^\/v3\/directline\/conversations\/[^/]+\/upload$/.test(req.getPath());

/** The request's child logger (carries the request id; PHI redaction comes from the root logger). */
export function logOf(req: Request, fallback: Logger): Logger {
  return loggers.get(req) ?? fallback;
}

/** A restify server with the cross-cutting parts every route shares: limits, parsing, errors, logs, metrics. */
export function createHttpServer(logger: Logger, metrics: Metrics, opts: { https: boolean } = { https: false }): Server {
  // restify 11 logs with pino: give it ours, so its own lines are redacted like everything else.
  const server = restify.createServer({ name: 'imaging-intake-bot', handleUncaughtExceptions: false, log: logger as never });

  server.pre(securityHeaders(opts));
  server.pre((req, res, next) => {
    const id = randomUUID();
    res.header('X-Request-Id', id);
    loggers.set(req, logger.child({ reqId: id }));
    next();
  });
  server.pre((req, res, next) => {
    // A declared length over the limit is refused before a byte of the body is read (the client may never send it).
    const declared = Number(req.header('content-length') ?? 0);
    if (!isUpload(req) && declared > BODY_LIMIT_BYTES) {
      res.setHeader('Connection', 'close');
      res.send(413, new HttpError(413, 'PAYLOAD_TOO_LARGE', `the body is larger than ${BODY_LIMIT_BYTES / 1024} KiB`).toBody());
      return next(false);
    }
    return next();
  });
  server.pre((req, _res, next) => {
    // Only JSON and form bodies, uncompressed: multipart would bypass the size limit (files go to disk), and a
    // compressed body would be counted before it inflates.
    const encoding = req.header('content-encoding');
    if ((encoding && encoding !== 'identity') || (req.is('multipart/form-data') && !isUpload(req))) {
      return next(new UnsupportedBody());
    }
    return next();
  });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(restify.plugins.bodyReader({ maxBodySize: BODY_LIMIT_BYTES }));
  server.use(restify.plugins.jsonBodyParser({ mapParams: false }));
  server.use(restify.plugins.urlEncodedBodyParser({ mapParams: false }));
  server.use((req, _res, next) => {
    const hasBody = req.contentLength() > 0 || req.isChunked();
    if (hasBody && !req.is('json') && !req.is('application/x-www-form-urlencoded') && !isUpload(req)) return next(new UnsupportedBody());
    return next();
  });

  // restify's own errors (unknown route, bad JSON, too large) leave in our JSON error shape.
  server.on('restifyError', (req: Request, _res: unknown, err: Error & { statusCode?: number; body?: { message?: string } }, cb: () => void) => {
    const status = err.statusCode ?? 500;
    const code = codeForRestifyError(err.name, status);
    const message =
      code === 'PAYLOAD_TOO_LARGE'
        ? `the body is larger than ${BODY_LIMIT_BYTES / 1024} KiB`
        : code === 'INVALID_JSON'
          ? `the body is not valid JSON (${(err.body?.message ?? err.message).replace(/^Invalid JSON:\s*/i, '')})`
          : code === 'INTERNAL'
            ? 'internal error; nothing was changed by this request'
            : (err.body?.message ?? err.message);
    if (status >= 500) logOf(req, logger).error({ err }, 'request failed');
    (err as Error & { toJSON: () => unknown }).toJSON = () => ({ error: { code, message } });
    cb();
  });

  server.on('after', (req: Request, res: { statusCode: number }, route: { path?: string | RegExp } | null) => {
    const pattern = route?.path ? String(route.path) : 'unmatched';
    const seconds = (Date.now() - req.time()) / 1000;
    metrics.httpRequests.inc({ method: req.method, route: pattern, status: String(res.statusCode) });
    metrics.httpDuration.observe({ method: req.method, route: pattern }, seconds);
    // Path pattern only: the URL itself may carry a phone number in its query.
    const line = { method: req.method, route: pattern, status: res.statusCode, ms: Math.round(seconds * 1000) };
    // Web Chat polls the local Direct Line twice a second: those lines only at debug level.
    if (req.method === 'GET' && res.statusCode === 200 && pattern.startsWith('/v3/directline/')) logOf(req, logger).debug(line, 'request');
    else logOf(req, logger).info(line, 'request');
  });

  // A body that never finishes arriving ends the request (Node answers 408), instead of holding the connection.
  server.server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.server.headersTimeout = Math.min(REQUEST_TIMEOUT_MS, 20_000);
  return server;
}
