import { DateTime } from 'luxon';
import { z } from 'zod';
import { newId } from '../ids';
import { modalityLabel } from '../exams/modality.catalog';
import type { SiteConfig } from '../config/site.schema';
import type { CaseRepository, PatientRepository } from '../cases/case.ports';
import type { Case } from '../cases/case.schema';
import type { Gateway, SendOutcome } from '../messaging/gateway';
import type { NoticeWords } from '../messaging/notices';
import type { CaseState } from '../pipeline/pipeline.states';
import type { OrderRequests } from '../patients/order-request.service';
import { officeIsTold, type NoticeOutcome, type OfficeNotices } from '../referrers/office-notices';
import { authorizationTaskKey, urgentTaskKey, type TaskInput, type TaskRepository } from '../tasks/task.schema';

export const FollowUpKind = z.enum(['order_reminder', 'order_overdue', 'documentation_reminder', 'lead_nurture', 'urgent_call_overdue', 'office_notice']);
export type FollowUpKind = z.infer<typeof FollowUpKind>;

/** One follow-up of one stay in a state: `since` is when the case entered it, so a later stay gets its own. */
export const FollowUpJob = z.object({
  caseId: z.string().min(1),
  kind: FollowUpKind,
  since: z.string().datetime(),
  n: z.number().int().min(0),
  /** office_notice: how many history entries the write appended from index n. */
  count: z.number().int().min(1).max(20).optional(),
});
export type FollowUpJob = z.infer<typeof FollowUpJob>;

export interface FollowUpScheduler {
  /** Queues each job once: its id is case, kind, stay and number, so adding it again is a no-op. */
  add(jobs: Array<{ job: FollowUpJob; at: Date }>): Promise<void>;
}

/** The state each kind waits on; a case that left it (or left and came back) makes the job stale. */
const WAITS_ON: Record<FollowUpKind, CaseState | null> = {
  order_reminder: 'order_requested',
  order_overdue: 'order_requested',
  documentation_reminder: 'awaiting_documentation',
  lead_nurture: null,
  urgent_call_overdue: null,
  office_notice: null,
};
/** A stat or asap order before it is booked: someone must call the patient now (domain.md §3, the human track). */
const AWAITS_CALL: ReadonlySet<CaseState> = new Set(['received', 'awaiting_documentation', 'pending_authorization', 'ready_to_schedule']);

/** A lead that got this far without a booking is "never booked"; a cancelled or scheduled one is not nurtured. */
const NOT_YET_BOOKED: ReadonlySet<CaseState> = new Set(['lead', 'qualified', 'order_requested', 'received', 'awaiting_documentation', 'pending_authorization', 'ready_to_schedule']);

/** `days` business days (Monday to Friday in the center's zone) after `from`, at the same local time. */
export function addBusinessDays(from: Date, days: number, zone: string): Date {
  let d = DateTime.fromJSDate(from, { zone });
  for (let left = days; left > 0; ) {
    d = d.plus({ days: 1 });
    if (d.weekday <= 5) left--;
  }
  return d.toJSDate();
}

export interface OfficeHours {
  /** Local opening and closing times, HH:mm, on business days (Monday to Friday). */
  open: string;
  close: string;
}
export const DEFAULT_OFFICE_HOURS: OfficeHours = { open: '09:00', close: '17:00' };

/** Office follow-ups land in office hours (default 09:00–17:00 on a business day): a late entry is followed up next morning. */
export function inOfficeHours(at: Date, zone: string, hours: OfficeHours = DEFAULT_OFFICE_HOURS): Date {
  const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  const [open, close] = [minutes(hours.open), minutes(hours.close)];
  const opening = (d: DateTime): DateTime => d.set({ hour: Math.floor(open / 60), minute: open % 60, second: 0, millisecond: 0 });
  let d: DateTime = DateTime.fromJSDate(at, { zone });
  const now = d.hour * 60 + d.minute;
  if (now >= close) d = opening(d.plus({ days: 1 }));
  else if (now < open) d = opening(d);
  while (d.weekday > 5) d = opening(d.plus({ days: 1 }));
  return d.toJSDate();
}

/** When the case entered its current state (the last history entry that led there). */
export function enteredAt(c: Case): Date {
  for (let i = c.history.length - 1; i >= 0; i--) if (c.history[i]!.to === c.state) return c.history[i]!.at;
  return c.createdAt;
}

const selfRequested = (c: Case) => c.history[0]?.to === 'lead';
const everBooked = (c: Case) => c.history.some((h) => h.event === 'book');

/**
 * The follow-ups a case is due for where it stands now (domain.md §7, site.followUps); `written` is how many history
 * entries the write that got it here appended (0 for the sweep: no office update is queued again).
 */
export function followUpPlan(site: SiteConfig, c: Case, written = 0, officeHours: OfficeHours = DEFAULT_OFFICE_HOURS): Array<{ job: FollowUpJob; at: Date }> {
  const f = site.followUps;
  const zone = site.center.timeZone;
  const out: Array<{ job: FollowUpJob; at: Date }> = [];
  const since = enteredAt(c);
  const job = (kind: FollowUpKind, n: number, at: Date, from = since) => out.push({ job: { caseId: c.id, kind, since: from.toISOString(), n }, at });
  const office = (days: number) => inOfficeHours(addBusinessDays(since, days, zone), zone);
  if (c.state === 'order_requested') {
    job('order_reminder', 0, office(f.orderRequestedReminderBusinessDays));
    job('order_overdue', 0, office(f.orderRequestedStaffTaskBusinessDays));
  }
  if (c.state === 'awaiting_documentation') f.documentationReminderBusinessDays.forEach((d, n) => job('documentation_reminder', n, office(d)));
  if (c.track === 'human' && AWAITS_CALL.has(c.state)) job('urgent_call_overdue', 0, DateTime.fromJSDate(c.createdAt).plus({ minutes: f.urgentCallMinutes }).toJSDate(), c.createdAt);
  // The office is told of the latest write in its office hours (n: the write's first history index).
  const told = written > 0 ? c.history.length - written : null;
  if (told !== null && told >= 0 && officeIsTold(c, told)) {
    const at = c.history[told]!.at;
    out.push({ job: { caseId: c.id, kind: 'office_notice', since: at.toISOString(), n: told, count: written }, at: inOfficeHours(at, zone, officeHours) });
  }
  if (selfRequested(c) && NOT_YET_BOOKED.has(c.state) && !everBooked(c)) job('lead_nurture', 0, DateTime.fromJSDate(c.createdAt).plus({ days: f.leadNurtureDays }).toJSDate(), c.createdAt);
  return out;
}

export type FollowUpOutcome = 'stale' | 'office_reminded' | 'staff_task' | 'escalated' | SendOutcome['outcome'] | 'no_phone' | NoticeOutcome;

/** What the urgent task says: the priority, the study and the case; what is missing when the order is incomplete. */
function urgentSummary(c: Case, minutes: number): string {
  const study = [c.order.code.modality ? modalityLabel(c.order.code.modality, 'en') : 'exam', c.order.bodySite.text].filter(Boolean).join(' ');
  const priority = (c.order.priority ?? 'asap').toUpperCase();
  return c.missing.length
    ? `${priority} ${study} for case ${c.id}, order incomplete (missing: ${c.missing.join(', ')}): call the office and the patient within ${minutes} minutes.`
    : `${priority} ${study} for case ${c.id}: call the patient to schedule within ${minutes} minutes.`;
}

/**
 * Follow-ups that keep orders from leaking (domain.md §7): the office is reminded of an order request after 2 business
 * days and staff are told after 5; the office is reminded of missing documentation after 1 and 3; a lead that never
 * booked gets one nurture text after 7 days, marketing consent only (the gateway checks it when it sends).
 * Each job checks the case is still where it was when the job was queued; every message and task is keyed.
 */
export function createFollowUps(deps: {
  cases: CaseRepository;
  patients: PatientRepository;
  orderRequests: Pick<OrderRequests, 'remind'>;
  officeNotices: Pick<OfficeNotices, 'run'>;
  gateway: Pick<Gateway, 'send'>;
  tasks: TaskRepository;
  scheduler: FollowUpScheduler;
  site: SiteConfig;
  words: NoticeWords;
  now: () => Date;
  /** The referring organization's own office hours, when it has them (updates to it wait for them). */
  officeHoursOf?: (orgId: string) => Promise<OfficeHours | null>;
  /** Posts to the staff's Teams channel, once per key (none configured: nothing); never throws. */
  alertStaff?: (key: string, text: string) => Promise<void>;
}) {
  const { site } = deps;

  async function task(c: Case, dedupeKey: string, summary: string): Promise<void> {
    const now = deps.now();
    const t: TaskInput = { id: newId('t'), kind: 'order_follow_up', status: 'open', dedupeKey, summary, caseId: c.id, referrerOrgId: null, replyTo: null, createdAt: now, updatedAt: now };
    await deps.tasks.insert(t); // false: this follow-up's task is open already
  }

  /**
   * A stat or asap order awaiting its call has an urgent task from the moment it is written (not when a job runs or
   * the patient texts); once the case moves on (booked, cancelled) the task is done.
   */
  async function urgentTask(c: Case): Promise<void> {
    if (c.track !== 'human') return;
    const now = deps.now();
    if (!AWAITS_CALL.has(c.state)) {
      await deps.tasks.close(urgentTaskKey(c.id), now);
      return;
    }
    const minutes = site.followUps.urgentCallMinutes;
    const dueAt = DateTime.fromJSDate(c.createdAt).plus({ minutes }).toJSDate();
    const t: TaskInput = { id: newId('t'), kind: 'schedule_by_phone', status: 'open', dedupeKey: urgentTaskKey(c.id), summary: urgentSummary(c, minutes), caseId: c.id, referrerOrgId: c.referrerOrgId, replyTo: null, urgent: true, dueAt, createdAt: now, updatedAt: now };
    // false: open already (what the patient said since stays on it); a new one is posted to the staff channel too.
    if (await deps.tasks.insert(t)) await deps.alertStaff?.(`urgent:${c.id}`, `Urgent task: ${t.summary}`);
  }

  const KIND_WORDS: Record<FollowUpKind, string> = {
    order_reminder: 'order reminder to the office',
    order_overdue: 'overdue order task',
    documentation_reminder: 'documentation reminder to the office',
    lead_nurture: 'follow-up text to the patient',
    urgent_call_overdue: 'overdue urgent call check',
    office_notice: 'update to the office',
  };

  return {
    /** A job that failed its last try: a staff task names the case and what did not happen (the error's kind, no PHI). */
    async failed(job: FollowUpJob, e: unknown): Promise<void> {
      const c = await deps.cases.findById(job.caseId);
      if (!c) return;
      const why = e instanceof Error ? e.name : 'error';
      await task(c, `failed:${job.kind}:${job.caseId}:${job.since}:${job.n}`, `The ${KIND_WORDS[job.kind]} for case ${c.id} failed after every retry (${why}): follow the case up by hand.`);
    },

    /** The urgent task, then the follow-ups the case is due for; called after every write of a case, and by the sweep. */
    async schedule(c: Case, written = 0): Promise<void> {
      await urgentTask(c);
      // A renewal task is done once a new approval is recorded.
      if (c.authorization?.status === 'approved') await deps.tasks.close(authorizationTaskKey(c.id), deps.now());
      // The organization is read only for a write its office is told of.
      const told = c.referrerOrgId !== null && written > 0 && officeIsTold(c, c.history.length - written);
      const hours = told ? await deps.officeHoursOf?.(c.referrerOrgId!) : null;
      await deps.scheduler.add(followUpPlan(site, c, written, hours ?? DEFAULT_OFFICE_HOURS));
    },

    /** Every open case in a followed state, queued again (ids make it a no-op for those still queued): after a restart. */
    async sweep(): Promise<number> {
      let n = 0;
      for (const state of NOT_YET_BOOKED) {
        let after: string | undefined;
        do {
          const page = await deps.cases.list({ state }, { limit: 500, ...(after ? { after } : {}) });
          // A lead that went quiet long before this sweep (a first start, a long outage) is not nurtured out of the blue.
          const stale = deps.now().getTime() - 2 * 86_400_000;
          const jobs = page.items.flatMap((c) => followUpPlan(site, c)).filter((p) => p.job.kind !== 'lead_nurture' || p.at.getTime() >= stale);
          // An urgent task a failed write hook did not open is opened now.
          for (const c of page.items) await urgentTask(c);
          await deps.scheduler.add(jobs);
          n += jobs.length;
          after = page.next;
        } while (after);
      }
      return n;
    },

    async run(job: FollowUpJob): Promise<FollowUpOutcome> {
      const c = await deps.cases.findById(job.caseId);
      if (!c) return 'stale';
      const state = WAITS_ON[job.kind];
      if (state !== null && (c.state !== state || enteredAt(c).toISOString() !== job.since)) return 'stale';
      const stay = `${job.caseId}:${job.since}`;
      switch (job.kind) {
        case 'order_reminder':
        case 'documentation_reminder': {
          // Waiting for documentation with nothing named: the office cannot be asked for it; a person finds out what.
          if (job.kind === 'documentation_reminder' && c.missing.length === 0) {
            await task(c, `${job.kind}:${stay}:${job.n}`, `Case ${c.id} waits for documentation but no missing item is named: find out what is needed (payer or staff request) and ask the office.`);
            return 'staff_task';
          }
          const patient = await deps.patients.findById(c.patientId);
          const reached = patient !== null && (await deps.orderRequests.remind(c, patient, job.kind === 'order_reminder' ? 'order' : 'documentation', `${job.kind}:${stay}:${job.n}`));
          if (reached) return 'office_reminded';
          const what = job.kind === 'order_reminder' ? 'the order' : `the missing items (${c.missing.join(', ')})`;
          await task(c, `${job.kind}:${stay}:${job.n}`, `Follow up: still no ${job.kind === 'order_reminder' ? 'order' : 'documentation'} for case ${c.id}. Call or fax the referring office for ${what}.`);
          return 'staff_task';
        }
        case 'order_overdue': {
          const days = site.followUps.orderRequestedStaffTaskBusinessDays;
          await task(c, `order_overdue:${stay}`, `No order ${days} business days after it was requested for case ${c.id}: call the office and the patient, or cancel the request.`);
          return 'staff_task';
        }
        case 'urgent_call_overdue': {
          const key = urgentTaskKey(c.id);
          const open = await deps.tasks.findByKey(key);
          if (!open || open.status !== 'open' || !AWAITS_CALL.has(c.state)) return 'stale';
          const minutes = site.followUps.urgentCallMinutes;
          const summary = `OVERDUE, nobody has taken it in ${minutes} minutes (coordinator: assign it now). ${open.summary}`;
          const raised = await deps.tasks.escalate(key, summary, deps.now());
          if (raised) await deps.alertStaff?.(`urgent-overdue:${c.id}`, summary);
          return raised ? 'escalated' : 'stale';
        }
        case 'office_notice':
          return deps.officeNotices.run(c.id, job.n, job.count ?? 1);
        case 'lead_nurture': {
          if (!NOT_YET_BOOKED.has(c.state) || everBooked(c)) return 'stale';
          const patient = await deps.patients.findById(c.patientId);
          if (!patient?.phone) return 'no_phone';
          const lang = patient.language;
          const r = await deps.gateway.send({
            to: patient.phone,
            body: deps.words({ kind: 'lead_nurture' }, lang),
            purpose: 'marketing',
            template: 'nurture',
            idempotencyKey: `lead-nurture:${c.id}`,
            initiated: true,
            language: lang,
            caseId: c.id,
          });
          return r.outcome;
        }
      }
    },
  };
}
export type FollowUps = ReturnType<typeof createFollowUps>;

/**
 * The case repository, with `after` called once a case is created or moves (every use case writes through it), so
 * follow-ups are queued whichever path moved the case; `written` is how many history entries that write appended.
 * `after` must not throw: the write has happened.
 */
export function afterCaseWrites(cases: CaseRepository, after: (c: Case, written: number) => Promise<void>): CaseRepository {
  return {
    ...cases,
    async insert(c) {
      const inserted = await cases.insert(c);
      if (inserted) await after(c, c.history.length);
      return inserted;
    },
    async applyTransition(id, expected, change) {
      const saved = await cases.applyTransition(id, expected, change);
      if (saved) await after(saved, Array.isArray(change.entry) ? change.entry.length : 1);
      return saved;
    },
  };
}
