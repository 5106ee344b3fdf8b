import type { z } from 'zod';
import { ReferrerOrg, ReferrerUser, type ReferrerRepository } from '../../../services/referrers/referrer.schema';
import { ReferrerInvite, type ReferrerInviteRepository } from '../../../services/referrers/invite.service';
import { OfficeNotice, type OfficeNoticeRepository } from '../../../services/referrers/office-notices';
import { OfficeSession, type OfficeSessionRepository } from '../../../services/referrers/office-session';
import { Task, type TaskInput, type TaskKind, type TaskRepository } from '../../../services/tasks/task.schema';
import { copy } from './util';

/** Staff tasks; the dedupe key is unique over every task, open or done, as the Mongo unique index makes it. */
export class MemoryTasks implements TaskRepository {
  readonly rows = new Map<string, Task>();

  /** Every task, oldest first (for assertions). */
  all = (): Task[] => {
    return [...this.rows.values()].map((t) => Task.parse(copy(t)));
  };

  private byKey = (dedupeKey: string): Task | undefined => {
    return [...this.rows.values()].find((t) => t.dedupeKey === dedupeKey);
  };

  insert = (task: TaskInput): Promise<boolean> => {
    const t = Task.parse({ ...task, summary: task.summary.slice(0, 500) });
    if (this.rows.has(t.id) || this.byKey(t.dedupeKey)) return Promise.resolve(false);
    this.rows.set(t.id, copy(t));
    return Promise.resolve(true);
  };

  findByKey = (dedupeKey: string): Promise<Task | null> => {
    const t = this.byKey(dedupeKey);
    return Promise.resolve(t ? Task.parse(copy(t)) : null);
  };

  findById = (id: string): Promise<Task | null> => {
    const t = this.rows.get(id);
    return Promise.resolve(t ? Task.parse(copy(t)) : null);
  };

  updateSummary = (dedupeKey: string, summary: string, now: Date): Promise<void> => {
    const t = this.byKey(dedupeKey);
    if (t?.status === 'open') Object.assign(t, { summary: summary.slice(0, 500), updatedAt: now });
    return Promise.resolve();
  };

  attachCase = (id: string, caseId: string, now: Date): Promise<void> => {
    const t = this.rows.get(id);
    if (t && t.caseId === null) Object.assign(t, { caseId, updatedAt: now });
    return Promise.resolve();
  };

  findLive = (conversationKey: string): Promise<Task | null> => {
    const recent = [...this.rows.values()].filter((t) => t.conversationKey === conversationKey).sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime()).slice(0, 5);
    const live = recent.find((t) => t.live !== null && !t.live.backNoticeSent);
    return Promise.resolve(live ? Task.parse(copy(live)) : null);
  };

  setLive = (id: string, by: string, since: Date, now: Date): Promise<void> => {
    const t = this.rows.get(id);
    if (t) Object.assign(t, { live: { since, lastAt: now, by: by.slice(0, 100), unread: 0, backNoticeSent: false }, updatedAt: now });
    return Promise.resolve();
  };

  touchLive = (id: string, now: Date): Promise<void> => {
    const t = this.rows.get(id);
    if (t?.live) Object.assign(t, { live: { ...t.live, unread: t.live.unread + 1, lastAt: now }, updatedAt: now });
    return Promise.resolve();
  };

  endLive = (id: string, now: Date): Promise<void> => {
    const t = this.rows.get(id);
    if (t?.live) Object.assign(t, { live: { ...t.live, backNoticeSent: true }, updatedAt: now });
    return Promise.resolve();
  };

  escalate = (dedupeKey: string, summary: string, now: Date): Promise<boolean> => {
    const t = this.byKey(dedupeKey);
    if (t?.status !== 'open' || t.escalatedAt !== null) return Promise.resolve(false);
    Object.assign(t, { escalatedAt: now, summary: summary.slice(0, 500), updatedAt: now });
    return Promise.resolve(true);
  };

  closeById = (id: string, now: Date): Promise<boolean> => {
    return Promise.resolve(this.closeTask(this.rows.get(id), now));
  };

  close = (dedupeKey: string, now: Date): Promise<boolean> => {
    return Promise.resolve(this.closeTask(this.byKey(dedupeKey), now));
  };

  private closeTask = (t: Task | undefined, now: Date): boolean => {
    if (t?.status !== 'open') return false;
    Object.assign(t, { status: 'done', updatedAt: now });
    return true;
  };

  list = (f: { status?: Task['status']; kind?: TaskKind }, limit: number): Promise<Task[]> => {
    const rows = [...this.rows.values()].filter((t) => (!f.status || t.status === f.status) && (!f.kind || t.kind === f.kind));
    const rank = (t: Task) => (t.urgent ? 1 : 0);
    rows.sort((a, b) => rank(b) - rank(a) || (b.escalatedAt?.getTime() ?? -1) - (a.escalatedAt?.getTime() ?? -1) || b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? -1 : 1));
    return Promise.resolve(rows.slice(0, limit).map((t) => Task.parse(copy(t))));
  };
}

/** Referring organizations and their people. */
export class MemoryReferrers implements ReferrerRepository {
  readonly rows = new Map<string, ReferrerOrg>();

  insert = (org: z.input<typeof ReferrerOrg>): Promise<void> => {
    if (this.rows.has(org.id)) return Promise.reject(new Error(`referrer ${org.id} exists already`));
    this.rows.set(org.id, ReferrerOrg.parse(copy(org)));
    return Promise.resolve();
  };

  findById = (id: string): Promise<ReferrerOrg | null> => {
    const o = this.rows.get(id);
    return Promise.resolve(o ? ReferrerOrg.parse(copy(o)) : null);
  };

  findByTenant = (tenantId: string): Promise<ReferrerOrg | null> => {
    const o = [...this.rows.values()].find((x) => x.tenantId === tenantId);
    return Promise.resolve(o ? ReferrerOrg.parse(copy(o)) : null);
  };

  exists = (id: string): Promise<boolean> => {
    return Promise.resolve(this.rows.has(id));
  };

  list = (limit: number): Promise<ReferrerOrg[]> => {
    const rows = [...this.rows.values()].sort((a, b) => a.name.localeCompare(b.name));
    return Promise.resolve(rows.slice(0, limit).map((o) => ReferrerOrg.parse(copy(o))));
  };

  addUser = (orgId: string, user: z.input<typeof ReferrerUser>): Promise<ReferrerOrg | null> => {
    const o = this.rows.get(orgId);
    // Once per Azure AD object id, as the Mongo update's guard.
    if (o && !(user.aadObjectId && o.users.some((u) => u.aadObjectId === user.aadObjectId))) o.users.push(ReferrerUser.parse(copy(user)));
    return this.findById(orgId);
  };

  updateUser = (orgId: string, userId: string, set: Partial<Pick<ReferrerUser, 'status' | 'officeAdmin'>>): Promise<ReferrerOrg | null> => {
    const o = this.rows.get(orgId);
    const u = o?.users.find((x) => x.id === userId);
    if (!u) return Promise.resolve(null);
    Object.assign(u, set);
    return this.findById(orgId);
  };
}

/** One-time web chat sign-in codes, by their hash; a code is redeemed once, before it expires. */
export class MemoryReferrerInvites implements ReferrerInviteRepository {
  readonly rows = new Map<string, ReferrerInvite>();

  insert = (invite: ReferrerInvite): Promise<void> => {
    if ([...this.rows.values()].some((i) => i.id === invite.id || i.codeHash === invite.codeHash)) return Promise.reject(new Error('invite exists already'));
    this.rows.set(invite.id, copy(invite));
    return Promise.resolve();
  };

  redeem = (codeHash: string, now: Date): Promise<ReferrerInvite | null> => {
    const i = [...this.rows.values()].find((x) => x.codeHash === codeHash && x.usedAt === null && x.expiresAt > now);
    if (!i) return Promise.resolve(null);
    i.usedAt = now;
    return Promise.resolve(ReferrerInvite.parse(copy(i)));
  };
}

/** Updates kept for offices; the id is unique, as the Mongo _id makes it. */
export class MemoryOfficeNotices implements OfficeNoticeRepository {
  readonly rows = new Map<string, OfficeNotice>();

  insert = (n: OfficeNotice): Promise<boolean> => {
    if (this.rows.has(n.id)) return Promise.resolve(false);
    this.rows.set(n.id, copy(OfficeNotice.parse(n)));
    return Promise.resolve(true);
  };

  unshown = (orgId: string, limit: number): Promise<OfficeNotice[]> =>
    Promise.resolve([...this.rows.values()].filter((n) => n.orgId === orgId && n.shownAt === null).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.n - b.n).slice(0, limit).map((n) => copy(n)));

  markShown = (ids: string[], at: Date): Promise<void> => {
    for (const id of ids) {
      const n = this.rows.get(id);
      if (n && n.shownAt === null) n.shownAt = at;
    }
    return Promise.resolve();
  };
}

/** Web Chat office sign-ins by token hash. */
export class MemoryOfficeSessions implements OfficeSessionRepository {
  readonly rows = new Map<string, OfficeSession>();

  insert = (s: OfficeSession): Promise<void> => {
    if (this.rows.has(s.id)) return Promise.reject(new Error('session exists already'));
    this.rows.set(s.id, copy(OfficeSession.parse(s)));
    return Promise.resolve();
  };

  findLive = (id: string, now: Date): Promise<OfficeSession | null> => {
    const s = this.rows.get(id);
    return Promise.resolve(s && s.endedAt === null && s.expiresAt > now ? copy(s) : null);
  };

  end = (id: string, now: Date): Promise<void> => {
    const s = this.rows.get(id);
    if (s && s.endedAt === null) s.endedAt = now;
    return Promise.resolve();
  };
}
