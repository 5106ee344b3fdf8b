import type { Request, Response, Next } from 'restify';

/** The chat page: its own scripts (by nonce) and Web Chat's bundle; Web Chat injects its styles, so styles may be inline. */
export function pageCsp(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "connect-src 'self' blob:", // Web Chat reads a file to upload through its blob: URL
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "object-src 'none'",
  ].join('; ');
}

/**
 * Headers on every response: nothing is sniffed, framed or cached (answers carry PHI), nothing loads into the API's
 * JSON; HSTS only when the service is reached over HTTPS (PUBLIC_BASE_URL), where a browser may be told to stay.
 */
export function securityHeaders(opts: { https: boolean }) {
  return (_req: Request, res: Response, next: Next): void => {
    res.header('X-Content-Type-Options', 'nosniff');
    res.header('X-Frame-Options', 'DENY');
    res.header('Referrer-Policy', 'no-referrer');
    res.header('Cache-Control', 'no-store');
    res.header('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
    if (opts.https) res.header('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    next();
  };
}
