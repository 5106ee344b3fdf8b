import { z } from 'zod';
import { err, ok, type Result } from '../result';

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

/** The environment contract (interfaces.md). Defaults that depend on other variables are filled in below. */
const EnvShape = z.object({
  // Only these: "prod" or "Production" would otherwise run in full development mode (/chat served, no refusals).
  NODE_ENV: z.enum(['development', 'test', 'production'], { errorMap: () => ({ message: 'must be development, test or production' }) }).default('development'),
  PORT: z
    .string()
    .default('3978')
    .refine((v) => /^\d+$/.test(v) && Number(v) >= 0 && Number(v) <= 65535, 'must be a whole number from 0 to 65535')
    .transform(Number),
  /** `--role=worker`: the port of its /healthz, /readyz and /metrics (0: any free port, printed). */
  WORKER_HEALTH_PORT: z
    .string()
    .default('3979')
    .refine((v) => /^\d+$/.test(v) && Number(v) >= 0 && Number(v) <= 65535, 'must be a whole number from 0 to 65535')
    .transform(Number),
  PUBLIC_BASE_URL: optionalString.pipe(z.string().url('must be a URL such as https://intake.example.org').optional()),
  MONGODB_URI: optionalString.pipe(z.string().regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://').optional()),
  REDIS_URL: optionalString.pipe(z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').optional()),
  /** Prefix of every Redis key and queue, so several deployments (or test runs) share one Redis without meeting. */
  REDIS_PREFIX: z
    .string()
    .default('iib:')
    .refine((v) => /^[A-Za-z0-9_.-]{1,40}:$/.test(v), "must be letters, digits, '_', '.' or '-' (at most 40), ending with ':' (for example iib:)"),
  CENTER_CONFIG: optionalString,
  TWILIO_ACCOUNT_SID: optionalString.refine((v) => v === undefined || /^AC[0-9a-fA-F]{32}$/.test(v), 'must look like AC followed by 32 hex digits'),
  TWILIO_AUTH_TOKEN: optionalString,
  TWILIO_FROM_NUMBER: optionalString.refine((v) => v === undefined || /^\+[1-9]\d{7,14}$/.test(v), 'must be E.164'),
  TWILIO_MESSAGING_SERVICE_SID: optionalString,
  TWILIO_API_BASE_URL: optionalString.pipe(z.string().url().optional()),
  SMS_TRANSPORT: z.enum(['twilio', 'log']).optional(),
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalString.pipe(z.string().url().optional()),
  OPENAI_MODEL: optionalString,
  NLU: z.enum(['rules', 'openai']).optional(),
  MicrosoftAppId: optionalString,
  MicrosoftAppPassword: optionalString,
  MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).optional().or(z.literal('').transform(() => undefined)),
  MicrosoftAppTenantId: optionalString,
  /** Key for the keyed hash of phone numbers (storage keys, lookups); required in production. */
  PHONE_HASH_KEY: optionalString,
  /** Workers: a text left half-sent this long (a process died mid-send) is checked against Twilio's log and finished. */
  SMS_RECOVER_AFTER_SECONDS: z
    .string()
    .default('120')
    .refine((v) => /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 86_400, 'must be a whole number of seconds from 1 to 86400')
    .transform(Number),
  /** Production: /metrics answers only `Authorization: Bearer <METRICS_TOKEN>` (unset: closed). Open elsewhere. */
  METRICS_TOKEN: optionalString.refine((v) => v === undefined || v.length >= 16, 'must be at least 16 characters'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Env = Omit<z.infer<typeof EnvShape>, 'PUBLIC_BASE_URL' | 'SMS_TRANSPORT' | 'NLU' | 'PHONE_HASH_KEY'> & {
  PUBLIC_BASE_URL: string;
  SMS_TRANSPORT: 'twilio' | 'log';
  NLU: 'rules' | 'openai';
  PHONE_HASH_KEY: string;
};

const DEV_HASH_KEY = 'development-only-phone-hash-key';

/** Parses the environment; a bad value is named with what it must be (values are never echoed: some are secrets). */
export function parseEnv(raw: Record<string, string | undefined>): Result<Env, 'INVALID_ENV'> {
  const parsed = EnvShape.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    return err('INVALID_ENV', `Invalid environment:\n  ${lines.join('\n  ')}`, lines);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  const refusals: string[] = [];
  if (production && !e.PHONE_HASH_KEY) refusals.push('PHONE_HASH_KEY: must be set when NODE_ENV=production');
  else if (production && e.PHONE_HASH_KEY && (Buffer.byteLength(e.PHONE_HASH_KEY) < 32 || e.PHONE_HASH_KEY === DEV_HASH_KEY)) refusals.push('PHONE_HASH_KEY: must be a secret of at least 32 bytes when NODE_ENV=production, not the development key (it keys every phone hash)');
  if (production && !e.MicrosoftAppId) refusals.push('MicrosoftAppId: must be set when NODE_ENV=production (Bot Framework authentication)');
  if (production && !e.TWILIO_AUTH_TOKEN) refusals.push('TWILIO_AUTH_TOKEN: must be set when NODE_ENV=production (webhook signatures)');
  else if (production && e.TWILIO_AUTH_TOKEN && e.TWILIO_AUTH_TOKEN.length < 32) refusals.push("TWILIO_AUTH_TOKEN: must be the account's auth token (32 characters) when NODE_ENV=production");
  if (production && !e.PUBLIC_BASE_URL?.startsWith('https://')) refusals.push('PUBLIC_BASE_URL: must be the https:// address Twilio and browsers reach when NODE_ENV=production');
  if (production && !e.REDIS_URL) refusals.push('REDIS_URL: must be set when NODE_ENV=production (no local Redis in production)');
  if (production && e.SMS_TRANSPORT === 'log') refusals.push('SMS_TRANSPORT: log prints messages and is not allowed when NODE_ENV=production');
  if (production && !e.MONGODB_URI) refusals.push('MONGODB_URI: must be set when NODE_ENV=production (no embedded database in production)');
  const twilioReady = e.TWILIO_ACCOUNT_SID && e.TWILIO_AUTH_TOKEN;
  if (e.SMS_TRANSPORT === 'twilio' && !twilioReady) refusals.push('SMS_TRANSPORT: twilio needs TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN');
  if ((e.SMS_TRANSPORT === 'twilio' || (!e.SMS_TRANSPORT && twilioReady)) && !e.TWILIO_FROM_NUMBER && !e.TWILIO_MESSAGING_SERVICE_SID) {
    refusals.push('TWILIO_FROM_NUMBER: set it or TWILIO_MESSAGING_SERVICE_SID to send through Twilio');
  }
  if (e.NLU === 'openai' && !e.OPENAI_API_KEY) refusals.push('NLU: openai needs OPENAI_API_KEY');
  if (refusals.length > 0) return err('INVALID_ENV', `Invalid environment:\n  ${refusals.join('\n  ')}`, refusals);

  return ok({
    ...e,
    PUBLIC_BASE_URL: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    SMS_TRANSPORT: e.SMS_TRANSPORT ?? (e.TWILIO_ACCOUNT_SID && e.TWILIO_AUTH_TOKEN ? 'twilio' : 'log'),
    NLU: e.NLU ?? (e.OPENAI_API_KEY ? 'openai' : 'rules'),
    PHONE_HASH_KEY: e.PHONE_HASH_KEY ?? DEV_HASH_KEY,
  });
}
