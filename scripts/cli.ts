/** Operator CLI: `npm run cli -- <command>`. Commands arrive with the issues that need them. */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { connectMongo, dbNameFrom } from '../models/db';
import { createRepositories } from '../models';
import { parseEnv } from '../services/config/env.schema';
import { createStaffTokenService, DEFAULT_TOKEN_DAYS } from '../services/staff/staff-token.service';
import { Role } from '../services/staff/staff.roles';
import { repoRoot, resolveMongo, resolveRedis } from './local-infra';
import { createCampaigns } from '../services/campaigns/campaign.service';
import { createCampaignQueue } from '../models/campaign.queue';
import { createConsentService } from '../services/consent/consent.service';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { DEFAULT_SITE_CONFIG, loadSiteConfig } from '../bot/config';
import { createOpenAiEngine, DEFAULT_OPENAI_MODEL } from '../bot/integrations/openai.engine';
import { corpusModel } from '../bot/integrations/nlpjs.intent-model';
import { createUnderstanding } from '../services/understanding/understanding.service';
import { createReferrerInvites } from '../services/referrers/invite.service';

const USAGE = `Usage: npm run cli -- <command>

  staff create --name <name> --role <${Role.options.join('|')}> [--referrer <orgId>] [--days <1-365, default ${DEFAULT_TOKEN_DAYS}>]
      Creates a staff API token and prints it once (only its hash is stored); it stops working after --days.
  staff list
      Lists the tokens (id, role, name, status, expiry); never the tokens themselves.
  staff revoke <id>
      Revokes a token at once.
  referrer create --name <organization name> [--tenant <Azure AD tenant id>] [--hours 08:00-16:30] [--language en|es]
      Creates a referring organization and prints its id (updates to it wait for its hours and are in its language).
  referrer invite --referrer <orgId> --name <person's name>
      Prints a one-time code (valid 7 days) that signs that person in for the organization on web chat.
  campaign launch <campaignId>
      Plans the campaign now (every recipient recorded; those without marketing consent or opted out skipped and
      counted) and queues its texts; running workers (npm start, or --role=worker) send them at the campaign's rate.
  understand
      Reads one message per line on standard input and prints, per line, the JSON of what the bot understood
      (intent and fields; the OpenAI engine when NLU=openai, else the rules).
`;

function die(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

async function withRepos<T>(fn: (repos: ReturnType<typeof createRepositories>) => Promise<T>): Promise<T> {
  const env = parseEnv(process.env);
  if (!env.ok) die(env.error.message);
  const mongo = await resolveMongo({
    ...(env.value.MONGODB_URI ? { uri: env.value.MONGODB_URI } : {}),
    dataDir: path.join(repoRoot(), '.data'),
    log: (l) => process.stderr.write(`${l}\n`),
  });
  const conn = await connectMongo(mongo.url, dbNameFrom(mongo.url));
  try {
    const repos = createRepositories(conn);
    await repos.ensureIndexes();
    return await fn(repos);
  } finally {
    await conn.close();
    await mongo.stop();
  }
}

async function understandLines(): Promise<void> {
  const env = parseEnv(process.env);
  if (!env.ok) die(env.error.message);
  const site = loadSiteConfig(env.value.CENTER_CONFIG ?? DEFAULT_SITE_CONFIG, repoRoot());
  if (!site.ok) die(site.error.message);
  const e = env.value;
  const llm =
    e.NLU === 'openai' && e.OPENAI_API_KEY
      ? createOpenAiEngine({ apiKey: e.OPENAI_API_KEY, model: e.OPENAI_MODEL ?? DEFAULT_OPENAI_MODEL, ...(e.OPENAI_BASE_URL ? { baseURL: e.OPENAI_BASE_URL } : {}) })
      : null;
  const understanding = createUnderstanding({ llm, model: corpusModel() });
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    const r = await understanding.understand(line, { now: new Date(), timeZone: site.value.center.timeZone, payers: site.value.payers });
    process.stdout.write(
      `${JSON.stringify({ text: line, intent: r.intent, ...r.fields, topic: r.topic, clinical: r.clinical, disclosures: r.disclosures.map((d) => d.kind), secondary: r.secondary, engine: r.engine, intentBy: r.intentBy })}\n`,
    );
  }
}

async function manageTokens(verb: 'list' | 'revoke', args: string[]): Promise<void> {
  if (verb === 'list' ? args.length !== 0 : args.length !== 1) die(verb === 'list' ? 'staff list takes no arguments' : 'staff revoke needs the token id: npm run cli -- staff revoke <id>');
  await withRepos(async (repos) => {
    const svc = createStaffTokenService({ tokens: repos.staffTokens, orgs: repos.referrers, now: () => new Date() });
    if (verb === 'revoke') {
      const r = await svc.revoke(args[0]!);
      if (!r.ok) die(r.error.message);
      process.stdout.write(`Revoked token ${r.value.id} (${r.value.role}, ${r.value.name}).\n`);
      return;
    }
    const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : '-');
    for (const t of await svc.list(500)) {
      process.stdout.write(`${t.id}  ${t.role.padEnd(12)}  ${t.status.padEnd(7)}  expires ${day(t.expiresAt)}  ${t.name}${t.referrerOrgId ? ` (${t.referrerOrgId})` : ''}\n`);
    }
  });
}

export async function runCli(argv: string[]): Promise<void> {
  const [noun, verb, ...rest] = argv;
  if (noun === 'understand' && verb === undefined) return understandLines();
  if (noun === 'campaign' && verb === 'launch') {
    const id = rest[0];
    if (!id || rest.length !== 1) die('campaign launch needs the campaign id: npm run cli -- campaign launch <id>');
    return launchCampaign(id);
  }
  if (noun === 'staff' && (verb === 'list' || verb === 'revoke')) return manageTokens(verb, rest);
  const { values } = parseArgs({
    args: rest,
    options: { name: { type: 'string' }, role: { type: 'string' }, referrer: { type: 'string' }, tenant: { type: 'string' }, hours: { type: 'string' }, language: { type: 'string' }, days: { type: 'string' } },
    strict: true,
  });

  if (noun === 'staff' && verb === 'create') {
    await withRepos(async (repos) => {
      const svc = createStaffTokenService({ tokens: repos.staffTokens, orgs: repos.referrers, now: () => new Date() });
      const out = await svc.create({
        name: values.name ?? '',
        role: (values.role ?? '') as Role,
        referrerOrgId: values.referrer ?? null,
        ...(values.days !== undefined ? { days: /^\d+$/.test(values.days) ? Number(values.days) : NaN } : {}),
      });
      if (!out.ok) die(`Cannot create the token: ${out.error.message}`);
      process.stdout.write(
        `Created ${out.value.record.role} token for ${out.value.record.name} (id ${out.value.record.id}), valid until ${out.value.record.expiresAt?.toISOString().slice(0, 10)}.\n` +
          `Token (shown once; store it now):\n${out.value.token}\n`,
      );
    });
    return;
  }
  if (noun === 'referrer' && verb === 'create') {
    if (!values.name?.trim()) die('referrer create needs --name <organization name>');
    // --hours 08:00-16:30: when the office is open (updates to it wait for then); default 09:00-17:00.
    const hours = values.hours ? /^(\d{2}:\d{2})-(\d{2}:\d{2})$/.exec(values.hours) : null;
    if (values.hours && !hours) die('--hours must be like 08:00-16:30');
    if (values.language && values.language !== 'en' && values.language !== 'es') die('--language must be en or es');
    await withRepos(async (repos) => {
      const id = `org_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
      await repos.referrers.insert({
        id,
        name: values.name!.trim(),
        tenantId: values.tenant ?? null,
        phone: null,
        fax: null,
        users: [],
        ...(hours ? { officeHours: { open: hours[1]!, close: hours[2]! } } : {}),
        ...(values.language ? { language: values.language as 'en' | 'es' } : {}),
        createdAt: new Date(),
      });
      process.stdout.write(`Created referring organization ${id}\n`);
    });
    return;
  }
  if (noun === 'referrer' && verb === 'invite') {
    if (!values.referrer || !values.name?.trim()) die('referrer invite needs --referrer <orgId> and --name <person>');
    await withRepos(async (repos) => {
      const invites = createReferrerInvites({ invites: repos.referrerInvites, orgs: repos.referrers, now: () => new Date() });
      const r = await invites.issue(values.referrer!, { name: values.name!.trim() }, null);
      if (!r.ok) die(`Cannot invite: ${r.error.message}`);
      process.stdout.write(`Sign-in code for ${values.name!.trim()} (one use, until ${r.value.expiresAt.toISOString()}):\n${r.value.code}\n`);
    });
    return;
  }
  die(USAGE);
}

async function launchCampaign(id: string): Promise<void> {
  const env = parseEnv(process.env);
  if (!env.ok) die(env.error.message);
  const site = loadSiteConfig(env.value.CENTER_CONFIG ?? DEFAULT_SITE_CONFIG, repoRoot());
  if (!site.ok) die(site.error.message);
  const redis = await resolveRedis({ ...(env.value.REDIS_URL ? { url: env.value.REDIS_URL } : {}), dataDir: path.join(repoRoot(), '.data'), log: (l) => process.stderr.write(`${l}\n`) });
  const queue = createCampaignQueue(redis.url, env.value.REDIS_PREFIX, site.value.sender.messagesPerSecond);
  try {
    await withRepos(async (repos) => {
      const now = () => new Date();
      const campaigns = createCampaigns({ campaigns: repos.campaigns, consents: createConsentService({ consents: repos.consents, now }), patients: repos.patients, queue, site: site.value, now });
      const r = await campaigns.plan(id);
      if (!r.ok) die(`Cannot launch: ${r.error.message}`);
      const s = await campaigns.stats(id);
      process.stdout.write(
        `Campaign ${id} (${r.value.campaign.name}) is ${r.value.campaign.status}: audience ${s.audience}, queued ${s.queued}, ` +
          `skipped ${s.skipped.no_marketing_consent} without marketing consent, ${s.skipped.opted_out} opted out, ${s.skipped.no_phone} without a phone.\n`,
      );
    });
  } finally {
    await queue.close();
    await redis.stop();
  }
}

if (require.main === module) {
  runCli(process.argv.slice(2)).catch((e: unknown) => die(`cli failed: ${(e as Error).message}`));
}
