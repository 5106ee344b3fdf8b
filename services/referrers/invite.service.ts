import { createHash, randomInt } from 'node:crypto';
import { z } from 'zod';
import { newId } from '../ids';
import { text } from '../orders/order.schema';
import { err, ok, type Result } from '../result';
import type { Principal, Role } from '../staff/staff.roles';
import type { ReferrerOrg, ReferrerRepository } from './referrer.schema';

/** A one-time sign-in code for an office user on web chat; only its hash is stored. */
export const ReferrerInvite = z.object({
  id: z.string(),
  codeHash: z.string(),
  orgId: z.string(),
  name: z.string(),
  createdAt: z.date(),
  expiresAt: z.date(),
  usedAt: z.date().nullable(),
});
export type ReferrerInvite = z.infer<typeof ReferrerInvite>;

export interface ReferrerInviteRepository {
  insert(invite: ReferrerInvite): Promise<void>;
  /** Marks the unused, unexpired invite with this hash used, in one conditional update; null when there is none. */
  redeem(codeHash: string, now: Date): Promise<ReferrerInvite | null>;
}

export const CreateInviteInput = z.object({ name: text(200) }).strict();

const ISSUERS: ReadonlySet<Role> = new Set(['admin', 'coordinator']);
const VALID_DAYS = 7;
// No 0/O, 1/I/L: codes are read aloud and typed from a phone call or an email.
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const hash = (code: string) => createHash('sha256').update(code.replace(/[\s-]/g, '').toUpperCase()).digest('hex');

/**
 * Web chat has no Azure AD: staff give an office user a one-time code (valid 7 days) that signs them in for their
 * organization; the code is stored hashed and works once.
 */
export function createReferrerInvites(deps: { invites: ReferrerInviteRepository; orgs: ReferrerRepository; now: () => Date }) {
  return {
    async issue(orgId: string, input: z.infer<typeof CreateInviteInput>, principal: Principal | null): Promise<Result<{ code: string; expiresAt: Date }, 'FORBIDDEN' | 'UNKNOWN_REFERRER'>> {
      if (principal && !ISSUERS.has(principal.role)) return err('FORBIDDEN', `role '${principal.role}' may not invite office users`);
      if (!(await deps.orgs.exists(orgId))) return err('UNKNOWN_REFERRER', `no referring organization with id '${orgId}'`);
      const raw = Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
      const code = `${raw.slice(0, 4)}-${raw.slice(4)}`;
      const now = deps.now();
      const expiresAt = new Date(now.getTime() + VALID_DAYS * 86_400_000);
      await deps.invites.insert({ id: newId('inv', 16), codeHash: hash(code), orgId, name: input.name, createdAt: now, expiresAt, usedAt: null });
      return ok({ code, expiresAt });
    },

    /** The organization and the new user a code signs in, once; null for a wrong, used or expired code. */
    async redeem(code: string): Promise<{ org: ReferrerOrg; principal: Principal } | null> {
      if (!/^[A-Za-z0-9]{4}-?[A-Za-z0-9]{4}$/.test(code.trim())) return null;
      const invite = await deps.invites.redeem(hash(code.trim()), deps.now());
      if (!invite) return null;
      const user = { id: newId('u', 16), name: invite.name, email: null, aadObjectId: null };
      const org = await deps.orgs.addUser(invite.orgId, user);
      if (!org) return null;
      return { org, principal: { id: user.id, name: user.name, role: 'referrer', referrerOrgId: org.id } };
    },
  };
}
export type ReferrerInvites = ReturnType<typeof createReferrerInvites>;
