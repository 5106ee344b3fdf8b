import { newId } from '../ids';
import type { SiteConfig } from '../config/site.schema';
import type { ConsentStatuses } from '../consent/consent.service';
import { timeZoneForPhone } from '../contact/area-codes';
import type { PatientRepository } from '../cases/case.ports';
import type { Gateway } from '../messaging/gateway';
import { nextSendTime } from '../messaging/quiet-hours';
import { err, ok, type Result } from '../result';
import { actorOf, type Principal, type Role } from '../staff/staff.roles';
import type { Campaign, CampaignRepository, CampaignStats, CreateCampaignInput, Recipient, SkipReason } from './campaign.schema';
import type { NoticeWords } from '../messaging/notices';

/** Who runs campaigns, and who may watch them (never their recipients' cases: minimum necessary). */
const RUNS: ReadonlySet<Role> = new Set(['admin', 'marketing']);
const READS: ReadonlySet<Role> = new Set(['admin', 'marketing', 'coordinator']);
const BATCH = 1_000;
/** Replies, opt-outs and bookings this long after a campaign text count for it. */
const ATTRIBUTION_DAYS = 30;

export type CampaignFailure = 'FORBIDDEN' | 'CAMPAIGN_NOT_FOUND' | 'INVALID_INPUT';

/** Runs the sends a campaign plans (BullMQ in models/: delayed jobs, the sender's rate limit, retries). */
/** What a send job carries: enough to send without reading the recipient back (no phone number: that stays in the database). */
export type SendJob = Pick<Recipient, 'campaignId' | 'patientId' | 'language'> & { recipientId: string; phoneHash: string };

export interface CampaignQueue {
  enqueueSends(jobs: Array<{ recipientId: string; at: Date; send: SendJob }>): Promise<void>;
  /** Planning as a job of its own, so a crash half-way is picked up again by a worker. */
  enqueuePlan(campaignId: string): Promise<void>;
}

/**
 * Which numbers a campaign texted lately (Redis in the wiring), so a patient's every reply does not search the
 * recipients. `unknown` when the marks cannot be trusted: never started, or lost with Redis's data.
 */
export interface CampaignTextMarks {
  mark(phoneHash: string, ttlSeconds: number): Promise<void>;
  of(phoneHash: string): Promise<'marked' | 'unmarked' | 'unknown'>;
  /** From now on an unmarked number was not texted (every text since is marked). */
  trust(): Promise<void>;
}

const SENT = ['sending', 'accepted', 'queued', 'sent', 'delivered', 'read'];

/**
 * Nurture campaigns (domain.md §6, issue 7): an audience over cases and patients, texts in English and Spanish, a
 * send window and a rate. Launching plans every recipient once (skipping, and counting, numbers without marketing
 * consent or opted out), then each send goes through the gateway, which checks consent, quiet hours and caps again
 * at send time. One text per number per campaign: the recipient id and the message key are both campaign + number.
 */
export function createCampaigns(deps: {
  campaigns: CampaignRepository;
  consents: { statusesMany(phoneHashes: string[]): Promise<Map<string, ConsentStatuses>> };
  patients: Pick<PatientRepository, 'findById'>;
  /** Sending only (the CLI plans without it). */
  gateway?: Pick<Gateway, 'send'>;
  /** Sending only, with the gateway. */
  words?: NoticeWords;
  queue: CampaignQueue;
  /** Without it every reply, opt-out and booking looks for a campaign recipient to count it for. */
  marks?: CampaignTextMarks;
  site: SiteConfig;
  now: () => Date;
}) {
  const { campaigns, site } = deps;

  /** The campaign's hours inside the marketing quiet hours; null when they do not overlap. */
  function sendWindow(c: Campaign): { sendFrom: string; sendUntil: string } | null {
    const q = site.quietHours.marketing;
    const from = c.window.from > q.sendFrom ? c.window.from : q.sendFrom;
    const until = c.window.until < q.sendUntil ? c.window.until : q.sendUntil;
    return from < until ? { sendFrom: from, sendUntil: until } : null;
  }

  function skipReason(phoneHash: string | null, s: ConsentStatuses | undefined): SkipReason | null {
    if (!phoneHash) return 'no_phone';
    if (s?.marketing === 'revoked' || s?.care === 'revoked') return 'opted_out';
    return s?.marketing === 'granted' ? null : 'no_marketing_consent';
  }

  async function loadFor(id: string, principal: Principal, roles: ReadonlySet<Role>): Promise<Result<Campaign, CampaignFailure>> {
    if (!roles.has(principal.role)) return err('FORBIDDEN', `role '${principal.role}' may not ${roles === RUNS ? 'run' : 'read'} campaigns`);
    const c = await campaigns.findById(id);
    return c ? ok(c) : err('CAMPAIGN_NOT_FOUND', `no campaign '${id}'`);
  }

  /** Audience = skipped + refused at send + queued + deferred + sent + failed (delivered is part of sent). */
  async function stats(id: string): Promise<CampaignStats> {
    const [r, m] = await Promise.all([campaigns.recipientCounts(id, deps.now()), campaigns.messageCounts(id)]);
    const n = (statuses: string[]) => statuses.reduce((sum, s) => sum + (m[s] ?? 0), 0);
    const skippedRecipients = Object.values(r.skipped).reduce((a, b) => a + (b ?? 0), 0);
    return {
      audience: r.total,
      skipped: { no_marketing_consent: r.skipped.no_marketing_consent ?? 0, opted_out: r.skipped.opted_out ?? 0, no_phone: r.skipped.no_phone ?? 0, refused_at_send: n(['refused']) },
      // Every recipient not skipped has one message at most (its key is unique); the rest wait for their job, or
      // their message is being sent (pending).
      queued: Math.max(0, r.total - skippedRecipients - r.waiting - Object.values(m).reduce((a, b) => a + b, 0)) + n(['pending']),
      deferred: n(['deferred']) + r.waiting,
      sent: n(SENT),
      delivered: n(['delivered', 'read']),
      failed: n(['failed', 'undelivered']),
      optedOut: r.optedOut,
      replied: r.replied,
      booked: r.booked,
    };
  }

  return {
    stats,

    async create(input: CreateCampaignInput, principal: Principal): Promise<Result<Campaign, CampaignFailure>> {
      if (!RUNS.has(principal.role)) return err('FORBIDDEN', `role '${principal.role}' may not create campaigns`);
      const c: Campaign = { ...input, id: newId('cmp'), status: 'draft', createdBy: actorOf(principal), createdAt: deps.now(), launchedAt: null, plannedAt: null };
      if (!sendWindow(c)) {
        const q = site.quietHours.marketing;
        return err('INVALID_INPUT', `window: ${c.window.from}–${c.window.until} is outside the marketing hours ${q.sendFrom}–${q.sendUntil}`, [{ field: 'body.window', message: 'must overlap the marketing send hours' }]);
      }
      await campaigns.insert(c);
      return ok(c);
    },

    async get(id: string, principal: Principal): Promise<Result<Campaign & { stats: CampaignStats }, CampaignFailure>> {
      const c = await loadFor(id, principal, READS);
      return c.ok ? ok({ ...c.value, stats: await stats(id) }) : c;
    },

    async list(principal: Principal): Promise<Result<Campaign[], CampaignFailure>> {
      if (!READS.has(principal.role)) return err('FORBIDDEN', `role '${principal.role}' may not read campaigns`);
      return ok(await campaigns.list(200));
    },

    /** Staff API: the planning runs as a job (202); a second launch of a launched campaign changes nothing. */
    async requestLaunch(id: string, principal: Principal): Promise<Result<Campaign, CampaignFailure>> {
      const c = await loadFor(id, principal, RUNS);
      if (!c.ok) return c;
      const launched = await campaigns.setStatus(id, ['draft'], 'planning', { launchedAt: deps.now() });
      if (launched) await deps.queue.enqueuePlan(id);
      return ok(launched ?? c.value);
    },

    /**
     * Plans a campaign: every audience member becomes one recipient, skipped (with the reason) or queued at a time
     * inside the window of their zone, spaced by the campaign's rate. Safe to run again after a crash: recipients
     * and jobs are keyed, so a second run adds only what the first did not.
     */
    async plan(id: string): Promise<Result<{ campaign: Campaign; planned: number; skipped: number }, CampaignFailure>> {
      const now = deps.now();
      const c = await campaigns.setStatus(id, ['draft', 'planning'], 'planning', {});
      if (!c) {
        const existing = await campaigns.findById(id);
        return existing ? ok({ campaign: existing, planned: 0, skipped: 0 }) : err('CAMPAIGN_NOT_FOUND', `no campaign '${id}'`);
      }
      if (!c.launchedAt) await campaigns.setStatus(id, ['planning'], 'planning', { launchedAt: now });
      const window = sendWindow(c)!;
      let planned = 0;
      let skipped = 0;
      const members = await campaigns.audience(c.audience, now);
      const statuses = await deps.consents.statusesMany([...new Set(members.flatMap((m) => (m.phoneHash ? [m.phoneHash] : [])))]);
      const seen = new Set<string>();
      for (let from = 0; from < members.length; from += BATCH) {
        const rows: Recipient[] = [];
        for (const m of members.slice(from, from + BATCH)) {
          const rid = `${c.id}:${m.phoneHash ?? `p:${m.patientId}`}`;
          if (seen.has(rid)) continue; // family members on one phone: one text
          seen.add(rid);
          const reason = skipReason(m.phoneHash, m.phoneHash ? statuses.get(m.phoneHash) : undefined);
          let sendAt: Date | null = null;
          let waitsForWindow = false;
          if (!reason) {
            const due = new Date(now.getTime() + Math.floor(planned / c.perSecond) * 1_000);
            sendAt = nextSendTime(due, (m.phone && timeZoneForPhone(m.phone)) || site.center.timeZone, window);
            waitsForWindow = sendAt > due;
            planned++;
          } else skipped++;
          rows.push({ id: rid, campaignId: c.id, phoneHash: m.phoneHash, patientId: m.patientId, language: m.language, status: reason ? 'skipped' : 'queued', skipReason: reason, sendAt, waitsForWindow, repliedAt: null, optedOutAt: null, bookedAt: null, createdAt: now });
        }
        await campaigns.insertRecipients(rows);
        await deps.queue.enqueueSends(
          rows.filter((r) => r.status === 'queued').map((r) => ({ recipientId: r.id, at: r.sendAt!, send: { recipientId: r.id, campaignId: r.campaignId, patientId: r.patientId, phoneHash: r.phoneHash!, language: r.language } })),
        );
      }
      const done = (await campaigns.setStatus(id, ['planning'], 'sending', { plannedAt: deps.now() })) ?? c;
      return ok({ campaign: done, planned, skipped });
    },

    /** One recipient's text, through the gateway (consent, quiet hours, caps and opt-outs checked now). Once. */
    async send(r: SendJob): Promise<'sent' | 'done' | 'gone'> {
      // A second run of this job (a worker died after the send) finds the message under its key: nothing more is sent.
      const [c, patient] = await Promise.all([campaigns.findById(r.campaignId), deps.patients.findById(r.patientId)]);
      if (!c || !patient?.phone) return 'gone';
      if (!deps.gateway || !deps.words) throw new Error('campaign sends need the SMS gateway and its words (a worker process)');
      const body = deps.words({ kind: 'campaign', text: c.templates[r.language] }, r.language);
      // Marked before the text goes, so a quick reply is counted; a mark without a text only costs a search.
      await deps.marks?.mark(r.phoneHash, ATTRIBUTION_DAYS * 86_400);
      const sent = await deps.gateway.send({ to: patient.phone, body, purpose: 'marketing', template: 'campaign', idempotencyKey: `campaign:${c.id}:${r.phoneHash}`, initiated: true, language: r.language, campaignId: c.id });
      // Another run holds this message right now (a job taken again while the first was slow): let BullMQ retry later,
      // so the job is not finished before its message is.
      if (sent.outcome === 'duplicate' && sent.message.status === 'pending') throw new Error('the message is being sent by another run; retrying');
      return sent.outcome === 'duplicate' ? 'done' : 'sent';
    },

    /** A reply, an opt-out or a booking from a number a recent campaign texted: counted for that campaign. */
    async noteRecipient(phoneHash: string, what: 'replied' | 'opted_out' | 'booked', at: Date): Promise<void> {
      const field = what === 'replied' ? 'repliedAt' : what === 'opted_out' ? 'optedOutAt' : 'bookedAt';
      const since = new Date(at.getTime() - ATTRIBUTION_DAYS * 86_400_000);
      const marked = deps.marks ? await deps.marks.of(phoneHash) : 'unknown';
      if (marked === 'unmarked') return;
      if (marked === 'unknown' && deps.marks) {
        // Marks are whole when no campaign launched within the attribution window: none can have texted this number.
        const recent = (await campaigns.list(200)).some((c) => c.launchedAt && c.launchedAt >= since);
        if (!recent) return deps.marks.trust();
      }
      await campaigns.noteRecipientEvent(phoneHash, field, at, since);
    },
  };
}
export type Campaigns = ReturnType<typeof createCampaigns>;
