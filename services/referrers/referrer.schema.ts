import { z } from 'zod';

export const ReferrerUser = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  /** Azure AD object id, for Teams users. */
  aadObjectId: z.string().nullable(),
  /** A Teams user of a linked tenant waits (`pending`) until an office admin or center staff approves them. */
  status: z.enum(['active', 'pending']).default('active'),
  /** May approve the office's other people in the chat. */
  officeAdmin: z.boolean().default(false),
});
export type ReferrerUser = z.infer<typeof ReferrerUser>;

/** A referring organization (a clinic or practice) and the people who order for it. */
export const ReferrerOrg = z.object({
  id: z.string(),
  name: z.string().min(1).max(200),
  /** Azure AD tenant, for Teams. */
  tenantId: z.string().nullable(),
  phone: z.string().nullable(),
  fax: z.string().nullable(),
  users: z.array(ReferrerUser),
  /** When the office is open (center's time zone, business days): updates to it are posted only then. Unset: 09:00–17:00. */
  officeHours: z
    .object({ open: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/), close: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/) })
    .refine((h) => h.open < h.close, 'the office must open before it closes')
    .nullable()
    .default(null),
  /** The language of the updates posted or kept for the office (its people's chat turns speak their own). */
  language: z.enum(['en', 'es']).default('en'),
  createdAt: z.date(),
});
export type ReferrerOrg = z.infer<typeof ReferrerOrg>;

export interface ReferrerRepository {
  insert(org: z.input<typeof ReferrerOrg>): Promise<void>;
  findById(id: string): Promise<ReferrerOrg | null>;
  findByTenant(tenantId: string): Promise<ReferrerOrg | null>;
  exists(id: string): Promise<boolean>;
  /** Every organization, by name (a center has tens or hundreds, not millions). */
  list(limit: number): Promise<ReferrerOrg[]>;
  /** Adds the user unless one with the same Azure AD object id is there; the organization as stored after. */
  addUser(orgId: string, user: z.input<typeof ReferrerUser>): Promise<ReferrerOrg | null>;
  /** Changes one user (approved, made an office admin); the organization after, or null when there is no such user. */
  updateUser(orgId: string, userId: string, set: Partial<Pick<ReferrerUser, 'status' | 'officeAdmin'>>): Promise<ReferrerOrg | null>;
}
