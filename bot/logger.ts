import pino, { type DestinationStream, type Logger } from 'pino';

/** Fields that hold PHI wherever they appear in a log object (domain.md §8): censored, never printed. */
const PHI_PATHS = [
  'req.headers.authorization',
  'headers.authorization',
  'phone',
  'givenName',
  'familyName',
  'birthDate',
  'body',
  'patient',
  'text',
  'memberId',
  'reasonText',
  'note',
  'reason',
  'data',
  'req.url',
  '*.memberId',
  '*.reasonText',
  '*.note',
  '*.phone',
  '*.givenName',
  '*.familyName',
  '*.birthDate',
  '*.body',
  '*.patient',
  '*.text',
];

/** Masks what looks like a phone number or a date in free text (error messages can quote input). */
export function scrubText(s: string): string {
  return s
    .replace(/\+?\d[\d\s().-]{6,}\d/g, (m) => {
      const digits = m.replace(/\D/g, '');
      return digits.length >= 7 ? `***${digits.slice(-4)}` : m;
    })
    .replace(/\b\d{4}-\d{2}-\d{2}\b/g, '[date]')
    .replace(/\b\d{1,2}\/\d{1,2}\/\d{2,4}\b/g, '[date]');
}

function serializeError(e: unknown): Record<string, unknown> {
  if (!(e instanceof Error)) return { message: scrubText(String(e)) };
  const code = (e as { code?: unknown }).code;
  return {
    type: e.name,
    ...(code !== undefined ? { code } : {}),
    message: scrubText(e.message),
    stack: e.stack ? scrubText(e.stack) : undefined,
  };
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'imaging-intake-bot' },
      redact: { paths: PHI_PATHS, censor: '[redacted]' },
      serializers: { err: serializeError, error: serializeError },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
