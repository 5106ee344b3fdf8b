import { newId } from '../ids';
import type { TaskRepository } from '../tasks/task.schema';
import type { ReferrerOrg, ReferrerRepository } from './referrer.schema';

export type TeamsIdentity =
  | { kind: 'member'; org: ReferrerOrg; userId: string | null; newUser: boolean }
  | { kind: 'unknown_tenant'; tenantId: string }
  | { kind: 'no_tenant' };

export interface TeamsIdentityDeps {
  orgs: ReferrerRepository;
  tasks: TaskRepository;
  now: () => Date;
}

/**
 * Maps a Teams user (Azure AD tenant and object id) to a referring organization and one of its users. The tenant is
 * what staff register; people of a registered tenant join its organization the first time they write. An unknown
 * tenant gets one staff task (per tenant), never access.
 */
export function createTeamsIdentity(deps: TeamsIdentityDeps) {
  return {
    async identify(who: { tenantId: string | null; aadObjectId: string | null; name: string | null }): Promise<TeamsIdentity> {
      if (!who.tenantId) return { kind: 'no_tenant' };
      const org = await deps.orgs.findByTenant(who.tenantId);
      if (!org) {
        const now = deps.now();
        await deps.tasks.insert({
          id: newId('t'),
          kind: 'unknown_teams_tenant',
          status: 'open',
          dedupeKey: `unknown_teams_tenant:${who.tenantId}`,
          summary: `Someone wrote from Microsoft Teams tenant ${who.tenantId}, which is not linked to a referring organization. Link it (npm run cli -- referrer create --tenant ${who.tenantId}) or contact them.`,
          caseId: null,
          referrerOrgId: null,
          replyTo: null,
          createdAt: now,
          updatedAt: now,
        });
        return { kind: 'unknown_tenant', tenantId: who.tenantId };
      }
      // Without an Azure AD object id there is no stable person to record: the organization answers, no user is added.
      if (!who.aadObjectId) return { kind: 'member', org, userId: null, newUser: false };
      const known = org.users.find((u) => u.aadObjectId === who.aadObjectId);
      if (known) return { kind: 'member', org, userId: known.id, newUser: false };
      const user = { id: newId('u', 16), name: who.name?.trim() || 'Teams user', email: null, aadObjectId: who.aadObjectId };
      const added = await deps.orgs.addUser(org.id, user);
      return { kind: 'member', org: added ?? org, userId: (added?.users.find((u) => u.aadObjectId === who.aadObjectId) ?? user).id, newUser: true };
    },
  };
}
export type TeamsIdentityService = ReturnType<typeof createTeamsIdentity>;
