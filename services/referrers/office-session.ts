import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Principal } from '../staff/staff.roles';
import type { ReferrerOrg, ReferrerRepository } from './referrer.schema';

/** A Web Chat office sign-in kept on one device (browser storage holds the token; only its hash is stored here). */
export const OfficeSession = z.object({
  id: z.string(),
  orgId: z.string(),
  userId: z.string(),
  createdAt: z.date(),
  expiresAt: z.date(),
  endedAt: z.date().nullable(),
});
export type OfficeSession = z.infer<typeof OfficeSession>;

export interface OfficeSessionRepository {
  insert(s: OfficeSession): Promise<void>;
  /** The session with this hash, unless it ended or expired. */
  findLive(id: string, now: Date): Promise<OfficeSession | null>;
  end(id: string, now: Date): Promise<void>;
}

const hash = (token: string) => createHash('sha256').update(token).digest('hex');
export const sessionId = hash;
const TOKEN = /^[A-Za-z0-9_-]{32,64}$/;

/**
 * Web Chat sign-ins that persist on a device for the site's `webChatSignInDays` (0: every visit needs a code): a
 * token issued at sign-in, resumed when the page opens again, ended by SIGN OUT. The person must still be an active
 * user of the organization when it resumes.
 */
export function createOfficeSessions(deps: { sessions: OfficeSessionRepository; orgs: Pick<ReferrerRepository, 'findById'>; days: number; now: () => Date }) {
  return {
    async start(principal: Principal): Promise<{ token: string; expiresAt: Date } | null> {
      if (deps.days <= 0 || !principal.referrerOrgId) return null;
      const token = randomBytes(32).toString('base64url');
      const now = deps.now();
      const expiresAt = new Date(now.getTime() + deps.days * 86_400_000);
      await deps.sessions.insert({ id: hash(token), orgId: principal.referrerOrgId, userId: principal.id, createdAt: now, expiresAt, endedAt: null });
      return { token, expiresAt };
    },

    async resume(token: string): Promise<{ org: ReferrerOrg; principal: Principal; sessionId: string; expiresAt: Date } | null> {
      if (!TOKEN.test(token)) return null;
      const s = await deps.sessions.findLive(hash(token), deps.now());
      const org = s ? await deps.orgs.findById(s.orgId) : null;
      const user = org?.users.find((u) => u.id === s?.userId && u.status === 'active');
      if (!s || !org || !user) return null;
      return { org, principal: { id: user.id, name: user.name, role: 'referrer', referrerOrgId: org.id }, sessionId: s.id, expiresAt: s.expiresAt };
    },

    async end(id: string): Promise<void> {
      await deps.sessions.end(id, deps.now());
    },
  };
}
export type OfficeSessions = ReturnType<typeof createOfficeSessions>;
