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
  /** Null on tokens made before expiry existed: they end DEFAULT_DAYS after they were made. */
  expiresAt: z.date().nullable().default(null),
  revokedAt: z.date().nullable(),
});
export type StaffTokenRecord = z.infer<typeof StaffTokenRecord>;

export interface StaffTokenRepository {
  insert(record: StaffTokenRecord): Promise<void>;
  findByHash(tokenHash: string): Promise<StaffTokenRecord | null>;
  /** Newest first. */
  list(limit: number): Promise<StaffTokenRecord[]>;
  /** Sets revokedAt once (revoking again keeps the first time); null when there is no such token. */
  revoke(id: string, now: Date): Promise<StaffTokenRecord | null>;
}

export interface ReferrerOrgLookup {
  exists(orgId: string): Promise<boolean>;
}

const PREFIX = 'iib_';
const DAY_MS = 86_400_000;
export const DEFAULT_TOKEN_DAYS = 90;

const expiryOf = (r: StaffTokenRecord) => r.expiresAt ?? new Date(r.createdAt.getTime() + DEFAULT_TOKEN_DAYS * DAY_MS);

/** What anyone may see of a token: never its hash. */
export function tokenView(r: StaffTokenRecord, now: Date) {
  const expiresAt = expiryOf(r);
  const status = r.revokedAt ? 'revoked' : expiresAt <= now ? 'expired' : 'active';
  return { id: r.id, name: r.name, role: r.role, referrerOrgId: r.referrerOrgId, createdAt: r.createdAt, expiresAt, revokedAt: r.revokedAt, status };
}

/** Tokens carry 256 random bits, so a plain SHA-256 is enough to store them safely. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export const CreateStaffInput = z
  .object({
    name: z.string().trim().min(1).max(100),
    role: Role,
    referrerOrgId: z.string().min(1).nullable().default(null),
    days: z.number().int().min(1).max(365).default(DEFAULT_TOKEN_DAYS),
  })
  .strict()
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
      const { name, role, referrerOrgId, days } = parsed.data;
      if (referrerOrgId && !(await deps.orgs.exists(referrerOrgId))) {
        return err('UNKNOWN_REFERRER', `no referring organization with id '${referrerOrgId}'`);
      }
      const token = PREFIX + randomBytes(32).toString('base64url');
      const now = deps.now();
      const record: StaffTokenRecord = {
        id: randomUUID(),
        name,
        role,
        tokenHash: hashToken(token),
        referrerOrgId,
        createdAt: now,
        expiresAt: new Date(now.getTime() + days * DAY_MS),
        revokedAt: null,
      };
      await deps.tokens.insert(record);
      return ok({ token, record });
    },

    async authenticate(token: string): Promise<Principal | null> {
      if (!token.startsWith(PREFIX) || token.length > 100) return null;
      const record = await deps.tokens.findByHash(hashToken(token));
      if (!record || record.revokedAt || expiryOf(record) <= deps.now()) return null;
      return { id: record.id, name: record.name, role: record.role, referrerOrgId: record.referrerOrgId };
    },

    view: (r: StaffTokenRecord) => tokenView(r, deps.now()),

    async list(limit = 200) {
      const now = deps.now();
      return (await deps.tokens.list(limit)).map((r) => tokenView(r, now));
    },

    async revoke(id: string): Promise<Result<ReturnType<typeof tokenView>, 'TOKEN_NOT_FOUND'>> {
      const record = await deps.tokens.revoke(id, deps.now());
      return record ? ok(tokenView(record, deps.now())) : err('TOKEN_NOT_FOUND', `no staff token with id '${id.slice(0, 60)}'`);
    },
  };
}
export type StaffTokenService = ReturnType<typeof createStaffTokenService>;
