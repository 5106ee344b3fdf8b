/**
 * Composition root: `node dist/bot/index.js --role=web|worker|all` (npm start runs --role=all).
 * Reads and checks configuration, finds or starts MongoDB and Redis, wires the app, and shuts down cleanly.
 */
import path from 'node:path';
import { dbNameFrom } from '../models/db';
import { parseEnv } from '../services/config/env.schema';
import { repoRoot, resolveMongo, resolveRedis, type ServiceHandle } from '../scripts/local-infra';
import { createApp } from './app';
import { createOpenAiEngine, DEFAULT_OPENAI_MODEL } from './integrations/openai.engine';
import { createLogTransport } from './integrations/log.transport';
import { createTwilioTransport } from './integrations/twilio.transport';
import { DEFAULT_SITE_CONFIG, loadSiteConfig } from './config';
import { createLogger } from './logger';

type Role = 'web' | 'worker' | 'all';
const SHUTDOWN_GRACE_MS = 15_000;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

function parseRole(argv: string[]): Role {
  const arg = argv.find((a) => a.startsWith('--role='));
  const role = arg ? arg.slice('--role='.length) : 'all';
  if (role !== 'web' && role !== 'worker' && role !== 'all') fail(`--role must be web, worker or all (got '${role}')`);
  return role;
}

export async function main(argv: string[]): Promise<void> {
  const role = parseRole(argv);
  const envResult = parseEnv(process.env);
  if (!envResult.ok) fail(envResult.error.message);
  const env = envResult.value;
  const root = repoRoot();
  const siteResult = loadSiteConfig(env.CENTER_CONFIG ?? DEFAULT_SITE_CONFIG, root);
  if (!siteResult.ok) fail(siteResult.error.message);

  const say = (line: string) => process.stdout.write(`${line}\n`);
  const logger = createLogger(env.LOG_LEVEL);
  const dataDir = path.join(root, '.data');
  const started: ServiceHandle[] = [];
  const stopEmbedded = async () => {
    for (const s of started.reverse()) await s.stop();
  };

  let app: Awaited<ReturnType<typeof createApp>>;
  let port = env.PORT;
  try {
    const mongo = await resolveMongo({ ...(env.MONGODB_URI ? { uri: env.MONGODB_URI } : {}), dataDir, log: say });
    started.push(mongo);
    const redis = await resolveRedis({ ...(env.REDIS_URL ? { url: env.REDIS_URL } : {}), dataDir, log: say });
    started.push(redis);
    say(`Database: ${mongo.description}`);
    say(`Redis:    ${redis.description}`);
    app = await createApp({
      mongoUri: mongo.url,
      dbName: dbNameFrom(mongo.url),
      redisUrl: redis.url,
      redisPrefix: env.REDIS_PREFIX,
      site: siteResult.value,
      phoneHashKey: env.PHONE_HASH_KEY,
      logger,
      runWorkers: role !== 'web',
      recoverSmsAfterMs: env.SMS_RECOVER_AFTER_SECONDS * 1_000,
      botFramework: {
        appId: env.MicrosoftAppId ?? null,
        appPassword: env.MicrosoftAppPassword ?? null,
        appType: env.MicrosoftAppType ?? null,
        tenantId: env.MicrosoftAppTenantId ?? null,
      },
      localChat: env.NODE_ENV !== 'production',
      metricsAccess: env.NODE_ENV === 'production' || env.METRICS_TOKEN ? { open: false, token: env.METRICS_TOKEN ?? null } : { open: true },
      understandingEngine:
        env.NLU === 'openai' && env.OPENAI_API_KEY
          ? createOpenAiEngine({ apiKey: env.OPENAI_API_KEY, model: env.OPENAI_MODEL ?? DEFAULT_OPENAI_MODEL, ...(env.OPENAI_BASE_URL ? { baseURL: env.OPENAI_BASE_URL } : {}) })
          : null,
      sms: {
        transport:
          env.SMS_TRANSPORT === 'twilio'
            ? createTwilioTransport({
                accountSid: env.TWILIO_ACCOUNT_SID!,
                authToken: env.TWILIO_AUTH_TOKEN!,
                ...(env.TWILIO_FROM_NUMBER ? { from: env.TWILIO_FROM_NUMBER } : {}),
                ...(env.TWILIO_MESSAGING_SERVICE_SID ? { messagingServiceSid: env.TWILIO_MESSAGING_SERVICE_SID } : {}),
                ...(env.TWILIO_API_BASE_URL ? { apiBaseUrl: env.TWILIO_API_BASE_URL } : {}),
              })
            : createLogTransport(say),
        authToken: env.TWILIO_AUTH_TOKEN ?? null,
        publicBaseUrl: env.PUBLIC_BASE_URL,
      },
    });
    if (role === 'web' || role === 'all') port = await app.listen(env.PORT);
    else port = await app.listenHealth(env.WORKER_HEALTH_PORT);
  } catch (e) {
    await stopEmbedded();
    fail(`Start-up failed: ${(e as Error).message}`);
  }

  if (role === 'web' || role === 'all') {
    const base = process.env.PUBLIC_BASE_URL ? env.PUBLIC_BASE_URL : `http://localhost:${port}`;
    say(`Center:   ${siteResult.value.center.name} (${env.CENTER_CONFIG ?? DEFAULT_SITE_CONFIG})`);
    say(`Listening on port ${port} (role ${role}, SMS transport ${env.SMS_TRANSPORT}, understanding ${env.NLU})`);
    say(`  health     ${base}/healthz   readiness ${base}/readyz   metrics ${base}/metrics`);
    say(`  Bot Framework ${base}/api/messages (${env.MicrosoftAppId ? 'JWT checked' : 'no MicrosoftAppId: unauthenticated, local only'})`);
    if (env.NODE_ENV !== 'production') say(`  chat       http://localhost:${port}/chat   (Web Chat on the built-in Direct Line)`);
    say(`  SMS webhook ${base}/api/sms/inbound   status callback ${base}/api/sms/status`);
    say(`  staff API  ${base}/api/v1/cases  (make a token: npm run cli -- staff create --name "Your Name" --role admin)`);
  }
  if (role === 'worker') {
    say(`Worker role: running the queues (texts, reminders, campaigns, follow-ups, waitlist) and the recovery sweeps.`);
    say(`Worker health on port ${port}: /healthz /readyz /metrics`);
  }

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal} received: finishing in-flight requests, then closing connections`);
    const force = setTimeout(() => {
      process.stderr.write('shutdown took too long; exiting\n');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    app
      .close()
      .then(stopEmbedded)
      .then(
        () => process.exit(0),
        (e: unknown) => {
          logger.error({ err: e }, 'error during shutdown');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e: unknown) => fail(`Start-up failed: ${(e as Error).message}`));
}
