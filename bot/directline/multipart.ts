import type { Request } from 'restify';
import { HttpError } from '../http/errors';

export interface Part {
  name: string;
  filename: string | null;
  contentType: string | null;
  data: Buffer;
}

/** The request body, at most `limit` bytes and within `timeoutMs` (a slow or oversized upload is refused, not waited on). */
export function readBody(req: Request, limit: number, timeoutMs: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > limit) return Promise.reject(new HttpError(413, 'PAYLOAD_TOO_LARGE', `an upload may be at most ${limit} bytes`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const fail = (e: HttpError) => {
      clearTimeout(timer);
      req.removeAllListeners('data');
      req.resume();
      reject(e);
    };
    const timer = setTimeout(() => fail(new HttpError(408, 'REQUEST_TIMEOUT', 'the upload took too long; try again')), timeoutMs);
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) fail(new HttpError(413, 'PAYLOAD_TOO_LARGE', `an upload may be at most ${limit} bytes`));
      else chunks.push(c);
    });
    req.on('end', () => {
      clearTimeout(timer);
      if (size <= limit) resolve(Buffer.concat(chunks));
    });
    req.on('error', () => fail(new HttpError(400, 'INVALID_INPUT', 'the upload was cut off')));
  });
}

/** The parts of a multipart/form-data body (RFC 7578): each part's name, file name, type and bytes. */
export function parseMultipart(body: Buffer, contentType: string): Part[] {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const b = boundary?.[1] ?? boundary?.[2];
  if (!b || b.length > 200) throw new HttpError(400, 'INVALID_INPUT', 'a multipart body needs its boundary');
  const delimiter = Buffer.from(`--${b}`);
  const parts: Part[] = [];
  let at = body.indexOf(delimiter);
  while (at !== -1) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break; // the closing delimiter
    const next = body.indexOf(delimiter, start);
    if (next === -1) break;
    // Each part: CRLF, headers, a blank line, the bytes, CRLF before the next delimiter.
    const raw = body.subarray(start + 2, next - 2);
    const split = raw.indexOf('\r\n\r\n');
    if (split === -1) throw new HttpError(400, 'INVALID_INPUT', 'a multipart part has no headers');
    const headers = raw.subarray(0, split).toString('utf8');
    const disposition = /content-disposition:[^\r\n]*/i.exec(headers)?.[0] ?? '';
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
    if (name === undefined) throw new HttpError(400, 'INVALID_INPUT', 'a multipart part has no name');
    parts.push({
      name,
      filename: /\bfilename="([^"]*)"/i.exec(disposition)?.[1] ?? null,
      contentType: /content-type:\s*([^\r\n;]+)/i.exec(headers)?.[1]?.trim().toLowerCase() ?? null,
      data: raw.subarray(split + 4),
    });
    if (parts.length > 11) throw new HttpError(400, 'INVALID_INPUT', 'at most 10 files at a time');
    at = next;
  }
  return parts;
}
