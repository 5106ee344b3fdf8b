import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { err, ok, type Result } from '../result';
import { Role, type Principal } from './staff.roles';

export const StaffTokenRecord = z.object({
  id: z.string(),
  name: z.string(),
  role: Role,
  tokenHash: z.string(),
  referrerOrgId: z.string().nullable(),
  createdAt: z.date(),
  revokedAt: z.date().nullable(),
});
export type StaffTokenRecord = z.infer<typeof StaffTokenRecord>;

export interface StaffTokenRepository {
  insert(record: StaffTokenRecord): Promise<void>;
  findByHash(tokenHash: string): Promise<StaffTokenRecord | null>;
}

export interface ReferrerOrgLookup {
  exists(orgId: string): Promise<boolean>;
}

const PREFIX = 'iib_';

/** Tokens carry 256 random bits, so a plain SHA-256 is enough to store them safely. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export const CreateStaffInput = z
  .object({
    name: z.string().trim().min(1).max(100),
    role: Role,
    referrerOrgId: z.string().min(1).nullable().default(null),
  })
  .refine((v) => (v.role === 'referrer') === (v.referrerOrgId !== null), {
    message: 'a referrer token needs --referrer <organization id>, and only a referrer token may have one',
    path: ['referrerOrgId'],
  });

export function createStaffTokenService(deps: { tokens: StaffTokenRepository; orgs: ReferrerOrgLookup; now: () => Date }) {
  return {
    /** Returns the token once; only its hash is stored. */
    async create(input: z.input<typeof CreateStaffInput>): Promise<Result<{ token: string; record: StaffTokenRecord }, 'INVALID_INPUT' | 'UNKNOWN_REFERRER'>> {
      const parsed = CreateStaffInput.safeParse(input);
      if (!parsed.success) {
        const details = parsed.error.issues.map((i) => ({ field: i.path.join('.') || 'input', message: i.message }));
        return err('INVALID_INPUT', details.map((d) => `${d.field}: ${d.message}`).join('; '), details);
      }
      const { name, role, referrerOrgId } = parsed.data;
      if (referrerOrgId && !(await deps.orgs.exists(referrerOrgId))) {
        return err('UNKNOWN_REFERRER', `no referring organization with id '${referrerOrgId}'`);
      }
      const token = PREFIX + randomBytes(32).toString('base64url');
      const record: StaffTokenRecord = {
        id: randomUUID(),
        name,
        role,
        tokenHash: hashToken(token),
        referrerOrgId,
        createdAt: deps.now(),
        revokedAt: null,
      };
      await deps.tokens.insert(record);
      return ok({ token, record });
    },

    async authenticate(token: string): Promise<Principal | null> {
      if (!token.startsWith(PREFIX) || token.length > 100) return null;
      const record = await deps.tokens.findByHash(hashToken(token));
      if (!record || record.revokedAt) return null;
      return { id: record.id, name: record.name, role: record.role, referrerOrgId: record.referrerOrgId };
    },
  };
}
export type StaffTokenService = ReturnType<typeof createStaffTokenService>;
